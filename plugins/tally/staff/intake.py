"""Intake: a staff spreadsheet for one period becomes the dataset's publishable rows.

The steps (issue 4): read the sheet (`sheets.py`, csvkit's agate readers), find
the header below any title rows, map columns to the schema by name or title,
drop blank rows, "Source:"/"Note:" footers and totals rows the schema has no
level for, type every cell, check the period is the next one (or a revision
with --replace), apply primary and complementary suppression
(`disclosure.suppress`, on tables read as the audits read them: `tables.py`)
with annotation codes and derived values, audit the
new cells together with the published rows already in the dataset, and write
the period's rows into the dataset's CSV only once the whole dataset passes
validation in a staging copy (`staging.py`).

Raw counts live only in memory. No message repeats a count from the
spreadsheet: errors name the row, column and rule, never the value.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from tally.core import periods as P
from tally.core.annotations import EMPTY_CODES, SUPPRESSED
from tally.core.dataset import Dataset, Field, Resource
from tally.core.errors import IntakeError
from tally.core.loading import load_dataset
from tally.privacy import tables
from tally.privacy.disclosure import Table, additive_constraints, audit, guessing_audit, suppress
from tally.privacy.policy import Policy
from tally.staff import codelevels, crosstab, derived, messages, revisions
from tally.staff.aliases import AliasError, aliases
from tally.staff.sheets import Grid, column_letter, read_grid, refuse_inside_repository, repository_of
from tally.staff.staging import apply_validated, recover
from tally.staff.suppress import release_pattern, schema_order

HEADER_SEARCH_ROWS = 30  # title rows above the header: look this far down for it
TOTAL_WORDS = re.compile(r"^(grand )?totals?$|^all$|^sum$|^overall$")
FOOTER = re.compile(r"^(sources?|notes?|footnotes?|prepared by|produced by|data as of|n\.b\.)\b|^[*†‡]")
MARKED = re.compile(r"^([<>≤≥]=?\d*|\*+|s|supp\w*|x|n/?a|-{1,2}|–|—|\.)$")


@dataclass
class IntakeResult:
    """What intake wrote (never the raw values)."""

    dataset: str
    resource: str
    added: list[str]  # periods new to the dataset
    revised: list[str]  # periods that replaced published ones
    rows: int
    hidden: dict[str, int]  # count field -> cells suppressed in the new rows
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    preview: revisions.Preview | None = None  # for --replace: what would change in the dataset's figures
    status: str = "written"  # "preview": --replace without --yes; "unchanged": the same figures again
    released: list[str] = field(default_factory=list)  # replaced periods an archived release published

    @property
    def kind(self) -> str:
        return "revision" if self.revised else "new period"

    def to_dict(self) -> dict:
        """For `--json`: periods, file names and numbers of rows and cells, never a figure (notes go beside it)."""
        return {"dataset": self.dataset, "resource": self.resource, "status": self.status, "added": self.added,
                "revised": self.revised, "released": self.released, "rows": self.rows,
                "cells_suppressed": dict(self.hidden), "files": self.files,
                "preview": self.preview.to_dict() if self.preview is not None else None}


@dataclass
class _Row:
    label: int  # row number as staff see it in the sheet
    values: dict


def intake(folder, workbook, period: str, *, settings: dict, sheet: str | None = None, replace: bool = False,
           resource: str | None = None, confirm: bool = False, ignore_columns=()) -> IntakeResult:
    """Read `workbook`, suppress, merge its period's rows into the dataset at `folder`, validate, write.

    Replacing periods already in the dataset writes only with `confirm` (--yes); without it
    the result carries the preview and nothing is written.
    """
    folder, workbook = Path(folder).resolve(), Path(workbook).resolve()
    refuse_inside_repository(workbook, repository_of(folder))
    recover(folder)  # an interrupted command's writes, finished or undone before reading the dataset
    dataset = _load(folder)
    target = target_resource(dataset, resource)
    time = target.time_field
    precision = time.period or "quarter"
    try:
        wanted = P.parse_range(period, precision)
    except P.PeriodError as error:
        raise IntakeError("--period", [str(error)], f"write the period like {P.EXAMPLE[precision]}") from None
    grid = read_grid(workbook, sheet)
    existing = existing_rows(target)
    added, revised = _check_periods(target, existing, wanted, replace, precision)
    try:
        local = aliases(dataset, target)
    except AliasError as error:
        raise IntakeError(str(dataset.descriptor_file), [str(error)], "fix tally:aliases (docs/conventions.md)") \
            from None
    rows, notes = read_rows(grid, target, wanted, aliases=local, ignore=ignore_columns)
    derived.on_field_scale(target, existing[1], [r.values for r in rows])
    _check_rows(grid.source, target, rows, existing, wanted, precision)
    # The same parameters the privacy gate audits with (tables.py), so what intake writes passes it.
    policy = Policy.of(dataset, settings)
    rules = (policy.threshold, policy.protection_width)
    hidden = _suppress(grid.source, target, rows, *rules, dataset)
    published = [r.values for r in rows]
    derived.hide_linear(target, published, [r for r in existing[1] if r[time.name] not in wanted],
                        lambda row, f: _hide(target, row, f))  # a change or year-to-date of a hidden period
    version, released = revisions.released_rows(folder, target, revised, _table_key)
    _refuse_hiding_released(grid.source, target, released, published, version)
    revisions.mark_revisions(target, released, published, _text, _table_key)
    _audit_with_published(grid.source, target, existing, published, wanted, *rules, policy.hidden_minimum)
    writes = {target.path: _merged_csv(target, existing, published, wanted)}
    descriptor = _updated_descriptor(dataset, existing, wanted, time.name)
    if descriptor is not None:
        writes[dataset.descriptor_file.name] = descriptor
    result = IntakeResult(dataset=dataset.slug, resource=target.name, added=added, revised=revised,
                          rows=len(published), hidden=hidden, notes=grid.notes + notes, files=sorted(writes),
                          released=sorted({r[time.name] for r in released.values()}))
    if revised:
        result.preview = revisions.preview(target, existing[1], published, revised, _text, _table_key, version)
    if descriptor is None and writes[target.path] == target.file.read_bytes():
        result.status, result.files = "unchanged", []  # nothing to write, nothing to release
        return result
    if revised and not confirm:
        result.status, result.files = "preview", []
        return result
    apply_validated(folder, writes, settings)
    return result


def _refuse_hiding_released(source, resource, released, published, version) -> None:
    """A released figure the new figures would hide: say what happened and who decides (README)."""
    found = revisions.hidden_release_cells(resource, released, published, _table_key, version, _describe)
    if found is None:
        return
    raise IntakeError(source, [f"release {found.version} published {len(found.cells)} value(s) that the new "
                               "figures would hide: " + "; ".join(found.cells[:10]),
                               "a corrected figure is now below the threshold, or hiding it is needed to protect "
                               "one that is; the released figure is public, so hiding it now protects nothing"],
                      "do not publish this correction yet: ask the privacy lead how to proceed (README, "
                      "\"Correcting published figures\")")


# -- the dataset --------------------------------------------------------------

def _load(folder: Path) -> Dataset:
    dataset, problems = load_dataset(folder)
    if dataset is None:
        raise IntakeError(str(folder), [p.message for p in problems], "fix the dataset first: publish.py validate")
    return dataset


def target_resource(dataset: Dataset, name: str | None) -> Resource:
    """The resource to add rows to: the one named, or the only table with a period field."""
    tables = [r for r in dataset.tabular_resources if r.time_field is not None and r.time_field.period]
    if name:
        found = dataset.resource(name)
        if found is None or found not in tables:
            raise IntakeError(dataset.slug, [f'there is no table "{name}" with a period field; tables: '
                                             + ", ".join(r.name for r in tables)])
        return found
    if len(tables) != 1:
        raise IntakeError(dataset.slug, [f"the dataset has {len(tables)} tables with a period field"
                                         + (": " + ", ".join(r.name for r in tables) if tables else "")],
                          "name the table with --resource" if tables else
                          'give the time dimension "tally:period" (see docs/conventions.md)')
    return tables[0]


def existing_rows(resource: Resource) -> tuple[list[str], list[dict]]:
    """The published CSV's header and rows, as text (exactly as they are in the file)."""
    encoding = resource.descriptor.get("encoding") or "utf-8"
    # A byte-order mark is not part of the header (Excel writes one); the rewritten file has none.
    text = resource.file.read_bytes().decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [f.name for f in resource.fields], []
    header = rows[0]
    if header != [f.name for f in resource.fields]:
        raise IntakeError(str(resource.file), ["the CSV header does not match the schema's fields"],
                          "run publish.py validate and fix the dataset first")
    return header, [dict(zip(header, r)) for r in rows[1:] if any(c.strip() for c in r)]


