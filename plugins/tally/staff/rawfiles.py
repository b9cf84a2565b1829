"""Raw-looking files: refused before they are committed (pre-commit hook) and in CI.

Issue 13, problem 3: a raw CSV saved in `raw/` inside the repository was
committed by `git add -A`, and `validate` and `diff --check` passed; on a
public repository a push publishes it whatever CI says later. A file looks raw
when it is a spreadsheet (.xlsx, .xls, .ods, ...) or a table (.csv, .tsv) that
is not a file a dataset publishes: a resource of a descriptor under
datasets/, or of one of its archived releases. Test fixtures under tests/ are
synthetic and reviewed as code, so they are the one exception.

    python -m tally.staff.rawfiles            # every tracked file (CI)
    python -m tally.staff.rawfiles --staged   # what the next commit adds (the pre-commit hook)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

import yaml

from tally.core.loading import DESCRIPTOR_NAMES

SPREADSHEETS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".fods", ".numbers"}
TABLES = {".csv", ".tsv", ".tab", ".psv"}
SYNTHETIC = ("tests/",)  # fixtures with made-up figures, reviewed as code
DATASETS = "datasets/"


def published_files(repo: Path, paths: list[str]) -> set[str]:
    """Repository paths that some descriptor among `paths` (or on disk beside them) declares as a resource."""
    declared = set()
    folders = {str(PurePosixPath(p).parent) for p in paths if PurePosixPath(p).name in DESCRIPTOR_NAMES}
    for p in paths:  # a table's own dataset folder (and release folder), even when its descriptor is not staged
        for parent in PurePosixPath(p).parents:
            folders.add(str(parent))
    for folder in folders:
        for name in DESCRIPTOR_NAMES:
            descriptor = _read(repo / folder / name)
            if descriptor is None:
                continue
            for resource in descriptor.get("resources") or []:
                if not isinstance(resource, dict):
                    continue
                targets = resource.get("path")
                for target in targets if isinstance(targets, list) else [targets]:
                    if isinstance(target, str):
                        declared.add(str(PurePosixPath(folder) / target))
    return declared


def raw_looking(repo: Path, paths: list[str]) -> list[str]:
    """One line per path that looks like raw figures, saying why and what to do."""
    repo = Path(repo)
    declared = published_files(repo, paths)
    found = []
    for path in sorted(paths):
        suffix = PurePosixPath(path).suffix.lower()
        if path.startswith(SYNTHETIC) or suffix not in SPREADSHEETS | TABLES:
            continue
        if suffix in SPREADSHEETS:
            found.append(f"{path}: a spreadsheet in the repository; staff spreadsheets hold raw counts. Keep it "
                         "outside the repository and add its figures with `publish.py intake`")
        elif not path.startswith(DATASETS) or path not in declared:
            found.append(f"{path}: a table that no dataset publishes (not a resource of a datapackage.json); it "
                         "may hold raw counts. Keep it outside the repository, or add its figures with "
                         "`publish.py intake` / `publish.py suppress`")
    return found


def _read(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def repository_raw_files(inside: Path) -> list[str]:
    """Raw-looking files anywhere in the git repository holding `inside` (tracked, or new and not ignored).

    One line per file, as raw_looking gives them (`diff --check` in CI); none outside a repository,
    where `diff` has already said that there is nothing to compare.
    """
    top = subprocess.run(["git", "-C", str(inside), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0:
        return []
    repo = Path(top.stdout.strip())
    return raw_looking(repo, _git(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"))


def _git(repo: Path, *args: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout
    return [p for p in out.split("\0") if p]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0:
        print("error: not inside a git repository", file=sys.stderr)
        return 1
    repo = Path(top.stdout.strip())
    if "--staged" in argv:
        paths = _git(repo, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR")
    else:
        paths = _git(repo, "ls-files", "-z")
    found = raw_looking(repo, paths)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if found:
        print(f"error: {len(found)} raw-looking file(s); nothing may hold raw counts in the repository "
              "(git rm --cached FILE to unstage one)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
