"""Layout in Chromium from a small phone to a desktop (issue 11).

At 390 px the citation's URL made two dataset pages 400 px wide; periods and dates
wrapped at their hyphen ("2021-⏎Q3"); the data dictionary was a side-scrolling table.
"""

import pytest

from browser_support import ARTIFACTS, open_page, wait_for_charts

pytestmark = pytest.mark.browser

WIDTHS = [320, 390, 768, 1280]


def every_page(site) -> list[str]:
    """Every HTML page of the built site except the search index's own files."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        path = index.parent.relative_to(site).as_posix()
        if not path.startswith("pagefind"):
            paths.append("/" if path == "." else f"/{path}/")
    return paths


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(browser, built_site, site_url, width):
    wide = []
    with open_page(browser, {"width": width, "height": 800}) as page:
        for path in every_page(built_site):
            page.goto(site_url + path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wide.append((path, scroll))
    assert len(every_page(built_site)) > 20
    assert wide == [], f"pages wider than {width} px"


@pytest.mark.parametrize("width", [390, 1280])
def test_periods_and_dates_never_break_inside(browser, site_url, width):
    with open_page(browser, {"width": width, "height": 800}) as page:
        for path in ("/", "/datasets/", "/datasets/trafficking-arrests/", "/datasets/parent-empowerment-program/"):
            page.goto(site_url + path)
            broken = page.evaluate("""() => [...document.querySelectorAll('.period, .kf-period, time')]
                .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
            count = page.locator(".period, .kf-period, time").count()
            assert count and broken == [], (path, broken)


def test_the_dictionary_reads_as_a_list_on_a_phone(browser, site_url):
    with open_page(browser, {"width": 390, "height": 800}) as page:
        page.goto(site_url + "/datasets/trafficking-arrests/")
        region = page.locator(".dictionary-scroll").first
        assert region.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing to scroll sideways
        cell = page.locator(".dictionary td[data-label='Type']").first
        assert cell.evaluate("e => getComputedStyle(e).display") == "block"
        assert "Type:" in cell.evaluate("e => getComputedStyle(e, '::before').content")
    with open_page(browser, {"width": 1280, "height": 800}) as page:
        page.goto(site_url + "/datasets/trafficking-arrests/")
        assert page.locator(".dictionary td").first.evaluate("e => getComputedStyle(e).display") == "table-cell"


def test_screenshots_of_an_archived_release_are_kept(browser, site_url):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        with open_page(browser, {"width": width, "height": 900}) as page:
            page.goto(f"{site_url}/datasets/csec-training/v1.0.0/")
            wait_for_charts(page)
            assert page.locator(".archive-banner").is_visible()
            path = ARTIFACTS / f"archived-release-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 20_000
