"""The derived-columns rule, and what the site-wide system makes of declared change and year-to-date columns.

Issue 10: a change or year-to-date column is modelled as equations of the
linked system; the red team's packages that leak through one are refused by
linked-tables (or, when a figure needs a period no table holds, by this rule),
the safe ones pass.
"""

import pytest
from adversarial import packages

from rule_support import rules_of, run_site

RULE = "derived-columns"


def test_change_of_the_first_period_is_refused(tmp_path):
    report = run_site(tmp_path, packages.bad_declared_change_first_period)
    found = [p for p in report.problems if p.rule == RULE]
    assert [(p.row, p.field) for p in found] == [(2, "change")]
    assert "2022-Q4" in found[0].message and found[0].hint and found[0].file


def test_a_column_naming_two_counts_is_refused(tmp_path):
    def make(root):
        rows = [{"quarter": q, "children": v, "girls": 11, "change": None} for q, v in
                zip(packages.QUARTERS, [20, 25, 30, 35])]
        fields = [packages.quarter(), packages.count("children"), packages.count("girls", population="test-girls"),
                  packages.derived("change", "change", ["children", "girls"], unit="children")]
        packages.write(root, packages.package("change", [packages.resource("change", fields, rows)]))

    found = [p for p in run_site(tmp_path, make).problems if p.rule == RULE]
    assert [p.field for p in found] == ["change"] and "exactly one count" in found[0].message


@pytest.mark.parametrize("make", [packages.bad_declared_change_gives_back_hidden,
                                  packages.bad_declared_ytd_gives_back_hidden,
                                  packages.bad_declared_change_by_age,
                                  packages.bad_declared_ytd_in_other_package], ids=lambda f: f.__name__)
def test_a_leak_through_a_declared_column_is_refused_by_the_system(tmp_path, make):
    report = run_site(tmp_path, make)
    found = [p for p in report.problems if p.rule == "linked-tables"]
    assert found, sorted(rules_of(report))
    assert any("with the column(s)" in p.message for p in found)


def test_a_column_that_is_not_the_change_of_the_count_it_names_is_refused(tmp_path):
    # The red team, session 3: the system models a change on the count it names and never checked that it is
    # that count's change; the change of another count (here of a hidden quarter) passed unread.
    report = run_site(tmp_path, packages.bad_change_of_another_count)
    found = [p for p in report.problems if p.rule == RULE]
    assert found and all(p.field == "change" and p.row and "children" in p.message for p in found)
    assert {p.row for p in found} == {3, 5}  # 2023-Q2 and 2023-Q4, where both quarters of children are published


@pytest.mark.parametrize("make", [packages.safe_declared_change_column, packages.safe_declared_ytd_column,
                                  packages.safe_declared_change_by_age], ids=lambda f: f.__name__)
def test_passes(tmp_path, make):
    report = run_site(tmp_path, make)
    assert not {RULE, "linked-tables", "undeclared-structure", "field-role"} & rules_of(report), \
        [p.message for p in report.problems]


def test_hidden_figures_add_no_equation(tmp_path):
    """A hidden change is an unknown of its own equation only: the safe package's system has just the published one."""
    from tally.core.loading import load_dataset
    from tally.privacy.system import dataset_pieces, link

    from support import get_settings

    packages.safe_declared_change_column(tmp_path / "datasets")
    dataset, _ = load_dataset(tmp_path / "datasets" / "change")
    pieces = dataset_pieces(dataset, get_settings(tmp_path))
    system = link("test-children", pieces)
    assert len(system.equations) == 1 and not system.orphans
    (equation,) = system.equations
    # Q4 fell from Q3: the equation reads Q3 = Q4 + the fall.
    assert equation.total == ("2023-Q3",) and equation.parts[0] == ("2023-Q4",)
