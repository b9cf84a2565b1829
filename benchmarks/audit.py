"""Benchmark the complementary audits, and audit the real CT child abuse and neglect package.

CT findings (child_abuse_neglect_2017.csv, Number rows, 14 tables = 7 years x 2 report
statuses, each Town x Allegation Type with totals "Connecticut" and "All"; -9999 = hidden;
threshold 11; hidden_min=0 because CT also hides zeros (its smallest published count is 11)):

* 21,420 count cells, 14,394 hidden (67%). At Risk and High Risk Newborn are hidden in
  every town and in the Connecticut row too.
* Exact audit: 0 hidden cells can be worked out exactly. The Connecticut totals give no
  town away: in each of the 98 Connecticut-row cells with hidden towns, the hidden towns
  sum to at least 120.
* Interval audit: 2,189 hidden cells are pinned to a range narrower than 9 that reaches
  below 11. The cause is the town's published "All" allegation total (the Connecticut
  columns can't pin a cell below 11, because each hides at least 120): in 510 of the
  1,981 town rows with a hidden allegation type and a published "All", the hidden types
  sum to fewer than 11 (DDG 4.4.1 rule 6b), e.g. Brooklyn 2011 Alleged: All 265,
  published types 260, so At Risk, Educational Neglect and High Risk Newborn are each 0..5.
* Sanity check: every table is LP-feasible with hidden >= 0, which fits with "All" being
  the sum of the allegation types and Connecticut the sum of the towns. It can't be
  proven, because no row has every part published.
* Not audited: Substantiated <= Alleged (an inequality, not a sum), and the Rate rows
  (derived values, DESIGN.md rule 2).

Speed (2 cores, shared with other work, so +-30%): CT exact 4.3 s, interval 10.9 s
(~2,000 cells/s); the same run before the interval audit used one warm-started HiGHS
model per component, row-sum bounds and the cheap "can grow" argument took 75.5 s
(~280 cells/s), with identical findings and ranges. Synthetic 41x9x13 with margins
(4,797 cells, 454 hidden): exact 2.3 s, interval 0.17 s (was 4.2 s).

Site-wide system (issue 10; `site_main`): the sample site (5 datasets and their archives,
314 count cells) audits in 0.5 s with no problem; 1,000 generated datasets sharing 100
populations and the age-band code list (19,820 count cells, years linked through the
calendar and the code list's total) in 85 s on the shared machine (about 230 cells/s
wall clock; the process used about 14 s of CPU in all), and after one dataset changed
only its population's system is solved again: 4.6 s, 0.05 of the full audit. The CT
audit above takes the same path as before (no code-list hierarchy): same findings
(0 exact, 2,189 interval), time within noise of the tree before issue 10.

Run: .venv/bin/python benchmarks/audit.py
"""

import csv
import itertools
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from tally.privacy.disclosure import (  # noqa: E402
    Table,
    additive_constraints,
    exact_audit,
    guessing_audit,
    interval_audit,
    suppress,
)

CT_FILE = "shared/corpus/real/CT-Data-Collaborative__child-abuse-and-neglect/data/child_abuse_neglect_2017.csv"
# ../shared next to the repository, or next to the folder of worktrees.
CT = next((p / CT_FILE for p in Path(__file__).resolve().parents[1:4] if (p / CT_FILE).exists()),
          Path(__file__).resolve().parents[2] / CT_FILE)
SUPPRESSED = "-9999"
T = 11


def ct_rows(path=CT):
    """The Number rows of the CT file (Rate rows are derived statistics)."""
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["Measure Type"] == "Number"]


def ct_tables(rows):
    """One Town x Allegation Type table per (year, report status): totals "Connecticut" and "All"."""
    groups = defaultdict(dict)
    for r in rows:
        value = None if r["Value"] == SUPPRESSED else int(float(r["Value"]))
        groups[(r["Year"], r["Report Status"])][(r["Town"], r["Allegation Type"])] = value
    return {g: Table(("Town", "Allegation Type"), {"Town": "Connecticut", "Allegation Type": "All"}, cells)
            for g, cells in sorted(groups.items())}


