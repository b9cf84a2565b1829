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


@pytest.mark.parametrize("make", [packages.bad_share_without_total_level, packages.bad_share_across_undeclared_whole,
                                  packages.bad_rate_of_a_sum_without_total_level],
                         ids=lambda f: f.__name__)
def test_refused_where_the_whole_is_a_sum_across_a_dimension_without_a_total(tmp_path, make):
    # A share of a sum no row publishes: any published part over its share gives that sum back, and with
    # it a hidden part (the red team, session 3). Only 2023-Q1 holds a hidden band; its published shares
    # are refused, never those of a quarter whose parts are all published.
    found = [p for p in run_site(tmp_path, make).problems if p.rule == RULE]
    assert found and all(p.field == "share" and "age_band" in p.message for p in found)
    rows = {p.row for p in found}
    text = (tmp_path / "datasets" / "shares" / "data" / "shares.csv").read_text().splitlines()
    assert all(text[r - 1].startswith("2023-Q1,") for r in rows)


def test_a_share_of_the_year_is_refused_where_a_quarter_is_hidden(tmp_path):
    # The red team, session 3: the whole of a quarter's share of its year is the year's sum.
    found = [p for p in run_site(tmp_path, packages.bad_share_of_the_year).problems if p.rule == RULE]
    assert [(p.row, p.field) for p in found] == [(2, "share"), (4, "share"), (5, "share")]


def test_a_share_declared_as_a_rate_is_refused(tmp_path):
    # The red team, session 3: "per 100 children identified" is a share of the table's total by another name.
    found = [p for p in run_site(tmp_path, packages.bad_rate_of_hidden_total).problems if p.rule == RULE]
    assert [(p.row, p.field) for p in found] == [(2, "share"), (4, "share"), (5, "share")]


@pytest.mark.parametrize("make", [packages.safe_percent_of_published_total, packages.safe_share_without_total_level,
                                  packages.safe_rate_per_population_beside_a_hidden_total,
                                  packages.safe_percentage_published_parts,
                                  packages.safe_baseline], ids=lambda f: f.__name__)
def test_passes(tmp_path, make):
    assert RULE not in rules_of(run_site(tmp_path, make))
