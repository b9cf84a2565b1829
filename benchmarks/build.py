"""Time a cold build, a warm rebuild with nothing changed, and plain Frictionless validation.

    .venv/bin/python benchmarks/build.py            # sample site, and the valid real corpus if ../shared exists

Prints seconds and the ratios warm/cold and cold/frictionless. Numbers, not
assertions: tests check behaviour, this script checks speed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from frictionless import Package  # noqa: E402

from tally.core.loading import descriptor_file, find_dataset_folders  # noqa: E402
from tally.site.build import build_site, load_settings  # noqa: E402


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def frictionless_only(datasets: Path) -> None:
    for folder in find_dataset_folders(datasets):
        Package(str(descriptor_file(folder))).validate()


def measure(label: str, datasets: Path, profile: str) -> None:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                                 TALLY_CACHE_PATH=str(work / "cache"), TALLY_PROFILE=profile)
        cold = timed(lambda: build_site(settings, work / "output"))
        warm = timed(lambda: build_site(settings, work / "output"))
        plain = timed(lambda: frictionless_only(datasets))
        count = len(find_dataset_folders(datasets))
    print(f"{label}: {count} datasets")
    print(f"  cold build            {cold:7.2f} s")
    print(f"  warm rebuild          {warm:7.2f} s   warm/cold = {warm / cold:.2f}")
    print(f"  frictionless validate {plain:7.2f} s   cold/frictionless = {cold / plain:.1f}x")


def valid_corpus(target: Path) -> Path | None:
    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print("real corpus: skipped (../shared/corpus is not beside this clone)")
        return None
    names = re.findall(r"^\| `([^`]+)` \|.*\| PASS \|", (corpus / "README.md").read_text(), re.M)
    for name in names:
        shutil.copytree(corpus / "real" / name, target / name.replace("/", "_"))
    return target


def main() -> None:
    measure("sample site", REPO / "datasets", "sensitive")
    with tempfile.TemporaryDirectory() as folder:
        corpus = valid_corpus(Path(folder))
        if corpus:
            measure("valid real corpus", corpus, "open")


if __name__ == "__main__":
    main()