def run_audits(tables, hidden_min):
    """Audit each table; return findings by rule, cells and hidden cells audited, and seconds per audit."""
    found = defaultdict(list)
    n_cells = n_hidden = 0
    t_exact = t_interval = 0.0
    for name, table in tables.items():
        cons = additive_constraints(table)
        n_cells += len(table.cells)
        n_hidden += len(table.hidden())
        t0 = time.perf_counter()
        for f in exact_audit(table, cons):
            found[f.rule].append((name, f))
        t1 = time.perf_counter()
        for f in interval_audit(table, cons, threshold=T, hidden_min=hidden_min):
            found[f.rule].append((name, f))
        t_interval += time.perf_counter() - t1
        t_exact += t1 - t0
    return found, n_cells, n_hidden, t_exact, t_interval


def synthetic(areas=40, ages=8, quarters=12, seed=1):
    """A 3-D table with all margins, about one part cell in six hidden."""
    rng = random.Random(seed)
    A = ["a%02d" % i for i in range(areas)]
    G = ["g%d" % i for i in range(ages)]
    Q = ["q%02d" % i for i in range(quarters)]
    inner = {(a, g, q): rng.choice([0, rng.randint(1, 10), rng.randint(11, 80)]) for a in A for g in G for q in Q}
    cells = {}
    for a in A + ["All"]:
        for g in G + ["All"]:
            for q in Q + ["All"]:
                cells[(a, g, q)] = sum(v for (x, y, z), v in inner.items()
                                       if a in ("All", x) and g in ("All", y) and q in ("All", z))
    for k in list(cells):
        if "All" not in k and cells[k] and rng.random() < 1 / 6:  # zeros are published
            cells[k] = None
    return Table(("area", "age", "quarter"), {"area": "All", "age": "All", "quarter": "All"}, cells)


def report(label, found, n_cells, n_hidden, t_exact, t_interval):
    print("%s: %d cells (%d hidden)" % (label, n_cells, n_hidden))
    print("  exact audit    %.2f s  %8.0f cells/s" % (t_exact, n_cells / max(t_exact, 1e-9)))
    print("  interval audit %.2f s  %8.0f cells/s" % (t_interval, n_cells / max(t_interval, 1e-9)))
    for rule, items in sorted(found.items()):
        print("  %s: %d finding(s)" % (rule, len(items)))


# -- the guessing reader (issue 16) ----------------------------------------------------

def random_raw(rng, ndim):
    """A raw 1-D (2..6 parts) or 2-D (2..3 x 2..3) table with margins; a quarter of the counts small."""
    shape = [rng.randint(2, 6)] if ndim == 1 else [rng.randint(2, 3), rng.randint(2, 3)]
    levels = [["v%d" % j for j in range(n)] for n in shape]
    inner = {k: rng.choice([0, rng.randint(1, 10), rng.randint(11, 60), rng.randint(11, 60)])
             for k in itertools.product(*levels)}
    cells = {}
    for key in itertools.product(*[lv + ["All"] for lv in levels]):
        cells[key] = sum(v for k, v in inner.items() if all(a in ("All", b) for a, b in zip(key, k)))
    dims = tuple("d%d" % i for i in range(ndim))
    return Table(dims, {d: "All" for d in dims}, cells)


def hidden_cost(n, seed=16):
    """Cells hidden by `suppress` without and with the guessing proof, on n random 1-D and n 2-D tables."""
    rng = random.Random(seed)
    for ndim in (1, 2):
        before = after = refused = cells = 0
        t0 = time.perf_counter()
        for _ in range(n):
            raw = random_raw(rng, ndim)
            cells += len(raw.cells)
            before += len(suppress(raw, _guessing=False).table.hidden())
            try:
                after += len(suppress(raw).table.hidden())
            except ValueError:
                refused += 1
        print("  %d random %d-D tables (%d cells): hidden without the guessing proof %d, with it %d "
              "(%d refused as too large), %.1f s" % (n, ndim, cells, before, after, refused,
                                                      time.perf_counter() - t0))


def sample_hidden():
    """Hidden count cells per sample dataset: its latest archived release, and the current data."""
    root = Path(__file__).resolve().parents[1] / "datasets"
    for folder in sorted(root.iterdir()):
        def hidden(data):
            n = 0
            for path in sorted(data.glob("*.csv")):
                with open(path, newline="") as f:
                    rows = list(csv.DictReader(f))
                n += sum(1 for r in rows for k, v in r.items() if k.endswith("_flag") and v == "S")
            return n
        archives = sorted((folder / "releases").glob("v*/data"))
        print("  %-34s archived %s: %3d hidden; now: %3d" % (
            folder.name, archives[-1].parent.name if archives else "-", hidden(archives[-1]) if archives else 0,
            hidden(folder / "data")))


