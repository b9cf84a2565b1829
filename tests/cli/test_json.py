"""`--json`: one JSON document on stdout for every command and every outcome, in one shape (docs/cli.md).

Issue 9 gave every command `--json` for its refusals; a CI job or an agency script also needs
the successes. Every command registered in the parser must have a success and a failure case
below, so a new command that prints text to stdout under --json fails here.
"""

import argparse
import json
import re
import socket
import subprocess
import sys
import time

import pytest

from tally.cli import _run, build_parser
from tally.cli.common import emit
from tally.staff.suppress import HIDDEN

from staff_support import FIRST_RESPONDER, RAW, cross_tab, git, git_repo, quarter_values, write_xlsx
from support import CLI_ENV, MINIMAL_CSV, REPO, age_total_descriptor, publish, write_package

SHAPE = {"ok", "command", "summary", "result", "notes", "next", "valid", "datasets", "problems"}
PROBLEM = {"rule", "message", "dataset", "file", "resource", "row", "field", "hint"}



def document(result, command: str, ok: bool) -> dict:
    """The one JSON document on stdout, checked for the shape every command shares."""
    assert result.stdout.strip(), f"nothing on stdout; stderr: {result.stderr}"
    try:
        doc = json.loads(result.stdout)  # the whole of stdout: a line of text before or after fails here
    except json.JSONDecodeError:
        pytest.fail(f"stdout of `{command} --json` is not one JSON document:\n{result.stdout[:2000]}")
    assert set(doc) == SHAPE, sorted(doc)
    assert doc["command"] == command and doc["ok"] is ok, (doc, result.stderr)
    assert (result.returncode == 0) is ok, (result.returncode, result.stderr)
    assert isinstance(doc["summary"], str) and doc["summary"]
    assert isinstance(doc["result"], dict) and isinstance(doc["notes"], list) and isinstance(doc["next"], str)
    assert doc["valid"] is (not doc["problems"])
    for problem in doc["problems"]:
        assert set(problem) == PROBLEM and problem["message"]
    return doc


# -- one success and one failure for every command: (argv, cwd) built in tmp_path ---------------------------

def _minimal(tmp_path):
    write_package(tmp_path / "datasets" / "minimal")
    return tmp_path / "datasets"


def _sample(tmp_path):
    from staff_support import copy_datasets

    return copy_datasets(tmp_path)


def _raw_dataset(tmp_path):
    write_package(tmp_path / "repo" / "datasets" / "minimal", age_total_descriptor(),
                  "quarter,age_band,children,children_note\n")
    (tmp_path / "raw.csv").write_text(RAW)
    return tmp_path / "repo" / "datasets"


def validate_ok(tmp_path):
    return ["validate", "--datasets", _minimal(tmp_path)], tmp_path


def validate_fails(tmp_path):
    write_package(tmp_path / "datasets" / "minimal", csv="quarter,age_band,children\n2024-Q1,Under 15,12\n")
    return ["validate", "--datasets", tmp_path / "datasets"], tmp_path


def build_ok(tmp_path):
    return ["build", "--datasets", _minimal(tmp_path), "--output", tmp_path / "output"], tmp_path


def build_fails(tmp_path):
    return ["build", "--settings", tmp_path / "missing.py", "--output", tmp_path / "output"], tmp_path


def serve_fails(tmp_path):
    return ["serve", "--output", tmp_path / "no-site"], tmp_path


def template_ok(tmp_path):
    return ["template", FIRST_RESPONDER, "--datasets", _sample(tmp_path), "--output", tmp_path / "q3.xlsx"], tmp_path


def template_fails(tmp_path):
    return ["template", "no-such-dataset", "--datasets", _sample(tmp_path), "--output", tmp_path / "q.xlsx"], tmp_path


def intake_ok(tmp_path):
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    return ["intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q3",
            "--datasets", _sample(tmp_path)], tmp_path


