"""A static page and social card for each series a dataset's charts draw (issue 11).

A shared view, /datasets/<slug>/?age_band=12-14, shows the dataset's card: a static host
serves the same HTML whatever the query says, and crawlers run no JavaScript. So each
value a chart draws of its series dimension (the field it colours or splits by) gets a small
page of its own, /datasets/<slug>/views/<dimension>/<value>/, whose Open Graph card says
that series' latest figure, and whose canonical address is the dataset page with the
view in its query. explore.js shares that address when a view is exactly one series
(reading the list this module writes to views/index.json) and the dataset page otherwise.

Every figure here is a published cell, asked of the Policy: a hidden cell reads S, a
count the Policy calls small (a file that slipped past validation) reads S too, never
its number; provisional and revised figures say so. No figure is computed.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from urllib.parse import urlencode

from slugify import slugify

from tally.core.annotations import CODES, SUPPRESSED
from tally.core.cache import Cache, key
from tally.core.dataset import Field, Resource
from tally.core.paths import safe_join, safe_relative
from tally.core.settings import tally_settings
from tally.privacy.policy import Policy
from tally.site.dictionary import display_cell, row_status
from tally.site.discovery.outputs import SocialCard, card_lines, render_card, site_address
from tally.site.pages import DatasetPage, package_digest, period_key, period_text
from tally.site.text import absolute_url

VIEWS_FOLDER = "views"  # /datasets/<slug>/views/<dimension>/<value>/
INDEX_FILE = "index.json"  # /datasets/<slug>/views/index.json: what explore.js reads to share a series' address
STATUS_WORDS = {"P": "provisional", "R": "revised"}
SLUG_CHARACTERS = r"[^-a-z0-9_]+"  # python-slugify's pattern, keeping "_" so age_band stays the query's name
SLUG_LENGTH = 80


def path_slug(text, fallback: str) -> str:
    """A value as one safe path segment: lower-case letters, digits, "-" and "_" ("../../x" -> "x")."""
    return slugify(str(text), regex_pattern=SLUG_CHARACTERS, max_length=SLUG_LENGTH) or fallback


@dataclass(frozen=True)
class SeriesFigure:
    """One series' figure at one period, as the page and the card write it."""

    label: str  # the measure's title: "Children identified"
    period: str  # "2024-Q2"
    text: str  # "45", "72.0%", or "S" / "n/a" for an empty cell
    code: str = ""  # "S", "N", "P", "R" or ""

    @property
    def hidden(self) -> bool:
        return self.code in ("S", "N")

    @property
    def status(self) -> str:
        """"provisional", "revised", "suppressed to protect privacy", "not available" or ""."""
        if self.code in STATUS_WORDS:
            return STATUS_WORDS[self.code]
        return CODES[self.code].meaning if self.code == SUPPRESSED else "not available" if self.code else ""

    @property
    def words(self) -> str:
        """The figure in a sentence: "45 (provisional)", "Suppressed to protect privacy"."""
        if self.hidden:
            return self.status[:1].upper() + self.status[1:]
        return f"{self.text} ({self.status})" if self.status else self.text


