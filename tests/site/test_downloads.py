"""Downloads: CSV never carries a formula, XLSX is typed and explains itself, ZIP and XLSX are deterministic."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from frictionless import Package

from tally.core.cache import Cache
from tally.core.errors import BuildError
from tally.core.loading import load_dataset
from tally.privacy.checks.formula_injection import TRIGGERS
from tally.privacy.policy import Policy
from tally.site import downloads
from tally.site.citation import cite
from tally.site.downloads import (
    cached_downloads,
    csv_bytes,
    dataset_downloads,
    neutralise,
    published_descriptor,
    xlsx_bytes,
)
from tally.site.text import json_value

from support import minimal_descriptor, write_package

# Text cells a spreadsheet would run (OWASP CSV injection), beside ordinary ones.
RISKY_CSV = """quarter,area,children,children_note,change
2024-Q1,=1+2,12,,-3.5
2024-Q1,+SUM(A1),,S,1.5
2024-Q1,@cmd,14,,0
2024-Q1,-2+3,15,,-1
2024-Q1,-,16,,2
2024-Q2,=1+2,0,,
2024-Q2,+SUM(A1),,N,
2024-Q2,@cmd,21,,
2024-Q2,-2+3,22,,
2024-Q2,-,23,,
"""
AREAS = ["=1+2", "+SUM(A1)", "@cmd", "-2+3", "-"]


def risky_dataset(tmp_path):
    descriptor = minimal_descriptor()
    fields = descriptor["resources"][0]["schema"]["fields"]
    fields[1] = {"name": "area", "type": "string", "title": "Area", "tally:role": "dimension",
                 "constraints": {"required": True, "enum": AREAS}}
    fields.append({"name": "change", "type": "number", "title": "Change", "tally:role": "measure",
                   "tally:kind": "quantity"})
    descriptor["resources"][0]["schema"]["primaryKey"] = ["quarter", "area"]
    descriptor["tally:updated"] = "2024-08-15"
    descriptor.pop("views")
    dataset, problems = load_dataset(write_package(tmp_path / "risky", descriptor, RISKY_CSV))
    assert not problems
    return dataset


def minimal_dataset(tmp_path, csv_text=None, **changes):
    descriptor = minimal_descriptor()
    descriptor.update({"tally:updated": "2024-08-15", **changes})
    dataset, problems = load_dataset(write_package(tmp_path / "minimal", descriptor, csv_text))
    assert not problems
    return dataset


def test_csv_never_starts_a_text_cell_like_a_formula(tmp_path):
    # The privacy gate refuses such cells; the writer must still never emit one (defence in depth).
    resource = risky_dataset(tmp_path).resources[0]
    rows = list(csv.reader(io.StringIO(csv_bytes(resource).decode("utf-8"))))
    areas = [row[1] for row in rows[1:]]
    assert all(not a.startswith(TRIGGERS) for a in areas if a != "-"), areas
    assert "'=1+2" in areas and "'+SUM(A1)" in areas and "'@cmd" in areas and "'-2+3" in areas
    assert "-" in areas  # a lone sign computes nothing (the gate allows it too)
    # A number is not text: a negative number stays a number.
    assert [row[4] for row in rows[1:5]] == ["-3.5", "1.5", "0", "-1"]


def test_neutralise_covers_every_trigger_and_leaves_other_text_alone():
    for trigger in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(trigger + "x") == "'" + trigger + "x"
    assert neutralise("15-17") == "15-17"
    assert neutralise("All ages") == "All ages"


def test_published_package_still_validates_after_neutralising(tmp_path):
    dataset = risky_dataset(tmp_path)
    out = tmp_path / "published"
    out.mkdir()
    for download in dataset_downloads(dataset):
        (out / download.filename).write_bytes(download.content)
    descriptor = json.loads((out / "datapackage.json").read_text())
    enum = descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"]
    assert enum == ["'=1+2", "'+SUM(A1)", "'@cmd", "'-2+3", "-"]
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_column_named_like_a_formula_stops_the_build(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][1]["name"] = "=age"
    descriptor["resources"][0]["schema"]["primaryKey"] = ["quarter", "=age"]
    dataset, _ = load_dataset(write_package(tmp_path / "bad", descriptor,
                                            "quarter,=age,children,children_note\n2024-Q1,Under 15,12,\n"))
    with pytest.raises(BuildError, match='field "=age" starts like a spreadsheet formula'):
        csv_bytes(dataset.resources[0])


def test_clean_csv_publishes_byte_for_byte_with_its_own_line_endings(tmp_path):
    dataset = minimal_dataset(tmp_path)
    assert csv_bytes(dataset.resources[0]) == dataset.resources[0].file.read_bytes()
    crlf = minimal_dataset(tmp_path / "crlf", "quarter,age_band,children,children_note\r\n2024-Q1,Under 15,12,\r\n")
    assert csv_bytes(crlf.resources[0]) == b"quarter,age_band,children,children_note\r\n2024-Q1,Under 15,12,\r\n"


def test_csv_is_utf8_from_a_latin1_source(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["encoding"] = "latin-1"
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"] = ["Under 15", "Niños"]
    text = "quarter,age_band,children,children_note\n2024-Q1,Niños,12,\n"
    dataset, _ = load_dataset(write_package(tmp_path / "latin", descriptor, text.encode("latin-1")))
    assert "Niños" in csv_bytes(dataset.resources[0]).decode("utf-8")
    published = json.loads(published_descriptor(dataset))
    assert published["resources"][0]["encoding"] == "utf-8"


def test_xlsx_has_typed_columns_labels_empty_cells_and_a_notes_sheet(tmp_path):
    dataset = risky_dataset(tmp_path)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(dataset, dataset.resources[0])))
    data, notes = book.worksheets
    assert notes.title == "Notes"
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == ("quarter", "area", "children", "children_note", "change")
    assert rows[1][2] == 12 and isinstance(rows[1][2], int)
    assert rows[1][4] == -3.5  # a number cell, not text
    assert rows[2][2] == "Suppressed" and rows[7][2] == "Not available"  # never a blank that reads as zero
    # Text that looks like a formula is text, neutralised, never a formula cell.
    cells = [data.cell(row=r, column=2) for r in range(2, 7)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'=1+2", "'+SUM(A1)", "'@cmd", "'-2+3", "-"]
    text = "\n".join(str(v) for row in notes.iter_rows(values_only=True) for v in row if v)
    for name in ("quarter", "area", "children", "children_note", "change"):
        assert name in text
    assert "Data dictionary" in text and "suppressed to protect privacy" in text
    assert "Illustrative sample data" in text


def test_xlsx_is_deterministic_and_dated_by_the_dataset(tmp_path):
    dataset = minimal_dataset(tmp_path)
    first = xlsx_bytes(dataset, dataset.resources[0])
    assert first == xlsx_bytes(dataset, dataset.resources[0])
    created = openpyxl.load_workbook(io.BytesIO(first)).properties.created
    assert created.isoformat().startswith("2024-08-15")


def test_zip_holds_every_file_and_a_readme_and_is_deterministic(tmp_path):
    dataset = minimal_dataset(tmp_path)
    citation = cite(dataset, "Example County", "https://data.example.gov")
    files = dataset_downloads(dataset, citation)
    assert [f.label for f in files] == ["CSV", "Excel", "JSON", "Data package", "ZIP"]
    bundle = files[-1]
    assert bundle.filename == "minimal.zip"
    assert bundle.content == dataset_downloads(dataset, citation)[-1].content
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = archive.namelist()
    assert names == ["minimal-1.0.0/README.txt", "minimal-1.0.0/identifications.csv",
                     "minimal-1.0.0/identifications.xlsx", "minimal-1.0.0/identifications.json",
                     "minimal-1.0.0/datapackage.json"]
    assert all(info.date_time == (2024, 8, 15, 0, 0, 0) for info in archive.infolist())
    for f in files[:-1]:
        assert archive.read(f"minimal-1.0.0/{f.filename}") == f.content
    readme = archive.read("minimal-1.0.0/README.txt").decode("utf-8")
    for expected in ("Minimal example", "Children identified each quarter", "Illustrative sample data",
                     "Creative Commons Attribution 4.0", citation.url, "@misc{minimal-v1.0.0",
                     "1 value in this dataset is suppressed", "children_note (Note)", "S: suppressed"):
        assert expected in readme, expected


def test_json_rows_have_numbers_as_numbers(tmp_path):
    dataset = risky_dataset(tmp_path)
    rows = json.loads(next(f for f in dataset_downloads(dataset) if f.label == "JSON").content)
    assert rows[0] == {"quarter": "2024-Q1", "area": "=1+2", "children": 12, "children_note": None, "change": -3.5}
    assert rows[1]["children"] is None and rows[1]["children_note"] == "S"


def test_sizes_are_shown_as_people_read_them(tmp_path):
    files = dataset_downloads(minimal_dataset(tmp_path))
    assert all(f.size == len(f.content) > 0 for f in files)
    assert files[0].size_text.endswith("Bytes")  # humanize, the one size format on every page (issue 11)


def test_a_table_longer_than_an_excel_sheet_continues_on_more_sheets(tmp_path, monkeypatch):
    """Issue 14: xlsxwriter cut a 1.1M-row table at Excel's 1,048,575 rows, exit 0; here the limit is made 3."""
    monkeypatch.setattr(downloads, "SHEET_ROWS", 3)
    dataset, _ = load_dataset(write_package(tmp_path / "minimal"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(dataset, dataset.resources[0])))
    assert book.sheetnames == ["identifications", "identifications (2)", "Notes"]
    rows = [r for name in book.sheetnames[:2] for r in book[name].iter_rows(min_row=2, values_only=True)]
    assert [r[:2] for r in rows] == [(r["quarter"], r["age_band"]) for r in dataset.resources[0].rows]
    assert all(book[name].cell(1, 1).value == "quarter" for name in book.sheetnames[:2])
    notes = " ".join(str(c) for row in book["Notes"].iter_rows(values_only=True) for c in row if c)
    assert "split over the sheets identifications, identifications (2)" in notes


