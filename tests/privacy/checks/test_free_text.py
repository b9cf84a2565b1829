"""free-text: text fields have a closed list of values (issue 3, rule 7)."""

import pytest

from rule_support import field, found, messages, run
from support import minimal_descriptor


def test_a_text_dimension_without_levels_is_an_error(tmp_path):
    descriptor = minimal_descriptor()
    del field(descriptor, "age_band")["constraints"]["enum"]
    report = run(tmp_path, descriptor=descriptor)
    assert found(report, "free-text") == [[None, "age_band"]]


def test_categories_are_as_good_as_an_enum(tmp_path):
    descriptor = minimal_descriptor()
    del field(descriptor, "age_band")["constraints"]["enum"]
    field(descriptor, "age_band")["categories"] = ["Under 15", "15-17"]
    assert run(tmp_path, descriptor=descriptor).valid


@pytest.mark.parametrize("enum, words", [(None, "lists no codes"), (["S", "X"], "unknown code(s) X")])
def test_an_annotation_lists_known_codes(tmp_path, enum, words):
    descriptor = minimal_descriptor()
    constraints = field(descriptor, "children_note")["constraints"]
    if enum is None:
        del constraints["enum"]
    else:
        constraints["enum"] = enum
    assert any(words in m for m in messages(run(tmp_path, descriptor=descriptor), "free-text"))


def test_a_text_measure_is_an_error(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"].append(
        {"name": "details", "type": "string", "tally:role": "measure", "tally:kind": "quantity"})
    csv = ("quarter,age_band,children,children_note,details\n2024-Q1,Under 15,12,,x\n"
           "2024-Q1,15-17,,S,y\n")
    assert found(run(tmp_path, descriptor=descriptor, csv=csv), "free-text") == [[None, "details"]]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=minimal_descriptor()).valid
