"""Catalog facets: topic, frequency and publisher filter pages, and the list by last update.

Each value of a facet is a static page (/datasets/topic/<slug>/), so filtering
works without JavaScript; theme/static/js/search-catalog.js filters the catalog
in place when JavaScript runs. Pure functions over `DatasetFacts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slugify import slugify as make_slug

from tally.site.discovery.facts import DatasetFacts

FACETS = (("topic", "Topic"), ("frequency", "Update frequency"), ("publisher", "Publisher"))
UPDATED_PATH = "datasets/updated/"


@dataclass
class FacetValue:
    facet: str  # "topic"
    label: str  # "Identification"
    slug: str
    facts: list[DatasetFacts] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"datasets/{self.facet}/{self.slug}/"

    @property
    def lastmod(self) -> str:
        return max((f.modified for f in self.facts), default="")


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens: 'Child welfare & safety' -> 'child-welfare-safety' (python-slugify)."""
    return make_slug(text, replacements=[["&", " "]]) or "other"


def facet_value_of(facts: DatasetFacts, facet: str) -> str:
    """The label a dataset has for a facet, or "" when it has none."""
    if facet == "topic":
        return str(facts.dataset.topic or "").strip()
    if facet == "frequency":
        return facts.frequency.capitalize()
    if facet == "publisher":
        return facts.publisher
    raise ValueError(f"unknown facet {facet!r}; facets are {', '.join(n for n, _ in FACETS)}")


def build_facets(all_facts: list[DatasetFacts]) -> list[Facet]:
    """Every facet with its values (sorted by label) and their datasets (by title); empty facets left out."""
    facets = []
    for name, label in FACETS:
        groups: dict[str, list[DatasetFacts]] = {}
        for facts in all_facts:
            value = facet_value_of(facts, name)
            if value:
                groups.setdefault(value, []).append(facts)
        values, used = [], set()
        for value in sorted(groups, key=str.lower):
            slug = slugify(value)
            number = 2
            while slug in used:  # two labels that slug alike still get two pages
                slug = f"{slugify(value)}-{number}"
                number += 1
            used.add(slug)
            values.append(FacetValue(facet=name, label=value, slug=slug,
                                     facts=sorted(groups[value], key=lambda f: f.dataset.title.lower())))
        if values:
            facets.append(Facet(name=name, label=label, values=values))
    return facets


def by_last_update(all_facts: list[DatasetFacts]) -> list[DatasetFacts]:
    """Datasets newest first; those without a known date last, by title."""
    by_title = sorted(all_facts, key=lambda f: (f.dataset.title.lower(), f.slug))
    dated = sorted((f for f in by_title if f.modified), key=lambda f: f.modified, reverse=True)  # stable: ties by title
    return dated + [f for f in by_title if not f.modified]
