"""What each page shows, as plain objects the templates read (no Pelican here).

A `DatasetPage` gathers everything a dataset page needs: summary, key figures,
charts with their tables, dictionary, preview, downloads. Building it renders the
charts (cached), so the Pelican generator only has to write.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import charts
from .annotations import CODES, cell_label
from .cache import Cache
from .downloads import Download, dataset_downloads
from .model import Dataset, Field, Resource, View
from .text import format_value, human_size, inline_markdown_html, markdown_html


@dataclass
class Chart:
    view: View
    title: str
    description: str
    svg: str
    spec_json: str
    note: str  # "3 values suppressed …", or ""
    columns: list[str]
    rows: list[list[str]]  # exactly the chart's data, as shown in "Show as table"


@dataclass
class DictionaryEntry:
    name: str
    title: str
    type: str
    role: str
    description: str
    unit: str
    constraints: str
    missing: str


@dataclass
class KeyFigure:
    label: str
    value: str
    period: str


@dataclass
class DatasetPage:
    dataset: Dataset
    url: str
    summary_html: object
    description_html: object
    notes_html: list
    charts: list[Chart]
    dictionary: dict[str, list[DictionaryEntry]]  # resource name -> entries
    previews: dict[str, tuple[list[str], list[list[str]]]]  # resource name -> (headers, rows)
    downloads: list[Download]
    key_figures: list[KeyFigure] = field(default_factory=list)
    suppressed_cells: int = 0

    @property
    def slug(self) -> str:
        return self.dataset.slug

    @property
    def title(self) -> str:
        return self.dataset.title

    @property
    def license(self) -> dict:
        return self.dataset.licenses[0] if self.dataset.licenses else {}


def build_dataset_page(dataset: Dataset, settings: dict, cache: Cache | None = None) -> DatasetPage:
    """Gather everything the dataset page shows."""
    return DatasetPage(
        dataset=dataset,
        url=f"datasets/{dataset.slug}/",
        summary_html=inline_markdown_html(dataset.summary),
        description_html=markdown_html(dataset.description),
        notes_html=[inline_markdown_html(n) for n in dataset.notes],
        charts=[build_chart(dataset, view, cache) for view in charts.chart_views(dataset)],
        dictionary={r.name: dictionary(r) for r in dataset.tabular_resources},
        previews={r.name: preview(r, settings["TALLY_PREVIEW_ROWS"]) for r in dataset.tabular_resources},
        downloads=dataset_downloads(dataset),
        key_figures=key_figures(dataset),
        suppressed_cells=sum(suppressed_cells(r) for r in dataset.tabular_resources),
    )


def build_chart(dataset: Dataset, view: View, cache: Cache | None) -> Chart:
    description = charts.describe(dataset, view)
    spec = charts.vega_lite_spec(dataset, view, description)
    hidden = charts.suppressed_count(dataset, view)
    resource = dataset.resource(view.resource)
    rows = charts.chart_rows(dataset, view)
    names = charts.drawn_fields(view) if view.spec_type == "tally" else list(rows[0].keys()) if rows else []
    y = resource.field(view.spec.get("y") or "")
    note_field = y.annotation if y is not None and y.annotation else None
    return Chart(
        view=view,
        title=view.title,
        description=description,
        svg=charts.render_svg(spec, description, cache),
        spec_json=charts.spec_json(spec),
        note=charts.suppression_note(hidden) if hidden else "",
        columns=[(resource.field(n).title if resource.field(n) else n) for n in names],
        rows=[[display_cell(resource, n, row.get(n), row.get(note_field) if note_field else None)
               for n in names] for row in rows],
    )


def dictionary(resource: Resource) -> list[DictionaryEntry]:
    """One entry per field, from the Table Schema."""
    missing = resource.descriptor.get("schema", {}).get("missingValues", [""]) if isinstance(
        resource.descriptor.get("schema"), dict) else [""]
    return [DictionaryEntry(
        name=f.name, title=f.title, type=f.type, role=_role_text(f), description=f.description,
        unit=f.unit, constraints=_constraints_text(f),
        missing=_missing_text(f, resource, missing)) for f in resource.fields]


def _role_text(f: Field) -> str:
    text = f.role
    if f.kind:
        text += f" ({f.kind})"
    if f.period:
        text += f" (period: {f.period})"
    return text


def _constraints_text(f: Field) -> str:
    parts = []
    constraints = f.constraints
    if f.levels:
        parts.append("one of: " + ", ".join(str(v) for v in f.levels))
    for name, label in (("minimum", "at least"), ("maximum", "at most"), ("pattern", "pattern"),
                        ("minLength", "min length"), ("maxLength", "max length")):
        if name in constraints:
            parts.append(f"{label} {constraints[name]}")
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if f.total:
        parts.append(f'"{f.total}" is the total of the other values')
    return "; ".join(parts)


def _missing_text(f: Field, resource: Resource, missing_values: list) -> str:
    if f.role == "measure" and f.annotation:
        codes = resource.field(f.annotation).levels if resource.field(f.annotation) else []
        meanings = [f"{c}: {CODES[c].meaning}" for c in codes if c in CODES and CODES[c].empty]
        return f'empty when {f.annotation} says why (' + "; ".join(meanings) + ")" if meanings else ""
    if f.role == "annotation":
        return "empty: the value is published as it stands"
    shown = [repr(v) if v == "" else str(v) for v in missing_values]
    return "empty cells (" + ", ".join(shown) + ") mean no value" if shown else ""


def display_cell(resource: Resource, name: str, value, annotation_code) -> str:
    """A cell as a table shows it: formatted, or the reason it is empty."""
    f = resource.field(name)
    if value is None and f is not None and f.role == "measure":
        return cell_label(value, annotation_code) or "Not available"
    return format_value(value)


def preview(resource: Resource, limit: int) -> tuple[list[str], list[list[str]]]:
    """The first `limit` rows, with empty measures explained by their annotation."""
    headers = [f.title for f in resource.fields]
    rows = []
    for row in resource.rows[:limit]:
        rows.append([display_cell(resource, f.name, row.get(f.name),
                                  row.get(f.annotation) if f.annotation else None) for f in resource.fields])
    return headers, rows


def suppressed_cells(resource: Resource) -> int:
    """How many measure cells carry the suppressed code."""
    count = 0
    for f in resource.fields_with_role("measure"):
        if f.annotation:
            count += sum(1 for row in resource.rows if row.get(f.name) is None and row.get(f.annotation) == "S")
    return count


def key_figures(dataset: Dataset) -> list[KeyFigure]:
    """The latest period's published totals, one per measure (count measures first)."""
    for resource in dataset.tabular_resources:
        time = resource.time_field
        if time is None:
            continue
        others = [f for f in resource.fields_with_role("dimension") if f is not time]
        if any(f.total is None for f in others):
            continue  # without a total level there is no single figure to show
        totals = [row for row in resource.rows
                  if all(row.get(f.name) == f.total for f in others) and row.get(time.name) is not None]
        if not totals:
            continue
        latest = max(totals, key=lambda r: str(r[time.name]))
        measures = sorted(resource.fields_with_role("measure"), key=lambda f: not f.is_count)
        return [KeyFigure(label=m.title, period=str(latest[time.name]),
                          value=display_cell(resource, m.name, latest.get(m.name),
                                             latest.get(m.annotation) if m.annotation else None))
                for m in measures]
    return []


def download_size(download: Download) -> str:
    return human_size(download.size)
