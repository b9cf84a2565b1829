"""The vega-lite-data rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "vega-lite-data"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_vega_lite_datasets,
        packages.bad_vega_lite_layer_values,
    ],
    passes=[
        packages.safe_vega_lite_without_data,
        packages.safe_baseline,
    ],
)
