"""`publish.py suppress`: a raw table becomes the publishable file of one resource.

On the staff member's machine (DESIGN.md "Disclosure control" 6): the raw file
(CSV or a workbook, read by `sheets.py` through csvkit's agate readers) stays
outside the repository. For each count measure, `disclosure.suppress` hides
every count in 1..threshold-1 and then complementary cells until both audits
pass while it still knows which cells are the small ones, keeping the cells an
earlier release hid hidden and those it published published; annotation codes are
filled in and derived values of hidden counts are hidden too. The result is
then validated exactly as CI will validate it (every rule, linked with the
package's other resources and its earlier releases) in a staging copy of the
dataset; a file that fails is never written into the repository.

Raw counts live only in memory: the decisions say which cell was hidden and
why, never its value. Deterministic: the same raw table gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from tally.core.annotations import CODES, SUPPRESSED
from tally.core.errors import NotWritten, SuppressionError
from tally.core.paths import safe_join
from tally.core.report import Report
from tally.core.settings import THRESHOLD_FLOOR
from tally.privacy import disclosure
from tally.privacy.policy import Policy
from tally.privacy.tables import (
    NOT_AVAILABLE,
    place_release,
    release_datasets,
    resource_tables,
)
from tally.privacy.validation import validate
from tally.staff import messages
from tally.staff.derived import hide_linear
from tally.staff.sheets import column_letter, read_grid, refuse_inside_repository, repository_of
from tally.staff.staging import commit, write_outside

WHOLE = re.compile(r"^[0-9]+(\.0+)?$")  # a workbook may give 12 as "12.0"
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


# One reason for every cell the suppression hides, small or protecting a small one: S is one
# code for both on purpose (issue 16), and a list saying which hidden cells are the small
# ones, pasted into a pull request or a ticket, would tell the guessing reader exactly what
# to guess (found by the red team, session 3). Cells hidden with another (a shared
# annotation, a derived column) still say why.
HIDDEN = "suppressed: a small count, or one that would let a small count be worked out"


@dataclass(frozen=True)
class HiddenCell:
    """One cell `suppress` emptied, and why. Never carries the cell's value."""

    row: int  # the row's number in the written file (the header is row 1)
    measure: str
    cell: str  # 'quarter=2024-Q1, age_band=Under 12'
    reason: str


@dataclass
class SuppressionOutcome:
    """The publishable table of one resource, and what was hidden."""

    dataset: str
    resource: str
    header: list[str]
    rows: list[list[str]]
    hidden: list[HiddenCell] = field(default_factory=list)
    threshold: int = THRESHOLD_FLOOR
    notes: list[str] = field(default_factory=list)

    def csv_bytes(self) -> bytes:
        """The file as it will be written: UTF-8, LF line ends, the schema's column order."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8")

    def to_dict(self) -> dict:
        """For `--json`: which cells were hidden and why (row, column, categories), never the table's rows."""
        return {"dataset": self.dataset, "resource": self.resource,
                "hidden": [asdict(c) for c in sorted(self.hidden, key=lambda c: (c.row, c.measure))],
                "cells_suppressed": self.counts()}

    def counts(self) -> dict[str, int]:
        """{measure: cells hidden} for the summary line (never split into small and protecting ones: HIDDEN)."""
        summary: dict[str, int] = {}
        for cell in self.hidden:
            summary[cell.measure] = summary.get(cell.measure, 0) + 1
        return summary


