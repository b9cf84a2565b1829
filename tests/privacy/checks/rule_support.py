"""Helpers for the rule tests: one package in tmp_path, validated, its problems as short lists."""

from __future__ import annotations

import json

import pytest

from tally.privacy.validation import validate

from support import age_total_descriptor, get_settings, minimal_descriptor, write_package

AGES = ["Under 12", "12-14", "15-17", "All ages"]


def run(tmp_path, descriptor=None, csv=None, name="minimal", **settings):
    """Write one package (the minimal one unless told), validate it, return the Report."""
    write_package(tmp_path / "datasets" / name, descriptor, csv)
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path, **settings))
    return report


def found(report, rule):
    """[row, field] of every problem of `rule`."""
    return [[p.row, p.field] for p in report.problems if p.rule == rule]


def messages(report, rule):
    return [p.message for p in report.problems if p.rule == rule]


# The minimal package with an age band whose "All ages" level is the total of the AGES before it.
total_descriptor = age_total_descriptor


def rows_csv(rows, header="quarter,age_band,children,children_note") -> str:
    """CSV text from (quarter, age band, count or None, code) tuples."""
    lines = [header]
    for quarter, age, value, code in rows:
        lines.append(f"{quarter},{age},{'' if value is None else value},{code or ''}")
    return "\n".join(lines) + "\n"


def quarter(q, values, codes=None) -> list:
    """Rows of one quarter: `values` for Under 12, 12-14, 15-17 and All ages (None = suppressed with S)."""
    codes = codes or [None] * 4
    return [(q, age, v, c if c is not None else ("S" if v is None else "")) for age, v, c in zip(AGES, values, codes)]


def field(descriptor, name) -> dict:
    return next(f for f in descriptor["resources"][0]["schema"]["fields"] if f["name"] == name)


def dumps(report) -> str:
    return json.dumps(report.to_dict())


def crosstab_package(grid, hidden) -> tuple[dict, str]:
    """A package of one count by `row` x `col`, both with an "All" total; `hidden` are (i, j) cells shown as S."""
    rows = [f"r{i + 1}" for i in range(len(grid))] + ["All"]
    cols = [f"c{j + 1}" for j in range(len(grid[0]))] + ["All"]
    descriptor = minimal_descriptor()
    descriptor["views"] = []
    schema = descriptor["resources"][0]["schema"]
    schema["fields"] = [
        {"name": "row", "type": "string", "tally:role": "dimension", "tally:total": "All",
         "constraints": {"required": True, "enum": rows}},
        {"name": "col", "type": "string", "tally:role": "dimension", "tally:total": "All",
         "constraints": {"required": True, "enum": cols}},
        *schema["fields"][2:],
    ]
    schema["primaryKey"] = ["row", "col"]
    lines = ["row,col,children,children_note"]
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ii = range(len(grid)) if r == "All" else [i]
            jj = range(len(grid[0])) if c == "All" else [j]
            value = sum(grid[a][b] for a in ii for b in jj)
            lines.append(f"{r},{c},,S" if (i, j) in hidden else f"{r},{c},{value},")
    return descriptor, "\n".join(lines) + "\n"


def run_site(tmp_path, make, **settings):
    """Write the datasets `make` writes (an adversarial package function) and validate them all."""
    make(tmp_path / "datasets")
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path, **settings))
    return report


def rules_of(report) -> set:
    return {p.rule for p in report.problems}


def red_team_tests(rule: str, refused: list, passes: list):
    """The two tests every rule's file has, over the red team's packages (tests/adversarial/packages.py).

    test_refused: each package in `refused` raises `rule`, every such problem naming its file
    and how to fix it; test_passes: no package in `passes` raises it. A rule's test file
    assigns them: `test_refused, test_passes = red_team_tests(RULE, refused=[...], passes=[...])`.
    """
    assert refused and passes, f"{rule}: a rule's tests need a package that breaks it and one that passes"

    def names(make):
        return make.__name__

    @pytest.mark.parametrize("make", refused, ids=names)
    def test_refused(tmp_path, make):
        report = run_site(tmp_path, make)
        found = [p for p in report.problems if p.rule == rule]
        assert found, sorted(rules_of(report))
        assert all(p.hint and p.file for p in found)

    @pytest.mark.parametrize("make", passes, ids=names)
    def test_passes(tmp_path, make):
        assert rule not in rules_of(run_site(tmp_path, make))

    return test_refused, test_passes
