"""The files a dataset page offers: CSV, XLSX and JSON per table, the descriptor, and a ZIP of them all.

Published CSVs are UTF-8 with RFC 4180 quoting (line endings as in the repository),
written from the typed rows through each field's own Frictionless writer, so the
published datapackage.json describes them exactly and `frictionless validate <url>/datapackage.json` works on the site.
No text cell of a CSV or spreadsheet starts like a formula (OWASP "CSV
injection"): the privacy gate refuses such cells (checks/formula_injection.py)
and the writers here neutralise any that reach them, so a file never carries one.
Every file is deterministic: the same package gives the same bytes (the XLSX and
ZIP timestamps come from the dataset's own updated date, never from the clock).
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import shutil
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from tally.core.annotations import CODES
from tally.core.cache import Cache, key
from tally.core.dataset import Dataset, Resource
from tally.core.errors import BuildError
from tally.core.paths import safe_join, safe_relative
from tally.privacy.checks.formula_injection import LONE_SIGNS, TRIGGERS
from tally.privacy.policy import Policy
from tally.site.citation import Citation
from tally.site.dictionary import (
    EmptyCells,
    StatusCells,
    dictionary,
    empty_cells,
    row_cell,
    status_cells,
    status_text,
    suppression_text,
)
from tally.site.text import human_size, json_value, plain_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a ZIP entry can carry; used when a dataset states no date
SHEET_NAME_LIMIT = 31  # Excel's limit
# Excel's 1,048,576 rows per sheet, less the header. A longer table continues on further
# sheets: cutting it (as xlsxwriter does, silently) lost 51,425 rows of a 1.1M-row table (issue 14).
SHEET_ROWS = 1_048_575
WRAP = 78


@dataclass(frozen=True)
class Download:
    label: str  # "CSV", "Excel", "JSON", "Data package", "ZIP"
    filename: str  # written beside the dataset page
    media_type: str
    body: bytes | None  # the bytes, or None when they are kept in `file`
    description: str = ""  # one sentence the page shows beside the link
    # Where the bytes are kept (the build cache) for a large file: a million-row table's
    # JSON, XLSX and ZIP held in memory until Pelican wrote them were most of a build's
    # memory (issue 12). Read only when written, copied in pieces.
    file: Path | None = None

    @property
    def content(self) -> bytes:
        """The file's bytes (read from `file` when they are kept there)."""
        return Path(self.file).read_bytes() if self.body is None else self.body

    @property
    def size(self) -> int:
        return Path(self.file).stat().st_size if self.body is None else len(self.body)

    @property
    def size_text(self) -> str:
        """The size as people read it: "5.3 KB"."""
        return human_size(self.size)

    def write_to(self, path: Path) -> None:
        """Write the file at `path`, copying it in pieces when it is kept on disk."""
        if self.body is not None:
            Path(path).write_bytes(self.body)
            return
        try:
            shutil.copyfile(self.file, path)
        except OSError as error:  # name the file written (shutil names the cache file it read)
            raise OSError(error.errno, error.strerror, str(path)) from error


def published_name(resource: Resource) -> str:
    """The file name a resource is published under: <resource>.csv for a table, else <resource>.<format>."""
    return f"{resource.name}.csv" if resource.tabular else f"{resource.name}.{resource.format}"


def cached_downloads(dataset: Dataset, citation: Citation | None, policy: Policy, cache: Cache | None) -> list[Download]:
    """`dataset_downloads`, from the cache when the package, citation and Policy are unchanged (issue 12).

    The XLSX, ZIP and JSON files were rebuilt on every build; they are written once into a
    folder of the cache named by a key of everything they are made from, and read from
    there (never held in memory) until the build copies them into the site.
    """
    if cache is None:
        return dataset_downloads(dataset, citation, policy)
    files = [dataset.descriptor_file] + [Path(r.file) for r in dataset.resources if r.file is not None]
    cache_key = key("downloads", dataset.descriptor, dataset.slug, *[file_digest(f) for f in files],
                    dataclasses.asdict(citation) if citation else None, dataclasses.asdict(policy))
    folder = cache.folder(cache_key)
    listed = cache.get_json(cache_key)
    if listed is not None and all((folder / entry["filename"]).is_file() for entry in listed):
        return [Download(**{**entry, "body": None, "file": folder / entry["filename"]}) for entry in listed]
    staging = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    downloads = dataset_downloads(dataset, citation, policy, folder=staging)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        staging.replace(folder)  # a whole folder at once: parallel builds never read half of one
    except OSError:  # another process put the same files there first: theirs stand
        shutil.rmtree(staging, ignore_errors=True)
        if not all((folder / d.filename).is_file() for d in downloads):
            raise
    downloads = [dataclasses.replace(d, file=folder / d.filename) for d in downloads]
    cache.put_json(cache_key, [{k: v for k, v in dataclasses.asdict(d).items() if k not in ("body", "file")}
                               for d in downloads])
    return downloads


