"""Change a dataset only when the result is valid, and all at once: one staged transaction per staff command.

`intake`, `release`, `suppress` and `new` never write into datasets/ file by
file. They describe their writes (relative path -> bytes); `apply_validated`
applies them to a copy of the dataset in a temporary folder and runs the full
validation there (privacy gate included); then `commit` writes them:

1. stage: every new file is written (and synced) under `<dataset>/.tally-transaction.staging/new/`,
   each file it replaces is hard-linked under `old/`, and `journal.json` lists them;
2. commit point: the staging folder is renamed to `.tally-transaction/` (one rename);
3. move: each new file is renamed over its target; then the transaction folder is removed.

A kill or a full disk before the commit point leaves the old state (the next
command deletes the staging folder); after it, the next command completes the
move (the journal says what to move; each step can be done twice). A failure
the command sees during the move is rolled back from `old/` at once. So the
dataset is in the old state or the new one, never half of each (issue 14,
problem 5: a kill between intake's two writes left the CSV new and the
coverage stale; a kill in release left an archive the descriptor did not know).

`fault(step)` is called before every write step. It does nothing; the
fault-injection tests replace it to stop the command at each step in turn.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

from tally.core.errors import ValidationFailed, WriteFailed
from tally.core.loading import STAGING_FOLDER, TRANSACTION_FOLDER
from tally.core.report import Report
from tally.privacy.validation import validate

JOURNAL = "journal.json"



def fault(step: str) -> None:
    """Test hook, called before each write step; the fault-injection suite replaces it."""


def apply_validated(folder: Path, writes: dict[str, bytes], settings: dict) -> Report:
    """Validate the dataset with `writes` applied in a copy; if valid, commit them to `folder`; else raise."""
    folder = Path(folder).resolve()
    recover(folder)
    with tempfile.TemporaryDirectory(prefix="tally-stage-") as tmp:
        staged = Path(tmp) / folder.name
        shutil.copytree(folder, staged, symlinks=False)
        for relative, data in writes.items():
            path = staged / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # The site-wide audit (issue 10) reads the site's other datasets where they are.
        report, _ = validate(Path(tmp), {**settings, "TALLY_PROGRESS": None}, names=[folder.name],
                             site_root=folder.parent)
        if not report.valid:
            raise ValidationFailed(report)
    commit(folder, writes)
    return report


def commit(folder: Path, writes: dict[str, bytes]) -> None:
    """Write every file of `writes` under `folder` as one transaction (see the module docstring)."""
    folder = Path(folder).resolve()
    recover(folder)
    targets = {relative: inside(folder, relative) for relative in sorted(writes)}
    staging = folder / STAGING_FOLDER
    try:
        _stage(folder, staging, writes, targets)
        fault("commit")
        os.replace(staging, folder / TRANSACTION_FOLDER)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _failed(error, folder, "nothing was changed") from None
    try:
        _forward(folder)
    except OSError as error:
        try:
            _backward(folder)
        except OSError:
            raise _failed(error, folder, "the change is half made; run the command again (or `publish.py recover "
                                         f"{folder.name}`) to finish it") from None
        raise _failed(error, folder, "the change was rolled back; nothing was changed") from None


def recover(folder: Path) -> str | None:
    """Finish or undo what an interrupted command left in `folder`; say which, or None when nothing was left."""
    folder = Path(folder)
    staging, transaction = folder / STAGING_FOLDER, folder / TRANSACTION_FOLDER
    done = None
    if staging.exists():
        shutil.rmtree(staging)  # never committed: the dataset is as it was
        done = "rolled back"
    if transaction.exists():
        journal = _journal(transaction)
        if journal is None:
            shutil.rmtree(transaction)  # its removal was under way: every file had been moved
            return done or "completed"
        if journal.get("direction") == "back":
            _backward(folder)
            return "rolled back"
        _forward(folder)
        return "completed"
    return done


def write_file(path: Path, data: bytes) -> None:
    """Write and sync one file (fault-injection tests patch this to raise ENOSPC)."""
    fault(f"write {path.name}")
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def write_outside(path: Path, data: bytes) -> None:
    """One file outside any dataset (suppress --output): a temporary name, then a rename; removed on failure."""
    path = Path(path)
    temporary = path.parent / f".{path.name}.tally-tmp"
    try:
        write_file(temporary, data)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _failed(error, path.parent, f"{_shown(path)} was not written") from None


def inside(folder: Path, relative: str) -> Path:
    """`folder / relative`, refused unless it stays inside `folder` (no `..`, no absolute path, no link out)."""
    if "\0" in relative or Path(relative).is_absolute():
        raise WriteFailed(f"refusing to write {relative!r}: not a path inside {_shown(folder)}")
    target = (folder / relative).resolve()
    if target == folder or folder not in target.parents:
        raise WriteFailed(f"refusing to write {relative!r}: it is outside {_shown(folder)}")
    return target


# -- the steps ---------------------------------------------------------------------------

def _stage(folder: Path, staging: Path, writes: dict[str, bytes], targets: dict[str, Path]) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    fault("staging folder")
    staging.mkdir()
    absent, created = [], set()
    for relative, target in targets.items():
        new = staging / "new" / relative
        new.parent.mkdir(parents=True, exist_ok=True)
        write_file(new, writes[relative])
        if target.exists():
            old = staging / "old" / relative
            old.parent.mkdir(parents=True, exist_ok=True)
            fault(f"keep {relative}")
            _link_or_copy(target, old)
        else:
            absent.append(relative)
            parent = target.parent
            while parent != folder and not parent.exists():
                created.add(parent.relative_to(folder).as_posix())
                parent = parent.parent
    journal = {"direction": "forward", "files": sorted(targets), "absent": absent,
               "created": sorted(created, key=lambda p: -p.count("/"))}
    write_file(staging / JOURNAL, json.dumps(journal, indent=1).encode())


def _forward(folder: Path) -> None:
    """Move every staged file into place (skipping those already moved), then drop the transaction."""
    transaction = folder / TRANSACTION_FOLDER
    journal = _journal(transaction)
    for relative in journal["files"]:
        new = transaction / "new" / relative
        if not new.exists():
            continue  # moved before an interruption
        target = folder / relative
        fault(f"folder for {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fault(f"move {relative}")
        os.replace(new, target)
    _drop(transaction)


def _backward(folder: Path) -> None:
    """Put back every file the transaction replaced, remove those it added, then drop the transaction."""
    transaction = folder / TRANSACTION_FOLDER
    journal = _journal(transaction)
    if journal.get("direction") != "back":
        journal["direction"] = "back"
        _replace_journal(transaction, journal)
    for relative in journal["files"]:
        target = folder / relative
        if relative in journal["absent"]:
            target.unlink(missing_ok=True)
            continue
        old = transaction / "old" / relative
        if old.exists():
            os.replace(old, target)
    for relative in journal.get("created", []):
        with contextlib.suppress(OSError):  # not empty: someone else's files are in it
            (folder / relative).rmdir()
    _drop(transaction)


def _drop(transaction: Path) -> None:
    """Remove a finished transaction; the journal goes last, so a half-removed one is known to be finished."""
    fault("drop")
    for part in ("new", "old"):
        shutil.rmtree(transaction / part, ignore_errors=True)
    (transaction / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(transaction, ignore_errors=True)


def _journal(transaction: Path) -> dict | None:
    try:
        return json.loads((transaction / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _replace_journal(transaction: Path, journal: dict) -> None:
    temporary = transaction / (JOURNAL + ".new")
    write_file(temporary, json.dumps(journal, indent=1).encode())
    os.replace(temporary, transaction / JOURNAL)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # no data written: a full disk cannot stop the backup
    except OSError:
        shutil.copy2(source, target)


def _failed(error: OSError, folder: Path, outcome: str) -> WriteFailed:
    where = _shown(error.filename) if error.filename else _shown(folder)
    reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
    fix = "free some space and run the command again" if error.errno == errno.ENOSPC else \
        "check the folder can be written to and run the command again"
    return WriteFailed(f"{where}: {reason}; {outcome}. How to fix: {fix}")


def _shown(path) -> str:
    """A path as staff typed it: relative to the working folder when it is inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
