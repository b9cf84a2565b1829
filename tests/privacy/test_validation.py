"""Validation reports every problem with file, row, field, rule and a fix; results are cached."""

import json

import pytest

from tally.privacy.validation import validate

from support import MINIMAL_CSV, get_settings, minimal_descriptor, write_package


def run(tmp_path, **package):
    write_package(tmp_path / "datasets" / "minimal", **package)
    report, datasets = validate(tmp_path / "datasets", get_settings(tmp_path))
    return report


def test_minimal_package_is_valid(tmp_path):
    report = run(tmp_path)
    assert report.valid, report.to_dict()
    assert report.datasets == ["minimal"]


@pytest.mark.parametrize("csv, expected", [
    # a column missing from the CSV
    (MINIMAL_CSV.replace(",children_note", "").replace(",\n", "\n").replace(",S\n", "\n"),
     ["minimal", None, "children_note", "missing-label"]),
    # a count written as words
    (MINIMAL_CSV.replace("2024-Q1,Under 15,12,", "2024-Q1,Under 15,twelve,"),
     ["minimal", 2, "children", "type-error"]),
    # a row with one value too many
    (MINIMAL_CSV.replace("2024-Q2,15-17,0,", "2024-Q2,15-17,0,,extra"),
     ["minimal", 5, None, "extra-cell"]),
    # a value outside the declared categories
    (MINIMAL_CSV.replace("2024-Q2,Under 15", "2024-Q2,Under 12"),
     ["minimal", 4, "age_band", "constraint-error"]),
])
def test_csv_not_matching_its_schema(tmp_path, csv, expected):
    report = run(tmp_path, csv=csv)
    assert not report.valid
    flat = report.flatten(("dataset", "row", "field", "rule"))
    assert expected[:1] + expected[3:] in [[f[0], f[3]] for f in flat], flat
    problem = next(p for p in report.problems if p.rule == expected[3])
    if expected[1] is not None:
        assert problem.row == expected[1]
    assert problem.file.endswith("data/identifications.csv")
    assert problem.hint


def test_non_utf8_bytes_are_an_error_naming_the_line(tmp_path):
    csv = MINIMAL_CSV.replace("Under 15", "Menores de 15").encode("utf-8").replace(b"Menores", "Menóres".encode("latin-1"))
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"] = ["Menóres de 15", "15-17"]
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert "text-encoding" in [p.rule for p in report.problems]
    problem = next(p for p in report.problems if p.rule == "text-encoding")
    assert problem.row == 2 and "UTF-8" in problem.hint


def test_declared_encoding_is_honoured(tmp_path):
    csv = MINIMAL_CSV.replace("Under 15", "Menóres de 15").encode("latin-1")
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["encoding"] = "latin-1"
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"] = ["Menóres de 15", "15-17"]
    descriptor["views"] = []
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert report.valid, report.to_dict()


