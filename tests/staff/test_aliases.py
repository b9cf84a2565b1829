"""tally:aliases (staff/aliases.py): local category names declared once, read by intake, listed by template."""

import json

import pytest
from test_crosstab import cross_tab_sheet, long_form_result, take, written

from tally.core.errors import IntakeError
from tally.staff.workbook import write_template

from staff_support import FIRST_RESPONDER, copy_datasets, cross_tab, quarter_values, write_xlsx


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def add_aliases(datasets, mapping):
    path = datasets / FIRST_RESPONDER / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["tally:aliases"] = mapping
    path.write_text(json.dumps(descriptor, indent=2) + "\n")


LOCAL = {"service_area": {"SA1": "Service Area 1", "SA2": "Service Area 2", "SA3": "Service Area 3",
                          "SA4": "Service Area 4", "Countywide": "All areas"}}


def test_local_category_names_declared_once_are_read_in_cells_and_cross_tab_headers(datasets, tmp_path):
    add_aliases(datasets, LOCAL)
    short = {"Service Area 1": "SA1", "Service Area 2": "SA2", "Service Area 3": "SA3", "Service Area 4": "SA4",
             "All areas": "Countywide"}
    rows = [[q, a, short[r], n] for q, a, r, n in cross_tab(quarter_values())]
    take(datasets, tmp_path, write_xlsx(tmp_path / "q3.xlsx", rows))
    expected = long_form_result(datasets, tmp_path)
    assert written(datasets) == expected
    again = copy_datasets(tmp_path / "again")
    add_aliases(again, LOCAL)
    crossed, _ = cross_tab_sheet(quarter_values())
    header = ["Age band", "SA1", "SA2", "SA3", "SA4", "Countywide"]
    take(again, tmp_path, write_xlsx(tmp_path / "x.xlsx", crossed, header=header))
    assert written(again) == expected


def test_an_alias_to_no_category_is_refused(datasets, tmp_path):
    add_aliases(datasets, {"service_area": {"SA5": "Service Area 5"}})
    with pytest.raises(IntakeError, match='maps "SA5" to "Service Area 5", which is not a category'):
        take(datasets, tmp_path, write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values())))


def test_the_template_lists_the_local_names(datasets, tmp_path):
    import openpyxl

    add_aliases(datasets, LOCAL)
    result = write_template(datasets / FIRST_RESPONDER, output=tmp_path)
    notes = openpyxl.load_workbook(result.path)["Notes"]
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "Service Area 4 (or SA4)" in text and "All areas (or Countywide)" in text
