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


# The red team, session 4: a count said with a count word or statistic marker instead of a people word.
COUNT_PHRASES = [
    "The 12-14 count is 6", "count: 6", "Count = 6", "n = 6", "n=6", "(N=6)", "n: 6", "six were identified",
    "Six were arrested in 2023-Q1", "4 were referred", "3 have been placed", "a total of 4", "A total of four.",
    "The total was 6", "total: 6", "the sum is 6", "the number is 6", "4 of the children", "4 of them",
    "three of those", "2 of whom", "Victims (5)", "count (5)", "cases: (5)", "fewer than 5", "fewer than five",
    "less than 5 children", "at most 6", "no more than 6 girls", "The count was six",
    "The number of children identified in 2023-Q1 was 6", "the total number of victims in Station 2 was 7",
    "Referrals: 4", "arrests stood at 3", "victims reached 8",
]


@pytest.mark.parametrize("text", COUNT_PHRASES)
def test_a_small_count_beside_a_count_word_or_marker_is_found(text):
    assert has_small_count(text, 11)


# What must still pass: ages and ranges, dates, quarters, versions, section numbers, "one of", ordinals, the
# threshold written out, numbers of things. A list of safe phrases, kept as a table to grow.
SAFE_PHRASES = [
    "Children aged 12-14", "ages 12 to 17", "children under 12", "under 5", "aged 6 to 11", "ages 5-9",
    "The 12-14 count is suppressed", "Counts from 1 to 10 are suppressed", "counts of 1 to 10 are suppressed",
    "Counts of 10 or fewer are hidden", "fewer than 11 children", "Counts fewer than 11 are suppressed",
    "cells with fewer than 5 are suppressed", "Figures below 11 are suppressed", "A count of 0 is published",
    "2023-Q3", "Q3", "In Q3 2023 the count rose", "Updated 2024-08-15", "as of June 5, 2024", "Total: 5 June 2024",
    "version 1.2.3", "version number is 2", "case number: 4", "See section 4.2", "Section 5 explains the count",
    "Table 3: counts by age", "Step 2", "one of the children", "one of them", "one was", "the first quarter",
    "a total of 4 quarters", "the total of 3 service areas", "the number of areas is 4 areas",
    "Data for 4 quarters", "count for 2023", "n = 1,234", "n = 45", "A total of 45 children", "45 were identified",
    "in 2 of the 4 service areas", "counts: see table 2", "the sum of 3 and 4", "count: 6-month period",
    "less than 5 percent", "less than 5%", "children less than 5 years old", "Total (2023)", "one person was arrested",
    "Rates per 100,000 children", "Figure 2 shows the count", "count (see note 3)",
]


@pytest.mark.parametrize("text", SAFE_PHRASES)
def test_numbers_that_are_not_counts_still_pass(text):
    assert not has_small_count(text, 11)


def test_a_bound_at_the_threshold_passes_and_below_it_does_not():
    assert not has_small_count("fewer than 11 children", 11) and has_small_count("fewer than 11 children", 15)
    assert has_small_count("fewer than 10 children", 11)
