"""The linked-tables rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests, run_site

RULE = "linked-tables"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_cross_package_teen_total,
        packages.bad_cross_package_same_table,
        packages.bad_cross_package_no_total_in_second,
        packages.bad_cross_package_area_subtotal,
        packages.bad_totals_resource_other_measure,
        packages.bad_quarterly_and_annual,
        packages.bad_release_renamed_measure,
    ],
    passes=[
        packages.safe_cross_package_linked,
        packages.safe_annual_and_quarterly_totals,
        packages.safe_release_then_new_quarter,
        packages.safe_new_breakdown_after_release,
    ],
)


def test_message_names_both_datasets(tmp_path):
    report = run_site(tmp_path, packages.bad_cross_package_teen_total)
    messages = " ".join(p.message for p in report.problems if p.rule == RULE)
    assert "ages/identifications" in messages and "teens/teens" in messages


def test_the_guessing_reader_is_audited_across_tables(tmp_path):
    # Issue 16 on the site-wide system: only a guess of which hidden quarter is small narrows it.
    report = run_site(tmp_path, packages.bad_annual_total_for_the_guessing_reader)
    found = [p for p in report.problems if p.rule == RULE]
    assert found and all("guesses which suppressed cells are small" in p.message for p in found), found
    assert {"period=2023-Q1" in p.message for p in found} == {True, False}  # both hidden quarters, each once
    assert len(found) == 2
