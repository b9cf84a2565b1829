"""What a table's columns mean and how its empty cells read, for pages, spreadsheets and README files.

One place turns a Table Schema into the data dictionary and an empty measure
cell into "Suppressed" or "Not available", so the page, the XLSX notes sheet and
the ZIP's README.txt say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tally.core.annotations import CODES, SUPPRESSED, cell_label
from tally.core.codelists import codelist_of
from tally.core.dataset import Field, Resource
from tally.privacy.policy import Policy
from tally.site.text import format_value, json_value

STATUS_CODES = ("P", "R")  # codes of a published value that is provisional or revised


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


def dictionary(resource: Resource) -> list[DictionaryEntry]:
    """One entry per field, from the Table Schema."""
    schema = resource.descriptor.get("schema")
    missing = schema.get("missingValues", [""]) if isinstance(schema, dict) else [""]
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
    code_list = codelist_of(f) if f.role == "dimension" else None
    if code_list is not None:
        # The shared code list says how its levels add up (issue 10): say it in the dictionary too.
        parts.append(f'levels from the shared list "{code_list.title}"')
        for level in f.levels:
            members = code_list.expand(level, set(f.levels))
            if members:
                parts.append(f'"{level}" is the sum of ' + ", ".join(members))
    elif f.total:
        parts.append(f'"{f.total}" is the total of the other values')
    return "; ".join(parts)


def _missing_text(f: Field, resource: Resource, missing_values: list) -> str:
    if f.role == "measure" and f.annotation:
        codes = resource.field(f.annotation).levels if resource.field(f.annotation) else []
        meanings = [f"{c}: {CODES[c].meaning}" for c in codes if c in CODES and CODES[c].empty]
        return f"empty when {f.annotation} says why (" + "; ".join(meanings) + ")" if meanings else ""
    if f.role == "annotation":
        return "empty: the value is published as it stands"
    shown = [repr(v) if v == "" else str(v) for v in missing_values]
    return "empty cells (" + ", ".join(shown) + ") mean no value" if shown else ""


def display_cell(resource: Resource, name: str, value, annotation_code, status: bool = False) -> str:
    """A cell as a table shows it: formatted, or the reason it is empty.

    With `status`, a provisional or revised value says so beside it: "18 (provisional)".
    """
    f = resource.field(name)
    if value is None and f is not None and f.role == "measure":
        return cell_label(value, annotation_code) or "Not available"
    if value is not None and f is not None and f.is_time:
        return str(json_value(value))  # a period is a label: 1960, never "1,960"
    if status and f is not None and f.role == "measure" and annotation_code in STATUS_CODES:
        return f"{format_value(value)} ({CODES[annotation_code].label.lower()})"
    return format_value(value)


def row_cell(resource: Resource, name: str, row: dict, status: bool = False) -> str:
    """`display_cell` for one field of a typed row, reading the field's own annotation."""
    f = resource.field(name)
    code = row.get(f.annotation) if f is not None and f.annotation else None
    return display_cell(resource, name, row.get(name), code, status)


def row_status(resource: Resource, name: str, row: dict) -> str:
    """"P" or "R" when the row's value of measure `name` is provisional or revised, else ""."""
    f = resource.field(name)
    code = row.get(f.annotation) if f is not None and f.annotation else None
    return code if code in STATUS_CODES and row.get(name) is not None else ""


@dataclass(frozen=True)
class StatusCells:
    """How many published measure cells are provisional (P) and how many revised (R)."""

    provisional: int = 0
    revised: int = 0

    def __add__(self, other: "StatusCells") -> "StatusCells":
        return StatusCells(self.provisional + other.provisional, self.revised + other.revised)


def status_cells(resource: Resource, rows: list[dict] | None = None, names: list[str] | None = None) -> StatusCells:
    """Count provisional and revised values among a table's published measure cells."""
    found = {"P": 0, "R": 0}
    measures = [f for f in resource.fields_with_role("measure") if names is None or f.name in names]
    for row in resource.rows if rows is None else rows:
        for f in measures:
            code = row_status(resource, f.name, row)
            if code:
                found[code] += 1
    return StatusCells(found["P"], found["R"])


def status_text(cells: StatusCells, where: str = "in this dataset") -> str:
    """The note on provisional and revised figures in plain words, or "" when there are none."""
    sentences = []
    if cells.provisional:
        verb = "is" if cells.provisional == 1 else "are"
        sentences.append(f"{plural(cells.provisional, 'value')} {where} {verb} provisional (code P, marked "
                         "\"provisional\" and \"P\" on charts): " + ("it" if cells.provisional == 1 else "they")
                         + " may be revised in the next release.")
    if cells.revised:
        verb = "was" if cells.revised == 1 else "were"
        sentences.append(f"{plural(cells.revised, 'value')} {where} {verb} revised since the previous release "
                         "(code R, marked \"revised\" and \"R\" on charts).")
    return " ".join(sentences)


@dataclass(frozen=True)
class EmptyCells:
    """How many measure cells are empty, and why."""

    suppressed: int = 0
    not_available: int = 0

    def __add__(self, other: "EmptyCells") -> "EmptyCells":
        return EmptyCells(self.suppressed + other.suppressed, self.not_available + other.not_available)


def empty_cells(resource: Resource, rows: list[dict] | None = None, names: list[str] | None = None) -> EmptyCells:
    """Count empty measure cells: suppressed (code S) apart from not available (any other reason)."""
    suppressed = missing = 0
    measures = [f for f in resource.fields_with_role("measure") if names is None or f.name in names]
    for row in resource.rows if rows is None else rows:
        for f in measures:
            if row.get(f.name) is None:
                if f.annotation and row.get(f.annotation) == SUPPRESSED:
                    suppressed += 1
                else:
                    missing += 1
    return EmptyCells(suppressed, missing)


def plural(count: int, one: str, many: str | None = None) -> str:
    """"1 value", "3 values"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def suppression_text(cells: EmptyCells, policy: Policy, where: str = "in this dataset") -> str:
    """The suppression note in plain words, or "" when nothing is hidden or missing."""
    sentences = []
    if cells.suppressed:
        verb = "is" if cells.suppressed == 1 else "are"
        sentences.append(
            f"{plural(cells.suppressed, 'value')} {where} {verb} suppressed to protect the privacy of the "
            f"people counted: counts from 1 to {policy.threshold - 1} are never published, and some larger counts are hidden "
            "too so that the small ones cannot be worked out from totals. They are marked \"Suppressed\" "
            "(code S), never shown as zero.")
    if cells.not_available:
        verb = "is" if cells.not_available == 1 else "are"
        sentences.append(f"{plural(cells.not_available, 'value')} {where} {verb} not available "
                         "(no data was collected), marked \"Not available\".")
    return " ".join(sentences)
