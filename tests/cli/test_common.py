"""cli/common.py: how every command prints problems: located from the datasets folder, folded, never a value."""

import json
from argparse import Namespace

from tally.cli.common import done, emit, failed, print_notes, print_report, record
from tally.core.report import Problem, Report

from support import publish, write_package


def test_many_problems_of_one_rule_are_folded(tmp_path):
    rows = "".join(f"2024-Q{q},Under 15,x,\n" for q in (1, 2, 3, 4)) + "".join(
        f"20{y}-Q1,15-17,y,\n" for y in range(10, 20))
    write_package(tmp_path / "minimal", csv="quarter,age_band,children,children_note\n" + rows)
    result = publish("validate", "--datasets", tmp_path)
    assert result.stderr.count("[type-error]") == 6  # five shown, then one line with the count
    assert "... and 9 more [type-error] problem(s)" in result.stderr


def test_unknown_problem_is_one_line_without_debug(tmp_path):
    result = publish("build", "--settings", tmp_path / "missing.py")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_problems_are_shown_from_the_datasets_folder_and_runs_are_folded(capsys):
    class Args:
        datasets_folder = "/somewhere/datasets"
    problems = [Problem(rule="small-cell", message="m", dataset="arrests", file="data/a.csv", row=n, field="adults")
                for n in range(2, 10)]
    print_report(Report(datasets=["arrests"], problems=problems), Args())
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith('/somewhere/datasets/arrests/data/a.csv, row 2, field "adults": [small-cell]')
    assert "/somewhere/datasets/arrests/data/a.csv: ... and 3 more [small-cell] problem(s)" in lines
    assert lines[-1] == "error: 8 problem(s) in 1 of 1 dataset(s)"


def test_done_prints_what_a_command_did_its_lines_and_the_next_step(capsys):
    # Every staff command ends with done(): the same "ok:" first and "next:" last for all of them.
    args = Namespace(command="template")
    assert done(args, "wrote q3.xlsx", "detail", next_step="python publish.py intake q3.xlsx",
                result={"path": "q3.xlsx"}) == 0
    assert capsys.readouterr().out == "ok: wrote q3.xlsx\ndetail\nnext: python publish.py intake q3.xlsx\n"
    print_notes(args, ["chose the sheet Data"])
    assert done(args, "nothing to do") == 0
    assert capsys.readouterr().out == "note: chose the sheet Data\nok: nothing to do\n"
    # ... and keeps what it did as the command's Outcome, which --json prints.
    assert args.outcome.to_dict() == {"ok": True, "command": "template", "summary": "nothing to do", "result": {},
                                      "notes": ["chose the sheet Data"], "next": "", "valid": True, "datasets": [],
                                      "problems": []}


def test_failed_prints_the_problems_and_the_error_and_keeps_them(capsys):
    args = Namespace(command="release", datasets_folder=None)
    report = Report(datasets=["arrests"], problems=[Problem(rule="small-cell", message="m", dataset="arrests")])
    assert failed(args, "the released dataset would not pass validation", report=report) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == "error: the released dataset would not pass validation"
    outcome = args.outcome.to_dict()
    assert outcome["ok"] is False and outcome["valid"] is False and outcome["problems"][0]["rule"] == "small-cell"


def test_emit_prints_the_outcome_once_on_the_stdout_it_was_given(capsys):
    import io

    stream = io.StringIO()
    args = Namespace(command="serve", stdout=stream)
    record(args, True, "serving", result={"url": "http://localhost:8000/"})
    emit(args)
    emit(args)  # serve prints it before serving; main's own call then prints nothing
    assert json.loads(stream.getvalue())["result"] == {"url": "http://localhost:8000/"}
    assert capsys.readouterr().out == ""
