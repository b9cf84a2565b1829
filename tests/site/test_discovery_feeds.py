"""site/discovery/feeds.py: releases as dated feed entries, and the sitemap."""

import re

import feedparser

from tally.site.discovery.facts import dataset_facts
from tally.site.discovery.feeds import SitemapEntry, atom_feed, sitemap_xml

from site_support import page_for, site
from support import minimal_descriptor, without_period


def test_no_changelog_falls_back_to_created_and_version(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["created"] = "2023-05-01T10:00:00Z"
    facts = dataset_facts(page_for(tmp_path, descriptor), site())
    assert [(r.version, r.date) for r in facts.releases] == [("1.0.0", "2023-05-01")]
    assert facts.modified == facts.issued == "2023-05-01"


def test_a_package_dated_by_its_newest_period_gets_a_feed_entry(tmp_path):
    facts = dataset_facts(page_for(tmp_path, minimal_descriptor()), site())
    feed = feedparser.parse(atom_feed(facts.releases, site(), "feeds/minimal.atom", "t", "datasets/minimal/"))
    assert [e.updated_parsed[:3] for e in feed.entries] == [(2024, 6, 30)]


def test_undated_release_is_listed_but_left_out_of_the_feed(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    facts = dataset_facts(page_for(tmp_path, without_period()), site())
    assert facts.releases[0].date == "" and facts.modified == ""
    feed = feedparser.parse(atom_feed(facts.releases, site(), "feeds/minimal.atom", "t", "datasets/minimal/"))
    assert feed.bozo == 0 and feed.entries == []
    assert feed.feed.updated_parsed[:6] == (1970, 1, 1, 0, 0, 0)  # Atom requires one; never the clock


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
    assert [(e.title, e.updated_parsed[:3]) for e in feed.entries] == [
        ("Minimal example, version 1.0.1 (correction)", (2024, 3, 1)),
        ("Minimal example, version 1.0.0", (2024, 2, 15))]
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
