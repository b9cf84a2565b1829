"""sheets: spreadsheets read as text grids with csvkit's agate readers, plus what Excel hides."""

import pytest
import xlsxwriter

from tally.staff.sheets import SheetError, column_letter, detect_encoding, read_grid

from support import shared_corpus


@pytest.mark.parametrize("data, expected", [
    (b"\xef\xbb\xbfa,b\n", "utf-8-sig"), (b"\xff\xfea\x00", "utf-16"), ("é".encode(), "utf-8"),
    ("é€".encode("cp1252"), "cp1252"), (b"\x81\xe9", "latin-1"), (b"plain", "utf-8")])
def test_detect_encoding(data, expected):
    assert detect_encoding(data) == expected


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letter(index, letters):
    assert column_letter(index) == letters


def test_csv_rows_of_different_lengths_and_semicolons(tmp_path):
    (tmp_path / "t.csv").write_text("Title\n\nQuarter;Count\n2024-Q3;12\n")
    grid = read_grid(tmp_path / "t.csv")
    assert grid.rows == [["Title", None], [None, None], ["Quarter", "Count"], ["2024-Q3", "12"]]
    assert grid.encoding == "utf-8" and grid.notes == []


def test_xlsx_cells_are_text_with_codes_and_dates_kept(tmp_path):
    import datetime

    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["Code", "When", "Count"])
    ws.write_number(1, 0, 7, book.add_format({"num_format": "000"}))
    ws.write_datetime(1, 1, datetime.datetime(2024, 7, 1), book.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_number(1, 2, 12)
    ws.merge_range("A4:C4", "Source: test")
    book.close()
    grid = read_grid(path)
    assert grid.rows[:2] == [["Code", "When", "Count"], ["007", "2024-07-01", "12"]]
    assert grid.merged == [(3, 0, 3, 2)]
    assert grid.source == 't.xlsx, sheet "Data"'


def test_xls_is_read_through_agate_excel():
    grid = read_grid(shared_corpus() / "invalid" / "frictionless-py__multiple-errors" / "table.xls")
    assert grid.rows == [["id", "name"], ["1", "english"], ["2", "中国人"]]


def test_a_named_sheet_that_does_not_exist_lists_the_sheets(tmp_path):
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Q3").write(0, 0, "x")
    book.close()
    with pytest.raises(SheetError, match='has no sheet "Q2"; its sheets are: "Q3"'):
        read_grid(path, "Q2")


def test_unknown_formats_and_sheets_of_a_csv_are_refused(tmp_path):
    (tmp_path / "t.ods").write_bytes(b"x")
    with pytest.raises(SheetError, match="save the sheet as .xlsx, .xls or .csv"):
        read_grid(tmp_path / "t.ods")
    (tmp_path / "t.csv").write_text("a\n")
    with pytest.raises(SheetError, match="has no sheets"):
        read_grid(tmp_path / "t.csv", "Data")