def _check_periods(resource, existing, wanted, replace, precision) -> tuple[list[str], list[str]]:
    """Split the periods into added and revised; refuse a gap, or an existing period without --replace."""
    time = resource.time_field.name
    have = sorted({r[time] for r in existing[1]}, key=lambda p: P.index(p, precision))
    present = [p for p in wanted if p in have]
    if present and not replace:
        following = P.next_period(have[-1], precision)
        raise IntakeError("--period", [f"{', '.join(present)} is already in the dataset, which ends at {have[-1]}"],
                          f"is the sheet for the next period? Then run intake with --period {following}. "
                          f"Only if it corrects the figures of {', '.join(present)}, add --replace: intake then "
                          "shows how many published values would change and writes only with --yes")
    if not have:
        return list(wanted), []
    latest = have[-1]
    new = [p for p in wanted if p not in have]
    earlier_gap = [p for p in new if P.index(p, precision) < P.index(latest, precision)]
    if earlier_gap and not replace:
        raise IntakeError("--period", [f"{earlier_gap[0]} is before the latest period ({latest}) but not in "
                                       "the dataset"],
                          "adding an earlier period is a revision: run intake with --replace")
    later = [p for p in new if P.index(p, precision) > P.index(latest, precision)]
    expected = P.next_period(latest, precision)
    if later and later[0] != expected:
        raise IntakeError("--period", [f"{later[0]} is not the next period: the dataset ends at {latest}, so the "
                                       f"next is {expected}"], f"add {expected} first")
    return later, [p for p in wanted if p not in later]


