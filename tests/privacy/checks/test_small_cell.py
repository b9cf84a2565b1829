"""small-cell: a count from 1 to 10 never reaches the site, the report or a log (issue 3, rule 1)."""

import json

from publish import main
from rule_support import found, run
from support import MINIMAL_CSV, minimal_descriptor

SMALL = MINIMAL_CSV.replace("2024-Q2,Under 15,14,", "2024-Q2,Under 15,7,")


def test_a_small_count_is_an_error_naming_row_and_field(tmp_path):
    report = run(tmp_path, csv=SMALL)
    assert found(report, "small-cell") == [[4, "children"]]
    problem = next(p for p in report.problems if p.rule == "small-cell")
    assert problem.file.endswith("data/identifications.csv") and "S" in problem.hint


def test_the_fixed_twin_suppresses_it(tmp_path):
    fixed = MINIMAL_CSV.replace("2024-Q2,Under 15,14,", "2024-Q2,Under 15,,S")
    assert run(tmp_path, csv=fixed).valid


def test_zero_and_the_threshold_itself_are_published(tmp_path):
    csv = MINIMAL_CSV.replace("2024-Q2,Under 15,14,", "2024-Q2,Under 15,11,")
    assert run(tmp_path, csv=csv).valid  # the minimal CSV also holds a 0


def test_the_value_never_appears_in_the_report_or_the_json_output(tmp_path, capsys, monkeypatch):
    # The report goes to CI logs: a small count must not (DESIGN.md "Disclosure control").
    csv = MINIMAL_CSV.replace("2024-Q2,Under 15,14,", "2024-Q2,Under 15,7,")
    report = run(tmp_path, csv=csv)
    problem = next(p for p in report.problems if p.rule == "small-cell")
    assert "7" not in json.dumps({k: v for k, v in problem.to_dict().items() if k != "file"})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--datasets", str(tmp_path / "datasets"), "--json"]) == 1
    out = capsys.readouterr().out
    assert json.loads(out)["problems"] and '"small-cell"' in out
    assert "7" not in out.replace(str(tmp_path), ""), out


def test_the_value_is_not_kept_on_the_error_object_either():
    from frictionless import Checklist, Resource, Schema

    from tally.privacy.checks.small_cell import SmallCell

    resource = Resource(data=[["children"], [3]], schema=Schema.from_descriptor({"fields": [
        {"name": "children", "type": "integer", "tally:role": "measure", "tally:kind": "count"}]}))
    error = resource.validate(checklist=Checklist(checks=[SmallCell(threshold=11)])).tasks[0].errors[0]
    assert error.cell == "" and error.cells == []


def test_a_dataset_may_raise_the_threshold(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["tally:disclosure"] = {"threshold": 15}
    report = run(tmp_path, descriptor=descriptor)  # the minimal CSV publishes 12 and 14
    assert found(report, "small-cell") == [[2, "children"], [4, "children"]]
    assert "between 1 and 14" in report.problems[0].message


def test_the_site_threshold_is_a_setting(tmp_path):
    assert found(run(tmp_path, TALLY_THRESHOLD=13), "small-cell") == [[2, "children"]]


def test_only_counts_are_judged(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][2]["tally:kind"] = "quantity"
    descriptor["resources"][0]["schema"]["fields"][2].pop("tally:annotation")
    csv = SMALL.replace(",S\n", ",\n").replace("15-17,,", "15-17,30,")
    assert found(run(tmp_path, descriptor=descriptor, csv=csv), "small-cell") == []


def test_the_open_profile_still_protects_declared_counts(tmp_path):
    assert found(run(tmp_path, csv=SMALL, TALLY_PROFILE="open"), "small-cell") == [[4, "children"]]
