"""The not-available rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "not-available"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_small_cell_marked_n,
        packages.bad_rate_with_count_n,
        packages.bad_n_part_hidden_total,
    ],
    passes=[
        packages.safe_baseline,
    ],
)
