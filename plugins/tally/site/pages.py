"""What each page shows, as plain objects the templates read (no Pelican here).

A `DatasetPage` gathers everything a dataset page needs: a one-sentence summary,
the latest key figures with their changes, charts with their tables and files,
what you should know, the citation, the dictionary, a preview and the downloads.
Building it renders the charts (cached), so the Pelican generator only has to write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape

from tally.core import periods
from tally.core.cache import Cache, key
from tally.core.dataset import Dataset, Field, Resource, View
from tally.core.releases import changelog_entries
from tally.core.settings import THRESHOLD_FLOOR
from tally.privacy.policy import Policy
from tally.site import charts
from tally.site.annual import AnnualView, annual_views
from tally.site.citation import Citation, cite, version_path
from tally.site.dictionary import (
    DictionaryEntry,
    EmptyCells,
    StatusCells,
    dictionary,
    display_cell,
    empty_cells,
    row_cell,
    row_status,
    status_cells,
    status_text,
    suppression_text,
)
from tally.site.downloads import Download, cached_downloads, file_digest, versioned_name
from tally.site.foreign_views import table_rows
from tally.site.glossary import link_terms
from tally.site.text import absolute_url, first_sentence, human_size, inline_markdown_html, markdown_html

__all__ = ["Chart", "DatasetPage", "DictionaryEntry", "KeyFigure", "build_dataset_page", "display_cell"]
MAX_KEY_FIGURES = 4  # more than this does not fit above the fold on a phone
ADDITIVE_KINDS = ("count", "quantity")  # measures that may be summed across a category's levels
EMBED_CHART_WIDTH = 576  # the chart column of the embed page (36rem), in CSS pixels
EMBED_EXTRA_HEIGHT = 230  # room in an embed's iframe for the title, the table toggle, the source and sharing
EMBED_LINE, EMBED_LINE_CHARS = 24, 45  # one line of caption on a phone: its height and about how many characters fit


@dataclass
class Chart:
    view: View
    title: str
    description: str  # the text alternative: the SVG's accessible name and the caption
    svg: str
    spec_json: str
    note: str  # "3 values suppressed to protect privacy: …", or ""
    columns: list[str]
    rows: list[list[str]]  # exactly the chart's data, as shown in "Show as table"
    slug: str = ""  # the view's name as it appears in URLs
    dataset_slug: str = ""
    base: str = ""  # the page the chart belongs to: datasets/<slug>/, or an archived release's datasets/<slug>/v<version>/
    empty: EmptyCells = field(default_factory=EmptyCells)
    status: StatusCells = field(default_factory=StatusCells)
    png: bytes = b""
    file_svg: bytes = b""

    @property
    def markers(self) -> list[tuple[str, str]]:
        """The chart's key: each marker it draws and what it means, e.g. ("S", "suppressed to protect privacy")."""
        found = [("S", "suppressed to protect privacy", self.empty.suppressed),
                 ("n/a", "not available", self.empty.not_available),
                 ("P", "provisional: may be revised", self.status.provisional),
                 ("R", "revised since the previous release", self.status.revised)]
        return [(mark, meaning) for mark, meaning, count in found if count]

    @property
    def page_url(self) -> str:
        return self.base or f"datasets/{self.dataset_slug}/"

    @property
    def url(self) -> str:
        """The chart's own page, to embed in an iframe: datasets/<slug>/charts/<view>/."""
        return f"{self.page_url}charts/{self.slug}/"

    @property
    def spec_path(self) -> str:
        """The Vega-Lite spec, fetched by the enhancement script after load."""
        return f"{self.page_url}charts/{self.slug}.vl.json"

    @property
    def png_path(self) -> str:
        return f"{self.page_url}charts/{self.slug}.png"

    @property
    def svg_path(self) -> str:
        return f"{self.page_url}charts/{self.slug}.svg"

    @property
    def png_size(self) -> str:
        return human_size(len(self.png))

    @property
    def svg_size(self) -> str:
        return human_size(len(self.file_svg))

    @property
    def png_pixels(self) -> tuple[int, int]:
        """The PNG's width and height, read from its header (Open Graph cards state them)."""
        if self.png[:8] != b"\x89PNG\r\n\x1a\n":
            return (0, 0)
        return int.from_bytes(self.png[16:20], "big"), int.from_bytes(self.png[20:24], "big")

    @property
    def file_stem(self) -> str:
        """The name a downloaded chart file gets: <dataset>-<view>."""
        return f"{self.dataset_slug}-{self.slug}"


