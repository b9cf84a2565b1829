"""core/limits.py: size limits checked before anything parses a file whole (issue 14, problem 4)."""

import pytest
import yaml

from tally.core.limits import LimitExceeded, NoAliasLoader, check_size, nesting, scan_table
from tally.core.settings import DEFAULTS

SMALL = {**DEFAULTS, "TALLY_MAX_LINE_BYTES": 40, "TALLY_MAX_CELL_CHARS": 10, "TALLY_MAX_ROWS": 3,
         "TALLY_MAX_COLUMNS": 4}


def test_the_loader_refuses_aliases_but_reads_plain_yaml():
    assert yaml.load("a: [1, 2]\nb: {c: d}\n", Loader=NoAliasLoader) == {"a": [1, 2], "b": {"c": "d"}}
    with pytest.raises(yaml.YAMLError, match="aliases"):
        yaml.load("a: &x [1]\nb: *x\n", Loader=NoAliasLoader)


def test_nesting_counts_levels_without_recursion():
    assert nesting("x") == 0
    assert nesting({"a": [1, {"b": []}]}) == 4  # object, list, object, list
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert nesting(deep) == 100_001


@pytest.mark.parametrize("text, setting, row", [
    ("a,b\n" + "x" * 41 + "\n", "TALLY_MAX_LINE_BYTES", 2),
    ("a,b\n1,0123456789X\n", "TALLY_MAX_CELL_CHARS", 2),
    ('a,b\n1,"01234\n56789X"\n', "TALLY_MAX_CELL_CHARS", 2),
    ("a,b\n1,2\n3,4\n5,6\n7,8\n", "TALLY_MAX_ROWS", 5),
    ("a,b,c,d,e\n", "TALLY_MAX_COLUMNS", 1),
])
def test_each_limit_names_its_setting_and_row(tmp_path, text, setting, row):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(LimitExceeded) as caught:
        scan_table(path, SMALL)
    assert (caught.value.setting, caught.value.row) == (setting, row)


def test_a_file_within_every_limit_passes_and_the_csv_field_limit_is_restored(tmp_path):
    import csv

    before = csv.field_size_limit()
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3,4\n5,6\n")
    scan_table(path, SMALL)
    assert csv.field_size_limit() == before


def test_a_file_over_the_resource_size_limit_is_refused_by_its_size(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    check_size(path, {**DEFAULTS, "TALLY_MAX_RESOURCE_BYTES": 8})  # 8 bytes: at the limit
    with pytest.raises(LimitExceeded, match="the file is 8 bytes, more than 7") as caught:
        check_size(path, {**DEFAULTS, "TALLY_MAX_RESOURCE_BYTES": 7})
    assert caught.value.setting == "TALLY_MAX_RESOURCE_BYTES"
