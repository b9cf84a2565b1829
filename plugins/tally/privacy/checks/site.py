"""What the site-wide rules share: every table of the site, grouped by population and linked once.

Not a rule itself. `linked_tables.py`, `unlinkable_tables.py` and
`undeclared_link.py` read the context this builds (system.py does the linking).
"""

from __future__ import annotations

import pickle
from pathlib import Path

from tally.core.cache import Cache, folder_digest, key
from tally.core.codelists import CODELISTS_FOLDER
from tally.core.errors import TablesUnlinkable
from tally.privacy.system import dataset_pieces, link, populations


def site_context(datasets, settings: dict, context: dict) -> dict:
    """Fill `context` (once per validation run) with the site's pieces, systems and link failures.

    `context["digests"]`, when the caller has them, maps a dataset folder to its folder_digest,
    so the files are not hashed twice in one run.
    """
    if "systems" in context:
        return context
    pieces = []
    for dataset in datasets:
        pieces += cached_pieces(dataset, settings, context.get("digests", {}))
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


def cached_pieces(dataset, settings: dict, digests: dict) -> list:
    """dataset_pieces, cached by what they are read from (issue 12).

    A dataset's pieces are its current and archived tables, read from files under its own
    folder (releases are kept there), named after that folder, shaped by its code lists and
    the Tally settings; the key holds all of these and Tally's code (in `key`). A rebuild
    after one dataset changed reads only that dataset's tables again, not the whole site's.
    """
    if not settings.get("TALLY_CACHE_PATH"):
        return dataset_pieces(dataset, settings)
    folder = Path(dataset.folder).resolve()
    digest = digests.get(folder) or folder_digest(folder)
    lists = folder_digest(CODELISTS_FOLDER) if CODELISTS_FOLDER.is_dir() else ""
    tally = {k: v for k, v in settings.items() if k.startswith("TALLY_") and k != "TALLY_PROGRESS"}
    cache = Cache(settings["TALLY_CACHE_PATH"], "validation")
    cache_key = key("site pieces", str(folder), digest, lists, tally)
    cached = cache.get_bytes(cache_key)
    if cached is not None:
        return pickle.loads(cached)
    pieces = dataset_pieces(dataset, settings)
    cache.put_bytes(cache_key, pickle.dumps(pieces))
    return pieces