def intake_fails(tmp_path):
    rows = cross_tab(quarter_values())
    rows[0][2] = "Service Area 9"
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows)
    return ["intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q3",
            "--datasets", _sample(tmp_path)], tmp_path


def suppress_ok(tmp_path):
    return ["suppress", tmp_path / "raw.csv", "--dataset", "minimal", "--datasets", _raw_dataset(tmp_path)], tmp_path


def suppress_fails(tmp_path):
    datasets = _raw_dataset(tmp_path)
    (tmp_path / "raw.csv").write_text(RAW.replace("age_band", "age_group"))
    return ["suppress", tmp_path / "raw.csv", "--dataset", "minimal", "--datasets", datasets], tmp_path


def release_ok(tmp_path):
    return ["release", "minimal", "--date", "2026-01-02", "--datasets", _minimal(tmp_path)], tmp_path


def release_fails(tmp_path):
    return ["release", FIRST_RESPONDER, "--datasets", _sample(tmp_path)], tmp_path  # nothing changed


def withdraw_ok(tmp_path):
    return ["withdraw", "csec-training", "1.0.0", "--reason", "A hidden cell could be worked out.",
            "--date", "2026-01-02", "--datasets", _sample(tmp_path)], tmp_path


def withdraw_fails(tmp_path):
    return ["withdraw", "csec-training", "9.9.9", "--reason", "Never released.", "--datasets",
            _sample(tmp_path)], tmp_path


def diff_ok(tmp_path):
    root, datasets = git_repo(tmp_path)
    return ["diff", "HEAD", "--check", "--datasets", datasets], root


def diff_fails(tmp_path):
    root, datasets = git_repo(tmp_path)
    path = datasets / FIRST_RESPONDER / "data" / "identifications.csv"
    path.write_text(path.read_text().replace("2023-Q1,15-17,Service Area 1,33,", "2023-Q1,15-17,Service Area 1,35,"))
    return ["diff", "HEAD", "--check", "--datasets", datasets], root


def new_ok(tmp_path):
    (tmp_path / "placements.csv").write_text("Quarter,Age band,Children placed\n2024-Q1,Under 12,14\n"
                                             "2024-Q1,12-17,22\n")
    (tmp_path / "datasets").mkdir()
    return ["new", "shelter-placements", "--from", tmp_path / "placements.csv", "--datasets",
            tmp_path / "datasets"], tmp_path


def new_fails(tmp_path):
    return ["new", "Not A Name", "--from", tmp_path / "absent.csv", "--datasets", _minimal(tmp_path)], tmp_path


def recover_ok(tmp_path):
    return ["recover", "--datasets", _minimal(tmp_path)], tmp_path


def recover_fails(tmp_path):
    return ["recover", "../outside", "--datasets", _minimal(tmp_path)], tmp_path


CASES = {
    "validate": (validate_ok, validate_fails),
    "build": (build_ok, build_fails),
    "serve": (None, serve_fails),  # its success never ends: test_serve_gives_its_address_as_json
    "template": (template_ok, template_fails),
    "intake": (intake_ok, intake_fails),
    "suppress": (suppress_ok, suppress_fails),
    "release": (release_ok, release_fails),
    "withdraw": (withdraw_ok, withdraw_fails),
    "diff": (diff_ok, diff_fails),
    "new": (new_ok, new_fails),
    "recover": (recover_ok, recover_fails),
}


def registered_commands() -> set[str]:
    parser = build_parser(REPO)
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subcommands.choices)


def test_every_registered_command_has_a_json_case():
    # A command added to the parser without a case here fails: its --json output is then checked below.
    commands = registered_commands()
    assert len(commands) >= 11
    assert commands == set(CASES)


RUNS = [(command, outcome) for command in sorted(CASES) for outcome in ("success", "failure")
        if CASES[command][outcome == "failure"] is not None]


