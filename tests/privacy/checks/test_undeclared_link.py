"""The undeclared-link rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "undeclared-link"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_totals_agree_undeclared,
    ],
    passes=[
        packages.safe_two_datasets_coincidence_once,
        packages.safe_two_populations_same_measure_name,
    ],
)
