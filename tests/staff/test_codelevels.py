"""Code lists in the staff commands (issue 10): intake refuses a level outside its code list, naming the file, row,
column and list; the template offers the list's levels and says how they add up."""

import json

import openpyxl

from tally.staff.workbook import write_template

from staff_support import FIRST_RESPONDER, copy_datasets, cross_tab, digest, publish, quarter_values, write_xlsx


def _intake(tmp_path, rows):
    datasets = copy_datasets(tmp_path)
    before = digest(datasets)
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows)
    result = publish("intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q3",
                     "--datasets", datasets, cwd=tmp_path)
    assert result.returncode == 1 and digest(datasets) == before
    return result.stdout + result.stderr


def test_a_level_outside_the_code_list_is_refused_naming_file_row_field_and_list(tmp_path):
    rows = cross_tab(quarter_values())
    rows[3][1] = "Teenagers"
    text = _intake(tmp_path, rows)
    assert "q3.xlsx" in text and 'row 5, column B "Age band": is not one of the categories Under 12' in text
    assert 'the shared code list "age-band" (codelists/age-band.json)' in text and "pull request" in text
    assert "Teenagers" not in text


def test_a_code_list_level_the_dataset_does_not_use_is_refused_with_its_own_fix(tmp_path):
    rows = cross_tab(quarter_values())
    rows[0][1] = "12 - 17"  # the list's "12-17" (12-14 and 15-17 together); the dataset publishes the two bands
    text = _intake(tmp_path, rows)
    assert 'row 2, column B "Age band": is a level of the shared code list "age-band"' in text
    assert "that this dataset does not use" in text and "12 - 17" not in text


def test_the_template_offers_the_code_lists_levels_and_their_sums(tmp_path):
    datasets = copy_datasets(tmp_path)
    result = write_template(datasets / FIRST_RESPONDER, output=tmp_path)
    book = openpyxl.load_workbook(result.path)
    rules = {str(v.sqref).split(":")[0]: v for v in book["Data"].data_validations.dataValidation}
    assert rules["B2"].formula1 == '"Under 12,12-14,15-17,Unknown age,All ages"'
    allowed = {r[0]: r[3] for r in book["Notes"].iter_rows(values_only=True) if r[0] and r[3]}
    # "12-17" is not a level the dataset uses, so "All ages" is written with the bands it does use.
    assert allowed["Age band"] == ('Under 12, 12-14, 15-17, Unknown age, All ages; from the shared code list '
                                   '"Age band" (codelists/age-band.json); All ages = Under 12 + 12-14 + 15-17 + '
                                   "Unknown age")
    assert "codelists/service-area.json" in allowed["Service area"]


def test_a_dimension_without_levels_of_its_own_is_offered_the_code_lists(tmp_path):
    datasets = copy_datasets(tmp_path)
    path = datasets / FIRST_RESPONDER / "datapackage.json"
    d = json.loads(path.read_text())
    age = d["resources"][0]["schema"]["fields"][1]
    del age["constraints"]["enum"]
    path.write_text(json.dumps(d))
    result = write_template(datasets / FIRST_RESPONDER, output=tmp_path)
    rules = {str(v.sqref).split(":")[0]: v for v in
             openpyxl.load_workbook(result.path)["Data"].data_validations.dataValidation}
    assert rules["B2"].formula1 == '"All ages,Under 12,12-17,12-14,15-17,Unknown age"'
