"""`publish.py withdraw`: the release's page becomes a notice, its files leave the site, the changelog records it."""

from __future__ import annotations

import json

from adversarial.packages import safe_release_then_new_quarter

from publish import main


def _site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "datasets"
    safe_release_then_new_quarter(root)
    return root


def test_withdrawn_release_is_a_notice_without_files(tmp_path, capsys, monkeypatch):
    root = _site(tmp_path, monkeypatch)
    reason = "A hidden cell could be worked out with another dataset."
    assert main(["withdraw", "ages", "1.0.0", "--reason", reason, "--date", "2026-11-30",
                 "--datasets", str(root)]) == 0
    folder = root / "ages" / "releases" / "v1.0.0"
    assert sorted(p.name for p in folder.iterdir()) == ["WITHDRAWN.json"]
    assert json.loads((folder / "WITHDRAWN.json").read_text()) == {"version": "1.0.0", "date": "2026-11-30",
                                                                    "reason": reason}
    changelog = json.loads((root / "ages" / "datapackage.json").read_text())["tally:changelog"]
    assert changelog[-1] == {"version": "1.0.0", "date": "2026-11-30", "kind": "withdrawal",
                             "note": f"Release 1.0.0 withdrawn: {reason}"}
    capsys.readouterr()
    assert main(["build", "--datasets", str(root), "--output", str(tmp_path / "out")]) == 0, capsys.readouterr()
    page = tmp_path / "out" / "datasets" / "ages" / "v1.0.0"
    assert sorted(p.name for p in page.iterdir()) == ["index.html"]
    html = (page / "index.html").read_text()
    assert "Withdrawn release" in html and reason in html and "2026-11-30" in html
    feed = next((tmp_path / "out" / "feeds").glob("*.atom")).read_text()
    assert "#withdrawn" in feed


def test_withdraw_refuses_what_it_cannot_do(tmp_path, capsys, monkeypatch):
    root = _site(tmp_path, monkeypatch)
    args = ["--datasets", str(root)]
    assert main(["withdraw", "ages", "2.0.0", "--reason", "Wrong.", *args]) == 1
    assert "no archived release 2.0.0" in capsys.readouterr().err
    assert main(["withdraw", "ages", "1.0.0", "--reason", "It showed 6 children in one area.", *args]) == 1
    err = capsys.readouterr().err
    assert "6 children" not in err and "small count" in err
    assert (root / "ages" / "releases" / "v1.0.0" / "datapackage.json").exists()
    assert main(["withdraw", "ages", "1.0.0", "--reason", "Fails the audit.", *args]) == 0
    assert main(["withdraw", "ages", "1.0.0", "--reason", "Again.", *args]) == 1
    assert "already withdrawn" in capsys.readouterr().err


def test_a_release_after_a_withdrawal_takes_the_next_version(tmp_path, capsys, monkeypatch):
    root = _site(tmp_path, monkeypatch)
    descriptor = json.loads((root / "ages" / "datapackage.json").read_text())
    descriptor["version"] = "1.0.0"
    (root / "ages" / "datapackage.json").write_text(json.dumps(descriptor))
    assert main(["withdraw", "ages", "1.0.0", "--reason", "Fails the audit.", "--datasets", str(root)]) == 0
    assert main(["release", "ages", "--date", "2026-12-01", "--datasets", str(root)]) == 0, capsys.readouterr()
    assert (root / "ages" / "releases" / "v1.1.0" / "datapackage.json").exists()
    assert json.loads((root / "ages" / "datapackage.json").read_text())["version"] == "1.1.0"
