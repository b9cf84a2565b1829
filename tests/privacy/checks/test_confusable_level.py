"""The confusable-level rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests

RULE = "confusable-level"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_cyrillic_total,
        packages.bad_cyrillic_total_declared,
        packages.bad_greek_level_lookalike,
    ],
    passes=[
        packages.safe_baseline,
    ],
)


def test_skeleton_folds_other_scripts_and_dashes():
    from tally.privacy.checks.confusable_level import skeleton

    assert skeleton("\u0410ll  ages") == skeleton("All ages")
    assert skeleton("15\u201017") == skeleton("15-17")
    assert skeleton("Under 12") != skeleton("12-14")
