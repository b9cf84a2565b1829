"""The generator side of discovery: what templates read, and the files it writes.

`add_discovery_context` runs at the end of the generator's context phase (it
renders the social-card PNGs, cached, but writes nothing); the `write_*`
functions are entries of `generator.OUTPUTS`. They call the pure builders in
discovery*.py and never import Pelican.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from tally.core.cache import Cache, key
from tally.core.settings import tally_settings
from tally.site.charts import VEGA_LITE_VERSION
from tally.site.discovery.facets import UPDATED_PATH, Facet, build_facets, by_last_update
from tally.site.discovery.facts import (
    DatasetFacts,
    Release,
    Site,
    catalog_jsonld,
    dataset_facts,
    dataset_jsonld,
    dcat_catalog,
    iso_day,
    script_json,
    shorten,
    site_from_settings,
)
from tally.site.discovery.feeds import SitemapEntry, all_releases, atom_feed, robots_txt, sitemap_xml

RELEASES_FEED = "feeds/releases.atom"
NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex')
CARD_WIDTH = 1200  # pixels: the width Open Graph and Twitter cards are shown at


@dataclass(frozen=True)
class SocialCard:
    """A PNG of a dataset's main chart, for Open Graph and Twitter cards."""

    path: str  # site path, e.g. datasets/x/card.png
    alt: str
    width: int
    height: int
    png: bytes = field(repr=False)


@dataclass
class Discovery:
    """What the templates read as `tally_discovery`."""

    site: Site
    facts: dict[str, DatasetFacts]  # slug -> facts, in catalog order
    jsonld: dict[str, str]  # slug -> script-safe JSON-LD
    catalog_jsonld: str
    cards: dict[str, SocialCard]
    facets: list[Facet]
    by_update: list[DatasetFacts]
    releases: list[Release]  # newest first

    def feed_path(self, slug: str) -> str:
        return f"feeds/{slug}.atom"

    def summary(self, slug: str) -> str:
        """A dataset's description in a sentence or two: for meta and Open Graph descriptions."""
        return shorten(self.facts[slug].description.split("\n\n")[0], 300)

    @property
    def lastmod(self) -> str:
        return max((f.modified for f in self.facts.values()), default="")


def discovery_site(settings: dict) -> Site:
    return site_from_settings({**settings, **tally_settings(settings)})


def add_discovery_context(generator) -> None:
    """Work out every dataset's metadata and social card; put them in the context as `tally_discovery`."""
    settings = tally_settings(generator.settings)
    site = discovery_site(generator.settings)
    pages = generator.context["tally_datasets"]
    versions = generator.context.get("tally_release_versions", {})
    facts = {p.slug: dataset_facts(p, site, versions.get(p.slug, [])) for p in pages}
    cache = Cache(settings["TALLY_CACHE_PATH"], "cards")
    cards = {p.slug: card for p in pages if (card := social_card(p, cache)) is not None}
    jsonld = {slug: script_json(dataset_jsonld(f, site, site.absolute(cards[slug].path) if slug in cards else ""))
              for slug, f in facts.items()}
    listed = list(facts.values())
    generator.context["tally_discovery"] = Discovery(
        site=site, facts=facts, jsonld=jsonld, catalog_jsonld=script_json(catalog_jsonld(listed, site)),
        cards=cards, facets=build_facets(listed), by_update=by_last_update(listed), releases=all_releases(listed))


def social_card(page, cache: Cache | None) -> SocialCard | None:
    """The dataset's first chart as a PNG titled with the dataset (and the sample notice); None without a chart."""
    if not page.charts:
        return None
    chart = page.charts[0]
    spec = json.loads(chart.spec_json)
    if "title" not in spec:
        title = {"text": page.dataset.title, "anchor": "start", "fontSize": 18}
        if page.dataset.sample:
            title["subtitle"] = "Illustrative sample data"
        spec["title"] = title
    spec["padding"] = 16
    cache_key = key("card", spec, CARD_WIDTH, VEGA_LITE_VERSION, getattr(vl_convert, "__version__", ""))
    png = cache.get_bytes(cache_key) if cache else None
    if png is None:
        # Charts are drawn for a phone; scale the card so it is about CARD_WIDTH pixels wide.
        natural = bytes(vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=1))
        scale = max(1.0, round(CARD_WIDTH / _png_size(natural)[0], 2))
        png = bytes(vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale))
        if cache:
            cache.put_bytes(cache_key, png)
    width, height = _png_size(png)
    return SocialCard(path=f"{page.url}card.png", alt=chart.description, width=width, height=height, png=png)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return struct.unpack(">II", png[16:24])


