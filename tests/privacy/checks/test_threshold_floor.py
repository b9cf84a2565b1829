"""threshold-floor: a dataset may raise the threshold, never lower it (issue 3, rule 1)."""

import pytest

from rule_support import found, messages, run
from support import minimal_descriptor


def with_disclosure(props):
    descriptor = minimal_descriptor()
    descriptor["tally:disclosure"] = props
    return descriptor


def test_lowering_the_threshold_is_an_error_and_does_not_lower_it(tmp_path):
    csv = "quarter,age_band,children,children_note\n2024-Q1,Under 15,9,\n2024-Q1,15-17,0,\n"
    report = run(tmp_path, descriptor=with_disclosure({"threshold": 5}), csv=csv)
    assert found(report, "threshold-floor") == [[None, None]]
    assert "below the site threshold of 11" in messages(report, "threshold-floor")[0]
    assert found(report, "small-cell") == [[2, "children"]]  # still judged at 11


def test_the_fixed_twin_raises_it(tmp_path):
    assert run(tmp_path, descriptor=with_disclosure({"threshold": 12})).valid


@pytest.mark.parametrize("props, words", [
    ({"threshold": "20"}, "whole number"),
    ({"threshold": 11.5}, "whole number"),
    ({"treshold": 20}, 'unknown key "treshold"'),  # a typo must not silently keep the lower threshold
    ({"periodPrecision": "week"}, "periodPrecision"),
    ({"periodPrecision": "month"}, "finer than the site allows"),
    ({"zerosSuppressed": "yes"}, "true or false"),
    (["threshold", 20], "must be an object"),
])
def test_malformed_disclosure_properties(tmp_path, props, words):
    report = run(tmp_path, descriptor=with_disclosure(props))
    assert any(words in m for m in messages(report, "threshold-floor")), report.to_dict()


def test_a_coarser_period_and_zeros_suppressed_are_accepted(tmp_path):
    # A yearly-only dataset with quarterly rows is then period-precision's error, not this rule's.
    report = run(tmp_path, descriptor=with_disclosure({"periodPrecision": "year", "zerosSuppressed": True}))
    assert found(report, "threshold-floor") == []
    assert found(report, "period-precision")
