"""intake: a staff spreadsheet becomes publishable rows; every bad input is refused clearly and writes nothing."""

import datetime
import json

import openpyxl
import pytest
import xlsxwriter

from tally.core.errors import IntakeError, SheetError, TallyError
from tally.privacy.validation import validate
from tally.staff.intake import intake

from staff_support import (
    AGES,
    AREAS,
    FIRST_RESPONDER,
    HEADER,
    copy_datasets,
    cross_tab,
    csv_rows,
    digest,
    publish,
    quarter_values,
    write_xlsx,
)
from support import get_settings, minimal_descriptor, write_package

SMALL = range(1, 11)


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def run(datasets, workbook, period="2024-Q3", name=FIRST_RESPONDER, **options):
    return intake(datasets / name, workbook, period, settings=get_settings(datasets.parent), **options)


def refused(datasets, workbook, says, period="2024-Q3", name=FIRST_RESPONDER, **options):
    """Intake must fail with a message containing `says` and leave datasets/ byte-identical."""
    before = digest(datasets)
    with pytest.raises(TallyError) as caught:
        run(datasets, workbook, period, name, **options)
    assert says in str(caught.value), str(caught.value)
    assert digest(datasets) == before
    return str(caught.value)


def new_rows(datasets, period="2024-Q3", name=FIRST_RESPONDER, table="identifications"):
    return [r for r in csv_rows(datasets / name / "data" / f"{table}.csv") if r["quarter"] == period]


def assert_no_small_count_on_disk(path, count_fields):
    """The bytes on disk: no count field anywhere holds 1..10 (issue 3: raw small counts never touch the repo)."""
    for row in csv_rows(path):
        for name in count_fields:
            assert row[name] == "" or int(row[name]) not in SMALL, row


# -- what intake accepts -----------------------------------------------------------

def test_a_quarter_with_title_rows_and_a_source_footer_is_added_suppressed(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()),
                          title_rows=["Children identified, July to September 2024", ""],
                          footer=["Source: Sheriff's CSEC unit", "Note: provisional"])
    result = run(datasets, workbook)

    assert result.added == ["2024-Q3"] and result.revised == [] and result.rows == 25
    assert any("above the header" in n for n in result.notes) and any("footer" in n for n in result.notes)
    rows = new_rows(datasets)
    assert len(rows) == 25
    hidden = {(r["age_band"], r["service_area"]) for r in rows if r["children"] == ""}
    assert ("12-14", "Service Area 2") in hidden  # the small count
    assert len(hidden) >= 4  # its row and column each need a second hidden cell
    assert all(r["children_flag"] == "S" for r in rows if r["children"] == "")
    assert_no_small_count_on_disk(datasets / FIRST_RESPONDER / "data" / "identifications.csv", ["children"])
    descriptor = json.loads((datasets / FIRST_RESPONDER / "datapackage.json").read_text())
    assert descriptor["tally:coverage"]["temporal"]["end"] == "2024-Q3"
    report, _ = validate(datasets, get_settings(tmp_path), names=[FIRST_RESPONDER])
    assert report.valid, report.problems


def test_a_title_row_above_the_header_is_skipped(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()),
                          title_rows=[["Example County Sheriff", None, "Prepared 2024-10-02"]])
    result = run(datasets, workbook)
    assert "skipped 1 row(s) above the header (row 2)" in result.notes and result.rows == 25


def test_a_source_footer_is_skipped(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()),
                          footer=["", "Source: Example County Sheriff, CSEC unit, October 2024"])
    result = run(datasets, workbook)
    assert "skipped 1 footer row(s)" in result.notes and result.rows == 25


def test_a_small_count_is_never_written_raw(datasets, tmp_path):
    # Every inner cell of one row small: the CSV bytes on disk must not carry any of them.
    small = tuple(((AGES[0], area), value) for area, value in zip(AREAS, (7, 3, 9, 1)))
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values(small)))
    run(datasets, workbook)
    data = (datasets / FIRST_RESPONDER / "data" / "identifications.csv").read_bytes()
    for area in AREAS:
        assert f"2024-Q3,Under 12,{area},,S".encode() in data
    assert_no_small_count_on_disk(datasets / FIRST_RESPONDER / "data" / "identifications.csv", ["children"])


