"""The unlinkable-tables rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests, run_site

RULE = "unlinkable-tables"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_resource_without_total_level,
        packages.bad_two_measures_same_population,
    ],
    passes=[
        packages.safe_two_populations_same_measure_name,
        packages.safe_new_breakdown_after_release,
    ],
)


def test_message_names_both_tables(tmp_path):
    report = run_site(tmp_path, packages.bad_resource_without_total_level)
    [problem] = [p for p in report.problems if p.rule == RULE]
    assert "ages/identifications" in problem.message and "ages/totals" in problem.message
