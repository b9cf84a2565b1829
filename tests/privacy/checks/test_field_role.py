"""field-role: every field declares a valid role, every measure its kind (issue 3, rule 7)."""

import pytest

from rule_support import field, found, messages, run
from support import minimal_descriptor


@pytest.mark.parametrize("name, change, words", [
    ("age_band", {"tally:role": None}, "declares no `tally:role`"),
    ("age_band", {"tally:role": "category"}, '`tally:role` "category"'),
    ("children", {"tally:kind": None}, "a measure with no `tally:kind`"),
    ("children", {"tally:kind": "people"}, '`tally:kind` "people"'),
])
def test_a_missing_or_unknown_role_or_kind(tmp_path, name, change, words):
    descriptor = minimal_descriptor()
    target = field(descriptor, name)
    for key, value in change.items():
        target.pop(key) if value is None else target.update({key: value})
    report = run(tmp_path, descriptor=descriptor)
    assert found(report, "field-role") == [[None, name]]
    assert words in messages(report, "field-role")[0]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=minimal_descriptor()).valid


def test_the_open_profile_infers_roles(tmp_path):
    descriptor = minimal_descriptor()
    field(descriptor, "age_band").pop("tally:role")
    assert found(run(tmp_path, descriptor=descriptor, TALLY_PROFILE="open"), "field-role") == []