@dataclass
class Change:
    since: str  # the earlier period: "2024-Q1"
    words: str  # "up 12 (6%)"
    direction: str  # "up", "down", "same"
    label: str = ""  # "previous quarter", "same quarter a year earlier"
    status: str = ""  # "provisional" (or "revised") when either end of the comparison is provisional or revised


@dataclass
class KeyFigure:
    label: str
    value: str
    period: str
    scope: str = ""  # "all ages, all areas", or "sum of 6 departments"
    changes: list[Change] = field(default_factory=list)
    note: str = ""  # why a comparison is missing
    suffix: str = ""  # "%" after a percentage
    status: str = ""  # "Provisional" or "Revised" (code P or R), shown beside the value


@dataclass
class ReleaseLink:
    """A changelog entry as the dataset page lists it, linking its archived release."""

    version: str
    date: str
    kind: str  # release, revision, correction
    note: str
    url: str  # datasets/<slug>/v<version>/


@dataclass
class DatasetPage:
    dataset: Dataset
    url: str
    summary_html: object  # for lists of datasets (home, catalog)
    lede_html: object  # the same sentence on the dataset page, its glossary terms linked
    description_html: object
    notes_html: list
    charts: list[Chart]
    dictionary: dict[str, list[DictionaryEntry]]  # resource name -> entries
    previews: dict[str, tuple[list[str], list[list[str]]]]  # resource name -> (headers, rows)
    downloads: list[Download]
    key_figures: list[KeyFigure] = field(default_factory=list)
    suppressed_cells: int = 0
    empty: EmptyCells = field(default_factory=EmptyCells)
    suppression_html: object = ""
    status: StatusCells = field(default_factory=StatusCells)
    status_html: object = ""
    citation: Citation | None = None
    releases: list[ReleaseLink] = field(default_factory=list)
    threshold: int = THRESHOLD_FLOOR
    archived: bool = False  # an archived release's page: its downloads are saved as <dataset>-<version>.<ext>
    latest_period: str = ""  # the newest period in the data: "2024-Q2"
    related: list = field(default_factory=list)  # "More on this topic": other DatasetPages, set by link_related
    stale_since: str = ""  # set by mark_stale when no new period came when the frequency said one would
    annual: list[AnnualView] = field(default_factory=list)  # calendar-year totals of a quarterly dataset

    @property
    def slug(self) -> str:
        return self.dataset.slug

    @property
    def title(self) -> str:
        return self.dataset.title

    @property
    def license(self) -> dict:
        return self.dataset.licenses[0] if self.dataset.licenses else {}

    @property
    def revisions(self) -> list[ReleaseLink]:
        """Releases that changed published figures (revisions and corrections), newest first."""
        return [r for r in self.releases if r.kind in ("revision", "correction")]

    @property
    def version_url(self) -> str:
        return version_path(self.dataset)

    def saved_name(self, download: Download) -> str:
        """The name a download is saved under: its own on the dataset page; <dataset>-<version>.<ext> in an archive."""
        if not self.archived:
            return download.filename
        stem, _, ext = download.filename.rpartition(".")
        if download.label == "Data package":
            return f"{versioned_name(self.dataset)}-datapackage.json"
        if download.label == "ZIP" or len(self.dataset.tabular_resources) == 1:
            return f"{versioned_name(self.dataset)}.{ext}"
        return f"{versioned_name(self.dataset, stem)}.{ext}"

    @property
    def bundle(self) -> Download | None:
        """The ZIP of every file: the one "Download" a hurried reader wants."""
        return next((d for d in self.downloads if d.label == "ZIP"), None)

    @property
    def main_download(self) -> Download | None:
        """The file the "Download" button fetches: the CSV of a one-table dataset, else the ZIP."""
        tables = self.dataset.tabular_resources
        if len(tables) == 1:
            return next((d for d in self.downloads if d.label == "CSV"), self.bundle)
        return self.bundle

    @property
    def sources(self) -> list[dict]:
        return self.dataset.sources