# -- outputs ---------------------------------------------------------------------

def write_discovery_files(generator, writer):
    """data.json, the release feeds, the social-card PNGs and robots.txt."""
    found: Discovery = generator.context["tally_discovery"]
    site = found.site
    data = dcat_catalog(list(found.facts.values()), site)
    generator.write_bytes("data.json", (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    generator.write_bytes(RELEASES_FEED, atom_feed(found.releases, site, RELEASES_FEED,
                                                   f"{site.name}: new releases", "releases/"))
    for slug, facts in found.facts.items():
        generator.write_bytes(found.feed_path(slug), atom_feed(
            list(reversed(facts.releases)), site, found.feed_path(slug),
            f"{facts.dataset.title}: releases", facts.page.url))
    for card in found.cards.values():
        generator.write_bytes(card.path, card.png)
    generator.write_bytes("robots.txt", robots_txt(site).encode("utf-8"))


def write_discovery_pages(generator, writer):
    """/releases/, /search/, one page per facet value, and the catalog by last update."""
    found: Discovery = generator.context["tally_discovery"]
    generator.write_page(writer, "releases/index.html", "releases", page_name="releases/", releases_page=True)
    generator.write_page(writer, "search/index.html", "search", page_name="search/")
    for facet in found.facets:
        for value in facet.values:
            generator.write_page(writer, f"{value.path}index.html", "facet", page_name=value.path, facet=facet,
                                 facet_value=value, facet_list=value.facts)
    generator.write_page(writer, f"{UPDATED_PATH}index.html", "facet", page_name=UPDATED_PATH, facet=None,
                         facet_value=None, facet_list=found.by_update)


def sitemap_entries(context, output: Path) -> list[SitemapEntry]:
    """Every public HTML page in the built folder, with the date of the newest release it shows.

    The folder is read, not a list kept here, so pages other outputs add are listed too and no
    URL can be listed that was not written. Left out: the search page and any page marked
    noindex, drafts and hidden pages, and the search index's own files.
    """
    found: Discovery = context["tally_discovery"]
    latest = found.lastmod
    known = {"": latest, "datasets/": latest, "releases/": latest, UPDATED_PATH: latest}
    known.update({v.path: v.lastmod for facet in found.facets for v in facet.values})
    for releases in context.get("tally_releases", {}).values():
        known.update({r.url: iso_day(r.date) for r in releases})
    for page in context.get("pages", []):  # Pelican's published pages; a date only when they state one
        stamp = page.metadata.get("modified") or page.metadata.get("date")
        known[page.url] = iso_day(stamp.isoformat() if hasattr(stamp, "isoformat") else stamp)
    unlisted = {p.url for key in ("hidden_pages", "draft_pages") for p in context.get(key, [])}
    entries = []
    for index in sorted(output.rglob("index.html")):
        path = index.parent.relative_to(output).as_posix()
        path = "" if path == "." else f"{path}/"
        if path in unlisted or path.split("/")[0] in ("drafts", "pagefind") or NOINDEX.search(
                index.read_text(encoding="utf-8")):
            continue
        slug = path.split("/")[1] if path.startswith("datasets/") and path.count("/") >= 2 else ""
        fallback = found.facts[slug].modified if slug in found.facts else ""  # a dataset's own pages
        entries.append(SitemapEntry(path, known.get(path, fallback)))
    return entries


def write_sitemap(generator, writer):
    """sitemap.xml of the pages written so far: keep it last in OUTPUTS."""
    found: Discovery = generator.context["tally_discovery"]
    entries = sitemap_entries(generator.context, Path(generator.output_path))
    generator.write_bytes("sitemap.xml", sitemap_xml(entries, found.site))
