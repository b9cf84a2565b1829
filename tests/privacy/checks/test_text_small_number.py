"""The text-small-number rule: the red team's packages that break it are refused, the safe ones pass."""

import pytest
from adversarial import packages

from rule_support import rules_of, run_site

RULE = "text-small-number"


@pytest.mark.parametrize(
    "make",
    [
        packages.bad_title_small_number,
        packages.bad_description_small_number,
        packages.bad_notes_small_number,
        packages.bad_keywords_small_number,
        packages.bad_spelled_number,
        packages.bad_level_name_small_number,
        packages.bad_field_description_small_number,
        packages.bad_chart_description_small_number,
        packages.bad_source_title_small_number,
        packages.bad_resource_title_small_number,
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
        packages.safe_numbers_in_text,
        packages.safe_baseline,
    ],
    ids=lambda f: f.__name__,
)
def test_passes(tmp_path, make):
    assert RULE not in rules_of(run_site(tmp_path, make))


def test_message_names_the_field_never_the_text(tmp_path):
    report = run_site(tmp_path, packages.bad_title_small_number)
    [problem] = [p for p in report.problems if p.rule == RULE]
    assert problem.field == "title" and "7" not in problem.message and "children" not in problem.message
