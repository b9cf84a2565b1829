"""Archived releases on the site: /datasets/<slug>/v<version>/ pages and files, never overwritten."""

from __future__ import annotations

from dataclasses import dataclass, field

from tally.core.dataset import Dataset
from tally.core.errors import BuildError
from tally.core.loading import load_dataset
from tally.core.releases import archived_releases
from tally.site.downloads import dataset_downloads


@dataclass
class ReleasePage:
    """An archived release as the site shows it: an index page and its files."""

    dataset: Dataset  # the archived package, loaded from its release folder
    current: Dataset  # the dataset as it is now
    version: str
    url: str
    entry: dict = field(default_factory=dict)  # the changelog entry for this version
    downloads: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def date(self) -> str:
        return str(self.entry.get("date") or self.dataset.updated)


def release_pages(datasets: list[Dataset]) -> dict[str, list[ReleasePage]]:
    """Every archived release of every dataset, newest first per dataset; raise BuildError if one is broken."""
    pages = {}
    for current in datasets:
        found = []
        for release in archived_releases(current.folder):
            archived, problems = load_dataset(release.folder)
            if archived is None:
                raise BuildError(f"the archived release {release.folder} cannot be loaded: "
                                 f"{problems[0].message}; archived releases must never be edited "
                                 "(restore it from git)")
            entry = next((e for e in archived.changelog if str(e.get("version")) == release.version), {})
            found.append(ReleasePage(dataset=archived, current=current, version=release.version,
                                     url=f"datasets/{current.slug}/v{release.version}/", entry=entry,
                                     downloads=dataset_downloads(archived)))
        pages[current.slug] = list(reversed(found))
    return pages


def write_release_archives(generator, writer):
    """Write each archived release's page and files under /datasets/<slug>/v<version>/."""
    for slug in sorted(generator.context.get("tally_releases", {})):
        for page in generator.context["tally_releases"][slug]:
            generator.write_page(writer, f"{page.url}index.html", "release", release_page=page, page_name=page.url)
            for download in page.downloads:
                generator.write_bytes(page.url + download.filename, download.content)
