"""The Pelican generator: validate and gather in generate_context, write in generate_output.

One of only two modules that import Pelican (the other is __init__.register).
What gets written is the list `OUTPUTS`: one small function per kind of file,
so a new output (a feed, a catalog file) is a function added there.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from pelican import Pelican
from pelican.generators import Generator
from pelican.settings import read_settings

from tally.core.cache import Cache, folder_digest, key
from tally.core.errors import BuildError, ValidationFailed
from tally.core.loading import load_dataset
from tally.core.paths import safe_join
from tally.core.releases import archived_releases
from tally.core.settings import tally_settings
from tally.core.workers import portable, warm
from tally.privacy.validation import validate
from tally.site.archive import archived_page, denominator_digests, release_pages, release_url, write_release_archives
from tally.site.discovery.outputs import (
    add_discovery_context,
    write_discovery_files,
    write_discovery_pages,
    write_sitemap,
)
from tally.site.glossary import GLOSSARY_PATH, TERMS
from tally.site.pages import build_dataset_page, chart_pages, link_related, mark_stale
from tally.site.rules_page import write_rules_page
from tally.site.series_pages import add_series_context, write_series_pages
from tally.site.unchanged import link_if_unchanged, published_twin


def load_settings(settings_file, **overrides) -> dict:
    """Pelican's settings from a settings file, with overrides (e.g. TALLY_DATASETS_PATH)."""
    return read_settings(str(settings_file), override=overrides)


# build_site validates before Pelican starts, so a refused dataset stops the build before any
# folder is made; it hands the datasets it validated to the generator under this settings key
# (not a TALLY_ setting: never part of a cache key or a worker's settings), so a build validates
# once. Pelican run on its own (`pelican content`) hands none, and the generator validates.
VALIDATED = "tally_validated_datasets"
# The site the new one will replace: a file it would write as that site has it is linked, not written.
PUBLISHED = "tally_published_site"


def run_pelican(settings: dict, output, validated: list | None = None, published: Path | None = None) -> None:
    """Run Pelican with `settings` into the folder `output`.

    `validated`: datasets that passed validation; `published`: the site `output` will replace.
    """
    # Pelican changes some settings in place (its Markdown reader adds to MARKDOWN's extensions):
    # it gets copies, so the caller's settings, which a build's inputs digest reads, stay as given.
    private = {name: _copied(value) for name, value in settings.items()}
    Pelican({**private, "OUTPUT_PATH": str(output), VALIDATED: validated, PUBLISHED: published}).run()


def _copied(value):
    try:
        return copy.deepcopy(value)
    except TypeError:  # a plugin module: Pelican only reads it
        return value


def draw_in_parallel(datasets: list, settings: dict) -> None:
    """Fill the chart, download and page caches for many datasets and their archives, in worker processes.

    The workers only warm the cache (build_dataset_page and archived_page cache what they
    draw); the build then gathers every page in its own process, reading the cache, in the
    same order as ever (core/workers.py). A worker is handed the datasets a count's rates
    divide by, so it builds the pages under the same keys as the build does.
    """
    shared = portable(settings)
    denominators = denominator_digests(datasets)
    divisors = {d.slug: str(d.folder) for d in datasets if d.slug in denominators}
    cache = Cache(settings["TALLY_CACHE_PATH"], "charts")
    # A dataset drawn before with the same files, rates and settings is all in the cache already:
    # starting workers for it would only read the cache twice (a no-change rebuild).
    undrawn = [str(d.folder) for d in datasets if cache.get_bytes(_drawn_key(d.folder, shared, denominators)) is None]
    warm(_draw_dataset, undrawn, shared, shared, divisors, denominators)


def _drawn_key(folder, settings: dict, denominators: dict) -> str:
    return key("drawn", folder_digest(folder), str(folder), settings, sorted(denominators.items()))


def _draw_dataset(folder: str, settings: dict, divisors: dict, denominators: dict) -> None:
    """Worker: draw one dataset's page and its archived releases into the cache (the build rebuilds them from it)."""
    dataset, _ = load_dataset(Path(folder))
    if dataset is None:
        return
    site = {slug: _divisor(path) for slug, path in divisors.items()}
    site = {slug: d for slug, d in site.items() if d is not None}
    cache = Cache(settings["TALLY_CACHE_PATH"], "charts")
    build_dataset_page(dataset, settings, cache, site=site)
    for release in archived_releases(dataset.folder):
        archived_page(release.folder, dataset.slug, release_url(dataset.slug, release.version), settings, cache,
                      site, denominators)
    cache.put_bytes(_drawn_key(folder, settings, denominators), b"drawn")


@functools.lru_cache(maxsize=None)
def _divisor(folder: str):
    """A dataset some count divides by, loaded once per worker (many datasets share one population)."""
    return load_dataset(Path(folder))[0]


