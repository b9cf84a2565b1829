"""The pure discovery builders: dates, descriptions, licences, JSON-LD escaping, feeds, facets."""

import datetime as dt
import json
import re

import feedparser
import pytest

from tally.core.errors import SettingsError
from tally.core.loading import load_dataset
from tally.site.discovery.facets import build_facets, by_last_update, slugify
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
    temporal_interval,
)
from tally.site.discovery.feeds import SitemapEntry, atom_feed, sitemap_xml
from tally.site.pages import build_dataset_page

from support import get_settings, minimal_descriptor, write_package

SITE_SETTINGS = {"SITENAME": "Test site", "TALLY_SITE_URL": "https://data.example.gov/",
                 "TALLY_PUBLISHER": "Example County", "TALLY_CONTACT_EMAIL": "data@example.gov",
                 "TALLY_DEFAULT_LICENSE": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}}


def site():
    return site_from_settings(SITE_SETTINGS)


def page_for(tmp_path, descriptor=None, name="minimal"):
    write_package(tmp_path / "datasets" / name, descriptor if descriptor is not None else minimal_descriptor())
    dataset, problems = load_dataset(tmp_path / "datasets" / name)
    assert dataset is not None, problems
    return build_dataset_page(dataset, get_settings(tmp_path))


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


def test_no_changelog_falls_back_to_created_and_version(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["created"] = "2023-05-01T10:00:00Z"
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert [(r.version, r.date) for r in facts.releases] == [("1.0.0", "2023-05-01")]
    assert facts.modified == facts.issued == "2023-05-01"


def test_undated_release_is_listed_but_left_out_of_the_feed(tmp_path):
    descriptor = minimal_descriptor()
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert facts.releases[0].date == "" and facts.modified == ""
    feed = feedparser.parse(atom_feed(facts.releases, site(), "feeds/minimal.atom", "t", "datasets/minimal/"))
    assert feed.bozo == 0 and feed.entries == []
    assert feed.feed.updated == "1970-01-01T00:00:00Z"  # Atom requires one; never the clock


def test_changelog_entries_become_dated_feed_entries(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["tally:changelog"] = [
        {"version": "1.0.0", "date": "2024-02-15", "kind": "release", "note": "First release."},
        {"version": "1.0.1", "date": "2024-03-01", "kind": "correction", "note": "Fixed a total."}]
    descriptor["version"] = "1.0.1"
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    feed = feedparser.parse(atom_feed(list(reversed(facts.releases)), site(), "feeds/minimal.atom", "t",
                                      "datasets/minimal/"))
    assert feed.bozo == 0
    assert [(e.title, e.updated) for e in feed.entries] == [
        ("Minimal example, version 1.0.1 (correction)", "2024-03-01T00:00:00Z"),
        ("Minimal example, version 1.0.0", "2024-02-15T00:00:00Z")]
    assert feed.entries[0].link == "https://data.example.gov/datasets/minimal/"  # not archived: the dataset page
    assert "Fixed a total." in feed.entries[0].content[0].value
    assert "Illustrative sample data" in feed.entries[0].content[0].value
    assert facts.modified == "2024-03-01" and facts.issued == "2024-02-15"


def test_sitemap_lists_each_path_once_with_its_newest_date():
    xml = sitemap_xml([SitemapEntry("datasets/a/", "2024-01-01"), SitemapEntry("datasets/a/", "2024-05-01"),
                       SitemapEntry("", "")], site()).decode()
    assert xml.count("<loc>https://data.example.gov/datasets/a/</loc>") == 1
    assert "<lastmod>2024-05-01</lastmod>" in xml and "2024-01-01" not in xml
    assert re.search(r"<loc>https://data.example.gov/</loc>\s*</url>", xml)


@pytest.mark.parametrize("key, value", [("TALLY_SITE_URL", ""), ("TALLY_SITE_URL", "data.example.gov"),
                                        ("TALLY_CONTACT_EMAIL", "not an email"), ("TALLY_PUBLISHER", " "),
                                        ("TALLY_DEFAULT_LICENSE", {"name": "CC-BY-4.0"})])
def test_unusable_site_setting_names_the_setting(key, value):
    with pytest.raises(SettingsError, match=key):
        site_from_settings({**SITE_SETTINGS, key: value})


def test_facets_group_by_topic_frequency_publisher_and_sort_by_update(tmp_path):
    pages = []
    for name, topic, frequency, date in (("a", "Training", "quarterly", "2024-01-01"),
                                         ("b", "Training", "annual", "2024-06-01"),
                                         ("c", "Arrests & charges", "quarterly", "")):
        descriptor = minimal_descriptor()
        descriptor.update({"name": name, "title": f"Dataset {name}", "tally:topic": topic,
                           "tally:frequency": frequency})
        if date:
            descriptor["created"] = f"{date}T09:00:00Z"
        pages.append(dataset_facts(page_for(tmp_path, descriptor, name), site()))
    facets = {f.name: {v.label: (v.path, [x.slug for x in v.facts]) for v in f.values} for f in build_facets(pages)}
    assert facets["topic"] == {"Arrests & charges": ("datasets/topic/arrests-charges/", ["c"]),
                               "Training": ("datasets/topic/training/", ["a", "b"])}
    assert facets["frequency"] == {"Annual": ("datasets/frequency/annual/", ["b"]),
                                   "Quarterly": ("datasets/frequency/quarterly/", ["a", "c"])}
    assert list(facets["publisher"]) == ["Example County"]
    assert [f.slug for f in by_last_update(pages)] == ["b", "a", "c"]


def test_slugs_that_collide_get_distinct_pages(tmp_path):
    pages = []
    for name, topic in (("a", "Child welfare"), ("b", "Child-welfare")):
        descriptor = minimal_descriptor()
        descriptor.update({"name": name, "tally:topic": topic})
        pages.append(dataset_facts(page_for(tmp_path, descriptor, name), site()))
    topic = next(f for f in build_facets(pages) if f.name == "topic")
    assert sorted(v.slug for v in topic.values) == ["child-welfare", "child-welfare-2"]
    assert slugify("  ") == "other"
