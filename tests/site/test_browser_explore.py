"""A reader's toolkit in Chromium: filter the full table, share the view, download exactly what is shown (issue 11)."""

import csv
import io

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import ARTIFACTS, DESKTOP, PHONE, open_page, wait_for_charts

pytestmark = pytest.mark.browser

DATASET = "first-responder-identifications"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
        "resultTypes": ["violations"]}


def published_rows(built_site, age=None, start=None):
    with open(built_site / "datasets" / DATASET / "identifications.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if (age is None or r["age_band"] == age) and (start is None or r["quarter"] >= start)]


def table_rows(page):
    return page.locator(".explore-table tbody tr").count()


def test_explore_loads_only_when_asked(browser, site_url):
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/")
        page.wait_for_load_state("load")
        assert not any(url.endswith("explore.js") for url in page.requests)
        page.get_by_role("button", name="Explore all rows: filter, sort and download").click()
        page.wait_for_selector(".explore-table")
        assert any(url.endswith("explore.js") for url in page.requests)


def test_a_filter_set_by_clicks_survives_a_reload_and_a_copied_url(browser, built_site, site_url):
    expected = published_rows(built_site, "12-14", "2023-Q3")
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/")
        page.get_by_role("button", name="Explore all rows: filter, sort and download").click()
        page.locator(".explore-form").get_by_label("Age band", exact=True).select_option("12-14")
        page.locator(".explore-form").get_by_label("From quarter", exact=True).select_option("2023-Q3")
        assert "age_band=12-14" in page.url and "from=2023-Q3" in page.url
        assert table_rows(page) == len(expected)
        shared = page.url
        page.reload()
        page.wait_for_selector(".explore-table")
        assert page.locator(".explore-form").get_by_label("Age band", exact=True).input_value() == "12-14"
        assert table_rows(page) == len(expected)
    with open_page(browser) as page:  # someone else opens the copied address
        page.goto(shared)
        page.wait_for_selector(".explore-table")
        assert table_rows(page) == len(expected)
        assert page.locator(".explore-form").get_by_label("From quarter", exact=True).input_value() == "2023-Q3"


def test_the_downloaded_selection_has_exactly_the_rows_shown(browser, built_site, site_url):
    expected = published_rows(built_site, "15-17")
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/?age_band=15-17")
        page.wait_for_selector(".explore-table")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download these rows (CSV)").click()
        text = open(download.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == expected  # the same cells, in the same order, as the published file's rows
    assert download.value.suggested_filename == f"{DATASET}-identifications-selection.csv"


def drawn_view(page):
    """What the redrawn by-age chart shows: its x labels, series colours and marks' labels."""
    page.wait_for_selector("html[data-view-drawn]")
    chart = page.locator("#chart-by-age .chart-svg svg.chart-redrawn")
    return {
        "periods": chart.locator("g[aria-hidden='true'] text[text-anchor]").all_text_contents(),
        "colours": sorted(set(chart.locator("[role='graphics-symbol']").evaluate_all(
            "marks => marks.map(m => m.getAttribute('fill'))"))),
        "labels": chart.locator("[role='graphics-symbol']").evaluate_all(
            "marks => marks.map(m => m.getAttribute('aria-label'))"),
    }


def test_the_chart_and_its_embed_follow_the_view(browser, built_site, site_url):
    # Under 12 from 2023-Q3: of its four quarters, two are published (both 0) and two suppressed.
    view = "?age_band=Under+12&from=2023-Q3"
    # The by-age chart is of all areas: its marks are the "All areas" rows of the published file.
    expected = [r for r in published_rows(built_site, "Under 12", "2023-Q3") if r["service_area"] == "All areas"]
    shown = str(sum(1 for r in expected if r["children"]))
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/{view}")
        wait_for_charts(page)
        page.wait_for_selector("html[data-view-drawn]")  # explore.js loads on demand: wait for its redraw
        by_age = page.locator("#chart-by-age .chart-live")
        assert by_age.get_attribute("data-rows") == shown == "2"  # one series, its published quarters
        drawn = drawn_view(page)
        # Redrawn, not dimmed: only the chosen series and periods are in the chart at all.
        assert [p for p in drawn["periods"] if "-Q" in p] == [r["quarter"] for r in expected]
        assert len(drawn["colours"]) == 1
        assert len(drawn["labels"]) == len(expected) == 4
        # Each mark says its own published value (published marks first, then the S markers).
        by_quarter = {label.split(";")[0].removeprefix("Quarter: "): label for label in drawn["labels"]}
        for row in expected:
            label = by_quarter[row["quarter"]]
            assert "Age band: Under 12" in label
            assert label.endswith(f"{int(row['children']):,}" if row["children"] else "Suppressed")
        assert "Under 12" in page.locator("#chart-by-age .chart-view-note").inner_text()
        embed = page.locator("#chart-by-age a[data-embed-link]").get_attribute("href")
        assert embed.endswith("/charts/by-age/" + view)
        page.keyboard.press("Tab")  # the redrawn chart is explorable like the static one
        assert page.locator("#chart-by-age svg.chart-redrawn [tabindex='0']").count() == 1
    with open_page(browser) as page:  # the embed of the shared view renders the same view
        page.goto(f"{site_url}/datasets/{DATASET}/charts/by-age/{view}")
        wait_for_charts(page)
        page.wait_for_selector("html[data-view-drawn]")
        assert page.locator(".chart-live").get_attribute("data-rows") == shown
        assert page.locator(".chart-live svg.chart-redrawn").count() == 1
        assert f"by-age/{view}" in page.locator("#embed-code").input_value()


def test_clearing_the_view_brings_back_the_static_chart(browser, site_url):
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/?age_band=12-14")
        page.wait_for_selector(".explore-table")
        page.wait_for_selector("#chart-by-age svg.chart-redrawn")
        page.get_by_role("button", name="Show all rows").click()
        page.wait_for_selector("#chart-by-age svg.chart-redrawn", state="detached")
        assert page.locator("#chart-by-age .chart-svg svg").count() == 1
        assert page.locator("#chart-by-age .chart-view-note").count() == 0


def test_a_view_on_a_field_a_chart_lacks_leaves_it_as_drawn(browser, site_url):
    with open_page(browser) as page:  # the by-area chart is of all ages: an age filter is not its view
        page.goto(f"{site_url}/datasets/{DATASET}/?service_area=Service%20Area%202")
        page.wait_for_selector("html[data-view-drawn]")
        assert page.locator("#chart-by-age svg.chart-redrawn").count() == 0
        assert page.locator("#chart-by-area svg.chart-redrawn").count() == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_explorer_passes_axe_and_no_page_scrolls_sideways(browser, site_url, viewport):
    with open_page(browser, viewport) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/?age_band=12-14")
        page.wait_for_selector(".explore-table")
        wait_for_charts(page)
        result = Axe().run(page, options=WCAG)
        assert [v["id"] for v in result.response["violations"]] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"shared-view-{viewport['width']}.png"), full_page=True)


