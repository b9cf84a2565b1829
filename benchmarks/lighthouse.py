"""Lighthouse scores of each page type of a built site (issue 12's target: performance 1.00 everywhere).

    npm install --prefix /tmp/lighthouse lighthouse@12.8.2       # once; npm's registry only
    .venv/bin/python benchmarks/lighthouse.py [SITE] [--lighthouse /tmp/lighthouse/node_modules/.bin/lighthouse]

SITE is a built site (default: output/, from `make site`). It is served on 127.0.0.1 and
each page type (text gzipped, as static hosts serve it) is audited by Lighthouse's own default run (mobile emulation, 4x CPU
throttling, simulated slow 4G) in Debian's Chromium. Prints each category's score, total
blocking time, layout shift and largest contentful paint. The search page scores below 1
for SEO on purpose: it carries `noindex`, as a site's own search results should.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def page_types(site: Path) -> dict[str, str]:
    """One address per page type, found in the built site (so any site, not only the sample, can be measured)."""
    datasets = sorted(p.parent for p in (site / "datasets").glob("*/datapackage.json"))
    # The heaviest dataset page (most charts and tables) stands for its type.
    first = max(datasets, key=lambda d: (d / "index.html").stat().st_size).name if datasets else None
    pages = {"home": "/", "catalog": "/datasets/", "search": "/search/", "glossary": "/glossary/",
             "content": "/about/", "releases": "/releases/"}
    if first:
        pages["dataset"] = f"/datasets/{first}/"
        charts = sorted(p.parent for p in (site / "datasets" / first / "charts").glob("*/index.html"))
        archives = sorted(p.parent for p in (site / "datasets").glob("*/v*/index.html"))
        if charts:
            pages["chart embed"] = "/" + charts[0].relative_to(site).as_posix() + "/"
        if archives:
            pages["archived release"] = "/" + archives[0].relative_to(site).as_posix() + "/"
    series = sorted(p.parent for p in (site / "datasets").glob("*/views/*/*/index.html"))
    if series:
        pages["series view"] = "/" + series[0].relative_to(site).as_posix() + "/"
    facets = sorted(p.parent for p in (site / "datasets" / "topic").glob("*/index.html"))
    if facets:
        pages["facet"] = "/" + facets[0].relative_to(site).as_posix() + "/"
    return {name: path for name, path in pages.items() if (site / path.lstrip("/") / "index.html").is_file()}


def audit(lighthouse: str, url: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([lighthouse, url, "--quiet", "--output=json", f"--output-path={report.name}",
                        "--chrome-flags=--headless=new --no-sandbox"],
                       env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, capture_output=True)
        return json.loads(Path(report.name).read_text())


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text gzipped, as every static host the README names does (Python's server does not)."""

    COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in self.COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file() or not self.path.split("?")[0].endswith(("/", path.name)):
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # one line per request would bury the table
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(REPO / "output"))
    parser.add_argument("--lighthouse", default="/tmp/lighthouse/node_modules/.bin/lighthouse")
    args = parser.parse_args()
    site = Path(args.site).resolve()
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"{'page type':<18}{'perf':>6}{'a11y':>6}{'b.p.':>6}{'seo':>6}{'TBT':>9}{'CLS':>7}{'LCP':>8}")
    try:
        for name, path in page_types(site).items():
            report = audit(args.lighthouse, f"http://127.0.0.1:{server.server_port}{path}")
            scores = [report["categories"][c]["score"] for c in CATEGORIES]
            audits = report["audits"]
            print(f"{name:<18}" + "".join(f"{s:>6.2f}" for s in scores)
                  + f"{audits['total-blocking-time']['displayValue']:>9}"
                  + f"{audits['cumulative-layout-shift']['displayValue']:>7}"
                  + f"{audits['largest-contentful-paint']['displayValue']:>8}")
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
