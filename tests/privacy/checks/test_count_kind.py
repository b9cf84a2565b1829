"""The count-kind rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "count-kind"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_people_as_quantity,
        packages.bad_people_as_quantity_unit,
    ],
    passes=[
        packages.safe_quantity_of_things,
    ],
)