@pytest.mark.parametrize(("command", "outcome"), RUNS)
def test_json_is_the_only_thing_on_stdout(tmp_path, command, outcome):
    make = CASES[command][outcome == "failure"]
    argv, cwd = make(tmp_path)
    result = publish(*argv, "--json", cwd=cwd)
    doc = document(result, command, outcome == "success")
    if outcome == "success":
        assert doc["result"] or command == "validate", doc  # what the text lines said, as data
        assert doc["problems"] == []
    else:
        assert doc["problems"] or doc["result"], doc  # a failure says what stopped it
    assert "Traceback" not in result.stderr


def test_serve_gives_its_address_as_json(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>hello</p>")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(REPO / "publish.py"), "serve", "--output", str(tmp_path / "site"),
                               "--port", str(port), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=CLI_ENV)
    try:
        text = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line, server.stderr.read()
            text += line
            if line.startswith("}"):  # the document's last line: the server is listening
                break
        doc = json.loads(text)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert doc["ok"] is True and doc["command"] == "serve"
    assert doc["result"] == {"output": str(tmp_path / "site"), "url": f"http://localhost:{port}/",
                             "autoreload": False}


def test_a_command_line_not_understood_is_json_too(tmp_path):
    result = publish("intake", "--json", cwd=tmp_path)
    assert result.returncode == 2
    doc = json.loads(result.stdout)
    assert set(doc) == SHAPE and doc["ok"] is False and doc["command"] == "intake"
    assert doc["problems"][0]["rule"] == "usage" and "required" in doc["problems"][0]["message"]
    assert "usage: publish.py intake" in result.stderr  # argparse's own lines, as without --json


def test_a_port_in_use_is_a_failure_not_a_bug(tmp_path):
    (tmp_path / "site").mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = publish("serve", "--output", tmp_path / "site", "--port", port, "--json", cwd=tmp_path)
    doc = document(result, "serve", False)
    assert doc["summary"].startswith(f"cannot serve on port {port}") and doc["problems"] == []


def test_a_bug_is_json_and_names_only_its_type(capsys):
    # An unexpected exception may quote the cell it choked on: the JSON gives its type, never its text.
    def crash(args):
        raise ValueError("invalid literal for int() with base 10: '7 children'")

    args = build_parser(REPO).parse_args(["validate", "--json"])
    args.run, args.notes, args.outcome, args.stdout = crash, [], None, sys.stdout
    assert _run(args) == 1
    emit(args)
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["ok"] is False and doc["problems"][0]["rule"] == "internal-error"
    assert doc["problems"][0]["message"] == "ValueError" and "7" not in out
    assert "7 children" in err  # the text line on stderr is as it was


# -- what the results hold, and what they never hold -----------------------------------------------------------

def test_suppress_json_names_the_hidden_cells_and_no_raw_count(tmp_path):
    argv, cwd = suppress_ok(tmp_path)
    result = publish(*argv, "--json", cwd=cwd)
    doc = document(result, "suppress", True)
    assert doc["result"]["hidden"] == [
        {"row": 2, "measure": "children", "cell": "quarter=2024-Q1, age_band=Under 12",
         "reason": HIDDEN},
        {"row": 3, "measure": "children", "cell": "quarter=2024-Q1, age_band=12-14", "reason": HIDDEN}]
    assert doc["result"]["written"] is True and doc["result"]["output"].endswith("minimal/data/identifications.csv")
    assert doc["result"]["cells_suppressed"] == {"children": 2}  # never split into small and protecting cells
    assert "rows" not in doc["result"] and "header" not in doc["result"]  # the table itself stays in the file
    values = json.dumps(doc["result"])
    assert '"4"' not in values and " 4" not in values and "25" not in values  # the hidden cells' raw figures
    assert "primary" not in result.stdout + result.stderr and "protects" not in result.stdout + result.stderr
    assert f"row 2 (quarter=2024-Q1, age_band=Under 12) children: {HIDDEN}" in result.stderr  # text lines: stderr


