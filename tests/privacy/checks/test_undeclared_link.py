"""The undeclared-link rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "undeclared-link"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_totals_agree_undeclared,
        packages.bad_totals_agree_without_total_level,
        packages.bad_totals_agree_without_total_level_elsewhere,
        packages.bad_teens_as_another_population,
    ],
    passes=[
        packages.safe_two_datasets_coincidence_once,
        packages.safe_two_populations_same_measure_name,
        packages.safe_share_without_total_level,
        packages.safe_quantity_of_things,
        packages.safe_cross_package_linked,
        packages.safe_new_breakdown_after_release,
    ],
)
