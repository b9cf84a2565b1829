"""The built sample site, served on 127.0.0.1, and Debian's Chromium through Playwright.

Session fixtures, imported by conftest.py so any test can use them: `built_site`
(the sample site built once into a temporary folder), `site_url` (that folder
served by http.server on a free port, in a thread) and `browser` (Chromium,
launched once). Browser tests are marked @pytest.mark.browser; they are skipped
when chromium is not installed, except in CI, where they must run.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from support import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = REPO / "artifacts"  # screenshots kept for people to look at (gitignored)


def build_sample_site(root: Path, datasets: Path | None = None, **overrides) -> Path:
    """Build the site (the sample datasets unless `datasets` is given) into root/output; return it."""
    from tally.site.build import build_site, load_settings

    settings = load_settings(REPO / "pelicanconf.py", TALLY_CACHE_PATH=str(root / "cache"),
                             **({"TALLY_DATASETS_PATH": str(datasets)} if datasets else {}), **overrides)
    return build_site(settings, root / "output").output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server uses
        pass


def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 at a free port in a daemon thread; return (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample site, built once per test session."""
    return build_sample_site(tmp_path_factory.mktemp("sample-site"))


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built sample site served over HTTP on 127.0.0.1."""
    server, url = serve(built_site)
    yield url
    server.shutdown()
    server.server_close()


def chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests but chromium is not installed (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI runs these tests")


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once per session."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield instance
    instance.close()
    playwright.stop()


@contextlib.contextmanager
def open_page(browser, viewport: dict = DESKTOP, javascript: bool = True, site_scripts: bool = True):
    """A page in a fresh context that records every request it makes in `page.requests`.

    `javascript=False` turns scripting off as a reader would (Playwright cannot then
    evaluate anything, so axe cannot run); `site_scripts=False` instead refuses the
    site's own .js files, which leaves the page exactly as a no-JS reader sees it
    while the test can still inject axe.
    """
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    if not site_scripts:
        page.route("**/*.js", lambda route: route.abort())
    try:
        yield page
    finally:
        context.close()


def wait_for_charts(page) -> None:
    """Wait until every static chart on the page has been made explorable by enhance.js."""
    count = page.locator(".chart-svg").count()
    if count:
        page.wait_for_function(f"document.querySelectorAll('.chart-live svg').length >= {count}", timeout=15000)
