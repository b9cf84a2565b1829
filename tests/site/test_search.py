"""Site search: the Pagefind index holds only published content, a failed index leaves the
site untouched, and in Chromium a search for a dataset's keyword returns its page.

Runs on the sample site and on a build of the valid real corpus packages.
"""

import gzip
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tally.core.errors import BuildError
from tally.site import search
from tally.site.build import build_site, load_settings

from browser_support import serve
from support import REPO, shared_corpus, tree_bytes, write_package

CONTENT_PAGES = ("about", "cite", "contact", "methodology", "privacy")


def passing_packages(corpus: Path) -> list[str]:
    return re.findall(r"^\| `([^`]+)` \|.*\| PASS \|", (corpus / "README.md").read_text(), re.M)


class Site:
    def __init__(self, kind: str, output: Path, datasets: Path):
        self.kind = kind
        self.output = output
        self.packages = {p.name: json.loads((p / "datapackage.json").read_text(encoding="utf-8"))
                         for p in sorted(datasets.iterdir()) if (p / "datapackage.json").is_file()}


@pytest.fixture(scope="module", params=["sample", "corpus"])
def site(request, tmp_path_factory):
    if request.param == "sample":  # the session's sample build (browser_support.built_site)
        return Site("sample", request.getfixturevalue("built_site"), REPO / "datasets")
    root = tmp_path_factory.mktemp("search-corpus")
    corpus = shared_corpus()
    datasets = root / "datasets"
    for name in passing_packages(corpus):
        shutil.copytree(corpus / "real" / name, datasets / name.replace("/", "_"))
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets), TALLY_PROFILE="open",
                             TALLY_CACHE_PATH=str(tmp_path_factory.getbasetemp() / "discovery-corpus-cache"))
    build_site(settings, root / "output")
    return Site("corpus", root / "output", datasets)


