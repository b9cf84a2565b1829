"""Dataset pages: key figures with their changes, citation, revisions, and the built page a journalist reads."""

import html as html_module
import json
import re
import shutil

import pytest

from tally.core.loading import load_dataset
from tally.site.pages import build_dataset_page, chart_pages, key_figures, releases

from browser_support import build_sample_site
from support import REPO, get_settings, minimal_descriptor, shared_corpus, write_package

SAMPLE = sorted(p.name for p in (REPO / "datasets").iterdir() if (p / "datapackage.json").exists())

# Quarters with an "All ages" total: 2023-Q2 for the year-ago change, 2024-Q1 for the previous quarter.
TOTALS_CSV = """quarter,age_band,children,children_note
2023-Q2,Under 15,20,
2023-Q2,15-17,30,
2023-Q2,All ages,50,
2024-Q1,Under 15,25,
2024-Q1,15-17,35,
2024-Q1,All ages,60,
2024-Q2,Under 15,,S
2024-Q2,15-17,,S
2024-Q2,All ages,66,
"""


def totals_dataset(tmp_path, csv_text=TOTALS_CSV, total="All ages", **changes):
    descriptor = minimal_descriptor()
    age = descriptor["resources"][0]["schema"]["fields"][1]
    age["constraints"]["enum"] = ["Under 15", "15-17", "All ages"]
    if total:
        age["tally:total"] = total
    descriptor.update(changes)
    dataset, problems = load_dataset(write_package(tmp_path / "pkg", descriptor, csv_text))
    assert not problems
    return dataset


def test_key_figure_is_the_latest_total_with_changes_from_last_period_and_a_year_ago(tmp_path):
    [figure] = key_figures(totals_dataset(tmp_path))
    assert (figure.label, figure.value, figure.period, figure.scope) == ("Children identified", "66", "2024-Q2",
                                                                        "All ages")
    assert [(c.label, c.since, c.words, c.direction) for c in figure.changes] == [
        ("previous quarter", "2024-Q1", "up 6 (10%)", "up"),
        ("same quarter a year earlier", "2023-Q2", "up 16 (32%)", "up")]


def test_a_suppressed_latest_figure_says_so_and_shows_no_change(tmp_path):
    csv_text = TOTALS_CSV.replace("2024-Q2,All ages,66,", "2024-Q2,All ages,,S")
    [figure] = key_figures(totals_dataset(tmp_path, csv_text))
    assert figure.value == "Suppressed" and figure.changes == []


def test_a_suppressed_earlier_figure_is_named_not_compared(tmp_path):
    csv_text = TOTALS_CSV.replace("2024-Q1,All ages,60,", "2024-Q1,All ages,,S")
    [figure] = key_figures(totals_dataset(tmp_path, csv_text))
    assert [c.since for c in figure.changes] == ["2023-Q2"]
    assert "previous quarter (2024-Q1) is not published" in figure.note


def test_without_a_total_level_counts_are_added_up_only_when_none_is_hidden(tmp_path):
    csv_text = "\n".join(line for line in TOTALS_CSV.splitlines() if "All ages" not in line) + "\n"
    csv_text = csv_text.replace("2024-Q2,Under 15,,S", "2024-Q2,Under 15,31,").replace(
        "2024-Q2,15-17,,S", "2024-Q2,15-17,40,")
    [figure] = key_figures(totals_dataset(tmp_path, csv_text, total=None))
    assert (figure.value, figure.scope) == ("71", "sum across every age band")
    assert figure.changes[0].words == "up 11 (18%)"
    hidden = csv_text.replace("2024-Q2,15-17,40,", "2024-Q2,15-17,,S")
    assert key_figures(totals_dataset(tmp_path / "hidden", hidden, total=None)) == []  # never a partial sum


def test_releases_are_newest_first_and_revisions_are_picked_out(tmp_path):
    changelog = [{"version": "1.0.0", "date": "2024-05-15", "kind": "release", "note": "First"},
                 {"version": "1.1.0", "date": "2024-08-15", "kind": "release", "note": "Q2 added"},
                 {"version": "1.1.1", "date": "2024-09-01", "kind": "correction", "note": "Fixed Q1"}]
    dataset = totals_dataset(tmp_path, **{"tally:changelog": changelog, "version": "1.1.1"})
    found = releases(dataset)
    assert [r.version for r in found] == ["1.1.1", "1.1.0", "1.0.0"]
    assert found[0].url == "datasets/pkg/v1.1.1/"
    page = build_dataset_page(dataset, get_settings(tmp_path))
    assert [r.version for r in page.revisions] == ["1.1.1"]