def guessing_ct(tables):
    """The guessing proof on each CT table (hidden_min 0): time, refusals, the largest search."""
    stats, refused = {}, 0
    t0 = time.perf_counter()
    for table in tables.values():
        found = guessing_audit(table, hidden_min=0, stats=stats)
        refused += sum(f.rule == "guess-budget" for f in found)
    print("  guessing proof on %d CT tables: %.1f s, %d group(s) refused as too large, largest search %d steps"
          % (len(tables), time.perf_counter() - t0, refused, stats.get("largest", 0)))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print("The guessing reader (issue 16): cells hidden per sample dataset")
    sample_hidden()
    print("The cost on random tables")
    hidden_cost(n)
    if CT.exists():
        guessing_ct(ct_tables(ct_rows()))
    big = synthetic()
    report("synthetic 41x9x13 with margins", *run_audits({"synthetic": big}, hidden_min=1))
    if not CT.exists():
        print("skipping CT audit: %s not found (needs ../shared)" % CT)
        return
    rows = ct_rows()
    tables = ct_tables(rows)
    # CT hides zeros too (its smallest published count is 11), so a hidden cell may be 0.
    found, *stats = run_audits(tables, hidden_min=0)
    report("CT child abuse and neglect, %d Town x Allegation tables" % len(tables), found, *stats)
    exact = found.get("complementary-exact", [])
    towns = sorted({f.cells[0] for _, f in exact})
    print("  exactly recoverable hidden cells: %d, e.g." % len(exact))
    for name, f in exact[:5]:
        print("   ", name, f.describe())
    by_town_only = [f for _, f in exact if all(c.dimension == "Town" for c in f.constraints)]
    print("  ... of which from a Connecticut total alone: %d; distinct cells %d" % (len(by_town_only), len(towns)))
    for name, f in found.get("complementary-interval", [])[:5]:
        print("   ", name, f.describe())


# -- the site-wide system (issue 10) ------------------------------------------------------

def generated_site(root, datasets=1000, populations=100, seed=7):
    """`datasets` packages sharing `populations` and the age-band code list, written under `root`.

    Each population is counted by one dataset per year (quarters by age band, "All ages"
    total) plus, every fifth population, an annual-totals dataset: the years link through
    the code list's total and the calendar (a year is its quarters). Small counts are
    hidden with one complement per row (the smallest other non-zero part).
    """
    import json

    rng = random.Random(seed)
    bands = ["Under 12", "12-14", "15-17", "Unknown age"]
    per = datasets // populations
    written = 0
    for pop in range(populations):
        annual = {}
        for year in range(2024 - per + (1 if pop % 5 == 0 else 0), 2025):
            if written >= datasets:
                break
            rows, total_year = [], 0
            for q in range(1, 5):
                values = [rng.choice([0, rng.randint(1, 10), rng.randint(11, 90), rng.randint(11, 90)]) for _ in bands]
                hidden = {i for i, v in enumerate(values) if 0 < v < T}
                if hidden:
                    extra = sorted((v, i) for i, v in enumerate(values) if i not in hidden and v)
                    if len(hidden) == 1 and extra:
                        hidden.add(extra[0][1])
                rows += [[f"{year}-Q{q}", b, "" if i in hidden else v, "S" if i in hidden else ""]
                         for i, (b, v) in enumerate(zip(bands, values))]
                rows.append([f"{year}-Q{q}", "All ages", sum(values), ""])
                total_year += sum(values)
            annual[str(year)] = total_year
            _write_generated(root / f"p{pop:03d}-{year}", f"pop-{pop:03d}", rows, json)
            written += 1
        if pop % 5 == 0 and written < datasets:
            rows = [[y, "All ages", v, ""] for y, v in sorted(annual.items())]
            _write_generated(root / f"p{pop:03d}-annual", f"pop-{pop:03d}", rows, json, period="year")
            written += 1
    return written


