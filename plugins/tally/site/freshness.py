"""Is the published site already what these inputs would build? (issue 12)

A build is a function of its inputs: the datasets folder (current packages and every
archived release under them), the content and theme folders, the plugins' code, the
settings, the environment variables a build reads, Python and the installed libraries.
Builds are reproducible ("now" is the newest `tally:updated` date on the site, never the
clock), so the same inputs give the same bytes.

After every successful build a record is kept in the cache: a hash of those inputs, and
a fingerprint of the files the build left in the output (path, size, modification time,
inode). A build whose inputs hash as recorded, into an output whose files are still the
ones recorded, has nothing to do: it writes no file and returns at once. Any change to an
input, or to the output (a file edited, removed or added by hand), builds as before, and
`publish.py build --force` always builds.

Skipping is safe for the privacy gate too: the gate is part of the build's code and reads
only these inputs, so the site it passed is the site it would pass again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tally.core.cache import Cache, key
from tally.core.settings import tally_settings

# Files a run of Python writes beside the code it imports: never an input.
NOT_INPUTS = ("__pycache__", ".pytest_cache")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)  # besides every TALLY_ variable


@dataclass(frozen=True)
class Record:
    inputs: str
    outputs: str
    files: int
    datasets: int


def inputs_digest(settings: dict) -> str:
    """A hash of everything a build of the site with `settings` reads."""
    tally = tally_settings(settings)
    folders = [Path(tally["TALLY_DATASETS_PATH"])]
    folders += [Path(settings[name]) for name in ("PATH", "THEME") if isinstance(settings.get(name), str)]
    folders += [Path(p) for p in settings.get("PLUGIN_PATHS") or []]
    environment = {k: v for k, v in os.environ.items() if k.startswith("TALLY_") or k in ENVIRONMENT}
    libraries = sorted({(d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()})
    readable = {k: v for k, v in settings.items() if k.isupper() and k != "TALLY_PROGRESS"}
    return key("site inputs", [_folder_digest(f) for f in folders], [str(f.resolve()) for f in folders],
               json.dumps(readable, sort_keys=True, default=_stable_text), environment, libraries, sys.version)


def outputs_digest(output: Path) -> tuple[str, int]:
    """(a hash of every file's path, size, time and inode under `output`, how many files)."""
    digest = hashlib.sha256()
    files = 0
    for root, folders, names in os.walk(output):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            stat = os.lstat(path)
            digest.update(f"{os.path.relpath(path, output)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n"
                          .encode("utf-8", "surrogateescape"))
            files += 1
    return digest.hexdigest(), files


def up_to_date(settings: dict, output: Path, inputs: str) -> Record | None:
    """The record of the last build if `output` is exactly what it left and `inputs` are its inputs."""
    record = _store(settings).get_bytes(_record_key(output))
    if record is None or not output.is_dir():
        return None
    try:
        record = Record(**json.loads(record))
    except (ValueError, TypeError):
        return None  # an unreadable record is no record: build
    if record.inputs != inputs or outputs_digest(output)[0] != record.outputs:
        return None
    return record


def remember(settings: dict, output: Path, inputs: str, datasets: int) -> None:
    """Record a successful build of `output` from `inputs`, after the swap."""
    outputs, files = outputs_digest(output)
    record = Record(inputs=inputs, outputs=outputs, files=files, datasets=datasets)
    _store(settings).put_bytes(_record_key(output), json.dumps(record.__dict__).encode())


def _store(settings: dict) -> Cache:
    return Cache(tally_settings(settings)["TALLY_CACHE_PATH"], "builds")


def _record_key(output: Path) -> str:
    return key("site record", str(Path(output).resolve()))


def _folder_digest(folder: Path) -> str:
    """Every file's relative path and bytes under `folder` (or the file itself), skipping NOT_INPUTS."""
    digest = hashlib.sha256()
    if folder.is_file():
        digest.update(folder.read_bytes())
        return digest.hexdigest()
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f not in NOT_INPUTS)
        for name in sorted(names):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
            with open(path, "rb") as handle:  # in pieces: a data file may be large
                for piece in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(piece)
            digest.update(b"\0")
    return digest.hexdigest()


def _stable_text(value) -> str:
    """Settings that are not JSON (a plugin module, a path, a function) by a name that is the same every run."""
    if isinstance(value, Path):
        return str(value)
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    module = getattr(value, "__module__", None)
    if name:
        return f"{module}.{name}" if module else name
    return type(value).__qualname__
