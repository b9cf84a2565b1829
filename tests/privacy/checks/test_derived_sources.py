"""The derived-sources rule: the red team's packages that break it are refused, the safe ones pass."""

import pytest
from adversarial import packages

from rule_support import rules_of, run_site

RULE = "derived-sources"


@pytest.mark.parametrize(
    "make",
    [
        packages.bad_percentage_only_denominator,
    ],
    ids=lambda f: f.__name__,
)
def test_refused(tmp_path, make):
    report = run_site(tmp_path, make)
    found = [p for p in report.problems if p.rule == RULE]
    assert found, sorted(rules_of(report))
    assert all(p.hint and p.file for p in found)


@pytest.mark.parametrize(
    "make",
    [
        packages.safe_percentage_published_parts,
    ],
    ids=lambda f: f.__name__,
)
def test_passes(tmp_path, make):
    assert RULE not in rules_of(run_site(tmp_path, make))