# -- reading the sheet ----------------------------------------------------------

def _norm(text) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower()).strip(" :*")


def _field_keys(resource: Resource) -> dict[str, Field]:
    keys = {}
    for f in resource.fields:
        for key in (_norm(f.name), _norm(f.title)):
            keys.setdefault(key, f)
    return keys


def read_rows(grid: Grid, resource: Resource, wanted: list[str], *, aliases=None,
              ignore=()) -> tuple[list[_Row], list[str]]:
    """Typed rows of the sheet (title rows, blank rows, footers and totals rows dropped) and notes on what was dropped.

    `aliases` ({field: {local name: level}}) reads local category names; `ignore` names extra
    columns to leave out (--ignore-column); a cross-tab sheet is first read as one row per category.
    """
    aliases = aliases or {}
    _fill_vertical_merges(grid)
    keys = _field_keys(resource)
    notes = []
    melted = crosstab.melt(grid, resource, keys, aliases, HEADER_SEARCH_ROWS)
    if melted is not None:
        _refuse_hidden(grid, 0)
        grid, note = melted
        notes.append(note)
    header = _find_header(grid, resource, keys)
    _refuse_merged_header(grid, header)
    _refuse_hidden(grid, header)
    columns, ignored = _map_columns(grid, header, resource, keys, len(wanted) == 1, ignore)
    notes += [f"ignored column {c} (--ignore-column)" for c in ignored]
    if header:
        notes.append(f"skipped {header} row(s) above the header (row {grid.label(header)})")
    rows, problems, dropped = [], [], {"blank": 0, "footer": 0, "totals": 0}
    in_footer = False
    # A header cell merged down over two rows: the data starts below the merge.
    first = max([header + 1] + [bottom + 1 for top, _, bottom, _ in grid.merged if top <= header <= bottom])
    for r in range(first, len(grid.rows)):
        cells = grid.rows[r]
        filled = [c for c in cells if c is not None]
        if not filled:
            dropped["blank"] += 1
            continue
        if len(filled) == 1 and (FOOTER.match(filled[0].strip().lower()) or in_footer):
            in_footer = True
            dropped["footer"] += 1
            continue
        if _is_totals_row(cells, columns, resource):
            dropped["totals"] += 1
            continue
        row, row_problems = _parse_row(grid, r, columns, resource, wanted, aliases)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(_Row(grid.label(r), row))
    if problems:
        raise IntakeError(grid.source, messages.fold(problems))
    if not rows:
        raise IntakeError(grid.source, [f"no data rows below the header (row {grid.label(header)})"])
    for kind, count in dropped.items():
        if count:
            notes.append(f"skipped {count} {kind} row(s)")
    return rows, notes


