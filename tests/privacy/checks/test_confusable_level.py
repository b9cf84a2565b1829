"""The confusable-level rule: the red team's packages that break it are refused, the safe ones pass."""

import pytest
from adversarial import packages

from rule_support import rules_of, run_site

RULE = "confusable-level"


@pytest.mark.parametrize(
    "make",
    [
        packages.bad_cyrillic_total,
        packages.bad_cyrillic_total_declared,
        packages.bad_greek_level_lookalike,
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
        packages.safe_baseline,
    ],
    ids=lambda f: f.__name__,
)
def test_passes(tmp_path, make):
    assert RULE not in rules_of(run_site(tmp_path, make))


def test_skeleton_folds_other_scripts_and_dashes():
    from tally.privacy.checks.confusable_level import skeleton

    assert skeleton("\u0410ll  ages") == skeleton("All ages")
    assert skeleton("15\u201017") == skeleton("15-17")
    assert skeleton("Under 12") != skeleton("12-14")
