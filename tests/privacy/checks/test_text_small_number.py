"""The text-small-number rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests, run_site

RULE = "text-small-number"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_title_small_number,
        packages.bad_description_small_number,
        packages.bad_notes_small_number,
        packages.bad_keywords_small_number,
        packages.bad_spelled_number,
        packages.bad_level_name_small_number,
        packages.bad_field_description_small_number,
        packages.bad_chart_description_small_number,
        packages.bad_source_title_small_number,
        packages.bad_resource_title_small_number,
        packages.bad_count_word_in_notes,
        packages.bad_statistic_marker_in_readme,
        packages.bad_counted_verb_in_field_description,
        packages.bad_bound_in_level_label,
    ],
    passes=[
        packages.safe_numbers_in_text,
        packages.safe_numbers_beside_count_words,
        packages.safe_baseline,
    ],
)


def test_message_names_the_field_never_the_text(tmp_path):
    report = run_site(tmp_path, packages.bad_title_small_number)
    [problem] = [p for p in report.problems if p.rule == RULE]
    assert problem.field == "title" and "7" not in problem.message and "children" not in problem.message
