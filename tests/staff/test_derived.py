"""Workbooks as Excel keeps them (issue 13, problems 1 and 5): readers never raise, number formats honoured,
percentages checked against their counts. Fixtures are synthetic: tests/fixtures/workbooks/ and built here."""

import zipfile

import openpyxl
import pytest

from tally.core.errors import IntakeError, SheetError
from tally.staff.intake import intake
from tally.staff.sheets import read_grid

from staff_support import FIRST_RESPONDER, copy_datasets, csv_rows, digest
from support import REPO, get_settings

FIXTURES = REPO / "tests" / "fixtures" / "workbooks"
PARENTS = "parent-empowerment-program"
PARENT_HEADER = ["Quarter", "Parents and caregivers enrolled", "Parents and caregivers who completed",
                 "Completion rate"]


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def test_an_xls_with_bold_empty_header_cells_and_a_wide_title_is_taken_in(datasets, tmp_path):
    result = intake(datasets / FIRST_RESPONDER, FIXTURES / "bold-empty-header.xls", "2024-Q3",
                    settings=get_settings(tmp_path))
    assert result.rows == 25 and result.added == ["2024-Q3"]


def _not_a_workbook(path):
    path.write_bytes(b"quarter,count\n2024-Q3,12\n")


def _empty(path):
    path.write_bytes(b"")


def _truncated(path):
    book = openpyxl.Workbook()
    book.active.append(["Quarter", "Count"])
    book.save(path)
    path.write_bytes(path.read_bytes()[:300])


def _zip_of_nothing(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")


def _xls_of_noise(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)


@pytest.mark.parametrize("make, suffix", [(_not_a_workbook, ".xlsx"), (_empty, ".xlsx"), (_truncated, ".xlsx"),
                                          (_zip_of_nothing, ".xlsx"), (_not_a_workbook, ".xls"), (_empty, ".xls"),
                                          (_xls_of_noise, ".xls")],
                         ids=["csv-named-xlsx", "empty-xlsx", "truncated-xlsx", "zip-of-nothing", "csv-named-xls",
                              "empty-xls", "ole-noise-xls"])
def test_a_broken_workbook_is_one_message_naming_the_file_and_what_to_do(tmp_path, make, suffix):
    path = tmp_path / f"figures{suffix}"
    make(path)
    with pytest.raises(SheetError) as caught:
        read_grid(path)
    message = str(caught.value)
    assert message.startswith("figures") and ".xlsx" in message, message
    assert "Traceback" not in message


def parent_sheet(tmp_path, rate, rate_format=None, enrolled=40, completed=28):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data"
    ws.append(PARENT_HEADER)
    ws.append(["2024-Q3", enrolled, completed, rate])
    if rate_format:
        ws["D2"].number_format = rate_format
    ws["B2"].number_format = "#,##0"
    book.save(tmp_path / "parents.xlsx")
    return tmp_path / "parents.xlsx"


def test_a_percent_formatted_rate_is_written_on_the_fields_scale(datasets, tmp_path):
    # Shows 70.0% in Excel, holds 0.7; the field's other rows hold 72.0, 70.4: it is written 70.
    intake(datasets / PARENTS, parent_sheet(tmp_path, 0.7, "0.0%"), "2024-Q3", settings=get_settings(tmp_path))
    row = csv_rows(datasets / PARENTS / "data" / "enrolments.csv")[-1]
    assert (row["quarter"], row["completion_rate"]) == ("2024-Q3", "70")


@pytest.mark.parametrize("rate, says", [(0.7, "looks like a fraction"), (7000, "a hundred times"),
                                        (55.0, "does not match its counts")])
def test_a_rate_that_does_not_match_its_counts_is_refused_naming_the_cell(datasets, tmp_path, rate, says):
    before = digest(datasets)
    with pytest.raises(IntakeError) as caught:
        intake(datasets / PARENTS, parent_sheet(tmp_path, rate), "2024-Q3", settings=get_settings(tmp_path))
    message = str(caught.value)
    assert 'row 2, column "Completion rate"' in message and says in message
    assert "0.7" not in message.replace("(0.7 for 70%)", "") and "7000" not in message and "55" not in message
    assert digest(datasets) == before


def test_thousands_formats_are_read_as_the_number(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Count", "Share"])
    book.active.append([1234, 0.125])
    book.active["A2"].number_format = "#,##0"
    book.active["B2"].number_format = "0.0%"
    book.save(tmp_path / "t.xlsx")
    assert read_grid(tmp_path / "t.xlsx").rows[1] == ["1234", "12.5%"]


# Issue 10: a declared change or year-to-date column goes in through intake; a figure computed from a
# hidden period is hidden with it, so what intake writes passes the site-wide gate (linked-tables).

def _linear_dataset(tmp_path, kind, counts, figures):
    from adversarial import packages
    rows = [{"quarter": q, "children": c, "figure": f} for q, c, f in zip(packages.QUARTERS, counts, figures)]
    for row in rows:
        if row["children"] is not None and row["figure"] is None:
            row["figure_note"] = "N" if kind == "change" else "S"
    fields = [packages.quarter(), packages.count("children"), packages._linear("figure", kind)]
    fields[2]["title"] = "Figure"
    packages.write(tmp_path / "datasets", packages.package("linear", [packages.resource("linear", fields, rows)]))
    return tmp_path / "datasets" / "linear"


def _sheet(tmp_path, count, figure):
    book = openpyxl.Workbook()
    book.active.append(["Quarter", "Children", "Figure"])
    book.active.append(["2023-Q4", count, figure])
    book.save(tmp_path / "q4.xlsx")
    return tmp_path / "q4.xlsx"


@pytest.mark.parametrize("kind, figures, typed", [("change", [None, 10, None], 19),
                                                  ("year-to-date", [20, 50, None], 81)])
def test_a_figure_computed_from_a_hidden_quarter_is_hidden_by_intake(tmp_path, kind, figures, typed):
    folder = _linear_dataset(tmp_path, kind, [20, 30, None], figures)
    intake(folder, _sheet(tmp_path, 25, typed), "2023-Q4", settings=get_settings(tmp_path))
    q4 = [r for r in csv_rows(folder / "data" / "linear.csv") if r["quarter"] == "2023-Q4"]
    assert [(r["children"], r["figure"], r["figure_note"]) for r in q4] == [("25", "", "S")]


def test_a_fall_since_a_published_quarter_is_published(tmp_path):
    folder = _linear_dataset(tmp_path, "change", [20, 30, 31], [None, 10, 1])
    intake(folder, _sheet(tmp_path, 25, -6), "2023-Q4", settings=get_settings(tmp_path))
    q4 = [r for r in csv_rows(folder / "data" / "linear.csv") if r["quarter"] == "2023-Q4"]
    assert [(r["children"], r["figure"], r["figure_note"]) for r in q4] == [("25", "-6", "")]
