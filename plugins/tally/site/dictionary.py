"""What a table's columns mean and how its empty cells read, for pages, spreadsheets and README files.

One place turns a Table Schema into the data dictionary and an empty measure
cell into "Suppressed" or "Not available", so the page, the XLSX notes sheet and
the ZIP's README.txt say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tally.core.annotations import CODES, SUPPRESSED, cell_label
from tally.core.dataset import Field, Resource
from tally.privacy.policy import Policy
from tally.site.text import format_value


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
    if f.total:
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


def display_cell(resource: Resource, name: str, value, annotation_code) -> str:
    """A cell as a table shows it: formatted, or the reason it is empty."""
    f = resource.field(name)
    if value is None and f is not None and f.role == "measure":
        return cell_label(value, annotation_code) or "Not available"
    return format_value(value)


def row_cell(resource: Resource, name: str, row: dict) -> str:
    """`display_cell` for one field of a typed row, reading the field's own annotation."""
    f = resource.field(name)
    code = row.get(f.annotation) if f is not None and f.annotation else None
    return display_cell(resource, name, row.get(name), code)


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