def test_page_counts_suppressed_apart_from_not_available(tmp_path):
    csv_text = TOTALS_CSV.replace("2023-Q2,Under 15,20,", "2023-Q2,Under 15,,N")
    page = build_dataset_page(totals_dataset(tmp_path, csv_text), get_settings(tmp_path))
    assert (page.empty.suppressed, page.empty.not_available) == (2, 1)
    assert page.suppression_html.striptags().startswith("2 values in this dataset are suppressed to protect the privacy")
    assert "1 value in this dataset is not available" in page.suppression_html.striptags()


def test_chart_pages_have_unique_names_and_an_iframe_snippet(tmp_path):
    descriptor = minimal_descriptor()
    view = descriptor["views"][0]
    descriptor["views"] = [view, {**view, "title": "Again"}]
    dataset, _ = load_dataset(write_package(tmp_path / "pkg", descriptor))
    page = build_dataset_page(dataset, get_settings(tmp_path))
    assert [c.slug for c in page.charts] == ["by-quarter", "by-quarter-2"]
    [first, _] = chart_pages(page, "https://data.example.gov")
    assert first.absolute_url == "https://data.example.gov/datasets/pkg/charts/by-quarter/"
    assert first.snippet.startswith('<iframe src="https://data.example.gov/datasets/pkg/charts/by-quarter/" '
                                    'title="Children identified by quarter (Minimal example)"')
    assert first.chart.png.startswith(b"\x89PNG") and b"<svg" in first.chart.file_svg


def test_cached_charts_and_downloads_are_served_again_and_never_to_another_dataset(tmp_path):
    # Issue 12 caches whole charts and downloads; two folders holding the same package are two
    # datasets with their own addresses (the scale benchmark's copies collided on one URL).
    from tally.core.cache import Cache

    cache = Cache(tmp_path / "cache", "charts")
    settings = get_settings(tmp_path)
    pages = {}
    for name in ("first", "second", "first"):
        dataset, _ = load_dataset(write_package(tmp_path / name, minimal_descriptor()))
        pages.setdefault(name, []).append(build_dataset_page(dataset, settings, cache))
    first, again = pages["first"]
    [second] = pages["second"]
    assert [c.dataset_slug for c in first.charts] == [c.dataset_slug for c in again.charts] == ["first"]
    assert [c.dataset_slug for c in second.charts] == ["second"]
    assert [d.content for d in first.downloads] == [d.content for d in again.downloads]
    assert any(d.filename == "second.zip" for d in second.downloads)
    assert list((tmp_path / "cache").rglob("*"))  # served from the cache, not only built


# -- the built sample site -----------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLE)
def test_dataset_page_has_every_section_a_journalist_needs(built_site, name):
    html = (built_site / "datasets" / name / "index.html").read_text()
    descriptor = json.loads((REPO / "datasets" / name / "datapackage.json").read_text())
    for heading in ("What you should know", "About this data", "Sources and methodology", "Cite this dataset",
                    "Downloads", "Data dictionary", "Preview", "Release history"):
        assert f">{heading}</h" in html, heading
    version = descriptor["version"]
    assert f"/datasets/{name}/v{version}/" in html  # the citation's stable address, and the release links
    assert "@misc{" in html and f"version   = {{{version}}}" in html
    for suffix in (".csv", ".xlsx", ".json", ".zip"):
        assert re.search(rf'href="/datasets/{name}/[^"]+{re.escape(suffix)}" download', html), suffix
    assert 'class="button" href="/datasets/' in html  # the Download button above the fold
    assert html.count('<figure class="chart"') == len(descriptor["views"])
    assert html.count("Show as table") == len(descriptor["views"])
    assert "Illustrative sample data" in html


def test_first_view_needs_no_javascript(built_site):
    # Nothing blocks the first paint: no script file in <head>, every script file deferred.
    pages = [p for p in built_site.rglob("*.html")]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text()
        head = html[:html.find("</head>")]
        assert not re.search(r"<script[^>]*\bsrc=", head), page
        for tag in re.findall(r"<script[^>]*\bsrc=[^>]*>", html):
            assert re.search(r"\b(defer|async)\b", tag), (page, tag)


def test_no_page_loads_a_charting_library(built_site):
    # The charts are static SVG made explorable by enhance.js (a few KB): nothing else to fetch.
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        assert "vega" not in page.read_text().lower().replace("vega-lite", ""), page
    assert not (built_site / "theme" / "js" / "vega-bundle.js").exists()
    assert (built_site / "theme" / "js" / "enhance.js").stat().st_size < 12_000

