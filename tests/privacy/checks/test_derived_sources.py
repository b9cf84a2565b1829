"""The derived-sources rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "derived-sources"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_percentage_only_denominator,
    ],
    passes=[
        packages.safe_percentage_published_parts,
    ],
)
