"""Validate datasets: Frictionless's checks plus every Tally rule, as a Report.

Nothing here prints or exits. Results are cached by a hash of the dataset's
files, the settings the rules read and Tally's own code.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from frictionless import Checklist

from tally.core.cache import Cache, folder_digest, key
from tally.core.codelists import CODELISTS_FOLDER
from tally.core.dataset import Dataset
from tally.core.loading import find_dataset_folders, load_dataset
from tally.core.paths import quoted
from tally.core.report import Problem, Report, dataset_file
from tally.core.settings import LIMITS, tally_settings
from tally.core.workers import portable, warm
from tally.privacy import checks
from tally.privacy.checks.site import cached_pieces

# Settings that change what a rule decides; anything else does not touch the cache key.
RULE_SETTINGS = ("TALLY_THRESHOLD", "TALLY_PROTECTION_WIDTH", "TALLY_PERIOD_PRECISION", "TALLY_PROFILE",
                 "TALLY_AUDIT_MAX_ASSIGNMENTS", *LIMITS)


def validate(root, settings: dict, names=None, progress=None, site_root=None) -> tuple[Report, list[Dataset]]:
    """Validate every dataset under `root` (or only `names`); return the report and the loaded datasets.

    The site-wide rules read every dataset under `site_root` (default `root`) too, the
    validated ones standing in for their namesakes there (a staged copy, staging.py).
    """
    settings = tally_settings(settings)
    folders = find_dataset_folders(Path(root))
    if names:
        wanted = set(names)
        folders = [f for f in folders if f.name in wanted]
        missing = wanted - {f.name for f in folders}
        report = Report(problems=[
            Problem(rule="no-dataset", message=f'there is no dataset "{n}" in {root}', dataset=n,
                    hint="check the name: it is the dataset's folder name") for n in sorted(missing)])
    else:
        report = Report()
    if not folders and not report.problems:
        report.problems.append(Problem(rule="no-dataset", message=f"no data packages found in {root}",
                                       dataset=str(root), hint="add a folder with a datapackage.json"))
    datasets = []
    cache = Cache(settings["TALLY_CACHE_PATH"], "validation")
    # Each dataset's own rules in worker processes first: the loop below then reads their results
    # from the cache, in order (core/workers.py). Only datasets without a cached result are sent.
    unchecked = [str(f) for f in folders if cache.get_bytes(folder_key(f, settings)) is None]
    warm(_validate_in_worker, unchecked, settings, portable(settings))
    for folder in folders:
        dataset, problems = validate_folder(folder, settings, cache)
        report.datasets.append(folder.name)
        report.extend(problems)
        if dataset is not None:
            datasets.append(dataset)
        if progress:
            # "validated" only for a dataset that passed (issue 13: it was printed for one that failed).
            progress("validated" if not problems else "failed", folder.name)
    report.extend(site_problems(site_root or root, datasets, settings, everything=not names and not site_root))
    return report, datasets


def site_problems(root, datasets: list[Dataset], settings: dict, everything: bool = True) -> list[Problem]:
    """The site-wide rules over every dataset under `root` (and their archived releases), issue 10.

    When only some datasets were validated, the others are loaded too: a table links
    with every table of its population, wherever it is.
    """
    loaded = {d.folder.name for d in datasets}
    others = [] if everything else [f for f in find_dataset_folders(Path(root)) if f.name not in loaded]
    # Cached by every file the audits read (each dataset with its releases, the code lists), the
    # settings and Tally's code: a rebuild, and the generator's check after `build`'s, read the
    # site's tables again only when one of them changed (issue 12).
    cache = Cache(settings["TALLY_CACHE_PATH"], "validation") if settings.get("TALLY_CACHE_PATH") else None
    lists = folder_digest(CODELISTS_FOLDER) if CODELISTS_FOLDER.is_dir() else ""
    digests = {f.resolve(): folder_digest(f) for f in [d.folder for d in datasets] + others} if cache else {}
    cache_key = key("site-problems", sorted((str(f), d) for f, d in digests.items()),
                    lists, {k: settings.get(k) for k in RULE_SETTINGS}) if cache else None
    cached = cache.get_json(cache_key) if cache else None
    if cached is not None:
        return [Problem(**p) for p in cached]
    datasets = list(datasets)
    for folder in others:
        other, _ = load_dataset(folder)
        if other is not None:
            datasets.append(other)
    context: dict = {"digests": digests}
    problems = []
    for audit_class in checks.for_profile(checks.SITE_AUDITS, settings["TALLY_PROFILE"]):
        problems.extend(audit_class(settings=settings).audit_site(datasets, context))
    if cache:
        cache.put_json(cache_key, [p.to_dict() for p in problems])
    return problems


def validate_folder(folder: Path, settings: dict, cache: Cache | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Load and validate one dataset folder, reusing a cached result when nothing changed."""
    dataset, problems = load_dataset(folder, settings)
    if dataset is None:
        return None, problems
    cache_key = folder_key(folder, settings)
    cached = cache.get_json(cache_key) if cache else None
    if cached is not None:
        return dataset, [Problem(**p) for p in cached]
    problems = check_dataset(dataset, settings)
    if cache:
        cache.put_json(cache_key, [p.to_dict() for p in problems])
    return dataset, problems


