"""Feeds of releases, the sitemap and robots.txt: pure functions returning bytes or text.

Every date comes from a package (its changelog, `tally:updated` or `created`),
never from the clock, so the same input gives byte-identical files. A release
whose package states no date is listed on /releases/ but left out of feeds (an
Atom entry must have a date, and Tally does not invent one).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from tally.site.discovery.facts import DatasetFacts, Release, Site

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01"  # the `updated` of a feed with no dated entry (Atom requires one)


def all_releases(all_facts: list[DatasetFacts]) -> list[Release]:
    """Every release of every dataset, newest first; undated ones last, by title."""
    releases = [r for f in all_facts for r in f.releases]
    dated = sorted((r for r in releases if r.date), key=lambda r: (r.date, r.title.lower(), r.version), reverse=True)
    undated = sorted((r for r in releases if not r.date), key=lambda r: (r.title.lower(), r.version))
    return dated + undated


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def atom_feed(releases: list[Release], site: Site, feed_path: str, title: str, page_path: str) -> bytes:
    """An Atom feed with one entry per dated release; `feed_path` is where it is published."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", site.language)
    entries = [r for r in releases if r.date]
    _text(feed, "id", site.absolute(feed_path))
    _text(feed, "title", title)
    _text(feed, "updated", _stamp(max((r.date for r in entries), default=EPOCH)))
    _link(feed, "self", site.absolute(feed_path), "application/atom+xml")
    _link(feed, "alternate", site.absolute(page_path), "text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site.publisher)
    _text(author, "email", site.email)
    _text(feed, "generator", "Tally")
    for release in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", release_id(release, site))
        _text(entry, "title", release_title(release))
        _text(entry, "updated", _stamp(release.date))
        _text(entry, "published", _stamp(release.date))
        _link(entry, "alternate", site.absolute(release.path), "text/html")
        if release.archived:
            _link(entry, "related", site.absolute(f"datasets/{release.slug}/"), "text/html")
        _text(entry, "summary", release.note or release_title(release))
        content = ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"})
        content.text = release_text(release)
        category = ET.SubElement(entry, f"{{{ATOM}}}category", {"term": release.kind})
        category.set("label", release.kind.capitalize())
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def release_id(release: Release, site: Site) -> str:
    """A stable id: the address of the version, whether or not it is archived."""
    if release.version:
        return site.absolute(f"datasets/{release.slug}/v{release.version}/")
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


def _text(parent, tag: str, value: str):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element


def _link(parent, rel: str, href: str, media_type: str):
    return ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": media_type})


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
