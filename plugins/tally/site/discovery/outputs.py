"""The generator side of discovery: what templates read, and the files it writes.

`add_discovery_context` runs at the end of the generator's context phase (it
renders the social-card PNGs, cached, but writes nothing); the `write_*`
functions are entries of `generator.OUTPUTS`. They call the pure builders in
discovery*.py and never import Pelican.
"""

from __future__ import annotations

import dataclasses
import json
import re
import struct
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from tally.core.cache import Cache, key
from tally.core.settings import tally_settings
from tally.site.discovery.facets import UPDATED_PATH, Facet, build_facets, by_last_update
from tally.site.discovery.facts import (
    DatasetFacts,
    Licence,
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
from tally.site.pages import DatasetPage, package_digest

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
    summaries = Cache(settings["TALLY_CACHE_PATH"], "summaries")
    facts = {p.slug: cached_facts(p, site, versions.get(p.slug, []), summaries) for p in pages}
    cache = Cache(settings["TALLY_CACHE_PATH"], "cards")
    template = generator.get_template("social_card")
    cards = {p.slug: card for p in pages if (card := social_card(p, cache, site, template)) is not None}
    jsonld = {slug: script_json(dataset_jsonld(f, site, site.absolute(cards[slug].path) if slug in cards else ""))
              for slug, f in facts.items()}
    listed = list(facts.values())
    generator.context["tally_discovery"] = Discovery(
        site=site, facts=facts, jsonld=jsonld, catalog_jsonld=script_json(catalog_jsonld(listed, site)),
        cards=cards, facets=build_facets(listed), by_update=by_last_update(listed), releases=all_releases(listed))


def cached_facts(page: DatasetPage, site: Site, archived_versions, cache: Cache | None) -> DatasetFacts:
    """`dataset_facts` from a cached summary when the package, the site and the archives are unchanged.

    The catalog, facets, feeds, data.json and sitemap read these facts; working them out
    (the description's plain text, the newest period of every table) cost more than the
    rest of those outputs together, on every build, for every dataset (issue 12). The
    summary is a plain dict of exactly the facts' fields, keyed by the files the page is
    made from, its address, the site's settings, the archived versions and Tally's code.
    """
    if cache is None:
        return dataset_facts(page, site, archived_versions)
    cache_key = key("facts", page.slug, page.url, package_digest(page.dataset), dataclasses.asdict(site),
                    sorted(str(v) for v in archived_versions))
    cached = cache.get_bytes(cache_key)
    if cached is not None:
        summary = json.loads(cached)
        return DatasetFacts(page=page, **{**summary, "licence": Licence(**summary["licence"]),
                                          "releases": [Release(**r) for r in summary["releases"]]})
    facts = dataset_facts(page, site, archived_versions)
    summary = {f.name: getattr(facts, f.name) for f in dataclasses.fields(facts) if f.name != "page"}
    summary["licence"] = dataclasses.asdict(facts.licence)
    summary["releases"] = [dataclasses.asdict(r) for r in facts.releases]
    # Not sorted: the creators' keys keep their order, as the JSON-LD written from them does.
    cache.put_bytes(cache_key, json.dumps(summary).encode("utf-8"))
    return facts


CARD_HEIGHT = 630  # 1.91:1, the shape Open Graph, X and LinkedIn show without cropping


@dataclass(frozen=True)
class CardText:
    """What a social card says, laid out in lines (the template places them)."""

    site_name: str  # cut to fit beside the chart
    sample: bool
    title_lines: list[str]
    figure: str
    status: str
    label_lines: list[str]
    change: str
    figure_y: int
    source: str
    address: str
    legend: str
    chart_svg: str
    chart_viewbox: str


def card_text(page, site: Site) -> CardText:
    """The words and numbers of a dataset's card: title, latest figure, source, address, what S means."""
    chart = page.charts[0]
    title_lines = card_lines(page.dataset.title, 24, 3)
    figure = page.key_figures[0] if page.key_figures else None
    value = label = change = status = ""
    if figure:
        value = figure.value + (figure.suffix if figure.suffix and figure.value[:1].isdigit() else "")
        status = figure.status.lower()
        label = f"{figure.label}, {figure.period}"
        if page.stale_since:
            change = f"No new figures since {page.stale_since}"
        elif figure.changes:
            first = figure.changes[0]
            change = f"{first.words[:1].upper() + first.words[1:]} since {first.since}"
    legend = ""
    if page.empty.suppressed:
        legend = f"= suppressed to protect privacy (counts of 1 to {page.threshold - 1} are never published)"
    box = re.search(r'viewBox="([\d. ]+)"', chart.svg)
    return CardText(
        site_name=card_lines(site.name, 38, 1)[0], sample=page.dataset.sample, title_lines=title_lines, figure=value,
        status=status, label_lines=card_lines(label, 34, 2), change=change, figure_y=112 + 44 * len(title_lines) + 70,
        source=card_lines(site.publisher, 58, 1)[0], address=site_address(site), legend=legend,
        chart_svg=chart.svg, chart_viewbox=box.group(1) if box else "0 0 400 300")


def site_address(site: Site) -> str:
    """The site's address as a card prints it: data.example.gov."""
    return card_lines(re.sub(r"^https?://", "", site.url), 32, 1)[0]


def card_lines(text: str, width: int, most: int) -> list[str]:
    """`text` wrapped to lines of about `width` characters, at most `most` of them (the last cut with …)."""
    lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]  # never "2024-⏎Q2"
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:width - 1].rstrip() + "…"
    return lines


def social_card(page, cache: Cache | None, site: Site | None = None, template=None) -> SocialCard | None:
    """A 1200 x 630 PNG: the dataset's title, latest figure and main chart, source, address and the S legend."""
    if not page.charts or template is None or site is None:
        return None
    text = card_text(page, site)
    png, width, height = render_card(template.render(card=text), cache)
    figure = f"{text.figure} {text.label_lines and ' '.join(text.label_lines)}. " if text.figure else ""
    alt = f"{page.dataset.title}. {figure}{page.charts[0].description}"
    return SocialCard(path=f"{page.url}card.png", alt=alt, width=width, height=height, png=png)


def render_card(svg: str, cache: Cache | None) -> tuple[bytes, int, int]:
    """A card's SVG drawn as a PNG, and its width and height; cached by the SVG itself."""
    cache_key = key("card", svg, CARD_WIDTH, CARD_HEIGHT, getattr(vl_convert, "__version__", ""))
    png = cache.get_bytes(cache_key) if cache else None
    if png is None:
        png = bytes(vl_convert.svg_to_png(svg, scale=1))
        if cache:
            cache.put_bytes(cache_key, png)
    width, height = _png_size(png)
    return png, width, height


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
    generator.write_page("releases/index.html", "releases", page_name="releases/", releases_page=True)
    generator.write_page("search/index.html", "search", page_name="search/")
    for facet in found.facets:
        for value in facet.values:
            generator.write_page(f"{value.path}index.html", "facet", page_name=value.path, facet=facet,
                                 facet_value=value, facet_list=value.facts)
    generator.write_page(f"{UPDATED_PATH}index.html", "facet", page_name=UPDATED_PATH, facet=None,
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