def _fill_vertical_merges(grid: Grid) -> None:
    """A cell merged down several rows (a quarter written once beside its rows) applies to each of them."""
    for top, left, bottom, right in grid.merged:
        if left == right and bottom > top and top < len(grid.rows):
            value = grid.rows[top][left]
            for r in range(top + 1, min(bottom + 1, len(grid.rows))):
                if left < len(grid.rows[r]):
                    grid.rows[r][left] = value


def _find_header(grid: Grid, resource: Resource, keys: dict) -> int:
    best, best_score = None, 0
    for r, cells in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        score = len({keys[_norm(c)].name for c in cells if c is not None and _norm(c) in keys})
        if score > best_score:
            best, best_score = r, score
    if best is None:
        raise IntakeError(grid.source, [f"none of the first {HEADER_SEARCH_ROWS} rows names a column of the "
                                        f'table "{resource.name}"'],
                          "the header row needs these columns (name or title): "
                          + ", ".join(f.title for f in resource.fields if f.role != "annotation"))
    return best


def _refuse_merged_header(grid: Grid, header: int) -> None:
    for top, left, bottom, right in grid.merged:
        if top <= header <= bottom and right > left:
            text = grid.rows[top][left] if top < len(grid.rows) else None
            raise IntakeError(grid.source, [f"the header cell {column_letter(left)}{grid.label(top)}:"
                                            f"{column_letter(right)}{grid.label(bottom)} "
                                            f"({messages.label(text, column_letter(left))}) is merged "
                                            "across several columns"],
                              "unmerge it (Home > Merge & Center > Unmerge Cells) and give each column its own "
                              "header, e.g. the titles in the template (publish.py template)")


def _refuse_hidden(grid: Grid, header: int) -> None:
    problems = []
    for r in sorted(grid.hidden_rows):
        if r < len(grid.rows) and any(c is not None for c in grid.rows[r]):
            problems.append(f"row {grid.label(r)} is hidden but holds values")
    for c in sorted(grid.hidden_columns):
        if any(c < len(row) and row[c] is not None for row in grid.rows):
            problems.append(f"column {column_letter(c)} is hidden but holds values")
    if problems:
        raise IntakeError(grid.source, problems, "hidden cells are never read, because what is hidden is easy to "
                                                 "send by mistake: unhide them, then delete what does not belong")


