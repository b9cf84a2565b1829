"""The undeclared-structure rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "undeclared-structure"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_wide_layout,
        packages.bad_measures_add_up,
        packages.bad_region_subtotal_undeclared,
        packages.bad_all_under_18_not_total,
        packages.bad_teen_subtotal_level,
        packages.bad_year_to_date_column,
        packages.bad_change_column_quantity,
        packages.bad_whole_as_a_column,
    ],
    passes=[
        packages.safe_region_station_hierarchy,
        packages.safe_percentage_published_parts,
        packages.safe_baseline,
        packages.safe_share_without_total_level,
        packages.safe_annual_and_quarterly_totals,
    ],
)