def suppress_raw(raw, dataset, settings: dict, *, resource: str | None = None,
                 sheet: str | None = None, repository=None) -> SuppressionOutcome:
    """Read the raw table `raw` for `dataset`'s resource and return its publishable form."""
    raw = Path(raw).resolve()
    refuse_inside_repository(raw, repository if repository is not None else repository_of(dataset.folder))
    target = _target(dataset, resource)
    grid = read_grid(raw, sheet)
    columns, header_row = _columns(grid, target)
    # Schema order, whatever the raw order: a sheet sorted by count would publish the hidden
    # cells' ranks (issue 16, 5).
    rows = schema_order(target, _parse(grid, target, columns, header_row))
    policy = Policy.of(dataset, settings)
    threshold, width = policy.threshold, policy.protection_width
    outcome = SuppressionOutcome(dataset.slug, target.name, [f.name for f in target.fields],
                                 [[row[f.name] for f in target.fields] for row in rows],
                                 threshold=threshold, notes=list(grid.notes))
    _suppress(outcome, target, rows, threshold, width, grid.source, dataset)
    _hide_linear(outcome, target, rows)
    outcome.rows = [[row[f.name] for f in target.fields] for row in rows]
    return outcome


def write_outcome(outcome: SuppressionOutcome, dataset, settings: dict, output=None, repository=None) -> Report:
    """Validate the outcome as CI will, in a staging copy; write it unless it fails inside the repository.

    Returns the staging report. Raises SuppressionError, writing nothing, when the file
    would go into the repository and fails; a file outside the repository is written
    either way so that staff can look at it, and the report says what is wrong.
    """
    target = dataset.resource(outcome.resource)
    destination = Path(output).resolve() if output else target.file.resolve()
    data = outcome.csv_bytes()
    report = _staged_report(dataset, target.path, data, settings)
    inside = repository is not None and Path(repository).resolve() in destination.parents
    if inside and not report.valid:
        raise NotWritten(f"{destination} was not written: the suppressed table fails validation "
                         f"({report.summary()}); see the problems above", report)
    folder = dataset.folder.resolve()
    if folder in destination.parents:
        commit(folder, {destination.relative_to(folder).as_posix(): data})
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        write_outside(destination, data)
    return report


# -- reading the raw table -------------------------------------------------------------

def _target(dataset, name):
    tabular = [r for r in dataset.tabular_resources if any(f.is_count for f in r.fields)]
    if name:
        found = dataset.resource(name)
        if found is None or not found.tabular:
            raise SuppressionError(f'dataset "{dataset.slug}" has no table "{name}"; its tables are: '
                                   + ", ".join(r.name for r in dataset.tabular_resources))
        return found
    if len(tabular) != 1:
        raise SuppressionError(f'dataset "{dataset.slug}" has {len(tabular)} tables with counts; say which one '
                               "the raw file is with --resource (" + ", ".join(r.name for r in tabular) + ")")
    return tabular[0]


def _norm(text) -> str:
    return " ".join(str(text).strip().lower().split())


def _columns(grid, resource) -> tuple[dict[str, int], int]:
    """{field name: column index} matched by name or title, and the header's row index."""
    header_row = next((i for i, row in enumerate(grid.rows) if any(c is not None for c in row)), None)
    if header_row is None:
        raise SuppressionError(f"{grid.source}: the file is empty")
    labels = [_norm(c) if c is not None else "" for c in grid.rows[header_row]]
    columns, problems = {}, []
    for f in resource.fields:
        matches = [i for i, label in enumerate(labels) if label in (_norm(f.name), _norm(f.title))]
        if matches:
            columns[f.name] = matches[0]
        elif f.role != "annotation":  # annotation columns are filled in here
            problems.append(f'no column "{f.name}" ({f.title})')
    known = set(columns.values())
    extra = [messages.label(grid.rows[header_row][i], column_letter(i))
             for i, label in enumerate(labels) if label and i not in known]
    if extra:
        problems.append("columns not in the schema of " + f'"{resource.name}": ' + ", ".join(extra))
    if problems:
        raise SuppressionError(f"{grid.source}, header row {grid.label(header_row)}: " + "; ".join(problems)
                               + ". The raw table needs the resource's columns, named as in its data dictionary")
    return columns, header_row


