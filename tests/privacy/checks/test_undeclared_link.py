"""The undeclared-link rule: the red team's packages that break it are refused, the safe ones pass."""

from adversarial import packages

from rule_support import red_team_tests, rules_of, run_site

RULE = "undeclared-link"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[
        packages.bad_totals_agree_undeclared,
        packages.bad_totals_agree_without_total_level,
        packages.bad_totals_agree_without_total_level_elsewhere,
        packages.bad_teens_as_another_population,
        packages.bad_new_dataset_mislabelled_two_quarters,
        packages.bad_new_dataset_mislabelled_one_quarter,
    ],
    passes=[
        packages.safe_two_datasets_coincidence_once,
        packages.safe_two_populations_same_measure_name,
        packages.safe_share_without_total_level,
        packages.safe_quantity_of_things,
        packages.safe_cross_package_linked,
        packages.safe_new_breakdown_after_release,
        packages.safe_new_dataset_agreeing_in_part,
    ],
)


def test_a_breakdown_of_fewer_agreeing_figures_is_not_evidence(tmp_path):
    # One quarter of another population whose bands equal the ages table's in three non-zero figures (and a zero):
    # below MIN_CELLS, chance agreement is too likely to refuse (docs/conventions.md). A known limit.
    root = tmp_path / "datasets"
    packages.write(root, packages.age_package("ages"))
    packages.write(root, packages._relabelled_ages(packages.QUARTERS[3:], [[30, 22, 27, 0]]))
    assert RULE not in rules_of(run_site(tmp_path, lambda _: None))
