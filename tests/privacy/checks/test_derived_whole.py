"""The derived-whole rule: a share published beside its hidden total is refused; shares of published totals pass."""

import pytest
from adversarial import packages

from rule_support import rules_of, run_site

RULE = "derived-whole"


def test_refused(tmp_path):
    report = run_site(tmp_path, packages.bad_percent_of_hidden_total)
    found = [p for p in report.problems if p.rule == RULE]
    # Q1's three published bands each give the hidden all-ages total back.
    assert [(p.row, p.field) for p in found] == [(2, "share"), (4, "share"), (5, "share")]
    assert all(p.hint and p.file and "All ages" in p.message for p in found)


@pytest.mark.parametrize("make", [packages.safe_percent_of_published_total, packages.safe_percentage_published_parts,
                                  packages.safe_baseline], ids=lambda f: f.__name__)
def test_passes(tmp_path, make):
    assert RULE not in rules_of(run_site(tmp_path, make))