def _map_columns(grid: Grid, header: int, resource: Resource, keys: dict, single_period: bool,
                 ignore=()) -> tuple[dict[int, Field], list[str]]:
    """{column: field} for the header row, and the extra columns left out with --ignore-column."""
    columns, extra, seen, ignored = {}, [], {}, []
    skip = {_norm(name) for name in ignore}
    width = max(len(r) for r in grid.rows)
    for c in range(width):
        text = grid.rows[header][c] if c < len(grid.rows[header]) else None
        if text is None:
            if any(c < len(row) and row[c] is not None for row in grid.rows[header + 1:]):
                extra.append(f"column {column_letter(c)} (no header)")
            continue
        f = keys.get(_norm(text))
        if f is None and _norm(text) in skip:
            ignored.append(messages.label(text, grid.letter(header, c)))
        elif f is None:
            extra.append(messages.label(text, grid.letter(header, c)))
        elif f.name in seen:
            extra.append(f"{messages.label(text, column_letter(c))} repeats column {column_letter(seen[f.name])}")
        else:
            columns[c] = f
            seen[f.name] = c
    time = resource.time_field
    optional = {f.name for f in resource.fields if f.role == "annotation"}
    if single_period:
        optional.add(time.name)  # every row is the --period one
    missing = [f for f in resource.fields if f.name not in seen and f.name not in optional]
    if extra or missing:
        problems = []
        if extra:
            problems.append("not in the schema: " + ", ".join(extra))
        if missing:
            problems.append("missing: " + ", ".join(f'"{f.title}" ({f.name})' for f in missing))
        raise IntakeError(f"{grid.source}, header row {grid.label(header)}",
                          ["the columns do not match the dataset's schema", *problems],
                          "name the columns as the schema does (names or titles, any case and spacing): "
                          + ", ".join(f.title for f in resource.fields if f.role != "annotation")
                          + "; leave out a column that does not belong with --ignore-column NAME (its cells "
                          "are never read), or delete it (publish.py template writes a blank workbook)")
    return columns, ignored


def _is_totals_row(cells, columns, resource) -> bool:
    """A "Total" row for a dimension the schema keeps no total level for (it is worked out, not published)."""
    said_total = False
    for c, f in columns.items():
        if f.role != "dimension":
            continue
        value = cells[c] if c < len(cells) else None
        if value is None:
            continue
        if TOTAL_WORDS.match(_norm(value)) and not f.total:
            said_total = True
        elif not TOTAL_WORDS.match(_norm(value)):
            if f.total and _norm(value) == _norm(f.total):
                continue
            return False
    return said_total


def _parse_row(grid: Grid, r: int, columns: dict[int, Field], resource: Resource, wanted: list[str], aliases: dict):
    cells = grid.rows[r]
    raw = {f.name: (cells[c].strip() if c < len(cells) and cells[c] is not None else None)
           for c, f in columns.items()}
    letters = {f.name: grid.letter(r, c) for c, f in columns.items()}
    problems, row = [], {}

    def problem(f, message):
        problems.append((grid.label(r), letters.get(f.name), f.title, message))  # messages.fold makes the lines

    time = resource.time_field
    for f in resource.fields:
        text = raw.get(f.name)
        if f is time:
            row[f.name] = _period_cell(text, f, wanted, problem, time.name in raw)
        elif f.role == "annotation":
            row[f.name] = _annotation_cell(text, f, problem)
        elif f.role == "dimension":
            row[f.name] = _dimension_cell(text, f, problem, aliases.get(f.name, {}))
        elif f.role == "measure":
            row[f.name] = _measure_cell(text, f, problem)
        else:
            row[f.name] = text
    for f in resource.fields_with_role("measure"):
        note = resource.field(f.annotation) if f.annotation else None
        code = row.get(f.annotation) if f.annotation else None
        if row.get(f.name) is None and code not in EMPTY_CODES and raw.get(f.name) is None:
            if f.is_derived and note is not None and "N" in note.levels:
                row[f.annotation] = "N"  # a rate with no value (a zero count below it): not available
            else:
                problem(f, "is empty: enter the figure (0 when there were none)"
                        + (f', or N in "{note.title}" when no data was collected' if note is not None
                           and "N" in note.levels else ""))
        elif row.get(f.name) is not None and code in EMPTY_CODES:
            problem(f, f'has a value but "{note.title}" says {code} (no value); remove one of them')
    return row, problems