def test_merged_cells_down_a_column_and_over_two_header_rows_are_read(datasets, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data"
    ws.append(["Quarter", "Age band", "Service area", "Children identified"])
    ws.append([None, None, None, None])  # each header merged down over two rows
    for column in "ABCD":
        ws.merge_cells(f"{column}1:{column}2")
    rows = cross_tab(quarter_values())
    for row in rows:
        ws.append(row)
    ws.merge_cells(f"A3:A{2 + len(rows)}")  # the quarter written once beside all its rows (merging clears the rest)
    book.save(tmp_path / "merged.xlsx")
    result = run(datasets, tmp_path / "merged.xlsx")
    assert result.rows == 25 and {r["quarter"] for r in new_rows(datasets)} == {"2024-Q3"}


def test_a_totals_row_is_dropped_when_the_schema_keeps_no_total(datasets, tmp_path):
    departments = ["Children and Family Services", "Probation", "Sheriff", "Mental Health", "Health Services",
                   "Office of Education"]
    rows = [["2024-Q3", d, 4, 120 + i] for i, d in enumerate(departments)]
    rows.append(["Total", None, 24, sum(r[3] for r in rows)])
    workbook = write_xlsx(tmp_path / "training.xlsx", rows, header=["Quarter", "Department", "Classes",
                                                                     "People trained"])
    result = run(datasets, workbook, name="csec-training")
    assert "skipped 1 totals row(s)" in result.notes
    assert len(new_rows(datasets, name="csec-training", table="training")) == 6


def test_the_total_level_may_be_written_total(datasets, tmp_path):
    rows = [[q, "Total" if a == "All ages" else a, r, n] for q, a, r, n in cross_tab(quarter_values())]
    run(datasets, write_xlsx(tmp_path / "q3.xlsx", rows))
    assert sum(1 for r in new_rows(datasets) if r["age_band"] == "All ages") == 5


def test_hidden_sheets_are_skipped_and_said(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()),
                          extra_sheets=[("working", "hidden"), ("raw", "veryHidden")])
    result = run(datasets, workbook)
    assert 'skipped hidden sheet "working"' in result.notes and 'skipped hidden sheet "raw"' in result.notes


def test_formulas_are_read_from_their_saved_results(datasets, tmp_path):
    path = tmp_path / "formulas.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, HEADER)
    values = quarter_values()
    for i, (period, age, area, count) in enumerate(cross_tab(values), start=1):
        ws.write_row(i, 0, [period, age, area])
        if area == "All areas":  # a SUM formula with the result Excel saved beside it
            ws.write_formula(i, 3, f"=SUM(D{i - 3}:D{i + 1 - 1})", None, count)
        else:
            ws.write_number(i, 3, count)
    book.close()
    run(datasets, path)
    total = next(r for r in new_rows(datasets) if r["age_band"] == "All ages" and r["service_area"] == "All areas")
    assert int(total["children"]) == sum(values.values())


@pytest.mark.parametrize("cell", ["2024-07-01", "Jul 2024", "2024 Q3", 45474, datetime.date(2024, 8, 15), "9/30/2024"],
                         ids=["iso-text", "month-text", "quarter-spaced", "serial", "excel-date", "us-date"])
def test_dates_in_the_period_column_become_the_quarter(datasets, tmp_path, cell):
    rows = [[cell, a, r, n] for _, a, r, n in cross_tab(quarter_values())]
    run(datasets, write_xlsx(tmp_path / "q3.xlsx", rows))
    assert len(new_rows(datasets)) == 25


def test_leading_zeros_of_codes_survive_a_number_format(tmp_path):
    # in2csv drops them (a code 00501 formatted "00000" is the number 501); the schema says string.
    descriptor = minimal_descriptor()
    age = descriptor["resources"][0]["schema"]["fields"][1]
    age.update(name="area_code", title="Area code", constraints={"required": True, "enum": ["00501", "00502"]})
    descriptor["resources"][0]["schema"]["primaryKey"] = ["quarter", "area_code"]
    descriptor["views"][0]["spec"]["color"] = "area_code"
    datasets = tmp_path / "datasets"
    write_package(datasets / "minimal", descriptor,
                  csv="quarter,area_code,children,children_note\n2024-Q1,00501,12,\n2024-Q1,00502,,S\n")
    path = tmp_path / "codes.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    zeros = book.add_format({"num_format": "00000"})
    ws.write_row(0, 0, ["Quarter", "Area code", "Children identified"])
    for i, (code, count) in enumerate(((501, 30), (502, 0)), start=1):
        ws.write_row(i, 0, ["2024-Q2"])
        ws.write_number(i, 1, code, zeros)
        ws.write_number(i, 2, count)
    book.close()
    run(datasets, path, period="2024-Q2", name="minimal")
    assert [(r["area_code"], r["children"]) for r in new_rows(datasets, "2024-Q2", "minimal", "identifications")] == \
        [("00501", "30"), ("00502", "0")]