def test_view_naming_a_missing_field(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"]["y"] = "childern"
    report = run(tmp_path, descriptor=descriptor)
    assert report.flatten(("dataset", "field", "rule")) == [["minimal", "childern", "view-field"]]
    assert report.problems[0].file.endswith("datapackage.json")
    assert 'y names field "childern"' in report.problems[0].message


def test_view_naming_a_missing_resource(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["resources"] = ["nothing"]
    report = run(tmp_path, descriptor=descriptor)
    assert [p.rule for p in report.problems] == ["view-field"]


def test_unknown_spec_type_is_an_error_only_in_the_sensitive_profile(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["specType"] = "plot"
    write_package(tmp_path / "datasets" / "minimal", descriptor)
    sensitive, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    open_, _ = validate(tmp_path / "datasets", get_settings(tmp_path, TALLY_PROFILE="open"))
    assert [p.rule for p in sensitive.problems] == ["view-field"]
    assert open_.valid


def test_naming_a_dataset_that_does_not_exist(tmp_path):
    write_package(tmp_path / "datasets" / "minimal")
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path), names=["minimal", "nope"])
    assert report.flatten(("dataset", "rule")) == [["nope", "no-dataset"]]


def test_results_are_cached_and_a_change_invalidates_them(tmp_path):
    folder = write_package(tmp_path / "datasets" / "minimal")
    settings = get_settings(tmp_path)
    assert validate(tmp_path / "datasets", settings)[0].valid
    assert list((tmp_path / "cache" / "validation").rglob("*"))  # a result was stored
    (folder / "data" / "identifications.csv").write_text(MINIMAL_CSV.replace(",12,", ",x,"))
    assert not validate(tmp_path / "datasets", settings)[0].valid


def test_problems_name_files_inside_the_dataset_whatever_the_working_folder(tmp_path, monkeypatch):
    # Issue 9: paths were made relative to the working folder when a problem was created, so the
    # working folder was part of the cache key and a staged copy's paths had to be rewritten.
    folder = write_package(tmp_path / "datasets" / "minimal", csv=MINIMAL_CSV.replace(",12,", ",-5,"))
    reports = []
    for where in (tmp_path, folder / "data"):
        monkeypatch.chdir(where)
        report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
        reports.append(report.to_dict())
    assert reports[0] == reports[1]
    assert {(p["dataset"], p["file"]) for p in reports[0]["problems"]} == {("minimal", "data/identifications.csv")}


def test_progress_says_validated_only_for_a_dataset_that_passed(tmp_path):
    # Issue 13: "validated X" was printed for a dataset that failed.
    write_package(tmp_path / "good")
    write_package(tmp_path / "bad", csv=MINIMAL_CSV.replace(",12,", ",twelve,"))
    seen = []
    validate(tmp_path, get_settings(tmp_path), progress=lambda stage, name: seen.append((stage, name)))
    assert sorted(seen) == [("failed", "bad"), ("validated", "good")]


def test_site_wide_findings_are_cached_by_every_file_they_read(tmp_path):
    # Issue 12: the build validates, then its generator does again, and every rebuild re-read
    # every table of the site for the site-wide audits. They are cached by the files; a
    # changed file must never be judged by a stale finding.
    from adversarial import packages

    datasets, settings = tmp_path / "datasets", get_settings(tmp_path)
    packages.bad_resource_without_total_level(datasets)
    first, _ = validate(datasets, settings)
    again, _ = validate(datasets, settings)
    assert [p.to_dict() for p in again.problems] == [p.to_dict() for p in first.problems]
    assert "unlinkable-tables" in {p.rule for p in again.problems}
    # The totals table left out: the by-age table has no other to link with.
    descriptor = json.loads((datasets / "ages" / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "totals"]
    (datasets / "ages" / "datapackage.json").write_text(json.dumps(descriptor))
    changed, _ = validate(datasets, settings)
    assert "unlinkable-tables" not in {p.rule for p in changed.problems}


def test_a_dataset_s_tables_are_read_again_only_when_its_files_change(tmp_path, monkeypatch):
    # Issue 12: one changed dataset made the site-wide audits read every table of the site
    # again. Each dataset's tables are now cached by its own files; a cached dataset must
    # never hide what a change elsewhere makes disclosive.
    from adversarial import packages

    from tally.privacy.checks import site

    datasets, settings = tmp_path / "datasets", get_settings(tmp_path)
    packages.bad_cross_package_no_total_in_second(datasets)
    totals = datasets / "totals" / "datapackage.json"
    disclosive = totals.read_text()
    descriptor = json.loads(disclosive)
    count = next(f for f in descriptor["resources"][0]["schema"]["fields"] if f["name"] == "children")
    count["tally:population"] = "test-adults"
    totals.write_text(json.dumps(descriptor))  # another population: the two tables no longer link
    assert validate(datasets, settings)[0].valid

    read = []
    pieces = site.dataset_pieces
    monkeypatch.setattr(site, "dataset_pieces", lambda dataset, *a, **k: read.append(dataset.slug) or
                        pieces(dataset, *a, **k))
    totals.write_text(disclosive)  # the quarterly totals back in the ages' population
    report, _ = validate(datasets, settings)
    assert read == ["totals"]  # the ages' tables came from the cache
    assert "linked-tables" in {p.rule for p in report.problems}


def test_every_setting_a_rule_reads_is_in_the_cache_key(tmp_path):
    # Session 4: TALLY_AUDIT_MAX_ASSIGNMENTS was not in the key, so a dataset refused because its
    # proof needed more steps stayed refused after the budget was raised as the message says.
    import re
    from pathlib import Path

    from tally.privacy.validation import RULE_SETTINGS

    read = set()
    for path in (Path(__file__).parents[2] / "plugins" / "tally" / "privacy").rglob("*.py"):
        read |= set(re.findall(r'settings(?:\.get\(|\[)"(TALLY_[A-Z_]+)"', path.read_text()))
    assert read - {"TALLY_CACHE_PATH"} <= set(RULE_SETTINGS)


def test_raising_the_audit_budget_revalidates(tmp_path):
    from adversarial import packages

    datasets = tmp_path / "datasets"
    packages.write(datasets, packages.age_package("ages"))
    tight, _ = validate(datasets, get_settings(tmp_path, TALLY_AUDIT_MAX_ASSIGNMENTS=1))
    assert not tight.valid
    assert validate(datasets, get_settings(tmp_path))[0].valid