def file_digest(path: Path) -> str:
    """A hash of a file's bytes, read in pieces ("" for a file that is not there)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for piece in iter(lambda: handle.read(1 << 20), b""):
                digest.update(piece)
    except OSError:
        return ""
    return digest.hexdigest()


def dataset_downloads(dataset: Dataset, citation: Citation | None = None, policy: Policy | None = None,
                      folder: Path | None = None) -> list[Download]:
    """Every file a dataset page links to, in the order it lists them, the ZIP of them all last.

    With `folder`, each file is written there as it is made and its Download reads it from
    there, so a large table is never held whole as bytes; without, the bytes are in memory.
    """
    policy = policy or Policy.of(dataset)

    def made(label, filename, media_type, write, description) -> Download:
        if folder is None:
            buffer = io.BytesIO()
            write(buffer)
            return Download(label, filename, media_type, buffer.getvalue(), description)
        path = safe_join(folder, filename)
        with open(path, "wb") as handle:
            write(handle)
        return Download(label, filename, media_type, None, description, path)

    files = []
    for resource in dataset.resources:
        if resource.tabular:
            files.append(made("CSV", published_name(resource), "text/csv", lambda out, r=resource: write_csv(r, out),
                              "Comma-separated values (UTF-8), for any spreadsheet or program"))
            files.append(made("Excel", f"{resource.name}.xlsx", XLSX_TYPE,
                              lambda out, r=resource: write_xlsx(dataset, r, out, citation, policy),
                              "Spreadsheet with typed columns and a Notes sheet explaining each column"))
            files.append(made("JSON", f"{resource.name}.json", "application/json",
                              lambda out, r=resource: write_rows_json(r, out),
                              "The rows as JSON objects; empty cells are null"))
        else:
            files.append(made(resource.format.upper(), published_name(resource), _media_type(resource),
                              lambda out, r=resource: out.write(_utf8_bytes(r)), resource.title))
    files.append(made("Data package", "datapackage.json", "application/json",
                      lambda out: out.write(published_descriptor(dataset)),
                      "The Frictionless descriptor: titles, types and sources of every file"))
    readme = readme_text(dataset, files, citation, policy)
    files.append(made("ZIP", f"{dataset.slug}.zip", "application/zip",
                      lambda out: write_zip(dataset, files, readme, out),
                      "All of the above and a README.txt, in one file"))
    return files


# -- spreadsheet safety ---------------------------------------------------------

def neutralise(value: str) -> str:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe (OWASP)."""
    if value.startswith(TRIGGERS) and value not in LONE_SIGNS:
        return "'" + value
    return value


