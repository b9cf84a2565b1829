"""The archived-release rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "archived-release"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_archive_publishes_small,
        packages.bad_archive_exact_alone,
    ],
    passes=[
        packages.safe_release_then_new_quarter,
        packages.safe_new_breakdown_after_release,
    ],
)