def _period_cell(text, f, wanted, problem, has_column):
    if text is None:
        if has_column and len(wanted) > 1:
            problem(f, "is empty")
        return wanted[0]
    try:
        period = P.read_cell(text, f.period or "quarter", wanted)
    except P.PeriodError as error:
        problem(f, error.rule)
        return None
    if period not in wanted:
        problem(f, f"is {period}, but intake was asked for {wanted[0] if len(wanted) == 1 else ', '.join(wanted)}")
    return period


def _dimension_cell(text, f: Field, problem, local: dict):
    if text is None:
        problem(f, "is empty")
        return None
    levels = f.levels
    if f.total and TOTAL_WORDS.match(_norm(text)):
        return f.total
    if f.type == "integer":
        try:
            return int(float(text))
        except ValueError:
            problem(f, "is not a whole number")
            return None
    if not levels or text in levels:
        return text
    if _norm(text) in local:
        return local[_norm(text)]  # a local name declared in tally:aliases
    matches = [level for level in levels if _norm(level) == _norm(text)]
    if len(matches) == 1:
        return matches[0]
    problem(f, codelevels.refusal(f, text))  # names the shared code list, if the dimension has one (issue 10)
    return None


def _annotation_cell(text, f: Field, problem):
    if text is None:
        return None
    code = text.strip().upper()
    if code == SUPPRESSED:
        problem(f, "says S: intake adds S itself; enter the raw count and leave this empty")
        return None
    if code not in f.levels:
        allowed = [c for c in f.levels if c != SUPPRESSED]
        problem(f, "is not a note code; use " + (", ".join(allowed) if allowed else "nothing"))
        return None
    return code


def _measure_cell(text, f: Field, problem):
    if text is None:
        return None
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if MARKED.match(cleaned.lower()):
        problem(f, "looks already suppressed or marked; enter the raw figure (intake hides small counts "
                   "itself), or leave it empty with a note code")
        return None
    percent = cleaned.endswith("%")
    try:
        # Decimal, not float: a count above 2**53 must stay exact (issue 16, 6).
        exact = Decimal(cleaned.rstrip("%"))
    except InvalidOperation:
        exact = None
    if exact is None or not exact.is_finite():
        problem(f, "is not a number")
        return None
    number = float(exact)
    if number < 0 and f.kind != "change":  # a change since the last period may be a fall
        problem(f, "is negative; figures are 0 or more")
        return None
    if f.type == "integer":
        if exact != exact.to_integral_value():
            problem(f, "is not a whole number")
            return None
        return int(exact)
    if percent and f.kind != "percentage":
        problem(f, "is a percentage, but this column is not")
        return None
    if percent:
        return derived.Percent(number)  # put on the field's scale once the published rows are known
    return int(number) if number.is_integer() and f.type == "integer" else number


# -- checks on the new rows -------------------------------------------------------

def _dimensions(resource: Resource) -> list[Field]:
    return resource.fields_with_role("dimension")


def _key(resource: Resource, row: dict) -> tuple:
    return tuple(row.get(f.name) for f in _dimensions(resource))


def _describe(resource: Resource, key: tuple) -> str:
    return ", ".join(f'{f.title} "{v}"' for f, v in zip(_dimensions(resource), key))