def is_formula_like(value) -> bool:
    """True for a text cell a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS) and value not in LONE_SIGNS


# -- CSV --------------------------------------------------------------------------

def csv_bytes(resource: Resource) -> bytes:
    """The table as UTF-8 RFC 4180 CSV: header of field names, each cell written as its schema says."""
    out = io.BytesIO()
    write_csv(resource, out)
    return out.getvalue()


def write_csv(resource: Resource, out) -> None:
    """Write `csv_bytes` to a binary file, a row at a time."""
    fields = resource.frictionless.schema.fields
    for f in fields:
        if is_formula_like(f.name):
            raise BuildError(f'{resource.file}: field "{f.name}" starts like a spreadsheet formula; '
                             "rename the column so it starts with a letter or digit")
    missing = _missing_marker(resource)
    # Line endings as the repository file has them, so a clean file publishes byte for byte.
    with open(resource.file, "rb") as source:
        ending = "\r\n" if b"\r\n" in source.read(65536) else "\n"
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator=ending)
    writer.writerow([f.name for f in fields])
    for row in resource.rows:
        writer.writerow([_csv_cell(f, row.get(f.name), missing) for f in fields])
    text.flush()
    text.detach()  # leave `out` open for the caller


def _missing_marker(resource: Resource) -> str:
    schema = resource.descriptor.get("schema")
    values = schema.get("missingValues", [""]) if isinstance(schema, dict) else [""]
    return neutralise(str(values[0])) if values else ""


def _csv_cell(field, value, missing: str) -> str:
    if value is None:
        return missing
    if isinstance(value, str):
        return neutralise(value)
    cell, _notes = field.write_cell(value)  # a typed value: a number or date is never text, so never a formula
    return str(value) if cell is None else str(cell)


# -- XLSX -------------------------------------------------------------------------

def xlsx_bytes(dataset: Dataset, resource: Resource, citation: Citation | None = None,
               policy: Policy | None = None) -> bytes:
    """A workbook: the data with typed columns, empty measures labelled, and a Notes sheet with the dictionary."""
    buffer = io.BytesIO()
    write_xlsx(dataset, resource, buffer, citation, policy)
    return buffer.getvalue()


def write_xlsx(dataset: Dataset, resource: Resource, out, citation: Citation | None = None,
               policy: Policy | None = None) -> None:
    """Write `xlsx_bytes` to a binary file.

    Rows go to a temporary file as they are written (xlsxwriter's constant_memory mode), not
    into a cell object each: in memory, a million-row sheet took most of a gigabyte (issue 12).
    """
    with tempfile.TemporaryDirectory(prefix="tally-xlsx-") as scratch:
        book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": scratch, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
        # Fixing the creation date makes two builds byte-identical (xlsxwriter fixes the ZIP times itself).
        book.set_properties({"title": dataset.title, "subject": resource.title, "created": _stamp(dataset),
                             "comments": "Illustrative sample data" if dataset.sample else ""})
        formats = {
            "head": book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
            "integer": book.add_format({"num_format": "#,##0"}),
            "number": book.add_format({"num_format": "#,##0.########"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "time": book.add_format({"num_format": "hh:mm:ss"}),
            "empty": book.add_format({"italic": True, "font_color": "#595959", "align": "right"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
            "title": book.add_format({"bold": True, "font_size": 14}),
            "bold": book.add_format({"bold": True}),
        }
        sheets = _data_sheets(book, resource, formats)
        _notes_sheet(book, dataset, resource, citation, formats, policy or Policy.of(dataset), sheets)
        book.close()


def _stamp(dataset: Dataset) -> dt.datetime:
    for text in (dataset.updated, str(dataset.get("created") or "")[:10]):
        try:
            return max(dt.datetime.fromisoformat(text[:10]), EPOCH)
        except ValueError:
            continue
    return EPOCH


def _data_sheets(book, resource: Resource, formats: dict) -> list[str]:
    """Write the rows over as many sheets as Excel needs; return the sheets' names."""
    rows = resource.rows
    # Each sheet reads its share of the rows in turn (a slice would copy them as dicts).
    parts = [itertools.islice(rows, start, start + SHEET_ROWS) for start in range(0, len(rows), SHEET_ROWS)] or [[]]
    base = _sheet_name(resource.name)
    names = [base] + [f"{base[:SHEET_NAME_LIMIT - len(f' ({n})')]} ({n})" for n in range(2, len(parts) + 1)]
    for name, part in zip(names, parts):
        _data_sheet(book, name, resource, part, formats)
    return names


def _data_sheet(book, name: str, resource: Resource, rows, formats: dict) -> None:
    sheet = book.add_worksheet(name)
    widths = []
    for column, f in enumerate(resource.fields):
        sheet.write_string(0, column, neutralise(f.name), formats["head"])
        widths.append(len(f.name))
    number = 0
    for number, row in enumerate(rows, start=1):
        for column, f in enumerate(resource.fields):
            shown = _write_cell(sheet, number, column, f, row, resource, formats)
            widths[column] = max(widths[column], len(shown))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(max(width, 6), 50) + 2)
    sheet.freeze_panes(1, 0)
    if number:
        sheet.autofilter(0, 0, number, len(resource.fields) - 1)


