"""Archived releases on the site: /datasets/<slug>/v<version>/ pages and files, never overwritten.

An archived release's page is a full dataset page of that version (its citation,
notes, charts, dictionary and downloads) with a banner linking the current release
(issue 11: the address readers are told to cite had no citation, chart or notes).
Its files are built exactly as the dataset page built them while that version was
current, so they are byte-identical to what readers downloaded then; they are saved
under <dataset>-<version>.<ext>, so two versions never overwrite each other in a
reader's download folder.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

from tally.core.cache import Cache, folder_digest, key
from tally.core.codelists import CODELISTS_FOLDER
from tally.core.dataset import Dataset
from tally.core.errors import BuildError
from tally.core.loading import load_dataset
from tally.core.releases import Withdrawal, archived_releases, withdrawn_releases
from tally.core.settings import get_settings
from tally.site.pages import DatasetPage, build_dataset_page, package_digest


@dataclass
class ArchivedDataset(Dataset):
    """A package loaded from releases/v<version>/: its identity is its dataset's, not its folder's."""

    identity: str = ""

    @property
    def slug(self) -> str:
        return self.identity


@dataclass
class ReleasePage:
    """An archived release as the site shows it: a dataset page of that version and its files."""

    dataset: Dataset  # the archived package, loaded from its release folder
    current: Dataset  # the dataset as it is now
    version: str
    url: str
    entry: dict = field(default_factory=dict)  # the changelog entry for this version
    page: DatasetPage | None = None  # the dataset page of this version
    withdrawn: Withdrawal | None = None  # set for a withdrawn release: the page is a notice, with no files

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def date(self) -> str:
        return str(self.entry.get("date") or self.dataset.updated)

    @property
    def downloads(self) -> list:
        return self.page.downloads if self.page else []

    @property
    def is_current(self) -> bool:
        return self.version == self.current.version


def release_pages(datasets: list[Dataset], settings: dict | None = None,
                  cache: Cache | None = None) -> dict[str, list[ReleasePage]]:
    """Every archived release of every dataset, newest first per dataset; raise BuildError if one is broken."""
    settings = settings or get_settings()
    site = {d.slug: d for d in datasets}  # the denominators an archived count's rates divide by
    denominators = denominator_digests(datasets)
    pages = {}
    for current in datasets:
        found = []
        for release in archived_releases(current.folder):
            url = release_url(current.slug, release.version)
            archived, page = archived_page(release.folder, current.slug, url, settings, cache, site, denominators)
            explain_missing_rates(page, current)
            entry = next((e for e in archived.changelog if str(e.get("version")) == release.version), {})
            found.append(ReleasePage(dataset=archived, current=current, version=release.version, url=url,
                                     entry=entry, page=page))
        for withdrawal in withdrawn_releases(current.folder):
            # `publish.py withdraw`: the address keeps working, as a notice; no file is served.
            found.append(ReleasePage(dataset=current, current=current, version=withdrawal.version,
                                     url=f"datasets/{current.slug}/v{withdrawal.version}/",
                                     entry={"date": withdrawal.date, "kind": "withdrawal",
                                            "note": withdrawal.reason}, withdrawn=withdrawal))
        found.sort(key=lambda page: tuple(int(p) for p in page.version.split(".")))
        pages[current.slug] = list(reversed(found))
    return pages


def release_url(slug: str, version: str) -> str:
    return f"datasets/{slug}/v{version}/"


def denominator_digests(datasets: list[Dataset]) -> dict[str, str]:
    """slug -> package digest of every dataset some current dataset's count divides by (tally:denominator).

    An archived page's rates divide by the denominator as published now, so its cached page
    must be built again when that dataset changes. (An archive that names a denominator no
    current dataset names any more is not covered: its rates stay as first built.)
    """
    named = {f.get("tally:denominator").get("dataset") for d in datasets for r in d.tabular_resources
             for f in r.fields if isinstance(f.get("tally:denominator"), dict)}
    return {d.slug: package_digest(d) for d in datasets if d.slug in named}


def explain_missing_rates(page: DatasetPage | None, current: Dataset) -> None:
    """Say on an archived page why a count the current release gives rates for has none in this version."""
    if page is None:
        return
    divided = {f.name for r in current.tabular_resources for f in r.fields
               if isinstance(f.get("tally:denominator"), dict)}
    for annual in page.annual:
        if annual.rates is None and not annual.rates_note and annual.measure in divided:
            annual.rates_note = (f"No rates: version {page.dataset.version} did not name the population this count "
                                 "divides by; the current release gives rates per 100,000.")


def archived_page(folder, slug: str, url: str, settings: dict, cache: Cache | None, site: dict | None = None,
                  denominators: dict | None = None) -> tuple[ArchivedDataset, DatasetPage]:
    """An archived release's dataset and page, loaded and built once, then read from the cache (issue 12).

    Archives never change, yet every build loaded each one and gathered its page again: at a
    thousand datasets that was thousands of packages read for pages whose bytes were the same.
    The key is every file of the release folder, where it is, whose release it is, the code
    lists its dictionary labels come from, the settings and Tally's code (in `key`), so an
    edited archive, a new code list or a new setting builds the page anew. The cache is the
    builder's own folder, so its pickles come from this code (as build_chart's).
    """
    cache_key = None
    if cache is not None:
        lists = folder_digest(CODELISTS_FOLDER) if CODELISTS_FOLDER.is_dir() else ""
        cache_key = key("archived-page", folder_digest(folder), str(folder.resolve()), slug, url, lists,
                        {k: v for k, v in settings.items() if k.startswith("TALLY_") and k != "TALLY_PROGRESS"},
                        settings.get("SITEURL"), sorted((denominators or {}).items()))
        cached = cache.get_bytes(cache_key)
        if cached is not None:
            archived, page = pickle.loads(cached)
            # Large downloads are kept as files in the cache: a page whose files were removed is built again.
            if all(d.file is None or d.file.is_file() for d in page.downloads):
                return archived, page
    loaded, problems = load_dataset(folder)
    if loaded is None:
        raise BuildError(f"the archived release {folder} cannot be loaded: "
                         f"{problems[0].message}; archived releases must never be edited "
                         "(restore it from git)")
    archived = ArchivedDataset(**{f.name: getattr(loaded, f.name) for f in dataclasses.fields(loaded)},
                               identity=slug)
    # Rates the same way the current page has them (issue 11), from the site's denominators.
    page = build_dataset_page(archived, settings, cache, url=url, site=site)
    page.archived = True
    if cache is not None:
        cache.put_bytes(cache_key, pickle.dumps((archived, page)))
    return archived, page


def write_release_archives(generator, writer):
    """Write each archived release's page, charts and files under /datasets/<slug>/v<version>/."""
    for slug in sorted(generator.context.get("tally_releases", {})):
        for release in generator.context["tally_releases"][slug]:
            if release.withdrawn is not None:
                # `publish.py withdraw`: a notice at the same address, and no file.
                generator.write_page(f"{release.url}index.html", "withdrawn", release_page=release,
                                     page_name=release.url)
                continue
            generator.write_page(f"{release.url}index.html", "release", release_page=release,
                                 dataset_page=release.page, page_name=release.url)
            for download in release.downloads:
                # Linked as <dataset>-<version>.<ext>; the names archives were first served under stay too.
                for name in {release.page.saved_name(download), download.filename}:
                    generator.write_download(release.url + name, download)
                if download.label == "ZIP":
                    # Before issue 11 an archive's ZIP was served as v<version>.zip: that address stays.
                    generator.write_download(f"{release.url}v{release.version}.zip", download)
            generator.write_charts(release.page)