def test_downloads_written_to_a_folder_are_the_bytes_made_in_memory(tmp_path):
    # Issue 12: a build keeps each download in the cache as a file (a million-row table's JSON
    # held as bytes was a fifth of a gigabyte); the files, the ZIP made from them included,
    # are byte for byte what the in-memory path makes.
    dataset = risky_dataset(tmp_path)
    in_memory = dataset_downloads(dataset)
    (tmp_path / "kept").mkdir()
    on_disk = dataset_downloads(dataset, folder=tmp_path / "kept")
    assert [d.filename for d in on_disk] == [d.filename for d in in_memory]
    assert all(d.body is None and d.file.parent == tmp_path / "kept" for d in on_disk)
    assert [d.content for d in on_disk] == [d.content for d in in_memory]
    assert [d.size for d in on_disk] == [len(d.content) for d in in_memory]
    rows = [{k: json_value(v) for k, v in row.items()} for row in dataset.resources[0].rows]
    assert in_memory[2].content == (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def test_cached_downloads_are_read_from_the_cache_folder(tmp_path):
    dataset = risky_dataset(tmp_path)
    cache = Cache(tmp_path / "cache", "charts")
    first = cached_downloads(dataset, None, Policy.of(dataset), cache)
    again = cached_downloads(dataset, None, Policy.of(dataset), cache)
    assert [d.file for d in again] == [d.file for d in first] and all(d.body is None for d in again)
    assert [d.content for d in again] == [d.content for d in dataset_downloads(dataset, None, Policy.of(dataset))]
    out = tmp_path / "site.zip"
    again[-1].write_to(out)
    assert out.read_bytes() == first[-1].content
