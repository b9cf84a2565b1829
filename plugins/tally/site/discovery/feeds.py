"""Feeds of releases, the sitemap and robots.txt: pure functions returning bytes or text.

Every date comes from a package (its changelog, `tally:updated` or `created`; for
a package that states none, its data's newest period or the build's source date,
facts.undated_fallback), never from the clock, so the same input gives
byte-identical files. A release still without a date is listed on /releases/ but
left out of feeds (an Atom entry must have a date, and Tally does not invent one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from feedgenerator import Atom1Feed
from markupsafe import escape

from tally.site.discovery.facts import DatasetFacts, Release, Site

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def all_releases(all_facts: list[DatasetFacts]) -> list[Release]:
    """Every release of every dataset, newest first; undated ones last, by title."""
    releases = [r for f in all_facts for r in f.releases]
    dated = sorted((r for r in releases if r.date), key=lambda r: (r.date, r.title.lower(), r.version), reverse=True)
    undated = sorted((r for r in releases if not r.date), key=lambda r: (r.title.lower(), r.version))
    return dated + undated


class _ReleaseFeed(Atom1Feed):
    """feedgenerator's Atom feed (as Pelican writes its feeds), with two things releases need.

    An entry links its dataset's current page as `related`, and a feed with no dated entry
    is dated at the epoch instead of the clock, so the same input gives the same bytes.
    """

    def latest_post_date(self):
        if not self.items:
            return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        return super().latest_post_date()

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("related"):
            handler.addQuickElement("link", "", {"rel": "related", "href": item["related"], "type": "text/html"})


def _day(date: str) -> dt.datetime:
    return dt.datetime.fromisoformat(date).replace(tzinfo=dt.timezone.utc)


def atom_feed(releases: list[Release], site: Site, feed_path: str, title: str, page_path: str) -> bytes:
    """An Atom feed with one entry per dated release; `feed_path` is where it is published."""
    feed = _ReleaseFeed(title=title, link=site.absolute(page_path), description="", language=site.language,
                        feed_url=site.absolute(feed_path), feed_guid=site.absolute(feed_path),
                        author_name=site.publisher, author_email=site.email)
    for release in (r for r in releases if r.date):
        feed.add_item(title=release_title(release), link=site.absolute(release.path),
                      unique_id=release_id(release, site), pubdate=_day(release.date),
                      updateddate=_day(release.date), description=release.note or release_title(release),
                      content=str(escape(release_text(release))), categories=[release.kind],
                      related=site.absolute(f"datasets/{release.slug}/") if release.archived else None)
    return feed.writeString("utf-8").encode("utf-8")


def release_id(release: Release, site: Site) -> str:
    """A stable id: the address of the version, whether or not it is archived."""
    if release.version:
        # A withdrawal is its own entry beside the release it withdraws (`publish.py withdraw`).
        anchor = "#withdrawn" if release.kind == "withdrawal" else ""
        return site.absolute(f"datasets/{release.slug}/v{release.version}/{anchor}")
    return site.absolute(f"datasets/{release.slug}/#{release.anchor}")


def release_title(release: Release) -> str:
    title = release.title + (f", version {release.version}" if release.version else "")
    if release.kind and release.kind != "release":
        title += f" ({release.kind})"
    return title


def release_text(release: Release) -> str:
    when = f" on {release.date}" if release.date else ""
    text = f"{release_title(release)}, published{when}."
    if release.sample:
        text += " Illustrative sample data, not official statistics."
    if release.note:
        text += f" {release.note}"
    return text


@dataclass(frozen=True)
class SitemapEntry:
    path: str  # site path, e.g. "datasets/x/"
    lastmod: str = ""  # YYYY-MM-DD or ""


def sitemap_xml(entries: list[SitemapEntry], site: Site) -> bytes:
    """sitemap.xml listing each path once (sorted), with lastmod when a release date is known."""
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    seen = {}
    for entry in entries:
        seen[entry.path] = max(seen.get(entry.path, ""), entry.lastmod)
    for path in sorted(seen):
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site.absolute(path)
        if seen[path]:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = seen[path]
    ET.indent(urlset)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="utf-8") + b"\n"


def robots_txt(site: Site) -> str:
    """Let every crawler in, keep them out of the search index files, and point at the sitemap."""
    return (f"User-agent: *\nAllow: /\nDisallow: /pagefind/\nDisallow: /search/\n\n"
            f"Sitemap: {site.absolute('sitemap.xml')}\n")
