"""The codelist rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "codelist"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_level_not_in_codelist,
    ],
    passes=[
        packages.safe_region_station_hierarchy,
        packages.safe_baseline,
    ],
)
