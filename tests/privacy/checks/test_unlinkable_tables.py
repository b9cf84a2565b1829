"""The unlinkable-tables rule: the red team's packages that break it are refused, the safe ones pass."""

import pytest
from adversarial import packages

from rule_support import rules_of, run_site

RULE = "unlinkable-tables"


@pytest.mark.parametrize(
    "make",
    [
        packages.bad_resource_without_total_level,
        packages.bad_two_measures_same_population,
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
        packages.safe_two_populations_same_measure_name,
        packages.safe_new_breakdown_after_release,
    ],
    ids=lambda f: f.__name__,
)
def test_passes(tmp_path, make):
    assert RULE not in rules_of(run_site(tmp_path, make))


def test_message_names_both_tables(tmp_path):
    report = run_site(tmp_path, packages.bad_resource_without_total_level)
    [problem] = [p for p in report.problems if p.rule == RULE]
    assert "ages/identifications" in problem.message and "ages/totals" in problem.message
