"""`publish.py template`: an Excel workbook for staff to fill with the next period's raw figures.

The Data sheet has one column per schema field (titled as the schema titles
them, which `intake` reads back), the next period's rows already laid out
(each combination of categories the latest period has), drop-down lists for
categories (from their shared code list, codelevels.py) and note codes,
and whole-number checks for counts. A Notes sheet
explains every column. Written with xlsxwriter, with a fixed creation date so
the same dataset gives the same file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from tally.core import periods as P
from tally.core.annotations import CODES, SUPPRESSED
from tally.core.errors import TemplateError
from tally.core.loading import load_dataset
from tally.core.paths import safe_join
from tally.staff import codelevels
from tally.staff.aliases import local_names
from tally.staff.intake import existing_rows, target_resource

SPARE_ROWS = 200  # validation reaches this many rows below the prefilled ones
LIST_LIMIT = 255  # Excel's limit on an inline list's text; longer lists go on the Lists sheet


def default_output(repository: Path) -> Path:
    """Where a template goes by default: the working folder, or the home folder when that is inside the
    repository, since a filled workbook holds raw counts that must never be committed."""
    here, repository = Path.cwd().resolve(), Path(repository).resolve()
    return Path.home() if here == repository or repository in here.parents else here


@dataclass
class TemplateResult:
    path: Path
    period: str
    rows: int

    def to_dict(self) -> dict:
        return {"path": str(self.path), "period": self.period, "rows": self.rows}


def write_template(folder, *, period: str | None = None, output=None, resource: str | None = None) -> TemplateResult:
    """Write the workbook for the dataset at `folder` (to `output`, a file or a folder); return where, for which
    period, and how many rows."""
    dataset, problems = load_dataset(Path(folder))
    if dataset is None:
        raise TemplateError(f"{folder}: {problems[0].message}; run publish.py validate")
    target = target_resource(dataset, resource)
    time = target.time_field
    precision = time.period or "quarter"
    header, rows = existing_rows(target)
    have = sorted({r[time.name] for r in rows}, key=lambda p: P.index(p, precision))
    if period is None:
        if not have:
            raise TemplateError(f"{dataset.slug} has no rows yet, so there is no next period: pass --period")
        period = P.next_period(have[-1], precision)
    try:
        P.parse_range(period, precision)
    except P.PeriodError as error:
        raise TemplateError(f"--period: {error}") from None
    columns = [f for f in target.fields if f.role != "annotation" or _staff_codes(f)]
    layout = _layout(target, rows, have, time.name)
    path = Path(output) if output else Path.cwd()
    if path.is_dir():
        path = safe_join(path, f"{dataset.slug}-{period}.xlsx")
    created = dt.datetime.fromisoformat(dataset.updated or "2000-01-01")
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    book.set_properties({"title": f"{dataset.title}: {period}", "created": created,
                         "comments": "Written by publish.py template"})
    data = book.add_worksheet("Data")
    notes = book.add_worksheet("Notes")
    lists = book.add_worksheet("Lists")
    lists.hide()
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    last = len(layout) + SPARE_ROWS
    for c, f in enumerate(columns):
        data.write_string(0, c, f.title, bold)
        data.set_column(c, c, max(14, min(40, len(f.title) + 4)), text if f.type == "string" else None)
        _validate(book, data, lists, c, f, last, period, local_names(dataset, f.name))
    for r, combo in enumerate(layout, start=1):
        for c, f in enumerate(columns):
            if f is time:
                data.write_string(r, c, period)
            elif f.name in combo:
                data.write_string(r, c, str(combo[f.name]))
    data.freeze_panes(1, 0)
    _notes(notes, bold, dataset, target, columns, period)
    book.close()
    return TemplateResult(path, period, len(layout))


def _staff_codes(f) -> list[str]:
    """The note codes staff may type (S is added by intake, never by hand)."""
    return [c for c in f.levels if c != SUPPRESSED]


def _layout(resource, rows, have, time) -> list[dict]:
    """The rows to prefill: each combination of categories the latest period has, else every combination."""
    dims = [f for f in resource.fields_with_role("dimension") if f.name != time]
    if have:
        latest = [r for r in rows if r[time] == have[-1]]
        return [{f.name: r[f.name] for f in dims} for r in latest]
    if dims and all(f.levels for f in dims):
        return [dict(zip([f.name for f in dims], combo)) for combo in itertools.product(*[f.levels for f in dims])]
    return []


def _validate(book, sheet, lists, column, f, last, period, local: dict) -> None:
    message = {"validate": "any", "input_title": f.title[:32]}
    if f.role == "measure" and f.kind == "change":  # a fall since the last period is negative
        sheet.data_validation(1, column, last, column, {
            "validate": "integer", "criteria": "between", "minimum": -10 ** 9, "maximum": 10 ** 9,
            "input_title": f.title[:32], "input_message": "Whole number: this period's count less the last one's "
            "(negative when it fell).", "error_title": "Not a whole number", "error_message": "Enter a whole number."})
        return
    if f.role == "measure" and f.type == "integer":
        sheet.data_validation(1, column, last, column, {
            "validate": "integer", "criteria": ">=", "value": 0, "input_title": f.title[:32],
            "input_message": "Whole number, 0 or more. Enter the real count even when it is small: intake "
                             "hides small counts itself."[:255],
            "error_title": "Not a count", "error_message": "Enter a whole number, 0 or more."})
        return
    if f.role == "measure":
        sheet.data_validation(1, column, last, column, {
            "validate": "decimal", "criteria": ">=", "value": 0, "input_title": f.title[:32],
            "input_message": "A number, 0 or more.", "error_title": "Not a number",
            "error_message": "Enter a number, 0 or more."})
        return
    values = [period] if f.period else (_staff_codes(f) if f.role == "annotation" else codelevels.offered(f))
    values += [name for names in local.values() for name in names]  # tally:aliases: intake reads them too
    if not values:
        return
    source = values
    if len(",".join(values)) > LIST_LIMIT or any("," in v for v in values):
        for r, v in enumerate(values):
            lists.write_string(r, column, v)
        letter = xlsxwriter.utility.xl_col_to_name(column)
        source = f"=Lists!${letter}$1:${letter}${len(values)}"
    hint = "Choose from the list." if f.role != "annotation" else "Leave empty, or a code: " + "; ".join(
        f"{c} = {CODES[c].meaning}" for c in values if c in CODES)
    sheet.data_validation(1, column, last, column, {
        **message, "validate": "list", "source": source, "input_message": hint[:255],
        "error_title": "Not allowed", "error_message": "Choose a value from the list."})


def _notes(sheet, bold, dataset, resource, columns, period) -> None:
    lines = [
        f"{dataset.title}: figures for {period}",
        "",
        "Fill in one row per line of the Data sheet. The categories are already filled in; enter each figure.",
        "Enter the real counts, even the small ones: publish.py intake hides every count from 1 to 10, and any "
        "count that would let someone work one out, before anything is saved.",
        "Enter 0 when there were none. Leave a figure empty only when no data was collected, and put N in its note "
        "column." if any(f.role == "annotation" and "N" in f.levels for f in columns) else
        "Enter 0 when there were none.",
        "Keep this file outside the repository (it holds raw counts). Do not add columns, hide rows or merge cells.",
        f"Then run: python publish.py intake THIS-FILE --dataset {dataset.slug} --period {period}",
        "",
    ]
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, line, bold if r == 0 else None)
    start = len(lines)
    for c, heading in enumerate(("Column", "Field name", "What it is", "Allowed values")):
        sheet.write_string(start, c, heading, bold)
    for r, f in enumerate(columns, start=start + 1):
        allowed = ("a whole number, negative when the count fell" if f.role == "measure" and f.kind == "change" else
                   "a whole number, 0 or more" if f.role == "measure" and f.type == "integer" else
                   "a number, 0 or more" if f.role == "measure" else
                   period if f.period else ", ".join(_staff_codes(f)) if f.role == "annotation" else
                   _levels_text(f, local_names(dataset, f.name)))
        for c, value in enumerate((f.title, f.name, f.description, allowed)):
            sheet.write_string(r, c, str(value))
    sheet.set_column(0, 1, 26)
    sheet.set_column(2, 3, 70)


def _levels_text(f, local: dict) -> str:
    """A dimension's categories, each with the local names tally:aliases declares for it, and the shared code
    list they come from with its sums (issue 10)."""
    text = ", ".join(v + (f" (or {', '.join(local[v])})" if local.get(v) else "") for v in codelevels.offered(f))
    shared = codelevels.described(f)
    return f"{text}; {shared}" if shared else text
