"""Peak memory and time to validate and build one very large table (issue 12, "Memory bounded by design").

    .venv/bin/python benchmarks/big_table.py                 # 1,000,000 rows, 8 columns
    .venv/bin/python benchmarks/big_table.py 200000          # fewer rows
    .venv/bin/python benchmarks/big_table.py --chart bar     # with a declared bar chart over every row
    .venv/bin/python benchmarks/big_table.py --chart total   # with a line over the table's total rows

Generates, in a temporary folder, one dataset whose table has four dimensions (quarter,
area, age band, programme) and two count measures with their annotation columns: 8
columns. The dimensions have no total level, so the table is a million separate cells; a
tenth of the counts are suppressed (S) and none is between 1 and 10, so the privacy gate
passes it. `--chart total` adds an "All areas" total level that is the sum of the areas
(kept consistent), with a line drawn over the total rows.

Validate and build each run in their own process (with their own empty cache), and the
script prints seconds and peak RSS (resource.getrusage of the children). Numbers, not
assertions: tests check behaviour (tests/core/test_rows.py, tests/test_hostile.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUARTERS = [f"{year}-Q{q}" for year in range(2015, 2025) for q in range(1, 5)]  # 40
AREAS = [f"Area {n:02d}" for n in range(1, 51)]  # 50
AGES = [f"Age {n:02d}" for n in range(20)]  # 20
PROGRAMMES = [f"Programme {n:02d}" for n in range(1, 26)]  # 25: 40 x 50 x 20 x 25 = 1,000,000 rows
ALL_AREAS = "All areas"


def count_cell(rng: random.Random) -> tuple[str, str]:
    """A published count (0 or 11 and up) or a suppressed one, as (value, code)."""
    draw = rng.random()
    if draw < 0.1:
        return "", "S"
    if draw < 0.25:
        return "0", ""
    return str(rng.randint(11, 5000)), ""


def write_table(path: Path, rows: int, with_total: bool) -> tuple[int, list[str], list[str]]:
    """Write about `rows` rows (whole combinations of the dimensions); return how many, the areas and quarters."""
    rng = random.Random(12)
    per_area = len(QUARTERS) * len(AGES) * len(PROGRAMMES)
    areas = AREAS[:max(1, min(len(AREAS), rows // per_area))] if rows >= per_area else AREAS[:1]
    quarters = QUARTERS if rows >= per_area else QUARTERS[:max(2, rows // (len(AGES) * len(PROGRAMMES)))]
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["quarter", "area", "age_band", "programme", "children", "children_flag",
                      "referrals", "referrals_flag"])
        for quarter in quarters:
            for age in AGES:
                for programme in PROGRAMMES:
                    # Areas always published in full when a total is kept, so the total adds up
                    # and a hidden area is never the only hidden cell of its sum.
                    cells = [(area, count_cell(rng), count_cell(rng)) for area in areas]
                    if with_total:
                        cells = [(a, (str(rng.randint(11, 5000)), ""), (str(rng.randint(11, 5000)), ""))
                                 for a, _, _ in cells]
                        total = [str(sum(int(c[i][0]) for c in cells)) for i in (1, 2)]
                        cells.append((ALL_AREAS, (total[0], ""), (total[1], "")))
                    for area, (children, c_code), (referrals, r_code) in cells:
                        out.writerow([quarter, area, age, programme, children, c_code, referrals, r_code])
                        written += 1
    return written, areas, quarters


def descriptor(areas: list[str], quarters: list[str], with_total: bool, chart: str | None) -> dict:
    def dimension(name, title, levels, **extra):
        return {"name": name, "title": title, "type": "string", "description": f"The {title.lower()}.",
                "tally:role": "dimension", "constraints": {"required": True, "enum": levels}, **extra}

    def count(name, title, population):
        return [{"name": name, "title": title, "type": "integer", "description": f"Number of {title.lower()}.",
                 "tally:role": "measure", "tally:kind": "count", "tally:population": population,
                 "tally:unit": name, "tally:annotation": f"{name}_flag", "constraints": {"minimum": 0}},
                {"name": f"{name}_flag", "title": f"{title}: note", "type": "string",
                 "description": "S means suppressed to protect privacy.", "tally:role": "annotation",
                 "constraints": {"enum": ["S", "P", "R"]}}]

    area = dimension("area", "Area", areas + ([ALL_AREAS] if with_total else []),
                     **({"tally:total": ALL_AREAS} if with_total else {}))
    fields = [dimension("quarter", "Quarter", quarters, **{"tally:period": "quarter"}), area,
              dimension("age_band", "Age band", AGES), dimension("programme", "Programme", PROGRAMMES),
              *count("children", "Children", "big-table-children"),
              *count("referrals", "Referrals", "big-table-referrals")]
    package = {
        "name": "big-table", "title": "A very large table", "version": "1.0.0",
        "description": "Generated by benchmarks/big_table.py: a table of a million cells.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 International"}],
        "sources": [{"title": "benchmarks/big_table.py", "path": "https://example.gov/benchmark"}],
        "tally:sample": True, "tally:topic": "Benchmark", "tally:frequency": "quarterly",
        "tally:coverage": {"temporal": {"start": quarters[0], "end": quarters[-1]}, "spatial": "Example County"},
        "tally:updated": "2025-01-15",
        "resources": [{"name": "cells", "path": "data/cells.csv", "title": "Every cell", "format": "csv",
                       "mediatype": "text/csv", "encoding": "utf-8", "schema": {"fields": fields}}],
    }
    if chart == "bar":
        package["views"] = [{"name": "every-cell", "title": "Children in every cell", "resources": ["cells"],
                             "specType": "tally", "spec": {"mark": "bar", "x": "quarter", "y": "children"}}]
    elif chart == "total":
        package["views"] = [{"name": "all-areas", "title": "Children, all areas", "resources": ["cells"],
                             "specType": "tally",
                             "spec": {"mark": "line", "x": "quarter", "y": "children",
                                      "filter": {"area": ALL_AREAS, "age_band": AGES[0],
                                                 "programme": PROGRAMMES[0]}}}]
    return package


def run(command: list[str], cwd: Path) -> tuple[float, int, int, str]:
    """Seconds, peak RSS (MB), exit code and the last lines of output of one command in its own process."""
    start = time.perf_counter()
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print('maxrss', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(r.returncode)", *command]
    result = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    peak_kb = int(lines[-1].split()[-1])
    tail = "\n".join((result.stdout.strip().splitlines() + lines[:-1])[-4:])
    return seconds, peak_kb // 1024, result.returncode, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--chart", choices=("bar", "total"), help="add a view over the table")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (for profiling)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tally-big-") as folder:
        work = Path(args.keep or folder)
        dataset = work / "datasets" / "big-table"
        (dataset / "data").mkdir(parents=True, exist_ok=True)
        with_total = args.chart == "total"
        written, areas, quarters = write_table(dataset / "data" / "cells.csv", args.rows, with_total)
        (dataset / "datapackage.json").write_text(
            json.dumps(descriptor(areas, quarters, with_total, args.chart), indent=2), encoding="utf-8")
        size = (dataset / "data" / "cells.csv").stat().st_size
        print(f"{written:,} rows x 8 columns ({size / 1e6:.0f} MB), chart: {args.chart or 'default'}")
        # Each command gets an empty cache of its own, so the build validates from scratch.
        settings = work / "settings.py"
        settings.write_text(f"import runpy\nglobals().update((k, v) for k, v in runpy.run_path("
                            f"{str(REPO / 'pelicanconf.py')!r}).items() if k.isupper())\n"
                            f"PATH = {str(REPO / 'content')!r}\nTALLY_CACHE_PATH = {str(work / 'cache')!r}\n",
                            encoding="utf-8")
        publish = [sys.executable, str(REPO / "publish.py")]
        common = ["--settings", str(settings), "--datasets", str(work / "datasets")]
        steps = [("validate", [*publish, "validate", *common]),
                 ("build", [*publish, "build", *common, "--output", str(work / "output")])]
        print(f"{'':<10}{'seconds':>9}{'peak RSS':>11}  exit")
        for label, command in steps:
            shutil.rmtree(work / "cache", ignore_errors=True)
            seconds, peak, code, tail = run(command, REPO)
            print(f"{label:<10}{seconds:>9.1f}{peak:>8} MB  {code}")
            if code:
                print("  " + tail.replace("\n", "\n  "))


if __name__ == "__main__":
    main()
