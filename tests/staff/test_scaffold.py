"""new: a dataset scaffolded from a spreadsheet validates once its TODOs are filled, and copies no figure."""

import json

import pytest

from tally.core.errors import TallyError
from tally.core.loading import load_dataset
from tally.core.periods import PATTERN
from tally.privacy.checks.todo_marker import TodoMarker
from tally.privacy.validation import validate
from tally.staff.intake import intake
from tally.staff.scaffold import find_todos, scaffold

from staff_support import AGES, AREAS, cross_tab, publish, quarter_values, write_xlsx
from support import get_settings


@pytest.fixture
def source(tmp_path):
    return write_xlsx(tmp_path / "placements.xlsx", cross_tab(quarter_values(), "2024-Q2"),
                      title_rows=["Shelter placements, April to June 2024"], footer=["Source: shelter intake"])


def fill_todos(value, key=""):
    """What a person would write in place of each TODO (here: something plausible)."""
    if isinstance(value, dict):
        return {k: fill_todos(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_todos(v, key) for v in value]
    if isinstance(value, str) and value.startswith("TODO"):
        return {"tally:unit": "children", "tally:frequency": "quarterly",
                "tally:population": "shelter-children"}.get(key, f"Filled in for {key}.")
    return value


def test_the_scaffold_guesses_roles_and_lists_its_todos(tmp_path, source):
    result = scaffold(tmp_path / "datasets", "shelter-placements", source)
    d = json.loads((result.folder / "datapackage.json").read_text())
    fields = d["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["tally:role"], f.get("tally:kind")) for f in fields] == [
        ("quarter", "dimension", None), ("age_band", "dimension", None), ("service_area", "dimension", None),
        ("children_identified", "measure", "count"), ("children_identified_note", "annotation", None)]
    assert fields[0]["tally:period"] == "quarter" and fields[0]["constraints"]["pattern"] == PATTERN["quarter"]
    assert fields[1]["constraints"]["enum"] == AGES + ["All ages"] and fields[1]["tally:total"] == "All ages"
    assert fields[3]["constraints"] == {"minimum": 0} and fields[3]["tally:annotation"] == "children_identified_note"
    assert d["resources"][0]["schema"]["primaryKey"] == ["quarter", "age_band", "service_area"]
    assert d["views"][0]["spec"] == {"mark": "line", "x": "quarter", "y": "children_identified", "color": "age_band",
                                     "filter": {"service_area": "All areas"},
                                     "description": d["views"][0]["spec"]["description"]}
    assert d["tally:frequency"] == "quarterly"
    where = [w for w, _ in result.todos]
    assert {"title", "description", "sources[0].title", "tally:topic", "tally:coverage.spatial",
            "resources[0].schema.fields[3].tally:unit", "views[0].spec.description"} <= set(where)
    assert result.todos == find_todos(d)


def test_no_figure_from_the_spreadsheet_is_written(tmp_path, source):
    result = scaffold(tmp_path / "datasets", "shelter-placements", source)
    assert (result.folder / "data" / "shelter-placements.csv").read_text() == \
        "quarter,age_band,service_area,children_identified,children_identified_note\n"
    text = (result.folder / "datapackage.json").read_text()
    for value in set(quarter_values().values()):
        assert f'"{value}"' not in text and f": {value}," not in text


def test_validate_refuses_todos_and_passes_once_they_are_filled(tmp_path, source):
    datasets = tmp_path / "datasets"
    result = scaffold(datasets, "shelter-placements", source)
    dataset, _ = load_dataset(result.folder)
    problems = list(TodoMarker(settings=get_settings(tmp_path)).audit(dataset))
    assert len(problems) == len(result.todos) and problems[0].message.startswith('"title" still says: TODO')
    report, _ = validate(datasets, get_settings(tmp_path))
    assert not report.valid

    path = result.folder / "datapackage.json"
    path.write_text(json.dumps(fill_todos(json.loads(path.read_text())), indent=2))
    report, _ = validate(datasets, get_settings(tmp_path))
    assert report.valid, report.problems
    # Then the first period goes in through intake, suppressed, and the dataset is still valid.
    added = intake(result.folder, source, "2024-Q2", settings=get_settings(tmp_path))
    assert added.added == ["2024-Q2"] and added.hidden["children_identified"] >= 2
    report, _ = validate(datasets, get_settings(tmp_path))
    assert report.valid, report.problems


def test_a_column_of_many_different_values_is_flagged_not_listed(tmp_path):
    rows = "".join(f"2024-Q1,Officer {i},{i + 20}\n" for i in range(80))
    (tmp_path / "raw.csv").write_text("Quarter,Officer,Arrests\n" + rows)
    result = scaffold(tmp_path / "datasets", "arrests", tmp_path / "raw.csv")
    officer = next(f for f in result.fields if f["name"] == "officer")
    assert "enum" not in officer["constraints"] and "80 different values" in officer["description"]


def test_codes_with_leading_zeros_are_categories_not_counts(tmp_path):
    (tmp_path / "raw.csv").write_text("Quarter,Area code,Children\n2024-Q1,00501,30\n2024-Q1,00502,12\n")
    result = scaffold(tmp_path / "datasets", "by-area", tmp_path / "raw.csv")
    code = next(f for f in result.fields if f["name"] == "area_code")
    assert code["tally:role"] == "dimension" and code["constraints"]["enum"] == ["00501", "00502"]


@pytest.mark.parametrize("name, says", [("Shelter Placements", "lower-case words"),
                                        ("first-responder-identifications", "already exists")])
def test_bad_names_are_refused(tmp_path, source, name, says):
    (tmp_path / "datasets" / "first-responder-identifications").mkdir(parents=True)
    with pytest.raises(TallyError, match=says):
        scaffold(tmp_path / "datasets", name, source)


def test_cli_lists_the_guesses_and_the_todos(tmp_path, source):
    result = publish("new", "shelter-placements", "--from", source, "--datasets", tmp_path / "datasets",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "children_identified" in result.stdout and "measure (count)" in result.stdout
    assert "TODO(s) in" in result.stdout and "tally:coverage.spatial: TODO" in result.stdout
    assert "python publish.py intake FILE --dataset shelter-placements" in result.stdout
    assert all(area not in result.stdout for area in AREAS)  # categories are listed in the file, not printed


# Issue 10: a wide sheet (age bands as count columns) made several count columns, a layout the privacy
# gate cannot link (undeclared-structure refuses it). `new` now writes the long layout: one category
# column drawing on the shared code list, with its total, and one count column.

def wide_sheet(tmp_path, header, totals=True):
    rows = []
    values = quarter_values()
    for area in AREAS:
        bands = [values[(age, area)] for age in AGES]
        rows.append(["2024-Q2", area] + bands + ([sum(bands)] if totals else []))
    return write_xlsx(tmp_path / "wide.xlsx", rows, header=header, title_rows=["Children identified by age"])


def test_a_wide_sheet_by_age_band_becomes_a_long_table(tmp_path):
    source = wide_sheet(tmp_path, ["Quarter", "Service area", "under 12", "12-14", "15-17", "Unknown age", "Total"])
    result = publish("new", "wide-ages", "--from", source, "--datasets", tmp_path / "datasets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    d = json.loads((tmp_path / "datasets" / "wide-ages" / "datapackage.json").read_text())
    fields = d["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["tally:role"], f.get("tally:kind")) for f in fields] == [
        ("quarter", "dimension", None), ("service_area", "dimension", None), ("age_band", "dimension", None),
        ("count", "measure", "count"), ("count_note", "annotation", None)]
    age = fields[2]
    assert age["tally:codelist"] == "age-band" and age["tally:total"] == "All ages"
    assert age["constraints"]["enum"] == AGES + ["All ages"]
    assert d["resources"][0]["schema"]["primaryKey"] == ["quarter", "service_area", "age_band"]
    assert (tmp_path / "datasets" / "wide-ages" / "data" / "wide-ages.csv").read_text() == \
        "quarter,service_area,age_band,count,count_note\n"
    assert "age_band" in result.stdout and "read as a wide sheet" in result.stdout


def test_the_wide_sheet_then_goes_in_through_intake(tmp_path):
    """The long package reads the same wide sheet back: intake takes the bands across as a cross-tab."""
    source = wide_sheet(tmp_path, ["Quarter", "Service area", "Under 12", "12-14", "15-17", "Unknown age",
                                   "All ages"])
    scaffold(tmp_path / "datasets", "wide-ages", source)
    folder = tmp_path / "datasets" / "wide-ages"
    d = fill_todos(json.loads((folder / "datapackage.json").read_text()))
    (folder / "datapackage.json").write_text(json.dumps(d))
    intake(folder, source, "2024-Q2", settings=get_settings(tmp_path))
    rows = (folder / "data" / "wide-ages.csv").read_text().splitlines()
    assert rows[0] == "quarter,service_area,age_band,count,count_note" and len(rows) == 1 + 4 * 5


def test_columns_that_add_up_to_a_total_become_a_category(tmp_path):
    source = wide_sheet(tmp_path, ["Quarter", "Service area", "Street", "Online", "Referral", "Other", "Total"])
    result = scaffold(tmp_path / "datasets", "wide-sources", source)
    fields = json.loads((result.folder / "datapackage.json").read_text())["resources"][0]["schema"]["fields"]
    category = fields[2]
    assert category["name"] == "category" and category["constraints"]["enum"] == ["Street", "Online", "Referral",
                                                                                  "Other", "Total"]
    assert category["tally:total"] == "Total" and category["description"].startswith("TODO")
    assert [f["name"] for f in fields if f["tally:role"] == "measure"] == ["count"]


def test_count_columns_that_do_not_add_up_stay_columns(tmp_path):
    source = wide_sheet(tmp_path, ["Quarter", "Service area", "Enrolled", "Completed", "Left", "Waiting"],
                        totals=False)
    fields = json.loads((scaffold(tmp_path / "datasets", "programs", source).folder / "datapackage.json")
                        .read_text())["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields if f["tally:role"] == "measure"] == ["enrolled", "completed", "left",
                                                                           "waiting"]