def test_intake_json_gives_numbers_of_cells_never_a_count(tmp_path):
    argv, cwd = intake_ok(tmp_path)
    doc = document(publish(*argv, "--json", cwd=cwd), "intake", True)
    assert doc["result"]["added"] == ["2024-Q3"] and doc["result"]["rows"] == 25
    assert doc["result"]["files"] == ["data/identifications.csv", "datapackage.json"]
    assert set(doc["result"]["cells_suppressed"]) == {"children"}
    assert doc["next"] == f"python publish.py release {FIRST_RESPONDER}"
    assert not any(label in json.dumps(doc) for label in ("Under 12", "Service Area 2"))  # no cell is named


def test_intake_replace_preview_is_a_failure_with_the_preview(tmp_path):
    # --replace without --yes writes nothing and exits 1: the JSON carries what would change.
    datasets = _sample(tmp_path)
    workbook = write_xlsx(tmp_path / "q.xlsx", cross_tab(quarter_values(), period="2024-Q2"))
    result = publish("intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q2", "--replace",
                     "--datasets", datasets, "--json", cwd=tmp_path)
    doc = document(result, "intake", False)
    assert doc["result"]["status"] == "preview" and doc["problems"] == []
    assert set(doc["result"]["preview"]) == {"periods", "published", "changed", "hidden", "shown", "released"}
    assert "run the same command with --yes" in doc["summary"]


def test_new_json_lists_roles_not_categories(tmp_path):
    argv, cwd = new_ok(tmp_path)
    doc = document(publish(*argv, "--json", cwd=cwd), "new", True)
    fields = {f["name"]: f for f in doc["result"]["fields"]}
    assert fields["children_placed"]["role"] == "measure" and fields["children_placed"]["kind"] == "count"
    assert fields["quarter"]["period"] == "quarter"
    assert doc["result"]["todos"] and all(set(t) == {"where", "todo"} for t in doc["result"]["todos"])
    assert "Under 12" not in json.dumps(doc)  # a dimension's levels are in the file, not in the output


def test_diff_check_failure_names_each_dataset_and_rule(tmp_path):
    argv, cwd = diff_fails(tmp_path)
    doc = document(publish(*argv, "--json", cwd=cwd), "diff", False)
    assert {(p["rule"], p["dataset"]) for p in doc["problems"]} == {("diff-check", FIRST_RESPONDER)}
    assert "without a release" in doc["summary"]
    changed = doc["result"]["datasets"][0]
    assert changed["blocking"] and changed["tables"][0]["values_changed"] == 1
    assert "### Revised figures" in doc["result"]["markdown"]


def test_diff_json_never_shows_a_raw_small_count(tmp_path):
    root, datasets = git_repo(tmp_path)
    path = datasets / FIRST_RESPONDER / "data" / "identifications.csv"
    path.write_text(path.read_text().replace("2023-Q1,12-14,Service Area 2,,S", "2023-Q1,12-14,Service Area 2,7,"))
    git(root, "commit", "-qam", "a raw count by mistake")
    doc = document(publish("diff", "HEAD~1", "--head", "HEAD", "--check", "--datasets", datasets, "--json",
                           cwd=root), "diff", False)
    assert doc["result"]["datasets"][0]["tables"][0]["small_count_cells"] == 1
    assert "| 7 |" not in doc["result"]["markdown"] and "fewer than 11" in doc["result"]["markdown"]
    text = json.dumps({k: v for k, v in doc.items() if k != "result"}) + json.dumps(doc["result"]["datasets"])
    assert '"7"' not in text and " 7 " not in text


def test_a_staff_command_refused_by_validation_is_json_and_carries_no_count(tmp_path):
    # Before, refused() printed the problems on stderr and nothing on stdout under --json.
    write_package(tmp_path / "datasets" / "minimal", csv=MINIMAL_CSV.replace(",12,", ",5,"))
    result = publish("release", "minimal", "--datasets", tmp_path / "datasets", "--json", cwd=tmp_path)
    doc = document(result, "release", False)
    assert doc["summary"] == "the released dataset would not pass validation; nothing was written"
    assert "small-cell" in {p["rule"] for p in doc["problems"]}
    assert not re.search(r"(?<![\w.-])5(?![\w.-])", json.dumps(doc).replace(str(tmp_path), ""))  # the raw 5
    assert not (tmp_path / "datasets" / "minimal" / "releases").exists()


