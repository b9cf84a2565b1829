"""The zeros-suppressed rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "zeros-suppressed"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_zeros_suppressed_with_zero,
    ],
    passes=[
        packages.safe_baseline,
    ],
)
