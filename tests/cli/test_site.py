"""cli/site.py (validate, build, serve): each bad input gives one line per problem, exit 1, no traceback."""

import json
import os
import subprocess
import sys

import pytest

from tally.privacy.validation import validate

from publish import main
from support import (
    MINIMAL_CSV,
    REPO,
    age_total_descriptor,
    build_good_site,
    get_settings,
    minimal_descriptor,
    publish,
    tree_bytes,
    write_package,
)


def _descriptor(change):
    descriptor = minimal_descriptor()
    change(descriptor)
    return descriptor


def _set_path(path):
    return lambda d: d["resources"][0].__setitem__("path", path)


def _set_view_y(d):
    d["views"][0]["spec"]["y"] = "nope"


BAD_INPUTS = {
    "malformed-json": (dict(descriptor_text='{"name": "minimal", "resources": [}'), "not valid JSON", "descriptor-syntax"),
    "malformed-yaml": (dict(descriptor_text="name: [minimal\n", descriptor_name="datapackage.yaml"), "not valid YAML",
                       "descriptor-syntax"),
    "empty-package": (dict(descriptor_text='{"name": "minimal", "resources": []}'), "no resources", "empty-package"),
    "missing-file": (dict(descriptor=_descriptor(_set_path("data/absent.csv"))), "does not exist", "unsafe-path"),
    "remote-url": (dict(descriptor=_descriptor(_set_path("https://example.com/x.csv"))), "remote URL", "unsafe-path"),
    "parent-path": (dict(descriptor=_descriptor(_set_path("../x.csv"))), "leaves the dataset folder", "unsafe-path"),
    "missing-column": (dict(csv="quarter,age_band,children\n2024-Q1,Under 15,12\n"), "children_note", "missing-label"),
    "wrong-type": (dict(csv=MINIMAL_CSV.replace(",12,", ",twelve,")), 'field "children"', "type-error"),
    "extra-cells": (dict(csv=MINIMAL_CSV.replace("2024-Q2,15-17,0,", "2024-Q2,15-17,0,,9")), "row 5", "extra-cell"),
    "non-utf8": (dict(csv=MINIMAL_CSV.encode() + "2024-Q3,Under 15,20,\xe9\n".encode("latin-1")), "not valid utf-8",
                 "text-encoding"),
    "view-missing-field": (dict(descriptor=_descriptor(_set_view_y)), 'field "nope"', "view-field"),
}


@pytest.fixture
def built(tmp_path):
    """A folder holding a good dataset and a site built from it."""
    return build_good_site(tmp_path)


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_clearly_and_leaves_output_untouched(built, case):
    datasets, output = built
    package, says, rule = BAD_INPUTS[case]
    write_package(datasets / "minimal", **package)
    before = tree_bytes(output)

    result = publish("build", "--datasets", datasets, "--output", output)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert says in result.stderr, result.stderr
    assert f"[{rule}]" in result.stderr
    assert "datasets/minimal/" in result.stderr  # the message names the file
    assert tree_bytes(output) == before


def test_build_shows_each_step_once(tmp_path):
    # A build validates each dataset once (the generator takes build_site's result), so the
    # progress lines need no filter for repeats: each dataset is validated, then rendered.
    write_package(tmp_path / "datasets" / "good")
    result = publish("build", "--datasets", tmp_path / "datasets", "--output", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stderr.splitlines() if line.split(" ")[0] in ("validated", "rendered")]
    assert steps == ["validated good", "rendered good"]


def test_validate_exit_codes_and_message(tmp_path):
    write_package(tmp_path / "minimal", csv=MINIMAL_CSV.replace(",12,", ",twelve,"))
    result = publish("validate", "--datasets", tmp_path)
    assert result.returncode == 1
    line = next(text for text in result.stderr.splitlines() if "[type-error]" in text)
    assert "data/identifications.csv, row 2, field \"children\"" in line
    assert "how to fix:" in result.stderr
    write_package(tmp_path / "minimal")
    ok = publish("validate", "--datasets", tmp_path)
    assert ok.returncode == 0 and "ok: 1 dataset(s) valid" in ok.stdout


