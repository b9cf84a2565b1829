"""The missing-row rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "missing-row"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_missing_row,
    ],
    passes=[
        packages.safe_baseline,
        packages.safe_region_station_hierarchy,
    ],
)