def _check_rows(source, resource, rows: list[_Row], existing, wanted, precision) -> None:
    problems = []
    first = {}
    for row in rows:
        key = _key(resource, row.values)
        if key in first:
            problems.append(f"rows {first[key]} and {row.label} are both for {_describe(resource, key)}")
        first.setdefault(key, row.label)
    problems += _totals_problems(resource, rows)
    problems += derived.mismatches(resource, [(r.label, r.values) for r in rows], existing[1])
    problems += _missing_rows(resource, rows, existing, wanted, precision)
    if problems:
        raise IntakeError(source, problems)


def _totals_problems(resource: Resource, rows: list[_Row]) -> list[str]:
    """A published total must be the sum of its parts, or the audits cannot reason about it (no values shown)."""
    dims = _dimensions(resource)
    totals = {f.name: f.total for f in dims if f.total}
    if not totals:
        return []
    labels = {_key(resource, r.values): r.label for r in rows}
    problems = []
    for f in resource.fields_with_role("measure"):
        if f.kind not in ("count", "quantity"):
            continue
        cells = {_key(resource, r.values): r.values[f.name] for r in rows if r.values[f.name] is not None}
        table = Table(tuple(d.name for d in dims), totals, cells)
        for c in additive_constraints(table):
            if table.cells[c.total] != sum(table.cells[p] for p in c.parts):
                parts = ", ".join(str(labels[p]) for p in c.parts)
                problems.append(f'row {labels[c.total]}, column "{f.title}": the total for '
                                f"{_describe(resource, c.total)} is not the sum of rows {parts}")
    return problems


def _missing_rows(resource, rows, existing, wanted, precision) -> list[str]:
    """Every combination the latest published period has must be there again (0 when there were none)."""
    time = resource.time_field.name
    header, old = existing
    if not old:
        return []
    earlier = [r[time] for r in old if P.index(r[time], precision) < P.index(wanted[0], precision)]
    reference = max(earlier, key=lambda p: P.index(p, precision)) if earlier else min(
        (r[time] for r in old), key=lambda p: P.index(p, precision))
    others = [f for f in _dimensions(resource) if f.name != time]
    expected = {tuple(r[f.name] for f in others) for r in old if r[time] == reference}
    problems = []
    for period in wanted:
        have = {tuple(str(r.values[f.name]) for f in others) for r in rows if r.values[time] == period}
        for combo in sorted(expected - have):
            names = ", ".join(f'{f.title} "{v}"' for f, v in zip(others, combo))
            problems.append(f"no row for {period}, {names} ({reference} has one); add it, with 0 when there "
                            "were none")
    return problems[:50]


# -- suppression ---------------------------------------------------------------------

def _suppress(source, resource: Resource, rows: list[_Row], threshold: int, width: int,
              dataset: Dataset) -> dict[str, int]:
    """Hide small counts and their complements in place (value None, annotation S); return cells hidden per count.

    A period an earlier release covered (a revision) keeps that release's pattern where its
    figures are unchanged (`suppression.release_pattern`), as the linked-releases rule requires.
    """
    by_key = {_table_key(resource, r.values): r.values for r in rows}
    hidden = {}
    # tables.py reads rows as the audits do: a cell with no data (N) is left out of the table.
    for name, measure in tables.resource_tables(resource, [(r.label, r.values) for r in rows]).items():
        try:
            keep_hidden, keep_published = release_pattern(dataset, resource.name, name, measure.table)
            result = suppress(measure.table, threshold, width, hidden_min=Policy.of(dataset).hidden_minimum,
                              keep_hidden=keep_hidden, keep_published=keep_published)
        except ValueError as error:
            raise IntakeError(source, [f'column "{resource.field(name).title}": {error}'],
                              "ask the privacy lead to review this table") from None
        keys = [k for k, v in result.table.cells.items() if v is None]
        hidden[name] = len(keys)
        for k in keys:
            _hide(resource, by_key[k], resource.field(name))
    return hidden


