"""count-integer: counts are integers with minimum 0 (issue 3, rule 7)."""

import pytest

from rule_support import field, found, run
from support import minimal_descriptor


@pytest.mark.parametrize("change", [
    {"type": "number"},
    {"constraints": {}},
    {"constraints": {"minimum": -9999}},
])
def test_a_count_that_is_not_a_non_negative_integer(tmp_path, change):
    descriptor = minimal_descriptor()
    field(descriptor, "children").update(change)
    assert found(run(tmp_path, descriptor=descriptor), "count-integer") == [[None, "children"]]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=minimal_descriptor()).valid


def test_the_open_profile_still_requires_it_of_declared_counts(tmp_path):
    descriptor = minimal_descriptor()
    field(descriptor, "children")["type"] = "number"
    assert found(run(tmp_path, descriptor=descriptor, TALLY_PROFILE="open"), "count-integer")