class TallyGenerator(Generator):
    """Writes the home page, the catalog and one page (plus downloads) per dataset."""

    def generate_context(self):
        settings = tally_settings(self.settings)
        progress = settings["TALLY_PROGRESS"] or (lambda stage, name: None)
        datasets = self.settings.get(VALIDATED)
        if datasets is None:
            report, datasets = validate(Path(settings["TALLY_DATASETS_PATH"]), settings, progress=progress)
            if not report.valid:
                raise ValidationFailed(report)  # the build must fail, never publish a bad table
        cache = Cache(settings["TALLY_CACHE_PATH"], "charts")
        draw_in_parallel(datasets, settings)
        pages = []
        site = {d.slug: d for d in datasets}  # the denominators a count's rates divide by
        for dataset in datasets:
            pages.append(build_dataset_page(dataset, settings, cache, site=site))
            progress("rendered", dataset.slug)
        pages.sort(key=lambda p: p.title.lower())
        mark_stale(pages)
        link_related(pages)
        self.context["tally_datasets"] = pages
        self.context["tally_sample"] = any(p.dataset.sample for p in pages)
        self.context["tally_topics"] = sorted({p.dataset.topic for p in pages if p.dataset.topic})
        releases = release_pages([p.dataset for p in pages], settings, cache)  # archived releases, /datasets/<slug>/v<version>/
        self.context["tally_releases"] = releases
        self.context["tally_release_versions"] = {slug: [r.version for r in rs] for slug, rs in releases.items()}
        add_discovery_context(self)  # JSON-LD, facets, releases and social cards the templates read
        add_series_context(self)  # a page and a card per series a chart draws, for shared views (issue 11)

    def generate_output(self, writer):
        self.pages_written: set[str] = set()
        self.folders_made: set[Path] = set()
        for output in OUTPUTS:
            output(self, writer)

    def write_bytes(self, relative: str, data: bytes) -> None:
        """Write a file that is not a template (a download, a script) into the output, never outside it."""
        path = self._target(relative)
        if not link_if_unchanged(path, published_twin(self.settings.get(PUBLISHED), relative), data=data):
            path.write_bytes(data)

    def write_download(self, relative: str, download) -> None:
        """Write a download into the output, copied in pieces from the cache when it is kept there."""
        path = self._target(relative)
        twin = published_twin(self.settings.get(PUBLISHED), relative)
        if not link_if_unchanged(path, twin, data=download.body, file=download.file):
            download.write_to(path)

    def _target(self, relative: str) -> Path:
        path = safe_join(self.output_path, relative)
        if path.parent not in self.folders_made:  # a folder holds many files: made once
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders_made.add(path.parent)
        return path

    def write_page(self, relative: str, template: str, **context) -> None:
        """Render a template into the output at `relative`, written like any other file (write_bytes).

        The template sees what Pelican's writer gives it (the generator's context, `output_file`
        and the page's own variables); the page then goes through the one safe join, and is
        linked rather than written when the published site has it byte for byte (unchanged.py).
        A second page at the same address is an error, as Pelican's writer makes it.
        """
        if relative in self.pages_written:
            raise BuildError(f"two pages would be written at {relative}; each dataset, release and view needs its "
                             "own address")
        self.pages_written.add(relative)
        local = {**self.context, "localsiteurl": self.context.get("localsiteurl"), "output_file": relative, **context}
        self.write_bytes(relative, self.get_template(template).render(local).encode("utf-8"))

    def write_charts(self, page) -> None:
        """A dataset page's charts (a current or an archived one): each chart's page, PNG, SVG and spec."""
        site_url = tally_settings(self.settings)["TALLY_SITE_URL"]
        for chart_page in chart_pages(page, site_url):
            chart = chart_page.chart
            self.write_page(f"{chart.url}index.html", "chart", chart_page=chart_page, page_name=chart.url)
            self.write_bytes(chart.png_path, chart.png)
            self.write_bytes(chart.svg_path, chart.file_svg)
            self.write_bytes(chart.spec_path, chart.spec_json.encode("utf-8"))


def write_dataset_pages(generator, writer):
    for page in generator.context["tally_datasets"]:
        generator.write_page(f"{page.url}index.html", "dataset", dataset_page=page, page_name=page.url)
        for download in page.downloads:
            generator.write_download(page.url + download.filename, download)
        for annual in page.annual:
            generator.write_bytes(page.url + annual.filename, annual.content)


def write_chart_pages(generator, writer):
    """Each chart's embeddable page, /datasets/<slug>/charts/<view>/, and its PNG and SVG files."""
    for page in generator.context["tally_datasets"]:
        generator.write_charts(page)


def write_catalog(generator, writer):
    generator.write_page("datasets/index.html", "catalog", page_name="datasets/")


def write_home(generator, writer):
    generator.write_page("index.html", "home", page_name="")


def write_glossary(generator, writer):
    """/glossary/: every term the pages link to, from the one list in glossary.py."""
    generator.write_page(f"{GLOSSARY_PATH}index.html", "glossary", page_name=GLOSSARY_PATH,
                         glossary_terms=TERMS)


# Written into every built site, by `pelican content` too: `publish.py build` replaces only a
# folder that holds it (or an empty one), never a folder of someone else's files (issue 14).
MARKER = ".tally-site"
MARKER_TEXT = b"This folder was written by Tally's publish.py build, which replaces it whole on the next build.\n"


def write_marker(generator, writer):
    generator.write_bytes(MARKER, MARKER_TEXT)


OUTPUTS = [write_marker, write_dataset_pages, write_glossary, write_chart_pages, write_catalog, write_home,
           write_release_archives,
           write_rules_page, write_discovery_files, write_discovery_pages, write_series_pages,
           write_sitemap]  # the sitemap lists the pages written before it: keep it last