def folder_key(folder: Path, settings: dict) -> str:
    """The cache key of one dataset's own findings.

    Problems name files relative to the dataset's folder, so the working folder is no part
    of the key; the folder is, since linked releases and the dataset's name come from it.
    The shared code lists (codelists/, outside the dataset) decide what several rules say.
    """
    lists = folder_digest(CODELISTS_FOLDER) if CODELISTS_FOLDER.is_dir() else ""
    return key(folder_digest(folder), str(Path(folder).resolve()), lists, {k: settings.get(k) for k in RULE_SETTINGS})


def _validate_in_worker(folder: str, settings: dict) -> None:
    """Worker: validate one dataset, and read its tables for the site-wide rules, into the cache.

    The build then reads both from the cache: its own rules' findings, and the tables the
    site-wide rules link (they run in the build, over every dataset at once).
    """
    dataset, _ = validate_folder(Path(folder), settings, Cache(settings["TALLY_CACHE_PATH"], "validation"))
    if dataset is not None:
        cached_pieces(dataset, settings, {})


def check_dataset(dataset: Dataset, settings: dict, skip=frozenset()) -> list[Problem]:
    """Run Frictionless's validation with Tally's row checks, then Tally's audits (but those in `skip`)."""
    problems = _frictionless_problems(dataset, settings)
    # Tally's own row rules (a small count, a missing code) leave the tables readable.
    own = {check_class.type for check_class in checks.ROW_CHECKS}
    data_valid = all(p.rule in own for p in problems)
    for audit_class in checks.for_profile(checks.AUDITS, settings["TALLY_PROFILE"]):
        if audit_class.type in skip:
            continue
        if getattr(audit_class, "needs_valid_data", False) and not data_valid:
            continue  # audits over typed rows cannot judge a table that does not parse
        problems.extend(audit_class(settings=settings).audit(dataset))
    return problems


def _frictionless_problems(dataset: Dataset, settings: dict) -> list[Problem]:
    package = dataset.resources[0].frictionless.package
    row_checks = [check_class.for_dataset(dataset, settings)
                  for check_class in checks.for_profile(checks.ROW_CHECKS, settings["TALLY_PROFILE"])]
    report = package.validate(checklist=Checklist(checks=row_checks))
    problems = [Problem.from_frictionless(e, dataset=dataset.slug, file=dataset_file(dataset.folder, dataset.descriptor_file),
                                          resource=None) for e in report.errors]
    for task in report.tasks:
        resource = dataset.resource(task.name)
        file = dataset_file(dataset.folder, resource.file) if resource else task.place
        counts = {f.name for f in resource.fields if f.is_count} if resource else set()
        problems.extend(_redacted(Problem.from_frictionless(e, dataset=dataset.slug, file=file, resource=task.name),
                                  e, counts) for e in task.errors)
    return problems


def _redacted(problem: Problem, error, counts: set) -> Problem:
    """The problem without the cell's text when its table holds a count (frictionless quotes the value).

    A count written "5.0" in an integer field is a type error whose message would carry
    the small count into a log or a CI report (DESIGN.md: never in a log). So is a count
    typed one column off, into its note or a category column (red team, session 3): in a
    table of counts no cell's text is repeated; the row and field say where it is.
    """
    cell = getattr(error, "cell", None)
    if not cell or not counts:
        return problem
    # The message quotes the cell as clipped() wrote it (cut, control characters escaped).
    message = problem.message.replace(f'"{cell}"', "(value not shown)").replace(f'"{quoted(cell)}"',
                                                                                "(value not shown)")
    return dataclasses.replace(problem, message=message)
