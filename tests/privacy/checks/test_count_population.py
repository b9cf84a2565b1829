"""The count-population rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "count-population"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_count_without_population,
    ],
    passes=[
        packages.safe_baseline,
    ],
)