def test_the_preview_gives_way_to_the_explorer(browser, site_url):
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/")
        preview = page.locator(".preview").first
        assert preview.is_visible()
        page.get_by_role("button", name="Explore all rows: filter, sort and download").click()
        page.wait_for_selector(".explore-table")
        assert not preview.is_visible()
        assert page.locator(".explore-table tbody tr").count() > 50  # all 150 rows, not the first 50


def share_link(page):
    page.wait_for_selector(".explore-table")
    box = page.locator(".explore-share").get_by_label("Link to this view", exact=True)
    return box.input_value(), page.locator(".share-card").first.inner_text()


def test_the_share_link_of_a_one_series_view_is_that_series_page(browser, built_site, site_url):
    # Issue 11: crawlers run no script and a static host ignores the query, so a shared
    # ?age_band=12-14 showed the dataset's card; one series alone shares its own page's address.
    series = f"{site_url}/datasets/{DATASET}/views/age_band/12-14/"
    with open_page(browser) as page:
        page.goto(f"{site_url}/datasets/{DATASET}/?age_band=12-14")
        link, words = share_link(page)
        assert link == series and "card of age band 12-14" in words
        page.locator(".explore-form").get_by_label("From quarter", exact=True).select_option("2023-Q3")
        link, words = share_link(page)
        assert link == series + "?from=2023-Q3"  # the range rides along to "Explore this view"
        page.locator(".explore-form").get_by_label("Service area", exact=True).select_option("Service Area 2")
        link, words = share_link(page)
        assert link == f"{site_url}/datasets/{DATASET}/?age_band=12-14&from=2023-Q3&service_area=Service+Area+2"
        assert "whole dataset's card" in words
    with open_page(browser) as page:  # the series page hands the range on to the dataset page
        page.goto(series + "?from=2023-Q3")
        page.wait_for_load_state("load")
        explore = page.get_by_role("link", name="Explore this view")
        page.wait_for_function("document.querySelector('a[data-view-range]').href.includes('from=')")
        assert explore.get_attribute("href").endswith(f"/datasets/{DATASET}/?age_band=12-14&from=2023-Q3")
        assert not any(url.endswith("explore.js") for url in page.requests)  # nothing to explore on it
        result = Axe().run(page, options=WCAG)
        assert [v["id"] for v in result.response["violations"]] == []
        assert (built_site / "datasets" / DATASET / "views" / "age_band" / "12-14" / "card.png").exists()
