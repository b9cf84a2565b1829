"""The red team (issue 10): every bad package is refused by `publish.py validate` and `build`, every safe one builds.

A refusal must come from the rule that names the leak (BAD lists the acceptable
ones), exit 1, and print no count: the text a leak carries in its package (a
number next to a people word) never appears in what the commands print.
"""

from __future__ import annotations

import re

import pytest

from adversarial.packages import BAD, SAFE

from publish import main

LEAKY_TEXT = re.compile(r"\b([1-9]|10|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                        r"(children|girls|boys|youths?|victims|survivors)\b", re.I)


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("make", list(BAD), ids=[f.__name__ for f in BAD])
def test_bad_package_is_refused_by_validate_and_build(make, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TALLY_CACHE_PATH", str(tmp_path / "cache"))
    root = tmp_path / "datasets"
    make(root)
    code, text = _run(capsys, "validate", "--datasets", str(root))
    rules = set(re.findall(r"\[([a-z-]+)\]", text))
    assert code == 1, f"{make.__name__} got through validate"
    assert rules & BAD[make], f"{make.__name__} refused by {sorted(rules)}, expected one of {sorted(BAD[make])}"
    assert not LEAKY_TEXT.search(text), "a message repeats a count"
    code, text = _run(capsys, "build", "--datasets", str(root), "--output", str(tmp_path / "out"))
    assert code == 1 and not (tmp_path / "out").exists()
    assert set(re.findall(r"\[([a-z-]+)\]", text)) & BAD[make]


@pytest.mark.parametrize("make", SAFE, ids=[f.__name__ for f in SAFE])
def test_safe_package_builds(make, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TALLY_CACHE_PATH", str(tmp_path / "cache"))
    root = tmp_path / "datasets"
    make(root)
    code, text = _run(capsys, "build", "--datasets", str(root), "--output", str(tmp_path / "out"))
    assert code == 0, text


def test_the_suite_is_big_enough():
    assert len(BAD) >= 40 and len(SAFE) >= 10
    assert len({f.__name__ for f in BAD}) == len(BAD)
