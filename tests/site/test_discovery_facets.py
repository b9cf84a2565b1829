"""site/discovery/facets.py: catalog facets by topic, frequency, publisher and last update."""



from tally.core.loading import load_dataset
from tally.site.discovery.facets import build_facets, by_last_update, slugify
from tally.site.discovery.facts import (
    dataset_facts,
    site_from_settings,
)
from tally.site.pages import build_dataset_page

from support import get_settings, minimal_descriptor, without_period, write_package

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


def test_facets_group_by_topic_frequency_publisher_and_sort_by_update(tmp_path):
    pages = []
    for name, topic, frequency, date in (("a", "Training", "quarterly", "2024-01-01"),
                                         ("b", "Training", "annual", "2024-06-01"),
                                         ("c", "Arrests & charges", "quarterly", "")):
        descriptor = minimal_descriptor() if date else without_period()  # c: no date to sort it by
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