def test_validate_json_equals_the_library_report(tmp_path):
    write_package(tmp_path / "minimal", csv=MINIMAL_CSV.replace(",12,", ",twelve,"))
    result = publish("validate", "--datasets", tmp_path, "--json", cwd=tmp_path)

    os.chdir(tmp_path)  # paths in the report are shown relative to the working folder
    try:
        report, _ = validate(tmp_path, get_settings(tmp_path))
    finally:
        os.chdir(REPO)
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    # The Report's keys as they were, inside the envelope every command prints (docs/cli.md).
    assert {key: doc[key] for key in report.to_dict()} == report.to_dict()
    assert doc["ok"] is False and doc["command"] == "validate"




def test_html_in_dataset_text_is_escaped_on_every_page(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["title"] = 'Kids <script>alert("t")</script>'
    descriptor["description"] = 'Summary <img src=x onerror=alert(1)> and <script>alert("d")</script> **bold**'
    descriptor["keywords"] = ["<b>kw</b>"]
    descriptor["resources"][0]["schema"]["fields"][0]["description"] = "<script>alert('f')</script>"
    write_package(tmp_path / "datasets" / "minimal", descriptor)
    output = tmp_path / "output"
    result = publish("build", "--datasets", tmp_path / "datasets", "--output", output)
    assert result.returncode == 0, result.stderr
    pages = sorted(output.rglob("*.html"))
    assert pages  # a loop over nothing proves nothing
    for page in pages:
        text = page.read_text()
        assert "<script>alert" not in text, page
        assert "onerror=" not in text, page
        assert "<b>kw</b>" not in text, page
    dataset_page = (output / "datasets" / "minimal" / "index.html").read_text()
    assert "Kids &lt;script&gt;" in dataset_page
    assert "<strong>bold</strong>" in dataset_page  # Markdown still works after sanitising




@pytest.mark.parametrize("command", ["validate", "build", "serve"])
def test_every_command_has_help_with_examples(command):
    result = publish(command, "--help")
    assert result.returncode == 0
    assert "example" in result.stdout


def test_serve_serves_the_built_site(built):
    import socket
    import time
    import urllib.request

    _, output = built
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(REPO / "publish.py"), "serve", "--output", str(output),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/datasets/good/", timeout=2) as response:
                    assert response.status == 200
                    assert b"Minimal example" in response.read()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("publish.py serve did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)


# -- validate --json prints exactly the library's report (frictionless-py's console test does the same);
# it must never carry a small count, even when the data it describes does.

VALIDATE_CSV = """quarter,age_band,children,children_note
2024-Q1,Under 12,9,
2024-Q1,12-14,,S
2024-Q1,15-17,30,
2024-Q1,All ages,50,
2024-Q2,Under 12,,
2024-Q2,12-14,4.0,
2024-Q2,15-17,=2+5,
2024-Q2,All ages,40,
"""


def descriptor():
    return age_total_descriptor()


def test_json_output_equals_the_library_report_and_holds_no_small_count(tmp_path, capsys, monkeypatch):
    write_package(tmp_path / "datasets" / "minimal", descriptor(), VALIDATE_CSV)
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working folder; the cache lands here
    code = main(["validate", "--datasets", str(tmp_path / "datasets"), "--json"])
    out = capsys.readouterr().out
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert code == 1
    assert {key: json.loads(out)[key] for key in report.to_dict()} == report.to_dict()
    rules = {p["rule"] for p in json.loads(out)["problems"]}
    assert {"small-cell", "annotation-consistency", "type-error"} <= rules
    # 9 (published) and 4.0 (a count typed as a decimal, which frictionless would quote) must not appear.
    text = out.replace(str(tmp_path), "")
    assert "9" not in text and "4.0" not in text


def test_json_output_of_a_valid_package(tmp_path, capsys, monkeypatch):
    write_package(tmp_path / "datasets" / "minimal")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--datasets", str(tmp_path / "datasets"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "command": "validate", "summary": "1 dataset(s) valid",
                                                   "result": {}, "notes": [], "next": "", "valid": True,
                                                   "datasets": ["minimal"], "problems": []}
