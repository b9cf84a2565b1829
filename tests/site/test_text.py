"""Text from datasets: sanitised Markdown, plain text for README files, numbers as tables show them."""

import datetime as dt
from decimal import Decimal

import pytest

from tally.site.text import absolute_url, first_sentence, format_value, human_size, json_value, markdown_html, percent, plain_text


def test_markdown_is_sanitised():
    html = str(markdown_html('Hi <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)'))
    assert "<script" not in html and "javascript:" not in html
    assert 'href="https://a.example"' in html


def test_plain_text_keeps_paragraphs_and_drops_markup():
    assert plain_text("**Bold** & [link](https://a.example)\n\n- one\n- two") == "Bold & link\n\none\n\ntwo"


def test_first_sentence_does_not_split_abbreviations():
    text = "Monthly CPI for the U.S. city average, from BLS. Covers 1913 to now."
    assert first_sentence(text) == "Monthly CPI for the U.S. city average, from BLS."
    assert first_sentence("One sentence only") == "One sentence only"


def test_json_values_are_numbers_and_iso_text():
    assert json_value(Decimal("9.8")) == 9.8 and json_value(Decimal("12")) == 12
    assert json_value(dt.date(2024, 7, 1)) == "2024-07-01"
    assert json_value(None) is None


def test_format_value_keeps_written_precision_and_separates_thousands():
    assert format_value(12345) == "12,345"
    assert format_value(Decimal("66.70")) == "66.70"
    assert format_value(Decimal("1234.5")) == "1,234.5"
    assert format_value(None) == "" and format_value(True) == "Yes"


def test_human_size():
    assert [human_size(n) for n in (950, 5_300, 17_017, 123_456, 3_400_000)] == [
        "950 Bytes", "5.3 kB", "17 kB", "123 kB", "3.4 MB"]


@pytest.mark.parametrize("part, whole, places, expected", [
    (15, 120, 0, "13%"),  # 12.5: half away from zero, as Excel does, not Python's half to even
    (1, 8, 0, "13%"), (1, 40, 1, "2.5%"), (1, 3, 1, "33.3%"), (2, 3, 0, "67%"), (-15, 120, 0, "-13%"),
    (0, 5, 0, "0%"), (1234, 10, 0, "12,340%"),
])
def test_percent_rounds_half_away_from_zero(part, whole, places, expected):
    assert percent(part, whole, places) == expected


def test_change_words_use_the_same_rounding(tmp_path):
    from tally.core.loading import load_dataset
    from tally.site.charts import change_words

    from support import write_package
    field = load_dataset(write_package(tmp_path / "p"))[0].resources[0].fields[2]
    assert change_words(120, 105, field) == "down 15 (13%)"


@pytest.mark.parametrize("site_url", ["https://data.example.gov", "https://data.example.gov/"])
@pytest.mark.parametrize("path", ["datasets/x/", "/datasets/x/"])
def test_an_absolute_url_has_one_slash_between_the_site_and_the_path(site_url, path):
    assert absolute_url(site_url, path) == "https://data.example.gov/datasets/x/"
