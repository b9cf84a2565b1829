"""annotation-consistency: an empty count says why, a zero is a real zero (issue 3, rule 2)."""

import pytest

from rule_support import found, messages, run
from support import MINIMAL_CSV, minimal_descriptor


@pytest.mark.parametrize("row, words", [
    ("2024-Q1,15-17,,", "is empty but its annotation"),          # empty without a code
    ("2024-Q1,15-17,0,S", "has a value but its annotation"),     # a zero marked suppressed
    ("2024-Q1,15-17,25,N", "has a value but its annotation"),    # a value marked not available
    ("2024-Q1,15-17,,P", '"P", which does not explain'),          # provisional does not explain a gap
])
def test_cell_and_code_that_disagree(tmp_path, row, words):
    report = run(tmp_path, csv=MINIMAL_CSV.replace("2024-Q1,15-17,,S", row))
    assert found(report, "annotation-consistency") == [[3, "children"]]
    assert words in messages(report, "annotation-consistency")[0]


@pytest.mark.parametrize("row", ["2024-Q1,15-17,,S", "2024-Q1,15-17,,N", "2024-Q1,15-17,0,",
                                 "2024-Q1,15-17,25,"])
def test_the_fixed_twins(tmp_path, row):
    descriptor = minimal_descriptor()
    assert run(tmp_path, descriptor=descriptor, csv=MINIMAL_CSV.replace("2024-Q1,15-17,,S", row)).valid


def test_a_code_outside_the_list_is_named(tmp_path):
    descriptor = minimal_descriptor()
    del descriptor["resources"][0]["schema"]["fields"][3]["constraints"]["enum"]
    report = run(tmp_path, descriptor=descriptor, csv=MINIMAL_CSV.replace(",S\n", ",X\n"))
    assert 'holds a value that is not one of the codes' in messages(report, "annotation-consistency")[0]


def test_an_unreadable_count_is_a_type_error_not_an_empty_cell(tmp_path):
    report = run(tmp_path, csv=MINIMAL_CSV.replace("Under 15,12,", "Under 15,twelve,"))
    assert [p.rule for p in report.problems] == ["type-error"]
