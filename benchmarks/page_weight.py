"""Weigh the first view of every dataset page: HTML (with its inline SVG charts) and CSS, gzipped.

    .venv/bin/python benchmarks/page_weight.py              # the sample site, and a real monthly series
    .venv/bin/python benchmarks/page_weight.py --site output # weighs an already built site

The budget (issue 5) is 50 KB gzipped for what a phone must fetch before it can
show the page: the HTML, which carries the charts as inline SVG, and the style
sheet. Scripts are not counted: they are deferred, and the Vega bundle loads only
after the page has loaded. Prints sizes and the ratio to the budget; numbers, not
assertions (tests check that no script blocks the first paint).
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

BUDGET = 50_000  # bytes, gzipped
REAL = REPO.parent / "shared" / "corpus" / "real" / "datasets__cpi-us"


def gzipped(data: bytes) -> int:
    """Size after gzip at the level static hosts use by default (6), with a fixed timestamp."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def stylesheets(html: str, site: Path) -> list[Path]:
    """The site's own style sheets a page links to."""
    return [site / href.lstrip("/") for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)]


def weigh(site: Path) -> list[dict]:
    """One row per dataset page: bytes and gzipped bytes of its HTML and CSS, and the ratio to the budget."""
    rows = []
    for page in sorted((site / "datasets").glob("*/index.html")):
        if not (page.parent / "datapackage.json").exists():
            continue  # a listing such as /datasets/updated/, not a dataset page
        html = page.read_bytes()
        css = b"".join(path.read_bytes() for path in stylesheets(html.decode("utf-8"), site) if path.exists())
        svg = sum(len(s) for s in re.findall(rb"<svg.*?</svg>", html, re.S))
        total = gzipped(html) + gzipped(css)
        rows.append({"page": page.parent.name, "html": len(html), "svg": svg, "html_gz": gzipped(html),
                     "css_gz": gzipped(css), "total_gz": total, "ratio": total / BUDGET})
    return rows


def build(work: Path, datasets: Path | None = None, **overrides) -> Path:
    from tally.site.build import build_site, load_settings

    if datasets:
        overrides["TALLY_DATASETS_PATH"] = str(datasets)
    settings = load_settings(REPO / "pelicanconf.py", TALLY_CACHE_PATH=str(work / "cache"), **overrides)
    return build_site(settings, work / "output").output


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build the sample site)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if args.site:
            rows = weigh(args.site)
        else:
            rows = weigh(build(work / "sample"))
            if REAL.is_dir():  # 1,360 months of a real package: the longest chart tables we know
                shutil.copytree(REAL, work / "real" / "datasets" / "cpi-us")
                rows += weigh(build(work / "real", work / "real" / "datasets", TALLY_PROFILE="open"))
        print(f"{'dataset page':40} {'html':>8} {'of it svg':>9} {'html gz':>8} {'css gz':>7} "
              f"{'first view gz':>13} {'of budget':>9}")
        for row in rows:
            flag = "  OVER BUDGET" if row["total_gz"] > BUDGET else ""
            print(f"{row['page']:40} {row['html']:8,} {row['svg']:9,} {row['html_gz']:8,} {row['css_gz']:7,} "
                  f"{row['total_gz']:13,} {row['ratio']:9.0%}{flag}")
        if rows:
            worst = max(rows, key=lambda r: r["total_gz"])
            print(f"heaviest: {worst['page']}, {worst['total_gz']:,} bytes gzipped = {worst['ratio']:.0%} "
                  f"of the {BUDGET:,}-byte budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