@dataclass
class SeriesPage:
    """One series of one dataset: its page, its card and the view it stands for."""

    dataset_page: DatasetPage
    field_name: str  # the dimension's name, as in the query: age_band
    field_title: str  # "Age band"
    value: str  # the level as the data writes it: "12-14"
    dimension_slug: str  # the path segment of the dimension
    slug: str  # the path segment of the value
    scope: list[str] = field(default_factory=list)  # the levels the figure is read at: ["All areas"]
    latest: SeriesFigure | None = None  # the series' newest period
    last_published: SeriesFigure | None = None  # the newest period with a published figure, when `latest` is hidden
    site_url: str = ""
    card: SocialCard | None = None

    @property
    def url(self) -> str:
        """datasets/<slug>/views/<dimension>/<value>/: each part checked by the one join's rules."""
        return safe_relative(self.dataset_page.url, VIEWS_FOLDER, self.dimension_slug, self.slug) + "/"

    @property
    def query(self) -> str:
        """The dataset page's query for this view, as explore.js writes it: age_band=12-14."""
        return urlencode({self.field_name: self.value})

    @property
    def explore_url(self) -> str:
        """The dataset page with this view in its address (site-relative)."""
        return f"{self.dataset_page.url}?{self.query}"

    @property
    def canonical_url(self) -> str:
        return absolute_url(self.site_url, self.explore_url)

    @property
    def absolute_url(self) -> str:
        return absolute_url(self.site_url, self.url)

    @property
    def title(self) -> str:
        return f"{self.dataset_page.title}: {self.field_title} {self.value}"

    @property
    def summary(self) -> str:
        """One sentence for meta descriptions and the card's text alternative."""
        if self.latest is None:
            return f"{self.title}: explore the figures of this series."
        scope = f" ({', '.join(self.scope)})" if self.scope else ""
        text = f"{self.latest.label}, {self.field_title.lower()} {self.value}{scope}, {self.latest.period}: {self.latest.words}."
        if self.last_published is not None:
            text += f" Last published figure: {self.last_published.words}, {self.last_published.period}."
        return text


def series_dimensions(page: DatasetPage) -> list[tuple[Resource, Field, dict]]:
    """Each dimension a chart of the page colours or splits by, once, with the first such chart's spec."""
    found, seen = [], set()
    for chart in page.charts:
        view = chart.view
        if view.spec_type != "tally":
            continue
        resource = page.dataset.resource(view.resource)
        for channel in ("color", "facet"):
            name = view.spec.get(channel)
            f = resource.field(name) if resource is not None and isinstance(name, str) else None
            if f is None or f.role != "dimension" or f.is_time or (resource.name, f.name) in seen:
                continue
            seen.add((resource.name, f.name))
            found.append((resource, f, view.spec))
    return found


def series_pages(page: DatasetPage, policy: Policy, site_url: str = "", cache: Cache | None = None) -> list[SeriesPage]:
    """A SeriesPage for every series a chart of a (current) dataset page draws.

    Cached by the dataset's files, its charts' specs and the threshold (with Tally's code, in
    `key`), like the page's other parts that read every row (issue 12): a rebuild reads no row for them.
    """
    found = series_dimensions(page)
    cache_key = None
    if cache is not None:
        cache_key = key("series pages", page.slug, page.url, page.dataset.descriptor, package_digest(page.dataset),
                        [(r.name, f.name, spec) for r, f, spec in found], policy.threshold)
        cached = cache.get_bytes(cache_key)
        if cached is not None:
            return [SeriesPage(dataset_page=page, site_url=site_url, **parts) for parts in pickle.loads(cached)]
    pages, used_dimensions = [], set()
    for resource, dimension, spec in found:
        dimension_slug = _unique(path_slug(dimension.name, "dimension"), used_dimensions)
        used: set[str] = set()
        figures = _figures(resource, dimension, spec, policy)
        for value in _values(resource, dimension, spec):
            scope, latest, last = figures.get(value, ([], None, None))
            pages.append(SeriesPage(dataset_page=page, field_name=dimension.name, field_title=dimension.title,
                                    value=str(value), dimension_slug=dimension_slug,
                                    slug=_unique(path_slug(value, "value"), used), scope=scope, latest=latest,
                                    last_published=last, site_url=site_url))
    if cache is not None:
        kept = ("field_name", "field_title", "value", "dimension_slug", "slug", "scope", "latest", "last_published")
        cache.put_bytes(cache_key, pickle.dumps([{k: getattr(p, k) for k in kept} for p in pages]))
    return pages


def _unique(slug: str, used: set[str]) -> str:
    """`slug`, or slug-2, slug-3... when two values slug alike ("12-14" and "12–14")."""
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate


