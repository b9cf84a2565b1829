"""view-field: a chart names a resource and fields that exist."""

from rule_support import found, run
from support import minimal_descriptor


def test_a_view_naming_a_missing_field(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"]["color"] = "age"
    assert found(run(tmp_path, descriptor=descriptor), "view-field") == [[None, "age"]]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=minimal_descriptor()).valid
