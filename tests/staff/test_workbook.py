"""template: a workbook staff can fill, which intake reads back."""

import openpyxl
import pytest

from tally.staff.intake import intake
from tally.staff.workbook import TemplateError, write_template

from staff_support import FIRST_RESPONDER, copy_datasets, csv_rows, publish
from support import get_settings, minimal_descriptor, write_package


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def test_the_template_lays_out_the_next_quarter(datasets, tmp_path):
    result = write_template(datasets / FIRST_RESPONDER, output=tmp_path)
    assert (result.path.name, result.period, result.rows) == (f"{FIRST_RESPONDER}-2024-Q3.xlsx", "2024-Q3", 25)
    book = openpyxl.load_workbook(result.path)
    assert [(s.title, s.sheet_state) for s in book.worksheets] == [("Data", "visible"), ("Notes", "visible"),
                                                                    ("Lists", "hidden")]
    data = book["Data"]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == ("Quarter", "Age band", "Service area", "Children identified", "Children identified: note")
    assert rows[1] == ("2024-Q3", "Under 12", "Service Area 1", None, None)
    assert len(rows) == 26 and {r[0] for r in rows[1:]} == {"2024-Q3"}
    rules = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    assert rules["B2"].type == "list" and rules["B2"].formula1 == '"Under 12,12-14,15-17,Unknown age,All ages"'
    assert rules["D2"].type == "whole" and rules["D2"].operator == "greaterThanOrEqual"
    assert rules["E2"].formula1 == '"P,R"'  # S is added by intake, never typed
    notes = [r[0] for r in book["Notes"].iter_rows(values_only=True) if r[0]]
    assert any("Enter the real counts, even the small ones" in n for n in notes)
    assert "Children identified" in notes


def test_a_filled_template_goes_through_intake(datasets, tmp_path):
    result = write_template(datasets / FIRST_RESPONDER, output=tmp_path / "q3.xlsx")
    book = openpyxl.load_workbook(result.path)
    data = book["Data"]
    for r in range(2, 27):
        data.cell(r, 4).value = 0 if data.cell(r, 2).value == "Under 12" else None
    for r in range(2, 27):  # fill the inner cells, then the totals from them
        age, area = data.cell(r, 2).value, data.cell(r, 3).value
        if age != "Under 12" and data.cell(r, 4).value is None:
            data.cell(r, 4).value = 20 if "All" not in age + area else None
    by_key = {(data.cell(r, 2).value, data.cell(r, 3).value): r for r in range(2, 27)}
    for (age, area), r in by_key.items():
        if "All" in age + area:
            ages = [a for a, _ in by_key if "All" not in a] if age == "All ages" else [age]
            areas = [s for _, s in by_key if "All" not in s] if area == "All areas" else [area]
            data.cell(r, 4).value = sum(data.cell(by_key[(a, s)], 4).value for a in set(ages) for s in set(areas))
    book.save(result.path)
    outcome = intake(datasets / FIRST_RESPONDER, result.path, "2024-Q3", settings=get_settings(tmp_path))
    assert outcome.rows == 25 and 'skipped hidden sheet "Lists"' in outcome.notes
    assert len([r for r in csv_rows(datasets / FIRST_RESPONDER / "data" / "identifications.csv")
                if r["quarter"] == "2024-Q3"]) == 25


def test_the_same_dataset_gives_the_same_file(datasets, tmp_path):
    first = write_template(datasets / FIRST_RESPONDER, output=tmp_path / "a.xlsx").path.read_bytes()
    second = write_template(datasets / FIRST_RESPONDER, output=tmp_path / "b.xlsx").path.read_bytes()
    assert first == second


def test_long_category_lists_go_on_the_lists_sheet(tmp_path):
    descriptor = minimal_descriptor()
    levels = [f"Service area number {i} of the county" for i in range(12)]
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"] = levels
    folder = write_package(tmp_path / "datasets" / "minimal", descriptor,
                           csv="quarter,age_band,children,children_note\n")
    result = write_template(folder, period="2024-Q1", output=tmp_path)
    assert result.rows == 12  # no rows yet: every category
    book = openpyxl.load_workbook(result.path)
    rule = next(v for v in book["Data"].data_validations.dataValidation if str(v.sqref).startswith("B2"))
    assert rule.formula1 == "Lists!$B$1:$B$12"
    assert [r[1] for r in book["Lists"].iter_rows(values_only=True)] == levels


def test_a_dataset_without_rows_needs_a_period(tmp_path):
    folder = write_package(tmp_path / "datasets" / "minimal", csv="quarter,age_band,children,children_note\n")
    with pytest.raises(TemplateError, match="pass --period"):
        write_template(folder, output=tmp_path)
    with pytest.raises(TemplateError, match="not written like 2024-Q3"):
        write_template(folder, output=tmp_path, period="Q1 2024")


def test_cli_template(datasets, tmp_path):
    result = publish("template", FIRST_RESPONDER, "--datasets", datasets, "--output", tmp_path / "t.xlsx",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "25 rows of 2024-Q3 to fill" in result.stdout and (tmp_path / "t.xlsx").is_file()
