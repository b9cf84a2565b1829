"""The missing-values rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "missing-values"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_missing_values_five,
        packages.bad_schema_missing_values,
    ],
    passes=[
        packages.safe_baseline,
    ],
)
