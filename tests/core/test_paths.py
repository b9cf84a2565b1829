"""core/paths.py: the one join every write goes through, and the names that become paths."""

import os

import pytest

from tally.core.paths import (
    DATASET_NAME,
    NAME,
    VERSION,
    UnsafePath,
    name_problem,
    quoted,
    safe_join,
    safe_relative,
)

ESCAPES = [
    "../outside", "a/../../outside", "/etc/passwd", "//server/share", "C:/Windows", "c:relative",
    "a\\..\\..\\outside", "name\x00.csv", "..", "a/../..",
]


@pytest.mark.parametrize("part", ESCAPES)
def test_safe_join_refuses_every_way_out(tmp_path, part):
    with pytest.raises(UnsafePath):
        safe_join(tmp_path, "datasets", part)


@pytest.mark.parametrize("part", ESCAPES)
def test_safe_relative_refuses_what_would_be_a_zip_slip_entry(part):
    with pytest.raises(UnsafePath):
        safe_relative("minimal-v1.0.0", part)


def test_safe_join_refuses_a_symbolic_link_out(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "root" / "link")
    with pytest.raises(UnsafePath, match="through a link"):
        safe_join(tmp_path / "root", "link", "pwned.csv")


def test_any_dot_dot_segment_is_refused_even_one_that_would_stay_inside(tmp_path):
    with pytest.raises(UnsafePath):
        safe_join(tmp_path, "a/b/../c")


@pytest.mark.parametrize("parts", [("datasets", "minimal", "data.csv"), ("a/./b",), ("ｄａｔａ",),
                                   ("‥", "x")])
def test_safe_join_keeps_paths_that_stay_inside(tmp_path, parts):
    assert tmp_path.resolve() in safe_join(tmp_path, *parts).parents


def test_a_nul_byte_is_named_not_a_valueerror(tmp_path):
    with pytest.raises(UnsafePath, match="NUL byte"):
        safe_join(tmp_path, "a\x00b")


@pytest.mark.parametrize("value", ["../x", "a/b", "a.b", "A", "", "-a", "é", "ｄ", "a\x00", "a\nb", "a" * 101, 7])
def test_resource_and_view_names_are_strict_slugs(value):
    assert name_problem(value, NAME)


@pytest.mark.parametrize("value", ["identifications", "by-quarter", "age_band", "2024"])
def test_ordinary_names_pass(value):
    assert name_problem(value, NAME) is None


def test_dataset_folders_may_carry_upper_case_but_no_dots():
    assert name_problem("CT-Data-Collaborative__dui-arrests", DATASET_NAME) is None
    assert name_problem("v1.0.0", DATASET_NAME)


@pytest.mark.parametrize("value, ok", [("1.0.0", True), ("1.0", True), ("2026", True), ("2023-03-30", True),
                                       ("1..0", False), ("../1", False), ("1.0/x", False), (".1", False)])
def test_versions(value, ok):
    assert (name_problem(value, VERSION) is None) is ok


def test_quoted_cuts_and_escapes_control_characters():
    assert quoted("a\nb\x00c\u202e") == "a\\nb\\x00c\\u202e"
    assert quoted("x" * 1000) == "x" * 60 + "…"


def test_a_link_to_a_sibling_whose_name_begins_like_the_folder_is_outside(tmp_path):
    # safe_join compares resolved paths as text (issue 12): /x/site-old is not inside /x/site.
    (tmp_path / "site").mkdir()
    (tmp_path / "site-old").mkdir()
    os.symlink(tmp_path / "site-old", tmp_path / "site" / "old")
    with pytest.raises(UnsafePath):
        safe_join(tmp_path / "site", "old", "index.html")
    assert safe_join(tmp_path / "site", "new", "index.html") == (tmp_path / "site" / "new" / "index.html").resolve()
    assert safe_join(tmp_path / "site") == (tmp_path / "site").resolve()