def _write_cell(sheet, r: int, c: int, f, row: dict, resource: Resource, formats: dict) -> str:
    """Write one typed cell; return the text it shows (for the column width)."""
    value = row.get(f.name)
    if value is None:
        if f.role == "measure":  # a measure is never blank without a reason: Suppressed / Not available
            label = row_cell(resource, f.name, row)
            sheet.write_string(r, c, label, formats["empty"])
            return label
        sheet.write_blank(r, c, None)
        return ""
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
        return "FALSE"
    if isinstance(value, int):
        sheet.write_number(r, c, value, formats["integer"])
        return f"{value:,}"
    if f.type == "number":
        sheet.write_number(r, c, float(value), formats["number"])
        return str(value)
    if isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), formats["datetime"])
        return "yyyy-mm-dd hh:mm:ss"
    if isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), formats["date"])
        return "yyyy-mm-dd"
    if isinstance(value, dt.time):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), formats["time"])
        return "hh:mm:ss"
    text = neutralise(str(json_value(value)))
    sheet.write_string(r, c, text)
    return text


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:SHEET_NAME_LIMIT] or "Data"


def _notes_sheet(book, dataset: Dataset, resource: Resource, citation: Citation | None, formats: dict,
                 policy: Policy, sheets: list[str]) -> None:
    sheet = book.add_worksheet("Notes" if _sheet_name(resource.name) != "Notes" else "About")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 7, 28)
    row = 0
    sheet.write_string(row, 0, neutralise(dataset.title), formats["title"])
    row += 2
    facts = [("Table", resource.title), ("Version", dataset.version), ("Last updated", dataset.updated)]
    if len(sheets) > 1:
        facts.append(("Sheets", f"The {len(resource.rows):,} rows are split over the sheets {', '.join(sheets)}, "
                                f"in order: a sheet holds at most {SHEET_ROWS:,} rows"))
    if dataset.sample:
        facts.insert(0, ("Sample", "Illustrative sample data: not official statistics"))
    licence = dataset.licenses[0] if dataset.licenses else {}
    if licence:
        facts.append(("Licence", " ".join(str(x) for x in (licence.get("title") or licence.get("name", ""),
                                                          licence.get("path", "")) if x)))
    facts += [("Source", " ".join(str(s.get(k)) for k in ("title", "path") if s.get(k))) for s in dataset.sources]
    if citation:
        facts.append(("How to cite", citation.text))
    suppression = suppression_text(empty_cells(resource), policy, where="in this table")
    if suppression:
        facts.append(("Empty cells", suppression))
    status = status_text(status_cells(resource), where="in this table")
    if status:
        facts.append(("Provisional", status))
    facts.append(("Description", plain_text(dataset.description)))
    facts += [("Note", plain_text(n)) for n in dataset.notes]
    for label, text in facts:
        if not text:
            continue
        sheet.write_string(row, 0, label, formats["bold"])
        sheet.merge_range(row, 1, row, 7, neutralise(str(text)), formats["wrap"])
        sheet.set_row(row, 15 * max(1, -(-len(str(text)) // 160)))
        row += 1
    row += 1
    sheet.write_string(row, 0, "Data dictionary", formats["title"])
    row += 1
    headings = ["Column", "Title", "Type", "Role", "Description", "Unit", "Allowed values", "Empty cells"]
    for column, heading in enumerate(headings):
        sheet.write_string(row, column, heading, formats["head"])
    for entry in dictionary(resource):
        row += 1
        values = [entry.name, entry.title, entry.type, entry.role, entry.description, entry.unit,
                  entry.constraints, entry.missing]
        for column, text in enumerate(values):
            sheet.write_string(row, column, neutralise(str(text)), formats["wrap"])
    codes = [CODES[c] for c in sorted(CODES)]
    row += 2
    sheet.write_string(row, 0, "Annotation codes", formats["bold"])
    for code in codes:
        row += 1
        sheet.write_string(row, 0, code.code)
        sheet.write_string(row, 1, code.meaning)


# -- JSON and the descriptor ------------------------------------------------------

def _utf8_bytes(resource: Resource) -> bytes:
    data = resource.file.read_bytes()
    encoding = (resource.descriptor.get("encoding") or "utf-8").lower()
    if encoding in ("utf-8", "utf8", "ascii", "us-ascii"):
        return data
    return data.decode(encoding).encode("utf-8")


def _media_type(resource: Resource) -> str:
    return {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json",
            "txt": "text/plain"}.get(resource.format, "application/octet-stream")


def rows_json(resource: Resource) -> bytes:
    """The resource's typed rows as a JSON array of objects; empty cells are null."""
    out = io.BytesIO()
    write_rows_json(resource, out)
    return out.getvalue()


def write_rows_json(resource: Resource, out) -> None:
    """Write `rows_json` to a binary file a row at a time, the bytes json.dumps(rows, indent=1) gives."""
    if not len(resource.rows):
        out.write(b"[]\n")
        return
    out.write(b"[\n")
    for number, row in enumerate(resource.rows):
        text = json.dumps({k: json_value(v) for k, v in row.items()}, ensure_ascii=False, indent=1)
        out.write(((",\n" if number else "") + " " + text.replace("\n", "\n ")).encode("utf-8"))
    out.write(b"\n]\n")


def published_descriptor(dataset: Dataset) -> bytes:
    """The descriptor with each resource pointing at its published download, as those files are written."""
    descriptor = copy.deepcopy(dataset.descriptor)
    for entry, resource in zip(descriptor["resources"], dataset.resources):
        entry["path"] = published_name(resource)
        if isinstance(entry.get("schema"), str):  # a schema file next to the package is not published
            entry["schema"] = {"fields": [f.descriptor for f in resource.fields]}
        if resource.tabular:
            # The CSV is rewritten: UTF-8, comma-separated, one header row of field names.
            entry.update({"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"})
            for key in ("dialect", "bytes", "hash", "mimetype", "compression"):
                entry.pop(key, None)
            _neutralise_schema(entry.get("schema"))
        elif "encoding" in entry:
            entry["encoding"] = "utf-8"
            entry.pop("bytes", None)
            entry.pop("hash", None)
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _neutralise_schema(schema) -> None:
    """Apply `neutralise` to the values a schema lists, so the published files still match it."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("missingValues"), list):
        schema["missingValues"] = [neutralise(v) if isinstance(v, str) else v for v in schema["missingValues"]]
    for f in schema.get("fields", []):
        constraints = f.get("constraints") or {}
        if isinstance(constraints.get("enum"), list):
            constraints["enum"] = [neutralise(v) if isinstance(v, str) else v for v in constraints["enum"]]
        if isinstance(f.get("tally:total"), str):
            f["tally:total"] = neutralise(f["tally:total"])
        for category in f.get("categories") or []:
            if isinstance(category, dict) and isinstance(category.get("value"), str):
                category["value"] = neutralise(category["value"])


# -- README.txt and the ZIP -------------------------------------------------------

def readme_text(dataset: Dataset, files: list[Download], citation: Citation | None, policy: Policy) -> str:
    """The ZIP's README: title, description, files, what you should know, licence, citation, dictionary."""
    lines = [dataset.title, "=" * min(len(dataset.title), WRAP), ""]
    if dataset.sample:
        lines += ["Illustrative sample data: these figures are examples, not official statistics.", ""]
    facts = [("Version", dataset.version), ("Last updated", dataset.updated),
             ("Frequency", dataset.frequency.capitalize())]
    temporal = dataset.coverage.get("temporal") if isinstance(dataset.coverage, dict) else None
    if isinstance(temporal, dict) and temporal.get("start"):
        facts.append(("Time covered", f"{temporal.get('start')} to {temporal.get('end', '')}".strip()))
    if isinstance(dataset.coverage, dict) and dataset.coverage.get("spatial"):
        facts.append(("Place", str(dataset.coverage["spatial"])))
    lines += [f"{label}: {value}" for label, value in facts if value] + [""]
    lines += _paragraphs(plain_text(dataset.description))

    lines += _heading("Files")
    for f in files:
        lines += _wrapped(f"{f.filename}: {f.description or f.label}", "- ", "  ")
    lines += _wrapped("README.txt: this file", "- ", "  ")

    cells = sum((empty_cells(r) for r in dataset.tabular_resources), start=EmptyCells())
    notes = [plain_text(n) for n in dataset.notes]
    suppression = suppression_text(cells, policy)
    if suppression:
        notes.append(suppression)
    status = status_text(sum((status_cells(r) for r in dataset.tabular_resources), start=StatusCells()))
    if status:
        notes.append(status)
    if notes:
        lines += _heading("What you should know")
        for note in notes:
            lines += _wrapped(note, "- ", "  ")

    lines += _heading("Licence")
    licence = dataset.licenses[0] if dataset.licenses else {}
    lines += _wrapped(" ".join(str(x) for x in (licence.get("title") or licence.get("name"), licence.get("path"))
                               if x) or "No licence is stated; ask the publisher before reusing these figures.")
    if dataset.sources:
        lines += _heading("Sources")
        for source in dataset.sources:
            lines += _wrapped(" ".join(str(source[k]) for k in ("title", "path") if source.get(k)), "- ", "  ")
    if citation:
        lines += _heading("How to cite")
        lines += _paragraphs(citation.text) + ["BibTeX:", ""] + citation.bibtex.splitlines()

    for resource in dataset.tabular_resources:
        lines += _heading(f"Data dictionary: {published_name(resource)}")
        for entry in dictionary(resource):
            lines += [f"{entry.name} ({entry.title}): {entry.type}, {entry.role}"]
            details = [entry.description, f"Unit: {entry.unit}" if entry.unit else "",
                       f"Allowed values: {entry.constraints}" if entry.constraints else "",
                       f"Empty cells: {entry.missing}" if entry.missing else ""]
            for detail in details:
                if detail:
                    lines += _wrapped(detail, "    ", "    ")
            lines.append("")
    lines += _heading("Annotation codes")
    lines += [f"{c.code}: {c.meaning}" for c in CODES.values()]
    return "\n".join(lines).rstrip() + "\n"


def _heading(text: str) -> list[str]:
    return ["", text, "-" * min(len(text), WRAP), ""]


def _wrapped(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, WRAP, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [""]


def _paragraphs(text: str) -> list[str]:
    lines = []
    for paragraph in text.split("\n\n"):
        lines += _wrapped(paragraph) + [""]
    return lines


def versioned_name(dataset: Dataset, resource: str = "") -> str:
    """<dataset>-<version> (or <dataset>-<resource>-<version>): what a file of one version is called when saved."""
    parts = [dataset.slug] + ([resource] if resource else []) + ([dataset.version] if dataset.version else [])
    return "-".join(parts)


def zip_bytes(dataset: Dataset, files: list[Download], readme: str) -> bytes:
    """A ZIP of every file and the README, in one folder, with fixed times and permissions."""
    buffer = io.BytesIO()
    write_zip(dataset, files, readme, buffer)
    return buffer.getvalue()


def write_zip(dataset: Dataset, files: list[Download], readme: str, out) -> None:
    """Write `zip_bytes` to a seekable binary file, each member copied in pieces from where it is kept."""
    stamp = _stamp(dataset).timetuple()[:6]
    folder = versioned_name(dataset)
    members = [("README.txt", readme.replace("\n", "\r\n").encode("utf-8"), None)] + [
        (f.filename, f.body, f.file) for f in files]
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, path in members:
            info = zipfile.ZipInfo(safe_relative(folder, name), date_time=stamp)  # never a zip-slip entry
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the permissions above are read the same everywhere
            if data is not None:
                archive.writestr(info, data, compresslevel=9)
                continue
            # As writestr does, with the size known beforehand (so the same header and bytes).
            info.file_size = Path(path).stat().st_size
            info._compresslevel = 9
            with open(path, "rb") as source, archive.open(info, "w") as member:
                shutil.copyfileobj(source, member, 1 << 20)
