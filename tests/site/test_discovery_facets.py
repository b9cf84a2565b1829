"""site/discovery/facets.py: catalog facets by topic, frequency, publisher and last update."""

from tally.site.discovery.facets import build_facets, by_last_update, slugify
from tally.site.discovery.facts import dataset_facts

from site_support import page_for, site
from support import minimal_descriptor, without_period


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
