"""Read a staff spreadsheet (.xlsx, .xls, .csv) into a grid of text cells, with what Excel hides.

Cell values come from csvkit's agate machinery: agate-excel for workbooks
(`Table.from_xlsx`, `Table.from_xls`, as `in2csv` uses them) and agate's CSV
reader. Every cell is read as text so that nothing is guessed here: intake
types each column from the dataset's schema.

The workbook is opened a second time with openpyxl (or xlrd) only for what
agate drops: which sheets are hidden, merged ranges, hidden rows and columns,
number formats that carry leading zeros (in2csv turns a code 00501 shown with
format "00000" into 501), and formulas whose result was never saved.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import agate
import agateexcel  # noqa: F401  (registers Table.from_xlsx and Table.from_xls)
from openpyxl.utils import get_column_letter

from tally.core.errors import SheetError

TEXT = agate.TypeTester(types=[agate.Text(cast_nulls=False)])
DEFAULT_SHEET = "data"  # a workbook's sheet with this name (any case) is read when --sheet is not given
ZERO_PADDED = re.compile(r"^0+$")
PERCENT = re.compile(r'%(?=(?:[^"]*"[^"]*")*[^"]*$)')  # a % outside quoted text in a number format
FORMATS = (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv")
ENCODINGS = ("utf-8", "cp1252", "latin-1")  # tried in this order after a byte-order mark


@dataclass
class Grid:
    """One sheet as text cells: rows[r][c] is None for a blank cell. Rows and columns are 0-based."""

    source: str  # 'q3.xlsx, sheet "Data"', for messages
    rows: list[list[str | None]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # first_row, first_col, last_row, last_col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # what was skipped and why
    encoding: str | None = None  # for a CSV: the encoding it was read with
    row_labels: list[int] = field(default_factory=list)  # the row number staff see (1-based)
    cells: dict[tuple[int, int], str] = field(default_factory=dict)  # a reshaped grid's column letters as staff see them

    def label(self, row: int) -> int:
        return self.row_labels[row] if self.row_labels else row + 1

    def letter(self, row: int, column: int) -> str:
        """The column letter staff see for a cell (a cross-tab's cells keep their own)."""
        return self.cells.get((row, column)) or column_letter(column)


def repository_of(dataset_folder) -> Path:
    """The repository a dataset folder is in: the nearest folder above it holding .git, else the
    datasets folder itself (a copy without git history still has a boundary)."""
    folder = Path(dataset_folder).resolve()
    for parent in folder.parents:
        if (parent / ".git").exists():
            return parent
    return folder.parent


def refuse_inside_repository(path, repository) -> None:
    """Raise SheetError when a raw file is inside the repository: its counts must never be committed.

    The one check intake, suppress and their command line share (issue 9 found three, each
    with its own boundary).
    """
    path, repository = Path(path).resolve(), Path(repository).resolve()
    if path == repository or repository in path.parents:
        raise SheetError(f"{path.name} is inside the repository ({repository}); raw figures must never be "
                         "committed: move it outside (for example to your Documents folder) and run the "
                         "command again")


def read_grid(path, sheet: str | None = None) -> Grid:
    """Read one sheet of a workbook, or a CSV file, as a Grid; raise SheetError (never anything else) when it cannot.

    The readers (agate-excel, xlrd, openpyxl) raise whatever they raise on a workbook they
    did not expect (issue 13, problem 5: a bold empty header cell gave "ValueError: column_names
    and column_types must be the same length"); staff get the file's name and what to do.
    """
    try:
        return _read_grid(Path(path), sheet)
    except SheetError:
        raise
    except Exception as error:  # noqa: BLE001 - any reader failure becomes one message naming the file
        suffix = Path(path).suffix.lower()
        fix = ("open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)" if suffix != ".csv" else
               "open it in a spreadsheet program and save it again as CSV (UTF-8)")
        raise SheetError(f"{Path(path).name} could not be read ({type(error).__name__}); {fix}, then run the "
                         "command again") from None


def _read_grid(path: Path, sheet: str | None) -> Grid:
    if not path.is_file():
        raise SheetError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SheetError(f"{path.name}: cannot read {suffix or 'files without an extension'}; "
                         "save the sheet as .xlsx, .xls or .csv")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        return _read_xls(path, sheet)
    if sheet:
        raise SheetError(f"{path.name} is a CSV file and has no sheets; leave out --sheet")
    return _read_csv(path)


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based column index: 0 -> A, 27 -> AB (openpyxl counts from 1)."""
    return get_column_letter(index + 1)


def _choose_sheet(path: Path, names: list[str], hidden: list[str], sheet: str | None) -> tuple[str, list[str]]:
    """The sheet to read and notes about skipped hidden sheets; refuse a hidden or ambiguous choice."""
    visible = [n for n in names if n not in hidden]
    notes = [f'skipped hidden sheet "{n}"' for n in hidden]
    if sheet:
        if sheet not in names:
            raise SheetError(f'{path.name} has no sheet "{sheet}"; its sheets are: '
                             + ", ".join(f'"{n}"' for n in names))
        if sheet in hidden:
            raise SheetError(f'{path.name}: sheet "{sheet}" is hidden. Hidden sheets are never read, because '
                             "what is hidden is easy to send by mistake; unhide it in Excel if it really holds "
                             "the figures")
        return sheet, notes
    if not visible:
        raise SheetError(f"{path.name} has no visible sheet")
    named = [n for n in visible if n.strip().lower() == DEFAULT_SHEET]
    if named:
        return named[0], notes
    if len(visible) > 1:
        raise SheetError(f"{path.name} has {len(visible)} visible sheets ("
                         + ", ".join(f'"{n}"' for n in visible)
                         + '); say which holds the figures with --sheet, or name that sheet "Data"')
    return visible[0], notes


def _agate_rows(table) -> list[list[str | None]]:
    return [[None if v is None or str(v).strip() == "" else str(v) for v in row] for row in table.rows]


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise SheetError(f"{path.name} is not a readable .xlsx workbook ({error}); open it in Excel and "
                         "save it again as an Excel Workbook (.xlsx)") from error
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    name, notes = _choose_sheet(path, book.sheetnames, hidden, sheet)
    ws = book[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # agate: "column names not specified"
        table = agate.Table.from_xlsx(str(path), sheet=name, header=False, column_types=TEXT,
                                      reset_dimensions=True)
    rows = _agate_rows(table)
    source = f'{path.name}, sheet "{name}"'
    unsaved = []
    for row in ws.iter_rows():
        for cell in row:
            r, c = cell.row - 1, cell.column - 1
            if r >= len(rows) or c >= len(rows[r]):
                continue
            if cell.data_type == "f":
                if rows[r][c] is None:
                    unsaved.append(cell.coordinate)
                continue
            rows[r][c] = _formatted(cell.value, cell.number_format, rows[r][c])
    if unsaved:
        raise SheetError(f"{source}: cell(s) {', '.join(unsaved[:10])} hold a formula whose result was never "
                         "saved; open the workbook in Excel (or LibreOffice) and save it, so the results are "
                         "stored, then run intake again")
    merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    hidden_rows = {i - 1 for i, d in ws.row_dimensions.items() if d.hidden}
    hidden_columns = set()
    for letter, d in ws.column_dimensions.items():
        if d.hidden:
            from openpyxl.utils import column_index_from_string

            first = column_index_from_string(letter)
            hidden_columns.update(range(first - 1, max(d.max or first, first)))
    return Grid(source, rows, sorted(merged), hidden_rows, hidden_columns, notes)


def _formatted(value, number_format: str, text: str | None) -> str | None:
    """Text for a number as staff see it: leading zeros ("00000", text "@") kept, a percentage as "70%".

    A cell showing 70.0% holds 0.7 (issue 13, problem 1): written as shown, intake knows it is a
    percentage and puts it on the field's scale.
    """
    if text is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return text
    if PERCENT.search(number_format or ""):
        return f"{round(value * 100, 9):.12g}%"
    if float(value).is_integer() and ZERO_PADDED.match(number_format or ""):
        return str(int(value)).zfill(len(number_format))
    if float(value).is_integer() and number_format == "@":
        return str(int(value))
    return text


def _read_xls(path: Path, sheet: str | None) -> Grid:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as error:
        raise SheetError(f"{path.name} is not a readable .xls workbook ({error}); save it as .xlsx") from error
    names = book.sheet_names()
    hidden = [n for n in names if book.sheet_by_name(n).visibility != 0]
    name, notes = _choose_sheet(path, names, hidden, sheet)
    ws = book.sheet_by_name(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # A type tester, not a list of ws.ncols types: formatted empty cells make ncols wider than agate's rows.
        table = agate.Table.from_xls(str(path), sheet=name, header=False, column_types=TEXT)
    rows = _agate_rows(table)
    for r in range(min(ws.nrows, len(rows))):
        for c in range(min(ws.ncols, len(rows[r]))):
            if ws.cell_type(r, c) == xlrd.XL_CELL_NUMBER:
                fmt = book.format_map[book.xf_list[ws.cell_xf_index(r, c)].format_key].format_str
                value = ws.cell_value(r, c)
                rows[r][c] = _formatted(value, fmt, rows[r][c])
                if rows[r][c] is not None and rows[r][c].endswith(".0") and float(value).is_integer():
                    rows[r][c] = str(int(value))  # xlrd reads every number as a float
    merged = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
    hidden_rows = {r for r, info in ws.rowinfo_map.items() if info.hidden}
    hidden_columns = {c for c, info in ws.colinfo_map.items() if info.hidden}
    book.release_resources()
    return Grid(f'{path.name}, sheet "{name}"', rows, sorted(merged), hidden_rows, hidden_columns, notes)


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: a byte-order mark, else the first of UTF-8, Windows-1252, Latin-1 that decodes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"  # unreachable: every byte string decodes as Latin-1


def _read_csv(path: Path) -> Grid:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    try:
        raw = list(agate.csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise SheetError(f"{path.name} is not a readable CSV file ({error})") from error
    width = max((len(r) for r in raw), default=0)
    padded = [row + [""] * (width - len(row)) for row in raw]
    table = agate.Table(padded, [f"c{i}" for i in range(width)], [agate.Text(cast_nulls=False)] * width)
    notes = [] if encoding in ("utf-8", "utf-16") else [f"read as {_encoding_name(encoding)}"]
    return Grid(path.name, _agate_rows(table), notes=notes, encoding=encoding)


def _delimiter(text: str) -> str:
    """The separator most lines use: comma, semicolon (Excel in many locales), tab or bar.

    csv.Sniffer wants every line alike and gives up on a title line above the header.
    """
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    counts = {d: sum(1 for line in lines if d in line) for d in ",;\t|"}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 with a byte-order mark", "cp1252": "Windows-1252 (Latin-1)",
            "latin-1": "Latin-1"}.get(encoding, encoding)
