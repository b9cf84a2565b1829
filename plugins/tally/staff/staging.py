"""Change a dataset only when the result is valid: stage a copy, validate it, then write atomically.

`intake` and `release` never write into datasets/ directly. They describe their
writes (relative path -> bytes), this module applies them to a copy of the
dataset in a temporary folder, runs the full validation there (privacy gate
included), and only then writes each file into place: new folders (an archived
release) are built beside their destination and renamed in, files are written
to a temporary name and renamed over the old one. On any error nothing in
datasets/ has changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from tally.core.errors import ValidationFailed
from tally.core.report import Report
from tally.privacy.validation import validate


def apply_validated(folder: Path, writes: dict[str, bytes], settings: dict) -> Report:
    """Validate the dataset with `writes` applied in a copy; if valid, apply them to `folder`; else raise."""
    folder = Path(folder).resolve()
    with tempfile.TemporaryDirectory(prefix="tally-stage-") as tmp:
        staged = Path(tmp) / folder.name
        shutil.copytree(folder, staged, symlinks=False)
        for relative, data in writes.items():
            path = staged / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        report, _ = validate(Path(tmp), {**settings, "TALLY_PROGRESS": None}, names=[folder.name])
        if not report.valid:
            raise ValidationFailed(report)
    write_atomically(folder, writes)
    return report


def write_atomically(folder: Path, writes: dict[str, bytes]) -> None:
    """Write files under `folder`: new folders are renamed in whole, existing files replaced by rename."""
    folder = Path(folder)
    new_roots: dict[Path, dict[str, bytes]] = {}
    replace: dict[Path, bytes] = {}
    for relative, data in sorted(writes.items()):
        target = folder / relative
        root = _first_missing(folder, target.parent)
        if root is None:
            replace[target] = data
        else:
            new_roots.setdefault(root, {})[str(target.relative_to(root))] = data
    for root, files in new_roots.items():
        building = root.parent / f".{root.name}.tmp-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        try:
            for relative, data in files.items():
                (building / relative).parent.mkdir(parents=True, exist_ok=True)
                (building / relative).write_bytes(data)
            root.parent.mkdir(parents=True, exist_ok=True)
            building.rename(root)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    for target, data in replace.items():
        temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
        temporary.write_bytes(data)
        os.replace(temporary, target)


def _first_missing(folder: Path, directory: Path) -> Path | None:
    """The outermost folder between `folder` and `directory` that does not exist yet, or None."""
    missing = None
    while directory != folder and not directory.exists():
        missing = directory
        directory = directory.parent
    return missing
