"""Warm a cache in worker processes: validation results, charts and pages, one dataset per task (issue 12).

Workers never decide anything the build publishes. Each fills the same content-addressed
cache the build then reads, in its own process, in the same order as ever; a result is the
same bytes whichever process made it, so the site does not depend on the number of workers.
A task that fails in a worker is left for the build to do again in its own process, where
the failure is reported as it always was (with its file, row and field).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# Fewer tasks than this are done in the build's own process: starting a worker (a fresh
# interpreter importing Frictionless, Altair and vl-convert) costs about what a few tasks take.
PARALLEL_FROM = 8


def worker_count(settings: dict) -> int:
    """TALLY_WORKERS, where 0 means one per core."""
    return settings.get("TALLY_WORKERS") or os.cpu_count() or 1


def portable(settings: dict) -> dict:
    """The Tally settings a worker can be sent (the progress callback stays in the build's process)."""
    return {k: v for k, v in settings.items() if k.startswith("TALLY_") and k != "TALLY_PROGRESS"}


def warm(task, items: list, settings: dict, *shared) -> int:
    """Run `task(item, *shared)` for every item in worker processes; return how many workers ran.

    `task` must be a module-level function (a worker imports it by name) whose result is
    only what it leaves in the cache. Nothing runs when TALLY_WORKERS is 1 or when there
    are fewer than PARALLEL_FROM items: the build does them itself. Workers start fresh
    ("spawn") rather than forking a process whose chart renderer may hold threads.
    """
    workers = min(worker_count(settings), len(items))
    if workers < 2 or len(items) < PARALLEL_FROM:
        return 0
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(task, item, *shared) for item in items]
        for future in futures:
            future.exception()  # wait; a failed task is done again, and reported, by the build
    return workers