def _non_ascii_package(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"] = ["Área Norte", "Área Sur"]
    datasets = tmp_path / "datasets"
    write_package(datasets / "minimal", descriptor,
                  csv="quarter,age_band,children,children_note\n2024-Q1,Área Norte,12,\n2024-Q1,Área Sur,40,\n")
    return datasets


@pytest.mark.parametrize("encoding, prefix", [("latin-1", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
                         ids=["latin-1", "utf-8-bom", "windows-1252"])
def test_csv_in_any_common_encoding(tmp_path, encoding, prefix):
    datasets = _non_ascii_package(tmp_path)
    text = "Quarter,Age band,Children identified\n2024-Q2,Área Norte,25\n2024-Q2,área sur,0\nSource: Départment\n"
    (tmp_path / "q2.csv").write_bytes(prefix + text.encode(encoding))
    run(datasets, tmp_path / "q2.csv", period="2024-Q2", name="minimal")
    assert [(r["age_band"], r["children"]) for r in new_rows(datasets, "2024-Q2", "minimal", "identifications")] == \
        [("Área Norte", "25"), ("Área Sur", "0")]


def test_a_revision_replaces_the_period_where_it_was_and_marks_changed_values(datasets, tmp_path):
    path = datasets / "csec-training" / "data" / "training.csv"
    before = csv_rows(path)
    rows = [[r["quarter"], r["department"], r["classes"], r["people_trained"]] for r in before
            if r["quarter"] == "2024-Q1"]
    rows[0][3] = int(rows[0][3]) + 20  # one figure corrected upward
    result = run(datasets, write_xlsx(tmp_path / "fix.xlsx", rows, header=["Quarter", "Department", "Classes",
                                                                           "People trained"]),
                 period="2024-Q1", name="csec-training", replace=True, confirm=True)
    assert result.revised == ["2024-Q1"] and result.added == [] and result.kind == "revision"
    after = csv_rows(path)
    assert [r["quarter"] for r in after] == [r["quarter"] for r in before]  # same place, same order
    changed = [r for r in after if r not in before]
    assert len(changed) == 1 and changed[0]["people_trained_flag"] == "R"


# -- what intake refuses (each: a clear message, nothing written) ----------------------

def test_merged_header_cells_across_columns_are_refused(datasets, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data"
    ws.append(["Where and who", None, "Service area", "Children identified"])
    ws.merge_cells("A1:B1")
    for row in cross_tab(quarter_values()):
        ws.append(row)
    book.save(tmp_path / "merged.xlsx")
    message = refused(datasets, tmp_path / "merged.xlsx", "is merged across several columns")
    assert "A1:B1" in message and "Unmerge" in message


def test_a_hidden_sheet_cannot_be_chosen(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()), extra_sheets=[("raw", "hidden")])
    refused(datasets, workbook, 'sheet "raw" is hidden', sheet="raw")


def test_several_visible_sheets_need_a_choice(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()), sheet="Q3",
                          extra_sheets=[("Q2", "visible")])
    refused(datasets, workbook, "2 visible sheets")


def test_hidden_rows_with_values_are_refused(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    book = openpyxl.load_workbook(workbook)
    book["Data"].row_dimensions[5].hidden = True
    book.save(workbook)
    refused(datasets, workbook, "row 5 is hidden but holds values")


def test_a_formula_without_a_saved_result_is_refused(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[4][3] = "=SUM(D2:D5)"  # openpyxl saves the formula but no result
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), "D6 hold a formula whose result was never saved")


def test_an_ambiguous_date_is_refused_unless_period_settles_it(datasets, tmp_path):
    rows = [["7/1/2024", a, r, n] for _, a, r, n in cross_tab(quarter_values())]
    # 2024-Q1 (day first) or 2024-Q3 (US): asked for 2024-Q3, it is 2024-Q3.
    assert run(datasets, write_xlsx(tmp_path / "q3.xlsx", rows)).rows == 25
    rows = [["1/4/2024", a, r, n] for _, a, r, n in cross_tab(quarter_values(), "2024-Q4")]
    refused(datasets, write_xlsx(tmp_path / "q4.xlsx", rows), 'is an ambiguous date (it could be 2024-Q1 or 2024-Q2)',
            period="2024-Q4")


def test_a_missing_column_is_listed(datasets, tmp_path):
    rows = [[q, a, n] for q, a, r, n in cross_tab(quarter_values())]
    message = refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows, header=["Quarter", "Age band", "Children"]),
                      'missing: "Service area" (service_area)')
    assert "header row 1" in message


