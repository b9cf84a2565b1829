"""What the site-wide rules share: every table of the site, grouped by population and linked once.

Not a rule itself. `linked_tables.py`, `unlinkable_tables.py` and
`undeclared_link.py` read the context this builds (system.py does the linking).
"""

from __future__ import annotations

from tally.core.errors import TablesUnlinkable
from tally.privacy.system import dataset_pieces, link, populations


def site_context(datasets, settings: dict, context: dict) -> dict:
    """Fill `context` (once per validation run) with the site's pieces, systems and link failures."""
    if "systems" in context:
        return context
    pieces = []
    for dataset in datasets:
        pieces += dataset_pieces(dataset, settings)
    systems, failures = {}, {}
    for population, group in sorted(populations(pieces).items()):
        lone = group[0]
        if len(group) == 1 and not lone.derived and len(set(lone.identities)) == len(lone.identities):
            # A lone table without change or year-to-date columns links with nothing and adds no
            # equation: its own audits judge it, linked-tables skips it and it has no orphan, so its
            # system (a second copy of every cell, issue 12) is not built.
            continue
        try:
            systems[population] = link(population, group)
        except TablesUnlinkable as failure:
            failures[population] = failure
    context.update(pieces=pieces, systems=systems, unlinkable=failures)
    return context
