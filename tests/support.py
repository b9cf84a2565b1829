"""Helpers shared by the tests: settings, a minimal valid package, the shared corpus."""

from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tally.core.settings import get_settings as _get_settings
from tally.privacy.disclosure import Table

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The environment tests run publish.py in: a clean one, importing this checkout's own plugins
# (not whichever checkout the virtualenv's editable install points at).
CLI_ENV = {"CI": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "plugins")}
# TALLY_CORPUS points at a copy kept elsewhere (a worktree is not always beside ../shared).
CORPUS = Path(os.environ.get("TALLY_CORPUS") or SHARED / "corpus")


def publish(*args, cwd=REPO) -> subprocess.CompletedProcess:
    """Run publish.py as a user or CI does, in CLI_ENV (CI=1 keeps its output plain)."""
    return subprocess.run([sys.executable, str(REPO / "publish.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=CLI_ENV)


def get_settings(tmp_path=None, **overrides) -> dict:
    """Tally settings for a test, with a private cache so no test reads another's results."""
    if tmp_path is not None:
        overrides.setdefault("TALLY_CACHE_PATH", str(tmp_path / "cache"))
    return _get_settings(**overrides)


def shared_corpus() -> Path:
    """The real-data corpus beside the repository: skipped in a user's clone, required in CI."""
    if CORPUS.is_dir():
        return CORPUS
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the corpus tests but {CORPUS} is missing")
    pytest.skip(f"the shared corpus ({CORPUS}) is not beside this clone; CI runs these tests")


MINIMAL_CSV = """quarter,age_band,children,children_note
2024-Q1,Under 15,12,
2024-Q1,15-17,,S
2024-Q2,Under 15,14,
2024-Q2,15-17,0,
"""

MINIMAL = {
    "name": "minimal",
    "title": "Minimal example",
    "description": "Children identified each quarter. Illustrative test data.",
    "version": "1.0.0",
    "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                  "title": "Creative Commons Attribution 4.0"}],
    "sources": [{"title": "Test source"}],
    "tally:topic": "Identification",
    "tally:frequency": "quarterly",
    "tally:coverage": {"temporal": {"start": "2024-Q1", "end": "2024-Q2"}, "spatial": "Example County"},
    "tally:sample": True,
    "resources": [{
        "name": "identifications",
        "path": "data/identifications.csv",
        "schema": {"fields": [
            {"name": "quarter", "type": "string", "title": "Quarter", "tally:role": "dimension",
             "tally:period": "quarter", "constraints": {"required": True, "pattern": "^[0-9]{4}-Q[1-4]$"}},
            {"name": "age_band", "type": "string", "title": "Age band", "tally:role": "dimension",
             "constraints": {"required": True, "enum": ["Under 15", "15-17"]}},
            {"name": "children", "type": "integer", "title": "Children identified", "tally:role": "measure",
             "tally:kind": "count", "tally:unit": "children", "tally:annotation": "children_note",
             "tally:population": "test-children", "constraints": {"minimum": 0}},
            {"name": "children_note", "type": "string", "title": "Note", "tally:role": "annotation",
             "constraints": {"enum": ["S", "N"]}},
        ], "primaryKey": ["quarter", "age_band"]},
    }],
    "views": [{"name": "by-quarter", "title": "Children identified by quarter", "resources": ["identifications"],
               "specType": "tally", "spec": {"mark": "line", "x": "quarter", "y": "children", "color": "age_band"}}],
}


def minimal_descriptor() -> dict:
    return copy.deepcopy(MINIMAL)


def without_period() -> dict:
    """The minimal package with its quarter taken for a plain label: no period to date it by."""
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][0].pop("tally:period")
    return descriptor


def write_package(folder: Path, descriptor: dict | None = None, csv: str | bytes | None = None,
                  descriptor_text: str | None = None, descriptor_name: str = "datapackage.json") -> Path:
    """Write a package folder: the minimal one, or it with a changed descriptor or CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    text = descriptor_text if descriptor_text is not None else json.dumps(
        descriptor if descriptor is not None else MINIMAL, indent=2)
    (folder / descriptor_name).write_text(text, encoding="utf-8")
    data = csv if csv is not None else MINIMAL_CSV
    path = folder / "data" / "identifications.csv"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder


def age_total_descriptor() -> dict:
    """The minimal package with four age bands and an "All ages" total level, and no views."""
    descriptor = minimal_descriptor()
    age = descriptor["resources"][0]["schema"]["fields"][1]
    age["constraints"]["enum"] = ["Under 12", "12-14", "15-17", "All ages"]
    age["tally:total"] = "All ages"
    descriptor["views"] = []
    return descriptor


def archive_package(dataset_folder: Path, descriptor: dict, target: Path) -> list[str]:
    """Copy a package's files into an archive folder as `publish.py release` would; return the paths copied."""
    from tally.core.releases import package_files

    files = package_files(dataset_folder, descriptor)
    for relative in files:
        destination = Path(target) / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(dataset_folder) / relative, destination)
    return files


def archive_version(folder: Path, version: str) -> Path:
    """Archive the package in `folder` as its release `version` (the archived descriptor says so); the archive folder."""
    from tally.core.releases import release_folder

    descriptor = json.loads((Path(folder) / "datapackage.json").read_text())
    descriptor["version"] = version
    target = release_folder(folder, version)
    archive_package(folder, descriptor, target)
    (target / "datapackage.json").write_text(json.dumps(descriptor))
    return target


def build_good_site(tmp_path) -> tuple[Path, Path]:
    """(datasets, output): a folder holding the minimal package, and a site publish.py built from it."""
    datasets = tmp_path / "datasets"
    write_package(datasets / "good")
    output = tmp_path / "output"
    result = publish("build", "--datasets", datasets, "--output", output)
    assert result.returncode == 0, result.stderr
    return datasets, output


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it, with its bytes."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_differences(left: Path, right: Path) -> list[str]:
    """The files (relative paths) not byte for byte the same in two folders, or in only one of them."""
    a, b = tree_bytes(left), tree_bytes(right)
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def full_table(shape, values):
    """A table over `shape` levels per dimension plus an "All" level, totals computed from parts."""
    dims = tuple("d%d" % i for i in range(len(shape)))
    levels = [["v%d" % j for j in range(n)] for n in shape]
    interior = dict(zip(itertools.product(*levels), values))
    cells = {}
    for key in itertools.product(*[lv + ["All"] for lv in levels]):
        choices = [lv if k == "All" else [k] for k, lv in zip(key, levels)]
        cells[key] = sum(interior[p] for p in itertools.product(*choices))
    return Table(dims, {d: "All" for d in dims}, cells)


def invalid_chart_specs(output: Path) -> list[str]:
    """Every published Vega-Lite spec under `output` that the Vega-Lite schema refuses, with the first reason.

    The build does not validate specs as it compiles them (issue 12: a fifth of a cold build);
    the tests check every spec the sample site and the real packages publish instead.
    """
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    found = []
    for path in sorted(output.rglob("*.vl.json")):
        error = validate_jsonschema(json.loads(path.read_text(encoding="utf-8")), schema, raise_error=False)
        if error is not None:
            found.append(f"{path.relative_to(output)}: {str(error).splitlines()[0]}")
    return found