def test_an_extra_column_is_listed(datasets, tmp_path):
    rows = [row + ["checked"] for row in cross_tab(quarter_values())]
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows, header=HEADER + ["Comments"]),
            'not in the schema: "Comments" (column E)')


def test_a_period_already_published_needs_replace(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q2.xlsx", cross_tab(quarter_values(), "2024-Q2"))
    refused(datasets, workbook, "2024-Q2 is already in the dataset", period="2024-Q2")
    message = refused(datasets, workbook, "--replace", period="2024-Q2")
    # The likelier mistake is asked about first: a sheet for the next quarter given the wrong --period.
    assert message.index("--period 2024-Q3") < message.index("--replace") and "--yes" in message


def test_a_period_that_skips_one_is_refused(datasets, tmp_path):
    workbook = write_xlsx(tmp_path / "q4.xlsx", cross_tab(quarter_values(), "2024-Q4"))
    refused(datasets, workbook, "the dataset ends at 2024-Q2, so the next is 2024-Q3", period="2024-Q4")


@pytest.mark.parametrize("period", ["2024Q3", "2024-3", "Q3-2024", "2024-Q5"])
def test_a_period_argument_in_the_wrong_format_is_refused(datasets, tmp_path, period):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    refused(datasets, workbook, "is not written like 2024-Q3", period=period)


def test_a_period_cell_in_the_wrong_format_is_refused(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[2][0] = "third quarter"
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), 'row 4, column A "Quarter": is not a period')


def test_a_row_for_another_period_is_refused(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[0][0] = "2024-Q2"
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), "is 2024-Q2, but intake was asked for 2024-Q3")


def test_a_category_not_in_the_schema_is_refused(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[0][2] = "Service Area 9"
    message = refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), 'row 2, column C "Service area": '
                      "is not one of the categories Service Area 1")
    assert "Service Area 9" not in message
    assert "All areas" in message


def test_a_negative_count_is_refused_without_repeating_it(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[0][3] = -6
    message = refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), 'row 2, column D "Children identified": is negative')
    assert "-6" not in message


@pytest.mark.parametrize("marked", ["<11", "*", "S", "n/a"])
def test_an_already_suppressed_cell_is_refused(datasets, tmp_path, marked):
    rows = cross_tab(quarter_values())
    rows[0][3] = marked
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), "enter the raw figure")


def test_a_total_that_is_not_the_sum_of_its_parts_is_refused_without_values(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[4][3] += 3  # Under 12, All areas
    message = refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), "is not the sum of rows 2, 3, 4, 5")
    assert str(rows[4][3]) not in message


def test_a_missing_row_is_refused(datasets, tmp_path):
    rows = cross_tab(quarter_values())[:-1]
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows),
            'no row for 2024-Q3, Age band "All ages", Service area "All areas"')