def _table_key(resource: Resource, row: dict) -> tuple:
    """A row's cell key as tables.py writes it: each dimension's value as text."""
    return tuple("" if row.get(f.name) is None else str(row.get(f.name)) for f in _dimensions(resource))


def _hide(resource: Resource, row: dict, measure: Field) -> None:
    """Suppress one measure cell, everything sharing its annotation, and the values derived from it."""
    row[measure.name] = None
    if measure.annotation:
        row[measure.annotation] = SUPPRESSED
        for other in resource.fields_with_role("measure"):
            if other.annotation == measure.annotation and row.get(other.name) is not None:
                _hide(resource, row, other)
    for other in resource.fields_with_role("measure"):
        if measure.name in other.derived_from and row.get(other.name) is not None:
            _hide(resource, row, other)
        elif measure.name in other.derived_from and other.annotation:
            row[other.annotation] = SUPPRESSED


def _audit_with_published(source, resource, existing, published, wanted, threshold, width, hidden_min) -> None:
    """The new cells, audited with the rows already published: nothing hidden may become recoverable."""
    time = resource.time_field.name
    kept = [{k: (None if v == "" else v) for k, v in row.items()} for row in existing[1] if row[time] not in wanted]
    new = {_table_key(resource, row) for row in published}
    both = tables.resource_tables(resource, enumerate(kept + published, start=2))
    for name, measure in both.items():
        # The guessing reader's proof too (issue 16), on the new rows with the published ones.
        everything = audit(measure.table, threshold, width, hidden_min) + guessing_audit(
            measure.table, threshold=threshold, protection_width=width, hidden_min=hidden_min)
        findings = [x for x in everything
                    if any(k in new for c in x.constraints for k in c.keys()) or any(k in new for k in x.cells)]
        if findings:
            raise IntakeError(source, [f'column "{resource.field(name).title}": {x.describe()}' for x in findings],
                              "the new figures and the published ones together would reveal a hidden count; "
                              "ask the privacy lead to review the suppression")


# -- writing ---------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _merged_csv(resource: Resource, existing, published: list[dict], wanted: list[str]) -> bytes:
    """The CSV with the new period's rows appended, or put where the replaced period's rows were."""
    header, old = existing
    time = resource.time_field.name
    # One routine with `suppress`: schema order, never the workbook's (issue 16, 5).
    new = [[_text(row.get(name)) for name in header] for row in schema_order(resource, published)]
    out, placed = [], False
    for row in old:
        if row[time] in wanted:
            if not placed:
                out.extend(new)
                placed = True
            continue
        out.append([row.get(name, "") for name in header])
    if not placed:
        out.extend(new)
    raw = resource.file.read_bytes()
    terminator = "\r\n" if b"\r\n" in raw else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(out)
    return buffer.getvalue().encode(resource.descriptor.get("encoding") or "utf-8")


def _updated_descriptor(dataset: Dataset, existing, wanted: list[str], time: str) -> bytes | None:
    """The descriptor with tally:coverage.temporal spanning every period now in the data; None if unchanged."""
    resource_periods = {r[time] for r in existing[1]} | set(wanted)
    descriptor = copy.deepcopy(dataset.descriptor)
    coverage = descriptor.setdefault("tally:coverage", {})
    temporal = coverage.get("temporal") if isinstance(coverage.get("temporal"), dict) else {}
    ordered = sorted(resource_periods)
    updated = {**temporal, "start": min(ordered[0], temporal.get("start") or ordered[0]),
               "end": max(ordered[-1], temporal.get("end") or ordered[-1])}
    if updated == temporal:
        return None
    coverage["temporal"] = updated
    return dump_descriptor(dataset.descriptor_file, descriptor)


def dump_descriptor(path: Path, descriptor: dict) -> bytes:
    """A descriptor written the way the sample packages are: JSON, 2-space indent, UTF-8; or YAML."""
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_dump(descriptor, sort_keys=False, allow_unicode=True).encode("utf-8")
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