def test_chart_embed_pages_and_files_exist_for_every_chart(built_site):
    for name in SAMPLE:
        descriptor = json.loads((REPO / "datasets" / name / "datapackage.json").read_text())
        for view in descriptor["views"]:
            folder = built_site / "datasets" / name / "charts"
            html = (folder / view["name"] / "index.html").read_text()
            assert "&lt;iframe src=&#34;" in html or "&lt;iframe src=&quot;" in html
            assert "<svg" in html and "Show as table" in html
            assert (folder / f"{view['name']}.png").read_bytes().startswith(b"\x89PNG")
            assert (folder / f"{view['name']}.svg").read_text().startswith("<?xml")


def test_chart_embed_pages_carry_open_graph_tags_showing_the_chart(built_site):
    # A shared embed link should preview the chart itself, not a bare URL (issue 15).
    for name in SAMPLE:
        descriptor = json.loads((REPO / "datasets" / name / "datapackage.json").read_text())
        for view in descriptor["views"]:
            html = (built_site / "datasets" / name / "charts" / view["name"] / "index.html").read_text()
            meta = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"', html))
            canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
            assert meta["og:url"] == canonical and canonical.endswith(f"/datasets/{name}/charts/{view['name']}/")
            assert meta["og:title"].startswith(html_module.escape(view["title"], quote=True))
            assert meta["og:description"] and meta["og:image:alt"] == meta["og:description"]
            image = meta["og:image"]
            assert image == meta["twitter:image"] == canonical[:-1] + ".png"
            png = (built_site / "datasets" / name / "charts" / f"{view['name']}.png").read_bytes()
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert (meta["og:image:width"], meta["og:image:height"]) == (str(width), str(height))
            assert meta["twitter:card"] == "summary_large_image"


def test_two_builds_are_byte_identical(built_site, tmp_path):
    again = build_sample_site(tmp_path)
    first = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    different = [p for p in first if (built_site / p).read_bytes() != (again / p).read_bytes()]
    assert different == []


# -- a real package with a time dimension ---------------------------------------------

@pytest.mark.corpus
def test_real_monthly_package_builds_the_same_page(tmp_path):
    source = shared_corpus() / "real" / "datasets__cpi-us"
    shutil.copytree(source, tmp_path / "datasets" / "cpi-us")
    site = build_sample_site(tmp_path, datasets=tmp_path / "datasets", TALLY_PROFILE="open")
    html = (site / "datasets" / "cpi-us" / "index.html").read_text()
    assert '<p class="kf-label">Index, <span class="kf-period">' in html
    assert "since " in html  # the change from the previous month and from a year earlier
    assert re.search(r'<figcaption>Line chart of [^<]+ went from [\d.,]+ in 1913-0\d-01 to', html)
    assert "1 value not available" in html  # the first month has no inflation figure
    for suffix in (".csv", ".xlsx", ".json", ".zip"):
        assert list((site / "datasets" / "cpi-us").glob(f"*{suffix}")), suffix
    assert (site / "datasets" / "cpi-us" / "charts").is_dir()


def test_provisional_figures_say_so_in_the_key_figure_change_lines_tables_and_notes(tmp_path):
    csv_text = TOTALS_CSV.replace("2024-Q2,All ages,66,", "2024-Q2,All ages,66,P")
    dataset = totals_dataset(tmp_path, csv_text)
    dataset.resources[0].field("children_note").descriptor["constraints"]["enum"] = ["S", "N", "P"]
    [figure] = key_figures(dataset)
    assert figure.status == "Provisional"
    assert {c.status for c in figure.changes} == {"provisional"}
    page = build_dataset_page(dataset, get_settings(tmp_path))
    assert "1 value in this dataset is provisional" in page.status_html.striptags()
    assert ["2024-Q2", "All ages", "66 (provisional)", "P"] in page.previews["identifications"][1]
    readme = next(d for d in page.downloads if d.label == "ZIP")
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(readme.content)) as archive:
        text = archive.read(next(n for n in archive.namelist() if n.endswith("README.txt"))).decode()
    assert "is provisional (code P" in text


