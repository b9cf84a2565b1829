"""site/discovery/facts.py: dates, descriptions, licences, coverage and JSON-LD escaping for one dataset."""

import datetime as dt
import json

import pytest

from tally.core.errors import SettingsError
from tally.site.discovery.facts import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    NO_LICENSE_NOTE,
    dataset_facts,
    dataset_jsonld,
    dcat_dataset,
    period_bounds,
    script_json,
    shorten,
    site_from_settings,
    source_date_setting,
    temporal_interval,
)

from site_support import SITE_SETTINGS, page_for, site
from support import minimal_descriptor, without_period


@pytest.mark.parametrize("text, first, last", [
    ("2023-Q1", "2023-01-01", "2023-03-31"),
    ("2024-Q2", "2024-04-01", "2024-06-30"),
    ("2024-Q4", "2024-10-01", "2024-12-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2023", "2023-01-01", "2023-12-31"),
    ("2024-03-05", "2024-03-05", "2024-03-05"),
])
def test_period_bounds_cover_the_whole_period(text, first, last):
    assert period_bounds(text) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize("text", ["2024-Q5", "2024-13", "Q1 2024", "", None, "2024-02-30"])
def test_period_bounds_refuse_what_is_not_a_period(text):
    assert period_bounds(text) is None


def test_temporal_interval_from_coverage_is_iso_8601(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["tally:coverage"]["temporal"] = {"start": "2023-Q1", "end": "2024-Q2"}
    page = page_for(tmp_path, descriptor)
    assert temporal_interval(page.dataset) == "2023-01-01/2024-06-30"


def test_temporal_interval_falls_back_to_the_data_time_column(tmp_path):
    descriptor = minimal_descriptor()
    del descriptor["tally:coverage"]
    page = page_for(tmp_path, descriptor)  # the CSV covers 2024-Q1 and 2024-Q2
    assert temporal_interval(page.dataset) == "2024-01-01/2024-06-30"


def test_short_description_is_completed_with_a_coverage_sentence(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["description"] = "Children."
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert DESCRIPTION_MIN <= len(facts.description) <= DESCRIPTION_MAX
    assert facts.description.startswith("Illustrative sample data. Children. Minimal example: data published by")
    assert "from 2024-01-01 to 2024-06-30" in facts.description and "updated quarterly" in facts.description


def test_long_description_is_cut_at_a_word_with_an_ellipsis(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["description"] = "Illustrative sample data. " + "counted children " * 400
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert len(facts.description) <= DESCRIPTION_MAX
    assert facts.description.endswith("…")
    assert facts.description[:-1].split()[-1] in ("counted", "children")


def test_shorten_never_cuts_inside_a_word():
    assert shorten("alpha beta gamma", 12) == "alpha beta…"
    assert shorten("alpha", 12) == "alpha"


def test_markdown_is_plain_text_in_the_description(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["description"] = "Illustrative sample data about **children** counted by [the county](https://x.gov).\n\n" \
                                "Second <script>alert(1)</script> paragraph."
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert facts.description == ("Illustrative sample data about children counted by the county.\n\n"
                                 "Second paragraph.")  # the sanitiser drops scripts whole


def test_json_ld_cannot_close_its_script_element(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["title"] = "Counts </script><script>alert(1)</script> & <!-- more"
    page = page_for(tmp_path, descriptor)
    text = script_json(dataset_jsonld(dataset_facts(page, site()), site()))
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert json.loads(text)["name"] == descriptor["title"]


def test_missing_licence_falls_back_to_the_default_and_says_so(tmp_path):
    descriptor = minimal_descriptor()
    del descriptor["licenses"]
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert facts.licence.url == "https://creativecommons.org/licenses/by/4.0/" and not facts.licence.stated
    entry = dcat_dataset(facts, site())
    assert entry["license"] == facts.licence.url and entry["rights"] == NO_LICENSE_NOTE


def test_stated_licence_is_used_and_no_rights_note(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["licenses"] = [{"name": "ODC-PDDL-1.0", "path": "https://opendatacommons.org/licenses/pddl/"}]
    entry = dcat_dataset(dataset_facts(page_for(tmp_path, descriptor), site()), site())
    assert entry["license"] == "https://opendatacommons.org/licenses/pddl/" and "rights" not in entry


@pytest.mark.parametrize("frequency, expected", [("quarterly", "R/P3M"), ("annual", "R/P1Y"), ("monthly", "R/P1M")])
def test_accrual_periodicity_is_an_iso_repeating_duration(tmp_path, frequency, expected):
    descriptor = minimal_descriptor()
    descriptor["tally:frequency"] = frequency
    assert dcat_dataset(dataset_facts(page_for(tmp_path, descriptor), site()), site())["accrualPeriodicity"] == expected


def test_a_package_without_dates_is_dated_by_the_end_of_its_newest_period(tmp_path):
    # Issue 15: packages with no dates got no sitemap lastmod and no feed entry. Its newest
    # figures (2024-Q2) cannot have been complete before the quarter's last day.
    facts = dataset_facts(page_for(tmp_path, minimal_descriptor()), site())
    assert facts.releases[0].date == facts.modified == "2024-06-30"


def test_a_stated_date_wins_over_the_newest_period(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["created"] = "2025-01-10T09:00:00Z"
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert facts.releases[0].date == facts.modified == "2025-01-10"


def test_without_a_period_the_build_source_date_dates_it(tmp_path):
    dated = site_from_settings({**SITE_SETTINGS, "TALLY_SOURCE_DATE": "2026-03-01"})
    facts = dataset_facts(page_for(tmp_path, without_period()), dated)
    assert facts.releases[0].date == facts.modified == "2026-03-01"


def test_without_a_period_or_a_source_date_a_package_stays_undated(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    facts = dataset_facts(page_for(tmp_path, without_period()), site())
    assert facts.releases[0].date == facts.modified == ""  # never invented


def test_the_source_date_comes_from_the_setting_else_source_date_epoch_never_the_clock():
    assert source_date_setting({"TALLY_SOURCE_DATE": "2026-03-01"}, environ={"SOURCE_DATE_EPOCH": "0"}) == "2026-03-01"
    assert source_date_setting({}, environ={"SOURCE_DATE_EPOCH": "1767225599"}) == "2025-12-31"  # UTC day
    assert source_date_setting({}, environ={}) == ""
    with pytest.raises(SettingsError, match="TALLY_SOURCE_DATE must be a date written YYYY-MM-DD"):
        source_date_setting({"TALLY_SOURCE_DATE": "March 2026"}, environ={})
    with pytest.raises(SettingsError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        source_date_setting({}, environ={"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.parametrize("key, value", [("TALLY_SITE_URL", ""), ("TALLY_SITE_URL", "data.example.gov"),
                                        ("TALLY_CONTACT_EMAIL", "not an email"), ("TALLY_PUBLISHER", " "),
                                        ("TALLY_DEFAULT_LICENSE", {"name": "CC-BY-4.0"})])
def test_unusable_site_setting_names_the_setting(key, value):
    with pytest.raises(SettingsError, match=key):
        site_from_settings({**SITE_SETTINGS, key: value})


def test_a_datasets_facts_are_read_from_its_cached_summary_until_its_package_changes(tmp_path):
    # Issue 12: the site-wide outputs read a cached summary of each dataset's facts; it must
    # say exactly what working them out says, and never outlive the package it summarises.
    from tally.core.cache import Cache
    from tally.site.discovery.outputs import cached_facts

    cache = Cache(tmp_path / "cache", "summaries")
    page = page_for(tmp_path, {**minimal_descriptor(), "keywords": ["b", "a"],
                               "contributors": [{"title": "Unit", "role": "author", "email": "u@example.gov"}]})
    first = cached_facts(page, site(), ["1.0.0"], cache)
    assert first == dataset_facts(page, site(), ["1.0.0"])
    again = cached_facts(page, site(), ["1.0.0"], cache)
    assert again == first and again is not first and again.creators == first.creators
    assert list(again.creators[0]) == list(first.creators[0])  # key order too: the JSON-LD is written from it
    edited = page_for(tmp_path, {**minimal_descriptor(), "description": "Edited. " + minimal_descriptor()["description"]})
    assert "Edited. Children" in cached_facts(edited, site(), ["1.0.0"], cache).description