def _parse(grid, resource, columns, header_row) -> list[dict[str, str]]:
    """Rows as {field: text}, checked; counts stay text until they are put into Tables."""
    rows, problems = [], []
    for r in range(header_row + 1, len(grid.rows)):
        cells = grid.rows[r]
        if all(c is None for c in cells):
            continue
        row = {}
        for f in resource.fields:
            i = columns.get(f.name)
            text = (cells[i] if i is not None and i < len(cells) else None) or ""
            row[f.name] = text.strip()
        problem = _row_problem(resource, row)
        if problem:
            f, rule = problem
            letter = column_letter(columns[f.name]) if f.name in columns else None
            problems.append(messages.cell(grid.label(r), letter, f.title, rule))
        rows.append(row)
    if problems:
        shown = problems[:10] + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else [])
        raise SuppressionError(f"{grid.source}: " + "; ".join(shown))
    if not rows:
        raise SuppressionError(f"{grid.source}: no rows below the header")
    return rows


def _row_problem(resource, row) -> tuple | None:
    """(field, rule) for what is wrong with one raw row; the rule never repeats what the cell holds."""
    for f in resource.fields:
        text, note = row[f.name], row.get(f.annotation, "") if f.annotation else ""
        if f.role == "dimension" and not text:
            return f, "is empty"
        # A count typed under a category's header (two labels swapped) must stop here: the
        # hidden-cell lines name each cell by its categories.
        if f.role == "dimension" and f.levels and text not in {str(v) for v in f.levels}:
            return f, "is not one of the categories " + messages.levels(f.levels)
        if f.role == "annotation" and text and text not in CODES:
            return f, "is not one of the codes " + ", ".join(CODES)
        if f.role == "annotation" and text == SUPPRESSED:
            return f, "already says S; give the raw figure and leave the code empty (suppress decides what to hide)"
        if f.is_count:
            if not text and note != NOT_AVAILABLE:
                return f, f'is empty; write the raw count (0 when there were none), or N in "{f.annotation}"'
            if text and not WHOLE.match(text.replace(",", "")):
                return f, "is not a whole number of 0 or more"
        elif f.role == "measure" and text and not NUMBER.match(text.replace(",", "")):
            return f, "is not a number"
    return None


def schema_order(resource, rows: list[dict]) -> list[dict]:
    """`rows` sorted by the schema alone, never by a count: the one order `suppress` and `intake` write.

    Each dimension in field order; within one, its levels in the order the schema lists them
    (enum or categories), then any other value by its text (periods sort by text). A raw
    sheet sorted by count would otherwise publish where each hidden cell ranks (issue 16, 5:
    "Unknown" between 30 and 26 makes Under 12 = 32 - Unknown 2..6).
    """
    dims = [f for f in resource.fields if f.role == "dimension"]
    order = {f.name: {str(v): i for i, v in enumerate(f.levels)} for f in dims}

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def key(row):
        return tuple((order[f.name].get(text(row.get(f.name)), len(order[f.name])), text(row.get(f.name)))
                     for f in dims)

    return sorted(rows, key=key)


# -- suppressing -------------------------------------------------------------------------

def release_pattern(dataset, resource: str, measure: str, table: disclosure.Table) -> tuple[frozenset, frozenset]:
    """Cells of `table` that an earlier release hid, and cells it published with the figure `table` has now.

    `disclosure.suppress` keeps that pattern, or the linked-releases rule would refuse
    the new file (DESIGN.md 3). A revised figure binds nothing; a release whose layout
    cannot be placed in `table` is skipped here and reported by that rule.
    """
    hidden, published = set(), set()
    for _, old, _ in release_datasets(dataset):
        found = old.resource(resource) if old is not None else None
        measures = resource_tables(found) if found is not None and found.tabular else {}
        if measure not in measures:
            continue
        try:
            placed = place_release(measures[measure].table, table)
        except ValueError:
            continue
        for key, value in placed.cells.items():
            if key in table.cells:
                (hidden if value is None else published).add(key)
    return frozenset(hidden), frozenset(published - hidden)


