"""The tabular-resource rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "tabular-resource"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_resource_without_schema,
        packages.bad_text_resource,
        packages.bad_json_resource,
    ],
    passes=[
        packages.safe_baseline,
    ],
)
