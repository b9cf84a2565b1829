"""Total blocking time of each page type in Chromium with 4x CPU throttling (Lighthouse's mobile setting).

    .venv/bin/python benchmarks/page_speed.py

Builds the sample site into a temporary folder, serves it on 127.0.0.1 and loads each page
type in Debian's Chromium through Playwright, with the CPU slowed through the Chrome DevTools
Protocol. Prints, per page: long tasks (main-thread work over 50 ms), total blocking time
(their time over 50 ms, summed: Lighthouse's TBT) and layout shift. Target (issue 12):
TBT <= 50 ms, no long task before interaction, no shift. Timings depend on the machine and
its load: run it on a quiet machine; tests/site/test_browser_pages.py checks the behaviour
behind these numbers (script weight, no shift).
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from tally.site.build import build_site, load_settings

REPO = Path(__file__).resolve().parents[1]
DATASET = "first-responder-identifications"
PAGES = {"home": "/", "catalog": "/datasets/", "dataset": f"/datasets/{DATASET}/",
         "chart-embed": f"/datasets/{DATASET}/charts/by-age/", "content": "/about/", "releases": "/releases/",
         "release-archive": f"/datasets/{DATASET}/v1.0.0/", "search": "/search/"}
PROBE = """
window.__probe = {longTasks: [], shift: 0};
new PerformanceObserver(l => l.getEntries().forEach(e => window.__probe.longTasks.push(Math.round(e.duration))))
  .observe({type: "longtask", buffered: true});
new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) window.__probe.shift += e.value; }))
  .observe({type: "layout-shift", buffered: true});
"""
RUNS = 3  # each page is loaded this many times; the median TBT is reported


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(browser, url: str) -> tuple[list[int], float]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.add_init_script(PROBE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    probe = page.evaluate("window.__probe")
    context.close()
    return probe["longTasks"], probe["shift"]


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        settings = load_settings(REPO / "pelicanconf.py", TALLY_CACHE_PATH=str(work / "cache"))
        output = build_site(settings, work / "output").output
        server, base = serve(output)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            print(f"{'page':<16} {'TBT (median of %d)' % RUNS:>20} {'long tasks (ms)':>22} {'layout shift':>13}")
            for name, path in PAGES.items():
                if not (output / path.lstrip("/") / "index.html").exists():
                    continue
                runs = [measure(browser, base + path) for _ in range(RUNS)]
                blocking = sorted(sum(max(0, d - 50) for d in tasks) for tasks, _ in runs)
                tasks, shift = runs[len(runs) // 2]
                print(f"{name:<16} {blocking[len(blocking) // 2]:>17} ms {str(tasks):>22} {shift:>13.3f}")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