def indexed(output: Path) -> dict[str, dict]:
    """The index's records by URL, read from Pagefind's fragment files (gzip, then JSON after a signature)."""
    records = {}
    for fragment in (output / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        records[record["url"]] = record
    return records


# -- the index ------------------------------------------------------------------------

def test_index_holds_exactly_the_dataset_pages_content_pages_and_release_notes(site):
    urls = set(indexed(site.output))
    expected = {f"/datasets/{slug}/" for slug in site.packages} | {f"/{p}/" for p in CONTENT_PAGES} | {"/releases/"}
    assert expected <= urls
    # Anything else is a page under a content page (e.g. /methodology/rules/), never a listing.
    for url in urls - expected:
        assert url.startswith(tuple(f"/{p}/" for p in CONTENT_PAGES)), url
    for url in ("/", "/datasets/", "/search/", "/datasets/updated/"):
        assert url not in urls


def test_archived_releases_facets_and_the_search_page_are_not_indexed(site):
    urls = set(indexed(site.output))
    assert not [u for u in urls if re.match(r"^/datasets/[^/]+/v\d", u)]
    assert not [u for u in urls if u.startswith(("/datasets/topic/", "/datasets/frequency/", "/datasets/publisher/"))]


def test_dataset_records_carry_topic_frequency_publisher_and_words_not_chart_tables(site):
    records = indexed(site.output)
    for slug, descriptor in site.packages.items():
        record = records[f"/datasets/{slug}/"]
        if descriptor.get("tally:topic"):
            assert record["meta"]["topic"] == descriptor["tally:topic"]
            assert record["meta"]["frequency"] == descriptor["tally:frequency"].capitalize()
        else:
            assert "topic" not in record["meta"]
        assert record["meta"]["publisher"]
        assert record["filters"] == {}  # see test_index_reports_pages_size_and_time
        assert record["meta"]["title"] == descriptor.get("title", descriptor.get("name"))
        assert "Show as table" not in record["content"]  # chart tables are left out
        fields = [f["name"] for r in descriptor["resources"] for f in (r.get("schema") or {}).get("fields", [])]
        if fields:  # tabular packages: the data dictionary is searchable
            assert any(name in record["content"] for name in fields), slug


def test_drafts_and_hidden_pages_stay_out_of_the_index_and_the_sitemap(tmp_path):
    content = tmp_path / "content" / "pages"
    content.mkdir(parents=True)
    (content / "open.md").write_text("Title: Open page\nSlug: open\n\nPublished zanzibarword.\n")
    (content / "draft.md").write_text("Title: Draft page\nSlug: draft\nStatus: draft\n\nDraft quixoticword.\n")
    (content / "hidden.md").write_text("Title: Hidden page\nSlug: hidden\nStatus: hidden\n\nHidden vexillumword.\n")
    write_package(tmp_path / "datasets" / "minimal")
    settings = load_settings(REPO / "pelicanconf.py", PATH=str(tmp_path / "content"),
                             TALLY_DATASETS_PATH=str(tmp_path / "datasets"), TALLY_CACHE_PATH=str(tmp_path / "cache"))
    output = build_site(settings, tmp_path / "output").output
    assert (output / "hidden" / "index.html").is_file() and list(output.glob("drafts/**/*.html"))
    records = indexed(output)
    assert {"/open/", "/datasets/minimal/", "/releases/"} <= set(records)
    assert "/hidden/" not in records and not [url for url in records if "draft" in url]
    text = " ".join(r["content"] for r in records.values())
    assert "zanzibarword" in text and "quixoticword" not in text and "vexillumword" not in text
    sitemap = (output / "sitemap.xml").read_text()
    assert "/open/</loc>" in sitemap and "/hidden/" not in sitemap and "drafts" not in sitemap


def test_a_failed_index_leaves_the_published_site_untouched(tmp_path, monkeypatch):
    write_package(tmp_path / "datasets" / "minimal")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(tmp_path / "datasets"),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    output = build_site(settings, tmp_path / "output").output
    before = tree_bytes(output)
    (tmp_path / "datasets" / "minimal" / "datapackage.json").write_text(
        (tmp_path / "datasets" / "minimal" / "datapackage.json").read_text().replace("Minimal example", "Changed"))

    def pagefind_crashes(command, **kwargs):
        return subprocess.CompletedProcess(command, 101, "", "thread 'main' panicked: out of disk space")

    monkeypatch.setattr(search.subprocess, "run", pagefind_crashes)
    with pytest.raises(BuildError, match="Pagefind failed to index the site: .*out of disk space"):
        build_site(settings, tmp_path / "output")
    assert tree_bytes(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")], "temporary folder left behind"


def test_index_refuses_a_site_with_no_page_marked_for_it(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><html lang=en><main><p>words</p></main></html>")
    with pytest.raises(BuildError, match="no page .* is marked data-pagefind-body"):
        search.build_search_index(tmp_path)


def test_index_reports_pages_size_and_time(site):
    copy = site.output.parent / "reindex"
    shutil.copytree(site.output, copy, ignore=shutil.ignore_patterns("pagefind"))
    result = search.build_search_index(copy)
    assert result.pages == len(indexed(site.output)) == len(search.marked_pages(copy))
    assert result.bytes > 0 and result.seconds > 0
    # Pagefind's filter index comes out in a different order on each run; Tally uses metadata
    # instead, so two runs over the same pages write byte-identical files.
    again = {p.relative_to(copy): p.read_bytes() for p in (copy / "pagefind").rglob("*") if p.is_file()}
    first = {p.relative_to(site.output): p.read_bytes() for p in (site.output / "pagefind").rglob("*") if p.is_file()}
    assert again == first


def test_only_the_pagefind_files_pages_load_are_published(site):
    bundle = site.output / "pagefind"
    top = {p.name for p in bundle.iterdir()}
    # Pagefind's own search interfaces (about 400 KB) are never loaded by Tally's pages.
    assert not {name for name in top if "-ui" in name or "highlight" in name}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment"} <= top
    assert any(name.startswith("wasm.") for name in top) and any(name.endswith(".pf_meta") for name in top)
    # What the pages name is there: the import of pagefind.js, and what it fetches by name.
    assert "/pagefind/pagefind.js" in (REPO / "theme" / "templates" / "search.html").read_text()
    assert '"pagefind/pagefind.js"' in (REPO / "theme" / "static" / "js" / "search-catalog.js").read_text()
    loader = (bundle / "pagefind.js").read_text()
    assert "pagefind-worker.js" in loader and "pagefind-entry.json" in loader


def test_pruning_keeps_what_pagefind_js_loads_and_removes_the_rest(tmp_path):
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "pagefind.en_1.pf_meta",
                 "wasm.en.pagefind", "pagefind-ui.js", "pagefind-ui.css", "pagefind-highlight.js",
                 "pagefind-component-ui.js"):
        (tmp_path / name).write_text("x")
    for folder in ("index", "fragment", "filter", "playground"):
        (tmp_path / folder).mkdir()
    removed = search.prune_unloaded(tmp_path)
    assert removed == ["pagefind-component-ui.js", "pagefind-highlight.js", "pagefind-ui.css", "pagefind-ui.js",
                       "playground"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "filter", "fragment", "index", "pagefind-entry.json", "pagefind-worker.js", "pagefind.en_1.pf_meta",
        "pagefind.js", "wasm.en.pagefind"]


# -- in Chromium ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(site):
    server, url = serve(site.output)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser, served):
    """A page that records requests to other origins and script errors."""
    context = browser.new_context()
    tab = context.new_page()
    tab.foreign = []
    tab.errors = []
    tab.on("request", lambda request: tab.foreign.append(request.url)
           if not request.url.startswith(served) else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    assert tab.foreign == [], "a request left the site's origin"
    assert tab.errors == []
    context.close()


def distinctive_keywords(site) -> dict[str, str]:
    """For each dataset with keywords, its keyword that the fewest other datasets share."""
    counts = Counter(str(k).lower() for d in site.packages.values() for k in d.get("keywords") or [])
    return {slug: min((str(k) for k in d["keywords"]), key=lambda k: (counts[k.lower()], k))
            for slug, d in site.packages.items() if d.get("keywords")}


def result_links(page) -> list[str]:
    page.wait_for_function("document.getElementById('search-status').textContent.includes('result')")
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.browser
def test_searching_a_dataset_keyword_returns_its_page(site, served, page):
    keywords = distinctive_keywords(site)
    assert len(keywords) >= (5 if site.kind == "sample" else 10)
    for slug, keyword in keywords.items():
        page.goto(f"{served}/search/?q={keyword}")
        links = result_links(page)
        assert f"/datasets/{slug}/" in links, (slug, keyword, links)
        assert page.is_hidden("#search-nojs")


@pytest.mark.browser
def test_the_header_search_box_leads_to_results(site, served, page):
    slug, keyword = next(iter(distinctive_keywords(site).items()))
    page.goto(f"{served}/datasets/")
    page.fill("#site-search-q", keyword)
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert f"/datasets/{slug}/" in result_links(page)
    assert page.input_value("#search-q") == keyword


@pytest.mark.browser
def test_search_filters_narrow_results_to_a_topic(site, served, page):
    topics = {d.get("tally:topic") for d in site.packages.values()} - {None}
    if len(topics) < 2:
        assert site.kind == "corpus"  # the corpus packages have no tally:topic: no topic filter to offer
        page.goto(f"{served}/search/?q=price")
        result_links(page)
        assert page.locator("#search-filter-topic").count() == 0
        return
    topic = sorted(topics)[0]
    page.goto(f"{served}/search/?q=children")
    page.wait_for_selector("#search-filter-topic")
    page.select_option("#search-filter-topic", topic)
    page.wait_for_url(re.compile(r"topic="))
    links = result_links(page)
    expected = {f"/datasets/{s}/" for s, d in site.packages.items() if d.get("tally:topic") == topic}
    assert links and set(links) <= expected


@pytest.mark.browser
def test_catalog_filters_and_sorts_in_place_with_javascript(site, served, page):
    page.goto(f"{served}/datasets/")
    page.wait_for_selector("form.catalog-filter")
    assert page.is_hidden("nav.facets")  # the controls replace the static links
    total = len(site.packages)
    topics = sorted({d.get("tally:topic") for d in site.packages.values()} - {None})
    if topics:
        page.select_option("#catalog-topic", topics[0])
        expected = sorted(f"/datasets/{s}/" for s, d in site.packages.items() if d.get("tally:topic") == topics[0])
        page.wait_for_function(f"document.getElementById('catalog-status').textContent.startsWith('{len(expected)} of')")
        shown = page.eval_on_selector_all("#catalog-results li[data-url]", "items => items.map(i => i.dataset.url)")
        assert sorted(shown) == expected and page.is_hidden("#catalog-list")
        page.select_option("#catalog-topic", "")
    slug, keyword = next(iter(distinctive_keywords(site).items()))
    page.fill("#catalog-q", keyword)
    page.wait_for_function("document.getElementById('catalog-status').textContent.includes('match')")
    shown = page.eval_on_selector_all("#catalog-results li[data-url]", "items => items.map(i => i.dataset.url)")
    assert f"/datasets/{slug}/" in shown and len(shown) < total
    page.fill("#catalog-q", "")
    page.select_option("#catalog-sort", "updated")
    page.wait_for_function(f"document.getElementById('catalog-status').textContent.startsWith('{total} of')")
    dates = page.eval_on_selector_all("#catalog-results li[data-url]", "items => items.map(i => i.dataset.updated)")
    assert [d for d in dates if d] == sorted((d for d in dates if d), reverse=True)
    assert "sort=updated" in page.url


@pytest.mark.browser
def test_without_javascript_search_lists_everything_and_the_catalog_is_plain(site, served, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{served}/search/?q=anything")
    assert tab.is_visible("#search-nojs")
    listed = tab.eval_on_selector_all("#search-fallback a", "links => links.map(a => a.getAttribute('href'))")
    assert {f"/datasets/{slug}/" for slug in site.packages} <= set(listed)
    tab.goto(f"{served}/datasets/")
    assert tab.is_visible("nav.facets") and not tab.is_visible("form.catalog-filter")  # the form needs JavaScript
    items = tab.eval_on_selector_all("#catalog-list li[data-url]", "items => items.map(i => i.dataset.url)")
    assert sorted(set(items)) == sorted(f"/datasets/{slug}/" for slug in site.packages)
    context.close()
