"""The shared code lists parse, know their hierarchy, and refuse a list that is not one."""

import pytest

from tally.core.codelists import load_codelists, parse
from tally.core.errors import CodeListError


def test_repository_lists_load_with_their_hierarchy():
    lists = load_codelists()
    age = lists["age-band"]
    assert age.total == "All ages"
    assert age.expand("All ages", {"Under 12", "12-14", "15-17", "Unknown age"}) == (
        "Under 12", "12-14", "15-17", "Unknown age")
    assert age.expand("All ages", {"Under 12", "12-17", "Unknown age"}) == ("Under 12", "12-17", "Unknown age")
    assert lists["area"].leaves("County") == {"Station 1", "Station 2", "Station 3", "Station 4"}
    assert age.expand("Under 12", set()) is None


@pytest.mark.parametrize("data", [
    {"name": "x", "levels": [{"value": "A", "parts": ["B"]}]},
    {"name": "x", "levels": [{"value": "A", "parts": ["A"]}]},
    {"name": "x", "levels": [{"value": "A"}, {"value": "A"}]},
    {"name": "x", "total": "A", "levels": [{"value": "A"}]},
])
def test_malformed_list_is_refused(data):
    with pytest.raises(CodeListError):
        parse(data)
