"""Counts of people written into text are found; numbers that are not counts are left alone (issue 10)."""

import pytest

from tally.privacy.small_numbers import has_small_count, texts


@pytest.mark.parametrize("text", [
    "7 children in Service Area 2", "only 3 girls were identified", "6 youths.", "4 victims", "three young girls",
    "Five children were under 12", "Unknown age (2 children)", "youth: 6", "one child was identified",
])
def test_a_small_count_next_to_people_is_found(text):
    assert has_small_count(text, 11)


@pytest.mark.parametrize("text", [
    "Children identified, 2023 (Service Area 1 to 4)", "45 children in 2023-Q2", "ages 12-17", "12-14 children",
    "Figures below 11 are suppressed", "2023-Q1 children", "one chart shows children", "1,234 children",
    "one person arrested twice in a quarter counts twice", "Data for 4 quarters",
])
def test_other_numbers_are_not_counts(text):
    assert not has_small_count(text, 11)


@pytest.mark.parametrize("text", [
    "In 2023-Q1, 7 commercially sexually exploited children were identified", "7 CSEC-involved youth",
    "five commercially exploited children", "6 at-risk youth", "6 LGBTQ+ youth", "6 African-American girls",
    "three 15-year-olds were identified", "3 juveniles", "4 adolescents", "2 of them were boys",
])
def test_a_small_count_among_the_words_this_site_uses_is_found(text):
    # The red team, session 3: the site's own subject ("commercially sexually exploited children") put three
    # words between the number and the people word, and hyphenated words ("CSEC-involved") were not words.
    assert has_small_count(text, 11)


def test_a_raised_threshold_widens_what_is_small():
    assert not has_small_count("12 children", 11) and has_small_count("12 children", 15)


def test_texts_walks_every_string_with_its_path():
    assert list(texts({"a": ["x", {"b": "y"}], "n": 3})) == [("a[0]", "x"), ("a[1].b", "y")]