def test_build_says_when_it_had_nothing_to_do(tmp_path):
    argv, cwd = build_ok(tmp_path)
    first = document(publish(*argv, "--json", cwd=cwd), "build", True)
    again = document(publish(*argv, "--json", cwd=cwd), "build", True)
    assert first["result"]["up_to_date"] is False and first["result"]["datasets"] == 1
    assert again["result"]["up_to_date"] is True and again["result"]["files"] == first["result"]["files"]


def test_recover_refuses_a_name_that_leaves_the_datasets_folder(tmp_path):
    # recover joined any name to the datasets folder, so `recover ../x` finished or undid a transaction
    # in a folder outside it.
    argv, cwd = recover_fails(tmp_path)
    doc = document(publish(*argv, "--json", cwd=cwd), "recover", False)
    assert "is not a dataset name" in doc["problems"][0]["message"]


def test_validate_json_keeps_the_report_it_gave_before(tmp_path):
    # `validate --json > report.json` consumers read valid, summary, datasets and problems: still there.
    argv, cwd = validate_fails(tmp_path)
    doc = document(publish(*argv, "--json", cwd=cwd), "validate", False)
    assert doc["summary"].endswith("problem(s) in 1 of 1 dataset(s)") and doc["datasets"] == ["minimal"]


# -- without --json, the text is what it was -------------------------------------------------------------------

def test_text_output_is_unchanged(tmp_path):
    argv, cwd = template_ok(tmp_path)
    result = publish(*argv, cwd=cwd)
    q3 = tmp_path / "q3.xlsx"
    assert result.stdout == (f"ok: wrote {q3} (25 rows of 2024-Q3 to fill)\n"
                             f"next: fill it in, then python publish.py intake {q3} --dataset {FIRST_RESPONDER} "
                             "--period 2024-Q3\n")
    argv, cwd = withdraw_ok(tmp_path / "w")
    result = publish(*argv, cwd=cwd)
    assert result.stdout == ("ok: withdrew csec-training 1.0.0 (2026-01-02); removed 2 file(s) from "
                             "csec-training/releases/v1.0.0/\nnext: commit datasets/csec-training; git history "
                             "still holds the files (see README, \"Withdrawing a release\")\n")
    argv, cwd = release_ok(tmp_path / "r")
    result = publish(*argv, cwd=cwd)
    assert result.stdout == ("ok: minimal first release 1.0.0 (release, 2026-01-02): First release, covering "
                             "2024-Q1 to 2024-Q2.\narchived in minimal/releases/v1.0.0/, served at "
                             "/datasets/minimal/v1.0.0/\nnext: python publish.py diff, then commit "
                             "datasets/minimal and open a pull request\n")
    (tmp_path / "i").mkdir()
    argv, cwd = intake_ok(tmp_path / "i")
    result = publish(*argv, cwd=cwd)
    assert result.stdout == (f"ok: added 2024-Q3 in {FIRST_RESPONDER} (25 rows; children: 10 cell(s) suppressed)\n"
                             "wrote: data/identifications.csv, datapackage.json\n"
                             f"next: python publish.py release {FIRST_RESPONDER}\n")
    argv, cwd = validate_fails(tmp_path / "v")
    result = publish(*argv, cwd=cwd)
    assert result.returncode == 1 and result.stdout == ""
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        "error: 1 problem(s) in 1 of 1 dataset(s)"]
    argv, cwd = release_fails(tmp_path / "f")
    result = publish(*argv, cwd=cwd)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"error: {FIRST_RESPONDER} has not changed since release 1.1.0: there is nothing to "
                             "release\n  how to fix: add a period with publish.py intake, or edit what needs "
                             "correcting, first\n  nothing was written\n")