@dataclass
class ChartPage:
    """A chart's own page, to embed: the chart, its dataset page, and the iframe snippet."""

    chart: Chart
    dataset_page: "DatasetPage"
    absolute_url: str

    @property
    def image_url(self) -> str:
        """The chart's PNG as an absolute URL, for the Open Graph and Twitter cards of its page."""
        return self.absolute_url[:-len(self.chart.url)] + self.chart.png_path

    @property
    def snippet(self) -> str:
        """The iframe code a reader copies; tall enough for the chart, its caption and source."""
        box = re.search(r'<svg[^>]*\sviewBox="0 0 ([\d.]+) ([\d.]+)"', self.chart.svg)
        # The chart scales to the page's 576-pixel column; the words below it take their lines.
        drawn = float(box.group(2)) * EMBED_CHART_WIDTH / float(box.group(1)) if box else 400
        words = EMBED_LINE * (-(-len(self.chart.description + self.chart.note) // EMBED_LINE_CHARS))
        height = int(drawn) + words + EMBED_EXTRA_HEIGHT
        title = html.escape(f"{self.chart.title} ({self.dataset_page.title})", quote=True)
        return (f'<iframe src="{html.escape(self.absolute_url, quote=True)}" title="{title}" width="100%" '
                f'height="{height}" style="border:0;max-width:100%" loading="lazy"></iframe>')


def chart_pages(page: "DatasetPage", site_url: str) -> list[ChartPage]:
    """One embeddable page per chart of a dataset page."""
    return [ChartPage(chart=c, dataset_page=page, absolute_url=absolute_url(site_url, c.url)) for c in page.charts]


def build_dataset_page(dataset: Dataset, settings: dict, cache: Cache | None = None, url: str = "",
                       site: dict | None = None) -> DatasetPage:
    """Gather everything the dataset page shows (at `url`: an archived release's page shows its version).

    `site` (slug -> Dataset) holds the datasets a count's rates may divide by.
    """
    url = url or f"datasets/{dataset.slug}/"
    policy = Policy.of(dataset, settings)
    citation = cite(dataset, settings["TALLY_PUBLISHER"], settings["TALLY_SITE_URL"])
    empty, status, previews, figures, annual, latest = row_parts(dataset, settings, policy, site, cache)
    drawn = chart_sources(dataset, settings, policy, cache)
    sources = {id(view): source for source, view in drawn}
    names = _chart_slugs([view for _, view in drawn])
    # Glossary terms are linked at their first use on the page, in the order the page shows them.
    seen: set[str] = set()
    siteurl = str(settings.get("SITEURL") or "")
    return DatasetPage(
        dataset=dataset,
        url=url,
        summary_html=inline_markdown_html(first_sentence(dataset.summary)),
        lede_html=link_terms(inline_markdown_html(first_sentence(dataset.summary)), seen, siteurl),
        notes_html=[link_terms(inline_markdown_html(n), seen, siteurl) for n in dataset.notes],
        suppression_html=link_terms(escape(suppression_text(empty, policy)), seen, siteurl),
        status_html=link_terms(escape(status_text(status)), seen, siteurl),
        description_html=link_terms(markdown_html(dataset.description), seen, siteurl),
        charts=[build_chart(sources[id(view)], view, cache, slug=slug, publisher=settings["TALLY_PUBLISHER"], policy=policy,
                            base=url) for view, slug in names],
        dictionary={r.name: dictionary(r) for r in dataset.tabular_resources},
        previews=previews,
        downloads=cached_downloads(dataset, citation, policy, cache),
        key_figures=figures,
        suppressed_cells=empty.suppressed,
        empty=empty,
        status=status,
        citation=citation,
        releases=releases(dataset),
        threshold=policy.threshold,
        latest_period=latest,
        annual=annual,
    )


def row_parts(dataset: Dataset, settings: dict, policy: Policy, site: dict | None, cache: Cache | None) -> tuple:
    """The parts of a page that read every row: (empty cells, status cells, previews, key figures, year totals,
    latest period).

    Cached by the dataset's files, the datasets its rates divide by, the Tally settings and
    Tally's code (in `key`): on a rebuild an unchanged dataset's rows are not read again for them.
    """
    def compute():
        return (sum((empty_cells(r) for r in dataset.tabular_resources), start=EmptyCells()),
                sum((status_cells(r) for r in dataset.tabular_resources), start=StatusCells()),
                {r.name: preview(r, settings["TALLY_PREVIEW_ROWS"]) for r in dataset.tabular_resources},
                key_figures(dataset),
                annual_views(dataset, policy, site),
                latest_period(dataset))

    if cache is None:
        return compute()
    named = sorted({f.get("tally:denominator", {}).get("dataset", "") for r in dataset.tabular_resources
                    for f in r.fields if isinstance(f.get("tally:denominator"), dict)})
    divisors = [(slug, package_digest(site[slug])) for slug in named if site and slug in site]
    tally = {k: v for k, v in settings.items() if k.startswith("TALLY_") and k != "TALLY_PROGRESS"}
    cache_key = key("row parts", dataset.slug, dataset.descriptor, package_digest(dataset), divisors, tally,
                    policy.threshold)
    cached = cache.get_bytes(cache_key)
    if cached is not None:
        return pickle.loads(cached)
    parts = compute()
    cache.put_bytes(cache_key, pickle.dumps(parts))
    return parts


def chart_sources(dataset: Dataset, settings: dict, policy: Policy, cache: Cache | None) -> list[tuple[Dataset, View]]:
    """charts.chart_sources, whose views are cached when every chart is drawn from the package itself.

    Choosing the views reads the rows (which series are the largest, which periods are
    written as text): on a rebuild an unchanged dataset's rows are not read again for it.
    The key is what the choice reads: the package's files, the Tally settings, the Policy and
    Tally's code (in `key`). A chart drawn from a table the choice made (counted codes, a map's
    features) is not cached: that table is made again each build.
    """
    profile = settings.get("TALLY_PROFILE", "sensitive")
    if cache is None:
        return charts.chart_sources(dataset, profile, policy, settings)
    tally = {k: v for k, v in settings.items() if k.startswith("TALLY_") and k != "TALLY_PROGRESS"}
    cache_key = key("chart sources", dataset.slug, dataset.descriptor, package_digest(dataset), tally,
                    policy.threshold)
    cached = cache.get_bytes(cache_key)
    if cached is not None:
        return [(dataset, view) for view in pickle.loads(cached)]
    drawn = charts.chart_sources(dataset, profile, policy, settings)
    if all(source is dataset for source, _ in drawn):
        cache.put_bytes(cache_key, pickle.dumps([view for _, view in drawn]))
    return drawn


def _chart_slugs(views: list[View]) -> list[tuple[View, str]]:
    """Each view with a unique, URL-safe name."""
    seen: set[str] = set()
    out = []
    for view in views:
        base = re.sub(r"[^a-z0-9]+", "-", view.name.lower()).strip("-") or "chart"
        slug, n = base, 2
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        seen.add(slug)
        out.append((view, slug))
    return out


def build_chart(dataset: Dataset, view: View, cache: Cache | None, slug: str | None = None,
                publisher: str = "", policy: Policy | None = None, base: str = "") -> Chart:
    """One chart of a dataset page, cached whole by what it is drawn from (issue 12).

    Building the Vega-Lite spec with Altair cost more than drawing it once the SVG was
    cached, on every build: the key is the dataset (its folder name, descriptor and files), the view, its
    slug and credit, and Tally's code (in `key`), so nothing it depends on can go stale.
    The cache is the builder's own folder, so its pickles come from this code.
    """
    if cache is None:
        return draw_chart(dataset, view, None, slug, publisher, policy, base)
    cache_key = key("chart", dataset.slug, dataset.descriptor, package_digest(dataset), view.name, view.spec, slug,
                    publisher, policy.threshold if policy else None, base)
    cached = cache.get_bytes(cache_key)
    if cached is not None:
        return pickle.loads(cached)
    chart = draw_chart(dataset, view, cache, slug, publisher, policy, base)
    cache.put_bytes(cache_key, pickle.dumps(chart))
    return chart


def package_digest(dataset: Dataset) -> str:
    """A hash of the files a dataset's pages are made from: its resources' files and descriptor."""
    digest = hashlib.sha256(dataset.descriptor_file.read_bytes())
    for resource in dataset.resources:
        if resource.file is not None and Path(resource.file).is_file():
            digest.update(file_digest(resource.file).encode())  # read in pieces: a table may be large
    return digest.hexdigest()


def draw_chart(dataset: Dataset, view: View, cache: Cache | None, slug: str | None = None,
               publisher: str = "", policy: Policy | None = None, base: str = "") -> Chart:
    """Describe, compile and draw one chart (its SVG and PNG are cached by spec in `charts`)."""
    description = charts.describe(dataset, view, policy)
    spec = charts.vega_lite_spec(dataset, view, description)
    empty = charts.chart_empty_cells(dataset, view)
    status = charts.chart_status_cells(dataset, view)
    resource = dataset.resource(view.resource)
    rows = charts.chart_rows(dataset, view)
    names = charts.drawn_fields(view) if view.spec_type == "tally" else list(rows[0].keys()) if rows else []
    credit = [f"Source: {publisher or dataset.title}" + (f", version {dataset.version}" if dataset.version else "")]
    if dataset.sample:
        credit.insert(0, "Illustrative sample data")
    exported = charts.export_spec(spec, view.title, credit)
    with charts.drawing(dataset, view):  # a renderer failure names the dataset and view
        return Chart(
            view=view,
            title=view.title,
            description=description,
            svg=charts.render_svg(spec, description, cache),
            spec_json=charts.spec_json(spec),
            note=charts.chart_note(empty, view.spec.get("mark", ""), status) if view.spec_type == "tally" else "",
            columns=[(resource.field(n).title if resource.field(n) else n) for n in names],
            rows=[[row_cell(resource, n, row, status=True) if resource.field(n) else str(row.get(n, "")) for n in names]
                  for row in table_rows(resource, view, rows)],
            slug=slug or view.name,
            dataset_slug=dataset.slug,
            base=base,
            empty=empty,
            status=status,
            png=charts.render_png(exported, cache),
            file_svg=charts.render_file_svg(exported, view.title, description, cache),
        )


def preview(resource: Resource, limit: int) -> tuple[list[str], list[list[str]]]:
    """The first `limit` rows, with empty measures explained by their annotation."""
    headers = [f.title for f in resource.fields]
    rows = [[row_cell(resource, f.name, row, status=True) for f in resource.fields] for row in resource.rows[:limit]]
    return headers, rows


def suppressed_cells(resource: Resource) -> int:
    """How many measure cells carry the suppressed code."""
    return empty_cells(resource).suppressed


def releases(dataset: Dataset) -> list[ReleaseLink]:
    """The changelog, newest first, each entry pointing at its archived release."""
    return [ReleaseLink(version=e.version, date=e.date, kind=e.kind, note=e.note,
                        url=f"datasets/{dataset.slug}/v{e.version}/")
            for e in reversed(changelog_entries(dataset.descriptor))]


MAX_RELATED = 4


def link_related(pages: list["DatasetPage"]) -> None:
    """Fill each page's "More on this topic": datasets of the same topic first, then those sharing keywords."""
    for page in pages:
        keywords = {str(k).lower() for k in page.dataset.keywords}
        scored = []
        for other in pages:
            if other is page:
                continue
            same_topic = bool(page.dataset.topic) and other.dataset.topic == page.dataset.topic
            shared = len(keywords & {str(k).lower() for k in other.dataset.keywords})
            if same_topic or shared:
                scored.append((-int(same_topic), -shared, other.title.lower(), other))
        page.related = [entry[-1] for entry in sorted(scored, key=lambda e: e[:3])[:MAX_RELATED]]


# -- staleness -----------------------------------------------------------------------

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
PRECISION_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def latest_period(dataset: Dataset) -> str:
    """The newest period in the dataset's tables ("" when they have no period dimension)."""
    found = []
    for resource in dataset.tabular_resources:
        time = resource.time_field
        if time is not None:
            found += [period_text(p) for p in {r.get(time.name) for r in resource.rows} if p is not None]
    return max(found, default="")


def period_end(period: str) -> dt.date | None:
    """The last day of a period written 2024-Q2, 2024-07, 2024 or 2024-07-15; None if unreadable."""
    for precision, pattern in periods.CANONICAL.items():
        if pattern.match(period):
            first = periods.index(period, precision) + 1  # the next period's index
            if precision == "year":
                return dt.date(first, 1, 1) - dt.timedelta(days=1)
            months = first * (3 if precision == "quarter" else 1)
            return dt.date(months // 12, months % 12 + 1, 1) - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(period[:10])
    except ValueError:
        return None


def mark_stale(pages: list["DatasetPage"]) -> None:
    """Label each dataset whose newest period is older than its frequency allows (issue 11).

    "Now" is the newest `tally:updated` date on the site, not the clock, so a build
    stays reproducible. A dataset is stale when that date is past the end of its latest
    period plus two periods (one for the next period to end, one to publish it).
    """
    now = max((p.dataset.updated for p in pages if re.match(r"^\d{4}-\d{2}-\d{2}$", p.dataset.updated or "")),
              default="")
    if not now:
        return
    today = dt.date.fromisoformat(now)
    for page in pages:
        months = FREQUENCY_MONTHS.get(page.dataset.frequency)
        end = period_end(page.latest_period) if page.latest_period else None
        if months is None or end is None:
            continue
        due = end + dt.timedelta(days=round(2 * months * 30.44))
        if today > due:
            page.stale_since = page.latest_period


# -- key figures --------------------------------------------------------------------

def key_figures(dataset: Dataset) -> list[KeyFigure]:
    """The latest period's headline figures, one per measure (counts first), with their changes.

    A figure is a published total (the row at every other dimension's `tally:total`),
    or, for a count across a dimension without a total level, the sum of that
    period's published cells when none of them is empty (a sum of published
    figures reveals nothing new). No figure is invented where a cell is hidden.
    """
    for resource in dataset.tabular_resources:
        time = resource.time_field
        if time is None:
            continue
        figures = _resource_figures(resource, time)
        if figures:
            return figures[:MAX_KEY_FIGURES]
    return []


def _resource_figures(resource: Resource, time: Field) -> list[KeyFigure]:
    others = [f for f in resource.fields_with_role("dimension") if f is not time]
    summed = [f for f in others if f.total is None]
    def kept(row) -> bool:
        return row.get(time.name) is not None and not any(
            row.get(f.name) != f.total for f in others if f.total is not None)

    # The periods first, then only the rows of the periods a figure compares: keeping every
    # row of a table without totals held a million-row table once more (issue 12).
    ordered = sorted({row[time.name] for row in resource.rows if kept(row)}, key=period_key)
    if not ordered:
        return []
    latest = ordered[-1]
    wanted = {latest} | {period for _, period in _comparisons(latest, ordered, time) if period is not None}
    rows_by_period: dict = {period: [] for period in ordered}
    for row in resource.rows:
        if row.get(time.name) in wanted and kept(row):
            rows_by_period[row[time.name]].append(row)
    measures = sorted(resource.fields_with_role("measure"), key=lambda f: not f.is_count)
    scope = ", ".join(str(f.total) for f in others if f.total is not None)
    if summed:
        scope = ", ".join([s for s in (scope,) if s] + [f"sum across every {f.title.lower()}" for f in summed])
    figures = []
    for measure in measures:
        if summed and measure.kind not in ADDITIVE_KINDS:
            continue  # rates and means of a category cannot be added up
        value = _figure(resource, measure, rows_by_period[latest], summed)
        if value is None:
            continue
        shown, number, code = value
        figure = KeyFigure(label=measure.title, value=shown, period=period_text(latest), scope=scope,
                           suffix="%" if measure.kind == "percentage" and measure.unit in ("", "%", "percent") else "",
                           status=STATUS_WORDS.get(code, ""))
        if number is not None:
            for label, period in _comparisons(latest, ordered, time):
                earlier = _figure(resource, measure, rows_by_period.get(period, []), summed) if period else None
                if earlier and earlier[1] is not None:
                    words = charts.change_words(earlier[1], number, measure)
                    direction = "same" if words == "no change" else words.split()[0]
                    codes = {code, earlier[2]} - {""}
                    figure.changes.append(Change(since=period_text(period), words=words, direction=direction,
                                                 label=label, status=_change_status(codes)))
                elif period in rows_by_period:
                    figure.note += f"The {label} ({period_text(period)}) is not published. "
        figures.append(figure)
    return figures


STATUS_WORDS = {"P": "Provisional", "R": "Revised"}


def _change_status(codes: set) -> str:
    """What a change line says when one of its two figures is provisional or revised."""
    if "P" in codes:
        return "provisional"
    return "revised" if "R" in codes else ""


def _figure(resource: Resource, measure: Field, rows: list[dict], summed: list[Field]):
    """(shown text, number or None, "P"/"R"/"") for one measure over a period's rows; None when there is nothing."""
    if not rows:
        return None
    if not summed:
        row = rows[0]
        value = row.get(measure.name)
        return (row_cell(resource, measure.name, row), charts.json_value(value) if value is not None else None,
                row_status(resource, measure.name, row))
    if any(r.get(measure.name) is None for r in rows):
        return None  # a hidden or missing cell: no honest total
    total = sum(r[measure.name] for r in rows)
    codes = {row_status(resource, measure.name, r) for r in rows}
    code = "P" if "P" in codes else "R" if "R" in codes else ""
    return display_cell(resource, measure.name, total, None), total, code


def period_key(value):
    """How periods sort: dates and numbers in order, then text (2024-Q1 before 2024-Q2)."""
    return (0, value) if isinstance(value, (dt.date, int, float)) else (1, str(value))


def period_text(value) -> str:
    """A period as a page writes it: 2024-Q2, 2024, 2024-07-15."""
    return str(charts.json_value(value))


def _comparisons(latest, ordered: list, time: Field) -> list[tuple[str, object]]:
    """("previous period", period) and ("same period a year earlier", period), when they exist."""
    found = []
    precision = time.period or ("year" if time.type in ("year", "integer") else None)
    if precision in periods.CANONICAL and periods.CANONICAL[precision].match(str(latest)):
        number = periods.index(str(latest), precision)
        found.append(("previous " + {"quarter": "quarter", "month": "month", "year": "year"}[precision],
                      _find(ordered, periods.from_index(number - 1, precision))))
        step = {"quarter": 4, "month": 12}.get(precision)
        if step:
            found.append(("same " + precision + " a year earlier",
                          _find(ordered, periods.from_index(number - step, precision))))
        return found
    if isinstance(latest, dt.date):
        before = [p for p in ordered if p < latest]
        found.append(("previous period", before[-1] if before else None))
        try:
            year_ago = latest.replace(year=latest.year - 1)
        except ValueError:
            year_ago = None
        if year_ago is not None and year_ago in ordered and (not before or year_ago != before[-1]):
            found.append(("same date a year earlier", year_ago))
    return found


def _find(ordered: list, text: str):
    """The period in the data written as `text` (periods may be ints for years)."""
    return next((p for p in ordered if str(p) == text), None)