def _suppress(outcome, resource, rows, threshold, width, source, dataset) -> None:
    dims = [f for f in resource.fields if f.role == "dimension"]
    names = tuple(f.name for f in dims)
    totals = {f.name: str(f.total) for f in dims if f.total is not None}
    index = {}
    for number, row in enumerate(rows, start=2):
        key = tuple(row[d] for d in names)
        if key in index:
            raise SuppressionError(f"{source}: rows for ({_describe(names, key)}) appear twice (written rows "
                                   f"{index[key]} and {number}); each combination of "
                                   f"{', '.join(names)} needs one row")
        index[key] = number
    for measure in [f for f in resource.fields if f.is_count]:
        cells = {tuple(row[d] for d in names): _whole(row[measure.name])
                 for row in rows if row[measure.name]}  # a cell with no data (N) is outside the table
        table = disclosure.Table(names, totals, cells)
        keep_hidden, keep_published = release_pattern(dataset, resource.name, measure.name, table)
        try:
            result = disclosure.suppress(table, threshold, width, hidden_min=Policy.of(dataset).hidden_minimum,
                                         keep_hidden=keep_hidden, keep_published=keep_published)
        except (ValueError, ArithmeticError) as error:
            raise SuppressionError(f'{source}: "{measure.name}" could not be protected automatically ({error}); '
                                   "ask the privacy lead to choose the suppressions by hand") from None
        for decision in result.decisions:
            row = rows[index[decision.key] - 2]
            _hide(outcome, resource, row, measure, index[decision.key], _describe(names, decision.key), HIDDEN)


def _hide(outcome, resource, row, measure, number, cell, reason) -> None:
    """Empty one measure cell, write S, and hide what shares its annotation or is derived from it."""
    if row[measure.name] == "" and row.get(measure.annotation or "", "") == SUPPRESSED:
        return
    row[measure.name] = ""
    outcome.hidden.append(HiddenCell(number, measure.name, cell, reason))
    if measure.annotation and resource.field(measure.annotation) is not None:
        row[measure.annotation] = SUPPRESSED
        for other in resource.fields:
            if other is not measure and other.annotation == measure.annotation and row[other.name]:
                _hide(outcome, resource, row, other, number, cell, f"shares its annotation with {measure.name}")
    for derived in resource.fields:
        if derived.is_derived and measure.name in derived.derived_from and (
                row[derived.name] or (derived.annotation and row.get(derived.annotation) != SUPPRESSED)):
            _hide(outcome, resource, row, derived, number, cell, f"derived: computed from {measure.name}")


def _hide_linear(outcome, resource, rows) -> None:
    """Hide each change or year-to-date figure computed from a hidden period (issue 10, staff/derived.py)."""
    names = tuple(f.name for f in resource.fields if f.role == "dimension")
    numbers = {id(row): number for number, row in enumerate(rows, start=2)}
    hide_linear(resource, rows, [], lambda row, f: _hide(
        outcome, resource, row, f, numbers[id(row)], _describe(names, tuple(row[n] for n in names)),
        f"derived: computed from a hidden period of {f.derived_from[0]}"))


def _whole(text: str) -> int:
    """The raw count, exact at any size (issue 16, 6); WHOLE has checked its form."""
    return int(Decimal(text.replace(",", "")))


def _describe(names, key) -> str:
    return ", ".join(f"{n}={v}" for n, v in zip(names, key))


def _staged_report(dataset, relative: str, data: bytes, settings: dict) -> Report:
    """Validate the dataset with `data` as the resource's file, in a temporary copy (problems name files
    relative to the dataset, so they read as the real dataset's)."""
    with tempfile.TemporaryDirectory(prefix="tally-suppress-") as tmp:
        staged = Path(tmp) / dataset.folder.name
        shutil.copytree(dataset.folder, staged, symlinks=False)
        safe_join(staged, relative).write_bytes(data)
        report, _ = validate(Path(tmp), {**settings, "TALLY_PROGRESS": None}, names=[dataset.folder.name])
    return report
