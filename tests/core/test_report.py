"""core/report.py: Problems located inside their dataset, Reports as data for tests and --json."""

from tally.core.report import Problem, Report, dataset_file


def test_a_file_is_named_from_its_dataset_folder_and_an_archive_from_its_dataset(tmp_path):
    folder = tmp_path / "datasets" / "arrests"
    assert dataset_file(folder, folder / "data" / "arrests.csv") == "data/arrests.csv"
    archive = folder / "releases" / "v1.0.0"
    assert dataset_file(archive, archive / "data" / "arrests.csv") == "releases/v1.0.0/data/arrests.csv"


def test_location_names_what_is_known_and_the_folder_only_when_asked():
    problem = Problem(rule="small-cell", message="m", dataset="arrests", file="data/a.csv", row=4, field="adults")
    assert problem.location() == 'arrests/data/a.csv, row 4, field "adults"'
    assert problem.location("datasets") == 'datasets/arrests/data/a.csv, row 4, field "adults"'
    assert Problem(rule="no-dataset", message="m", dataset="x").location() == "x"


def test_a_report_is_valid_only_without_problems_and_flattens_for_assertions():
    report = Report(datasets=["a", "b"])
    assert report.valid and report.summary() == "2 dataset(s) valid"
    report.extend([Problem(rule="small-cell", message="m", dataset="a", row=2, field="n")])
    assert not report.valid and report.flatten() == [["a", 2, "n", "small-cell"]]
    assert report.to_dict()["problems"][0]["rule"] == "small-cell"
    assert report.summary() == "1 problem(s) in 1 of 2 dataset(s)"


def test_an_outcome_has_one_shape_for_success_and_failure():
    from tally.core.report import Outcome

    success = Outcome(command="template", ok=True, summary="wrote q3.xlsx", result={"rows": 25}).to_dict()
    problem = Problem(rule="unknown-dataset", message="there is no dataset", dataset="")
    failure = Outcome(command="template", ok=False, summary="there is no dataset",
                      report=Report(problems=[problem])).to_dict()
    assert set(success) == set(failure) == {"ok", "command", "summary", "result", "notes", "next", "valid",
                                            "datasets", "problems"}
    assert success["valid"] is True and failure["valid"] is False
    assert failure["problems"] == [problem.to_dict()]