def _values(resource: Resource, dimension: Field, spec: dict) -> list:
    """The series the chart draws: the dimension's levels in the table (the schema's order, then others as
    they come), or only those its filter keeps.

    A chart of a field with more levels than its colours can tell apart draws the few largest
    and the total (its filter lists them, foreign_views.trim_series): those get a page. A page
    and a card for each of 200 countries cost a card render each (issue 11 measured 939 cards,
    a third of a real-package build); a view of any other value shares the dataset page.
    """
    present = list(dict.fromkeys(row.get(dimension.name) for row in resource.rows))
    present = [v for v in present if v is not None and str(v) != ""]
    wanted = (spec.get("filter") or {}).get(dimension.name)
    if wanted is not None:
        kept = {str(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
        present = [v for v in present if str(v) in kept]
    declared = [v for v in dimension.levels if v in present]
    return declared + [v for v in present if v not in declared]


def _figures(resource: Resource, dimension: Field, spec: dict, policy: Policy) -> dict:
    """value -> (scope, latest figure, last published figure when the latest is hidden), in one pass over the rows.

    The figure is the chart's measure at the chart's filter, every other dimension at its
    total: exactly one published cell per period. A series with no such row (a dimension
    without a total, a filter of several values) gets no figure rather than a sum.
    """
    measure = resource.field(spec.get("y")) if isinstance(spec.get("y"), str) else None
    time = resource.time_field
    if measure is None or measure.role != "measure":
        return {}
    fixed: dict = {}
    for name, wanted in (spec.get("filter") or {}).items():
        if name == dimension.name:
            continue
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if len(wanted) != 1:
            return {}
        fixed[name] = wanted[0]
    for other in resource.fields_with_role("dimension"):
        if other is time or other.name == dimension.name or other.name in fixed:
            continue
        if other.total is None:
            return {}
        fixed[other.name] = other.total
    by_value: dict = {}
    for row in resource.rows:
        if all(row.get(n) == v for n, v in fixed.items()):
            by_value.setdefault(row.get(dimension.name), {}).setdefault(
                row.get(time.name) if time else None, []).append(row)
    scope = [str(v) for v in fixed.values()]
    found = {}
    for value, by_period in by_value.items():
        if any(len(group) != 1 for group in by_period.values()):
            continue
        ordered = sorted((p for p in by_period if p is not None), key=period_key) or [None]
        figures = [_figure(resource, measure, by_period[p][0], p, policy) for p in ordered]
        last = next((f for f in reversed(figures) if not f.hidden), None) if figures[-1].hidden else None
        found[value] = (scope, figures[-1], last)
    return found


def _figure(resource: Resource, measure: Field, row: dict, period, policy: Policy) -> SeriesFigure:
    """One cell, asked of the Policy: hidden -> S, a small count -> S (never its number), P/R kept."""
    value = row.get(measure.name)
    code = row.get(measure.annotation) if measure.annotation else None
    label, when = measure.title, period_text(period) if period is not None else ""
    if value is None:
        empty = code if code in CODES and CODES[code].empty else "N"
        return SeriesFigure(label, when, "S" if empty == SUPPRESSED else "n/a", empty)
    if measure.is_count and policy.is_small(value):
        # Validation refuses such a file; should one reach the build, the page says S, never the count.
        return SeriesFigure(label, when, "S", SUPPRESSED)
    text = display_cell(resource, measure.name, value, None)
    if measure.kind == "percentage" and measure.unit in ("", "%", "percent") and text[:1].isdigit():
        text += "%"
    return SeriesFigure(label, when, text, row_status(resource, measure.name, row))


# -- cards ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesCardText:
    """What a series' card says, laid out in lines (series_card.html places them)."""

    site_name: str
    sample: bool
    title_lines: list[str]
    series: str
    figure: str
    status: str
    label_lines: list[str]
    last_published: str
    source: str
    address: str
    legend: str


def series_card_text(series: SeriesPage, site) -> SeriesCardText:
    """The words of a series' card: title, the series, its latest figure marked P/R/S, source, address, S legend.

    A text card, without a chart: drawing a chart per series cost a render per value
    (issue 11 asked for a cheap card rather than a slow build).
    """
    page, latest = series.dataset_page, series.latest
    figure = status = ""
    label = ""
    if latest is not None:
        figure, status = latest.text, latest.status
        label = ", ".join([latest.label] + series.scope + [latest.period])
    last = series.last_published
    legend = ""
    if page.empty.suppressed or (latest is not None and latest.code == SUPPRESSED):
        legend = f"= suppressed to protect privacy (counts of 1 to {page.threshold - 1} are never published)"
    return SeriesCardText(
        site_name=card_lines(site.name, 38, 1)[0], sample=page.dataset.sample,
        title_lines=card_lines(page.dataset.title, 52, 2),
        series=card_lines(f"{series.field_title}: {series.value}", 60, 1)[0], figure=figure, status=status,
        label_lines=card_lines(label, 64, 2),
        last_published=card_lines(f"Last published: {last.words}, {last.period}", 70, 1)[0] if last else "",
        source=card_lines(site.publisher, 58, 1)[0], address=site_address(site), legend=legend)


def series_card(series: SeriesPage, site, template, cache: Cache | None) -> SocialCard:
    """The series' 1200 x 630 PNG, cached by what it draws, as the dataset cards are."""
    png, width, height = render_card(template.render(card=series_card_text(series, site)), cache)
    alt = f"{series.dataset_page.title}. {series.summary}"
    return SocialCard(path=f"{series.url}card.png", alt=alt, width=width, height=height, png=png)


# -- the generator's side -------------------------------------------------------------

def add_series_context(generator) -> None:
    """Every current dataset's series pages and cards, as `tally_series_pages` (slug -> list); writes nothing."""
    settings = tally_settings(generator.settings)
    site = generator.context["tally_discovery"].site
    cache = Cache(settings["TALLY_CACHE_PATH"], "cards")
    template = generator.get_template("series_card")
    found = {}
    for page in generator.context["tally_datasets"]:
        serieses = series_pages(page, Policy.of(page.dataset, settings), site.url, cache)
        for series in serieses:
            series.card = series_card(series, site, template, cache)
        found[page.slug] = serieses
    generator.context["tally_series_pages"] = found


def views_index(serieses: list[SeriesPage]) -> dict:
    """What explore.js reads: {field: {"title": ..., "values": {value: "views/<dimension>/<value>/"}}}."""
    index: dict = {}
    for series in serieses:
        entry = index.setdefault(series.field_name, {"title": series.field_title, "values": {}})
        entry["values"][series.value] = series.url[len(series.dataset_page.url):]
    return index


def series_file(output_path, series: SeriesPage, name: str) -> str:
    """The output path of one of a series' files, refused unless it lies in its dataset's views folder."""
    folder = safe_join(output_path, series.dataset_page.url, VIEWS_FOLDER)
    target = safe_join(folder, series.dimension_slug, series.slug, name)
    return target.relative_to(safe_join(output_path)).as_posix()


def write_series_pages(generator, writer):
    """Each series' page and card under /datasets/<slug>/views/, and the views/index.json explore.js reads."""
    for slug, serieses in generator.context.get("tally_series_pages", {}).items():
        for series in serieses:
            generator.write_page(series_file(generator.output_path, series, "index.html"), "series",
                                 series_page=series, page_name=series.url)
            generator.write_bytes(series_file(generator.output_path, series, "card.png"), series.card.png)
        if serieses:
            index = json.dumps(views_index(serieses), ensure_ascii=False, sort_keys=True, indent=1)
            generator.write_bytes(f"{serieses[0].dataset_page.url}{VIEWS_FOLDER}/{INDEX_FILE}",
                                  (index + "\n").encode("utf-8"))


__all__ = ["SeriesFigure", "SeriesPage", "add_series_context", "series_pages", "write_series_pages"]
