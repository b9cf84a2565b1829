"""The site's own search: a Pagefind index of the built site, written into <site>/pagefind/.

Only published content is indexed. The templates mark the `<main>` of dataset
pages, published content pages and the releases page with `data-pagefind-body`;
Pagefind then skips every other page (home, catalog, facet lists, archived
releases, drafts, the search page itself). Preview tables and chart markup are
left out of the index (numbers, not words). Dataset pages carry `topic`,
`frequency` and `publisher` filters and an `updated` sort.

Runs once every page is written (Pelican's `finalized` signal, connected in
`__init__.register`), inside the temporary folder `build.build_site` swaps in
only on success: a failed index leaves the published site untouched, and
`pelican content` builds the same site as `publish.py build`.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tally.core.errors import BuildError

BUNDLE = "pagefind"
MARKER = "data-pagefind-body"
MARKED = re.compile(r"<main\b[^>]*\sdata-pagefind-body[\s>=]")
# Left out of the index: table previews and chart tables (numbers), chart SVG and spec JSON.
EXCLUDED = ("table.preview", ".chart-svg", ".chart details", "script")
# What the pages load: search.js and search-catalog.js import pagefind.js (Pagefind's
# JavaScript API), which fetches the entry, its worker, a language's WebAssembly and
# metadata, then index, fragment and filter chunks. Pagefind also writes its own
# search interfaces (pagefind-ui, modular-ui, component-ui, highlight: about 400 KB)
# that Tally's templates never use; they are not published (issue 15).
LOADED_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
LOADED_PATTERNS = ("pagefind.*.pf_meta", "wasm.*.pagefind")
LOADED_FOLDERS = ("index", "fragment", "filter")


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    seconds: float
    bytes: int
    folder: Path


def marked_pages(site: Path) -> list[Path]:
    """The HTML files a template marked for the index."""
    return sorted(p for p in Path(site).rglob("*.html")
                  if BUNDLE not in p.relative_to(site).parts[:1] and MARKED.search(p.read_text(encoding="utf-8")))


def build_search_index(site: Path) -> SearchIndex:
    """Index the built site at `site` with Pagefind; BuildError when it fails or misses a page."""
    site = Path(site)
    expected = len(marked_pages(site))
    if expected == 0:
        raise BuildError(f"no page in {site} is marked {MARKER}; the search index would be empty "
                         "(do the templates still mark <main>?)")
    started = time.perf_counter()
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--quiet",
               "--exclude-selectors", ", ".join(EXCLUDED)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildError(f"the search index could not be built: {error}") from error
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError("Pagefind failed to index the site: " + (detail[-1] if detail else f"exit {result.returncode}"))
    entry = Path(site) / BUNDLE / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError) as error:
        raise BuildError(f"Pagefind wrote no readable {entry}: {error}") from error
    indexed = sum(language.get("page_count", 0) for language in languages.values())
    if indexed != expected:
        raise BuildError(f"the search index holds {indexed} pages but {expected} are marked for it; "
                         "Pagefind skipped a page (run `python -m pagefind --site output -v` to see which)")
    prune_unloaded(site / BUNDLE)
    size = sum(p.stat().st_size for p in (site / BUNDLE).rglob("*") if p.is_file())
    return SearchIndex(pages=indexed, seconds=seconds, bytes=size, folder=site / BUNDLE)


def prune_unloaded(bundle: Path) -> list[str]:
    """Remove what Pagefind wrote that no page loads; the names removed, sorted."""
    removed = []
    for path in sorted(Path(bundle).iterdir()):
        loaded = (path.name in LOADED_FOLDERS if path.is_dir() else
                  path.name in LOADED_FILES or any(path.match(pattern) for pattern in LOADED_PATTERNS))
        if not loaded:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed.append(path.name)
    return removed


def index_built_site(pelican) -> None:
    """Pelican `finalized` receiver: index the folder Pelican has just written."""
    index = build_search_index(Path(pelican.output_path))
    logging.getLogger(__name__).info("search index: %d pages, %.0f KB, %.2f s", index.pages,
                                     index.bytes / 1000, index.seconds)