def test_a_dataset_without_new_periods_for_longer_than_its_frequency_allows_is_labelled(tmp_path):
    from tally.site.pages import mark_stale
    fresh = build_dataset_page(totals_dataset(tmp_path / "a", **{"tally:updated": "2024-08-15"}), get_settings(tmp_path))
    old_csv = TOTALS_CSV.replace("2024-Q", "2021-Q").replace("2023-Q", "2020-Q")
    old = build_dataset_page(totals_dataset(tmp_path / "b", old_csv, **{"tally:updated": "2022-02-01"}),
                             get_settings(tmp_path))
    mark_stale([fresh, old])
    assert (fresh.latest_period, fresh.stale_since) == ("2024-Q2", "")
    assert (old.latest_period, old.stale_since) == ("2021-Q2", "2021-Q2")
    # Two quarters after its end a quarter is not yet overdue; "now" is the site's newest update.
    fresh.dataset.descriptor["tally:updated"] = "2021-12-01"
    old.dataset.descriptor["tally:updated"] = "2021-09-01"
    old.stale_since = ""
    mark_stale([fresh, old])
    assert old.stale_since == ""


def test_stale_dataset_is_labelled_on_home_catalog_and_its_page(built_site):
    label = re.compile(r"No new figures since <span class=\"period\">2021-Q4</span>")
    for path in ("index.html", "datasets/index.html", "datasets/trafficking-arrests/index.html"):
        assert label.search((built_site / path).read_text()), path
    assert not label.search((built_site / "datasets/trafficking-operations/index.html").read_text())
    home = (built_site / "index.html").read_text()
    assert len(re.findall(r"No new figures since", home)) == 1


def test_chart_embed_pages_ask_for_no_favicon_and_search_snippets_skip_the_eyebrow(built_site):
    # Issue 11: embed pages requested /favicon.ico (404); the first search snippet began "· Version 1.0.0.".
    for page in (built_site / "datasets").glob("*/charts/*/index.html"):
        assert '<link rel="icon" href="data:,">' in page.read_text(), page
    html = (built_site / "datasets" / "trafficking-arrests" / "index.html").read_text()
    assert '<p class="eyebrow" data-pagefind-ignore>' in html


def test_the_row_parts_of_a_page_are_cached_until_a_file_or_a_denominator_changes(tmp_path, monkeypatch):
    # Issue 12: a rebuild does not read an unchanged dataset's rows again for its empty and
    # status cells, preview, key figures and year totals; a change to the dataset, or to the
    # dataset its rates divide by, reads them again (a stale rate would be a wrong figure).
    from tally.core.cache import Cache
    from tally.site import pages

    for name in ("first-responder-identifications", "child-population"):
        shutil.copytree(REPO / "datasets" / name, tmp_path / name)
    settings = get_settings(tmp_path)
    cache = Cache(tmp_path / "cache", "charts")
    computed = []
    real = pages.annual_views
    monkeypatch.setattr(pages, "annual_views", lambda *a, **k: computed.append(1) or real(*a, **k))

    def annual():
        site = {name: load_dataset(tmp_path / name)[0] for name in ("first-responder-identifications",
                                                                    "child-population")}
        return build_dataset_page(site["first-responder-identifications"], settings, cache, site=site).annual

    first = annual()
    assert computed == [1] and any(view.rates for view in first)
    assert [v.content for v in annual()] == [v.content for v in first] and computed == [1]
    population = tmp_path / "child-population" / "data" / "population.csv"
    population.write_text(population.read_text().replace("2023,All ages,All areas,332300", "2023,All ages,All areas,342300"))
    changed = annual()
    assert computed == [1, 1]
    assert [v.content for v in changed] != [v.content for v in first]


def test_the_charts_a_page_draws_are_chosen_again_only_when_a_file_changes(tmp_path, monkeypatch):
    # Issue 12: choosing a page's charts reads every row (which series are largest); an unchanged
    # dataset's choice is read from the cache, and a changed file chooses again.
    from tally.core.cache import Cache
    from tally.site import charts

    shutil.copytree(REPO / "datasets" / "csec-training", tmp_path / "csec-training")
    settings = get_settings(tmp_path)
    cache = Cache(tmp_path / "cache", "charts")
    chosen = []
    real = charts.chart_sources
    monkeypatch.setattr(charts, "chart_sources", lambda *a, **k: chosen.append(1) or real(*a, **k))

    def views(use_cache=cache):
        dataset = load_dataset(tmp_path / "csec-training")[0]
        return [(c.slug, c.view.spec) for c in build_dataset_page(dataset, settings, use_cache).charts]

    first = views()
    assert len(first) > 1 and views() == first and len(chosen) == 1
    descriptor = json.loads((tmp_path / "csec-training" / "datapackage.json").read_text())
    descriptor["views"] = descriptor["views"][:1]
    (tmp_path / "csec-training" / "datapackage.json").write_text(json.dumps(descriptor))
    assert views() == views(use_cache=None) == first[:1]
    assert len(chosen) == 3