def _write_generated(folder, population, rows, json, period="quarter"):
    (folder / "data").mkdir(parents=True, exist_ok=True)
    pattern = "^[0-9]{4}-Q[1-4]$" if period == "quarter" else "^[0-9]{4}$"
    descriptor = {
        "name": folder.name, "title": f"Generated {folder.name}", "description": "Generated benchmark data.",
        "version": "1.0.0", "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
        "sources": [{"title": "Generated"}], "tally:topic": "Benchmark", "tally:frequency": "quarterly",
        "tally:coverage": {"temporal": {"start": rows[0][0], "end": rows[-1][0]}, "spatial": "Example County"},
        "resources": [{"name": "counts", "path": "data/counts.csv", "schema": {"fields": [
            {"name": period, "type": "string", "tally:role": "dimension", "tally:period": period,
             "constraints": {"required": True, "pattern": pattern}},
            {"name": "age_band", "type": "string", "tally:role": "dimension", "tally:codelist": "age-band",
             "tally:total": "All ages",
             "constraints": {"required": True, "enum": sorted({r[1] for r in rows})}},
            {"name": "children", "type": "integer", "tally:role": "measure", "tally:kind": "count",
             "tally:unit": "children", "tally:population": population, "tally:annotation": "children_note",
             "constraints": {"minimum": 0}},
            {"name": "children_note", "type": "string", "tally:role": "annotation", "constraints": {"enum": ["S"]}},
        ], "primaryKey": [period, "age_band"]}}],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    with open(folder / "data" / "counts.csv", "w", newline="") as f:
        csv.writer(f).writerows([[period, "age_band", "children", "children_note"], *rows])


def site_audit(root, label, settings, change=False):
    """Load every dataset under `root`, run the site-wide rules (cold; then, with `change`, one dataset changed)."""
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    from tally.core.loading import find_dataset_folders, load_dataset
    from tally.privacy.validation import site_problems

    folders = find_dataset_folders(root)
    datasets = [load_dataset(f)[0] for f in folders]
    cells = sum(len(r.rows) * sum(1 for f in r.fields if f.is_count) for d in datasets for r in d.tabular_resources)
    shutil.rmtree(settings["TALLY_CACHE_PATH"], ignore_errors=True)
    t0 = time.perf_counter()
    problems = site_problems(root, datasets, settings)
    cold = time.perf_counter() - t0
    print("%s: %d datasets, %d count cells, site-wide audit %.2f s (%.0f cells/s), %d problem(s): %s"
          % (label, len(datasets), cells, cold, cells / max(cold, 1e-9), len(problems),
             dict(sorted(_count_rules(problems).items()))))
    if not change:
        return
    # One dataset changes (a figure revised): only its population's system is solved again.
    changed = folders[len(folders) // 2]
    csv_path = next((changed / "data").glob("*.csv"))
    text = csv_path.read_text().splitlines()
    for i, line in enumerate(text[1:], 1):
        parts = line.split(",")
        if parts[2] and parts[1] != "All ages" and int(parts[2]) > 20:
            parts[2] = str(int(parts[2]) + 1)
            text[i] = ",".join(parts)
            total = next(j for j in range(i, len(text)) if text[j].split(",")[1] == "All ages")
            tparts = text[total].split(",")
            tparts[2] = str(int(tparts[2]) + 1)
            text[total] = ",".join(tparts)
            break
    csv_path.write_text("\n".join(text) + "\n")
    datasets[folders.index(changed)] = load_dataset(changed)[0]
    t0 = time.perf_counter()
    site_problems(root, datasets, settings)
    warm = time.perf_counter() - t0
    print("  one dataset changed: %.2f s, %.2f of the full audit" % (warm, warm / max(cold, 1e-9)))


def _count_rules(problems):
    counts = defaultdict(int)
    for p in problems:
        counts[p.rule] += 1
    return counts


def site_main():
    import shutil
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    from tally.core.settings import get_settings

    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="tally-bench-") as tmp:
        tmp = Path(tmp)
        settings = get_settings(TALLY_CACHE_PATH=str(tmp / "cache"))
        shutil.copytree(here / "datasets", tmp / "sample")
        site_audit(tmp / "sample", "sample site", settings)
        n = generated_site(tmp / "generated")
        site_audit(tmp / "generated", "%d generated datasets" % n, settings, change=True)


if __name__ == "__main__":
    main()
    site_main()
