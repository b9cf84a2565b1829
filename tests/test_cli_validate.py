"""`publish.py validate --json` prints exactly the library's report, privacy problems included.

CI reads this JSON (frictionless-py's console test does the same); it must never
carry a small count, even when the data it describes does.
"""

import json

from tally.privacy.validation import validate

from publish import main
from support import age_total_descriptor, get_settings, write_package

CSV = """quarter,age_band,children,children_note
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
    write_package(tmp_path / "datasets" / "minimal", descriptor(), CSV)
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working folder; the cache lands here
    code = main(["validate", "--datasets", str(tmp_path / "datasets"), "--json"])
    out = capsys.readouterr().out
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert code == 1
    assert json.loads(out) == report.to_dict()
    rules = {p["rule"] for p in json.loads(out)["problems"]}
    assert {"small-cell", "annotation-consistency", "type-error"} <= rules
    # 9 (published) and 4.0 (a count typed as a decimal, which frictionless would quote) must not appear.
    text = out.replace(str(tmp_path), "")
    assert "9" not in text and "4.0" not in text


def test_json_output_of_a_valid_package(tmp_path, capsys, monkeypatch):
    write_package(tmp_path / "datasets" / "minimal")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--datasets", str(tmp_path / "datasets"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"valid": True, "summary": "1 dataset(s) valid",
                                                   "datasets": ["minimal"], "problems": []}