def test_duplicate_rows_are_refused(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows.append(list(rows[0]))
    refused(datasets, write_xlsx(tmp_path / "q3.xlsx", rows), "rows 2 and 27 are both for")


def test_a_spreadsheet_inside_the_datasets_folder_is_refused(datasets):
    workbook = write_xlsx(datasets / FIRST_RESPONDER / "q3.xlsx", cross_tab(quarter_values()))
    before = digest(datasets)
    with pytest.raises(SheetError, match="inside the repository"):
        run(datasets, workbook)
    assert digest(datasets) == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(datasets, tmp_path):
    (tmp_path / "q3.xlsx").write_text("not a workbook")
    refused(datasets, tmp_path / "q3.xlsx", "is not a readable .xlsx workbook")


# -- the command line ------------------------------------------------------------------

def test_cli_adds_a_quarter_and_prints_no_count(datasets, tmp_path):
    values = quarter_values()
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(values))
    result = publish("intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q3",
                     "--datasets", datasets, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ok: added 2024-Q3 in first-responder-identifications (25 rows" in result.stdout
    assert "next: python publish.py release first-responder-identifications" in result.stdout
    printed = result.stdout + result.stderr
    # Only totals of cells are printed: no cell is named, so no count (small or not) can be read off.
    assert not any(label in printed for label in AGES + AREAS)


def test_cli_refusal_is_one_clear_error_and_exit_1(datasets, tmp_path):
    rows = cross_tab(quarter_values())
    rows[0][2] = "Service Area 9"
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows)
    before = digest(datasets)
    result = publish("intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q3",
                     "--datasets", datasets, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: q3.xlsx, sheet \"Data\": row 2")
    assert "nothing was written" in result.stderr
    assert digest(datasets) == before


def test_cli_refuses_a_spreadsheet_inside_the_repository(datasets):
    from support import REPO

    result = publish("intake", REPO / "q3.xlsx", "--dataset", FIRST_RESPONDER, "--period", "2024-Q3",
                     "--datasets", datasets)
    assert result.returncode == 1 and "inside the repository" in result.stderr


def revision_2023_q1(datasets, tmp_path, central_adults=None):
    """A workbook revising 2023-Q1 of trafficking-operations: hidden figures become 25 (Northside) or 5."""
    raw = []
    for r in csv_rows(datasets / "trafficking-operations" / "data" / "operations.csv"):
        if r["quarter"] == "2023-Q1":
            adults = r["adults_arrested"] or (25 if r["station_area"] == "Northside Station" else 5)
            if r["station_area"] == "Central Station" and central_adults is not None:
                adults = central_adults
            raw.append([r["quarter"], r["station_area"], r["operations"], adults, r["children_recovered"] or 5])
    return write_xlsx(tmp_path / "fix.xlsx", raw, header=["Quarter", "Station area", "Operations",
                                                          "Adults arrested", "Children recovered"])


def test_a_revision_keeps_hidden_a_cell_an_earlier_release_hid(datasets, tmp_path):
    # 2023-Q1 Northside Station adults arrested was suppressed in release 1.0.0. Its revised figure
    # (25) is not small, but publishing it now would undo what 1.0.0 protected: intake keeps it hidden.
    run(datasets, revision_2023_q1(datasets, tmp_path), "2023-Q1", "trafficking-operations", replace=True,
        confirm=True)
    rows = csv_rows(datasets / "trafficking-operations" / "data" / "operations.csv")
    northside = next(r for r in rows if r["quarter"] == "2023-Q1" and r["station_area"] == "Northside Station")
    assert (northside["adults_arrested"], northside["adults_arrested_flag"]) == ("", "S")


def test_a_revision_that_must_hide_a_released_cell_is_refused(datasets, tmp_path):
    # Central Station's 2023-Q1 adults were published in 1.0.0; revised to a small count they must be
    # hidden now, which protects nothing (the figure is public): intake says so and who decides.
    workbook = revision_2023_q1(datasets, tmp_path, central_adults=4)
    before = digest(datasets)
    with pytest.raises(IntakeError) as caught:
        run(datasets, workbook, "2023-Q1", "trafficking-operations", replace=True, confirm=True)
    message = str(caught.value)
    assert "release 1.0.1 published" in message and 'Station area "Central Station"' in message
    assert "ask the privacy lead" in message and "issue a correction" not in message
    assert digest(datasets) == before


def test_cli_a_refused_revision_lists_the_problems_and_writes_nothing(datasets, tmp_path):
    workbook = revision_2023_q1(datasets, tmp_path, central_adults=4)
    before = digest(datasets)
    result = publish("intake", workbook, "--dataset", "trafficking-operations", "--period", "2023-Q1", "--replace",
                     "--yes", "--datasets", datasets, cwd=tmp_path)
    assert result.returncode == 1 and "ask the privacy lead" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert digest(datasets) == before


def test_a_published_csv_saved_by_excel_with_a_bom_and_crlf_keeps_its_line_endings(tmp_path):
    datasets = tmp_path / "datasets"
    csv = "quarter,age_band,children,children_note\r\n2024-Q1,Under 15,12,\r\n2024-Q1,15-17,40,\r\n"
    write_package(datasets / "minimal", csv=b"\xef\xbb\xbf" + csv.encode())
    workbook = write_xlsx(tmp_path / "q2.xlsx", [["2024-Q2", "Under 15", 30], ["2024-Q2", "15-17", 0]],
                          header=["Quarter", "Age band", "Children identified"])
    run(datasets, workbook, "2024-Q2", "minimal")
    assert (datasets / "minimal" / "data" / "identifications.csv").read_bytes() == \
        (csv + "2024-Q2,Under 15,30,\r\n2024-Q2,15-17,0,\r\n").encode()
