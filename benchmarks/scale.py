"""How the build scales with the number of datasets (issue 12).

    .venv/bin/python benchmarks/scale.py 100        # N datasets: copies of the samples under new names

Generates N datasets (the sample datasets copied round-robin under new folder names, so
they share their populations and code lists as a real portal's datasets do), then times,
in one run, each in its own process so peak memory is its own:

  cold build            empty cache, no output
  no-change rebuild     the same again (nothing changed: the build finds its record and writes nothing)
  forced rebuild        the same with --force: every dataset gathered again, from the caches
  one dataset changed   one description edited
  one dataset added     one more copy
  bare Pelican          Pelican alone (no plugin, menus off) writing as many HTML pages

and prints seconds, seconds per dataset, the ratios to bare Pelican, and peak RSS.
With --stages, one more dataset is changed and that build is run under cProfile, to print
where a rebuild after one change spends its time (shares of the profiled run: profiling
slows every stage, so the seconds above are the ones to quote).

Each run has a cache of its own (a settings file in the temporary folder), so "cold" is cold
even when the repository's cache holds charts of the same samples.
"""

from __future__ import annotations

import json
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (REPO / "datasets").iterdir() if (p / "datapackage.json").is_file())


def make_datasets(target: Path, count: int) -> None:
    target.mkdir(parents=True)
    for number in range(count):
        add_dataset(target, number)


def add_dataset(target: Path, number: int) -> Path:
    sample = SAMPLES[number % len(SAMPLES)]
    # The first copy of each sample keeps its name: a count's rate names its denominator's
    # dataset (first-responder-identifications divides by child-population), as real sites do.
    folder = target / (sample.name if number < len(SAMPLES) else f"{sample.name}-{number:04d}")
    shutil.copytree(sample, folder)
    return folder


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Seconds and peak RSS (MB) of one command run in its own process."""
    start = time.perf_counter()
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)",
               *command]
    result = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kb // 1024


def build(work: Path, *options: str) -> tuple[float, int]:
    return run([sys.executable, str(REPO / "publish.py"), "build", "--settings", str(own_settings(work)),
                "--datasets", str(work / "datasets"), "--output", str(work / "output"), *options], REPO)


def own_settings(work: Path) -> Path:
    """The site's settings with a cache of this run's own: the repository's cache would make "cold" warm."""
    settings = work / "settings.py"
    if not settings.exists():
        settings.write_text(f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom pelicanconf import *  # noqa\n"
                            f"PATH = {str(REPO / 'content')!r}\nTALLY_CACHE_PATH = {str(work / 'cache')!r}\n")
    return settings


# Stages of a build, by (file, function) as cProfile names them.
STAGES = [
    ("whole build", "site/build.py", "build_site"),
    ("validation: every dataset's own rules", "privacy/validation.py", "validate_folder"),
    ("validation: site-wide rules", "privacy/validation.py", "site_problems"),
    ("pages gathered (context)", "site/generator.py", "generate_context"),
    ("pages and files written", "site/generator.py", "generate_output"),
    ("search index (Pagefind)", "site/search.py", "build_search_index"),
    ("unchanged files kept", "site/unchanged.py", "keep_unchanged"),
    ("inputs hashed and output recorded", "site/freshness.py", "inputs_digest"),
    ("", "site/freshness.py", "remember"),
]


def stages(work: Path) -> list[tuple[str, float]]:
    """Change one more dataset and profile that rebuild; (stage, seconds profiled) for each of STAGES."""
    edit(sorted((work / "datasets").iterdir())[1])
    profile = work / "build.prof"
    run([sys.executable, "-m", "cProfile", "-o", str(profile), str(REPO / "publish.py"), "build", "--settings",
         str(own_settings(work)), "--datasets", str(work / "datasets"), "--output", str(work / "output")], REPO)
    table = pstats.Stats(str(profile)).stats
    found: dict[str, float] = {}
    label = ""
    for name, file, function in STAGES:
        label = name or label
        found[label] = found.get(label, 0.0) + sum(
            cumulative for (path, _, func), (_, _, _, cumulative, _) in table.items()
            if path.endswith(file) and func == function)
    return list(found.items())


def edit(folder: Path) -> None:
    changed = folder / "datapackage.json"
    descriptor = json.loads(changed.read_text())
    descriptor["description"] = descriptor.get("description", "") + " Edited."
    changed.write_text(json.dumps(descriptor, indent=2))


def bare_pelican(work: Path, pages: int) -> tuple[float, int]:
    """Pelican with no plugin writing `pages` Markdown pages (menus off), for comparison."""
    content = work / "bare" / "content" / "pages"
    content.mkdir(parents=True)
    for number in range(pages):
        (content / f"page-{number}.md").write_text(f"Title: Page {number}\n\nSome text for page {number}.\n")
    settings = work / "bare" / "settings.py"
    settings.write_text("PATH = 'content'\nPAGE_PATHS = ['pages']\nARTICLE_PATHS = []\nDISPLAY_PAGES_ON_MENU = False\n"
                        "DISPLAY_CATEGORIES_ON_MENU = False\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
                        "PAGE_URL = '{slug}/'\nPAGE_SAVE_AS = '{slug}/index.html'\nCACHE_CONTENT = False\n")
    command = [sys.executable, "-m", "pelican", "content", "-s", str(settings), "-o", str(work / "bare" / "out"), "-q"]
    return run(command, work / "bare")


def main() -> None:
    arguments = [a for a in sys.argv[1:] if a != "--stages"]
    count = int(arguments[0]) if arguments else 100
    with tempfile.TemporaryDirectory(prefix="tally-scale-") as folder:
        work = Path(folder)
        make_datasets(work / "datasets", count)
        rows = {}
        rows["cold build"] = build(work)
        pages = sum(1 for _ in (work / "output").rglob("*.html"))
        files = sum(1 for p in (work / "output").rglob("*") if p.is_file())
        rows["no-change rebuild"] = build(work)
        rows["forced rebuild"] = build(work, "--force")
        edit(next((work / "datasets").iterdir()))
        rows["one dataset changed"] = build(work)
        add_dataset(work / "datasets", count)
        rows["one dataset added"] = build(work)
        rows["bare Pelican"] = bare_pelican(work, pages)
        profiled = stages(work) if "--stages" in sys.argv else []
    bare = rows["bare Pelican"][0]
    print(f"{count} datasets, {pages} HTML pages, {files} files (cold build)")
    print(f"{'':<22}{'seconds':>9}{'per dataset':>13}{'÷ bare Pelican':>16}{'peak RSS':>11}")
    for label, (seconds, peak) in rows.items():
        print(f"{label:<22}{seconds:>9.1f}{seconds / count:>13.3f}{seconds / bare:>15.1f}x{peak:>8} MB")
    if profiled:
        whole = profiled[0][1]
        print("\nwhere a rebuild after one change goes (profiled; share of the whole build):")
        for label, seconds in profiled[1:]:
            print(f"  {label:<40}{seconds:>8.1f} s profiled{seconds / whole:>7.0%}")


if __name__ == "__main__":
    main()
