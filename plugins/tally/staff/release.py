"""Release: version, date and changelog entry for what changed, and the archived copy of the release.

`publish.py release NAME` compares the dataset with its last archived release
(`diff.compare`): new periods make a minor release, revised earlier periods
are recorded as a revision, `--correction` makes a patch release. It sets
`version`, `tally:updated` and a `tally:changelog` entry, and archives the
package as released in `releases/v<version>/` (see core/releases.py for why the
archive lives in the repository). Like intake, it writes nothing unless the
resulting dataset passes validation.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from tally.core.errors import ReleaseError
from tally.core.loading import descriptor_file
from tally.core.releases import (
    archived_releases,
    bump,
    latest_release,
    latest_version,
    package_files,
    parse_version,
    release_folder,
)
from tally.staff.diff import DiskSource, compare, load_package
from tally.staff.intake import dump_descriptor
from tally.staff.staging import apply_validated, recover

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
AFTER_MERGE = ("take main's datapackage.json (`git checkout main -- datasets/NAME/datapackage.json`), keep the "
               "data your branch changed, then run release again: it sets the next version and changelog entry "
               "(README, \"After a merge conflict\")")


@dataclass
class ReleaseResult:
    dataset: str
    version: str
    previous: str | None
    kind: str  # "release" | "revision" | "correction"
    note: str
    date: str
    archive: str  # the archive folder, relative to the dataset

    def to_dict(self) -> dict:
        return {**asdict(self), "url": f"/datasets/{self.dataset}/v{self.version}/"}


def release(folder, *, settings: dict, correction: bool = False, date: str | None = None, note: str | None = None,
            next_update: str | None = None) -> ReleaseResult:
    """Bump the version for what changed since the last archived release, log it, archive it; validated."""
    folder = Path(folder).resolve()
    recover(folder)  # an interrupted command's writes, finished or undone before reading the dataset
    path, descriptor = _descriptor(folder)
    date = _date(date or dt.date.today().isoformat(), "--date")
    current = str(descriptor.get("version") or "1.0.0")
    _version(current, path)
    latest = latest_release(folder)
    newest = latest_version(folder)  # a withdrawn release keeps its version number taken
    if latest is None and newest is not None:
        if newest != current:
            raise ReleaseError(f'{folder.name}: "version" is {current} but the last release is {newest} (withdrawn)',
                               f'set "version" back to {newest}: release sets it')
        version, previous, kind = bump(newest, "minor"), newest, "release"
        text = f"Published again after release {newest} was withdrawn."
    elif latest is None:
        if descriptor.get("tally:changelog"):
            raise ReleaseError(f"{folder.name} has a changelog but no archived release, so there is nothing to "
                               "compare with", "on the commit that was last published, run "
                               f"`python publish.py release {folder.name} --archive-current`, commit it, then "
                               "add the new data and release")
        version, previous, kind = current, None, "release"
        coverage = (descriptor.get("tally:coverage") or {}).get("temporal") or {}
        text = "First release" + (f", covering {coverage.get('start')} to {coverage.get('end')}."
                                  if coverage.get("start") else ".")
    else:
        if newest != current:
            raise ReleaseError(f'{folder.name}: "version" is {current} but the last archived release is '
                               f"{newest}: the descriptor is stale (another branch's release was merged) "
                               "or was edited by hand", AFTER_MERGE.replace("NAME", folder.name))
        logged = {str(e.get("version")) for e in descriptor.get("tally:changelog", []) if isinstance(e, dict)}
        missing = [r.version for r in archived_releases(folder) if r.version not in logged]
        if missing and descriptor.get("tally:changelog"):
            raise ReleaseError(f"{folder.name}: releases/ holds {', '.join(missing)}, which the changelog does not "
                               "list: a release made on another branch was merged, but its descriptor was not",
                               AFTER_MERGE.replace("NAME", folder.name))
        version, previous, kind, text = _next(folder, latest, correction, newest)
    entry = {"version": version, "date": date, "kind": kind, "note": f"{text} {note}".strip() if note else text}
    descriptor["version"] = version
    descriptor["tally:updated"] = date
    if next_update:
        following = _date(next_update, "--next-update")
        if following <= date:
            raise ReleaseError(f"--next-update {following} is not after the release date {date}",
                               "give the date the next figures are expected, after the release date")
        descriptor["tally:next_update"] = following
    descriptor["tally:changelog"] = [e for e in descriptor.get("tally:changelog", [])
                                     if str(e.get("version")) != version] + [entry]
    writes = _archive_writes(folder, path, descriptor, version)
    writes[path.name] = dump_descriptor(path, descriptor)
    apply_validated(folder, writes, settings)
    return ReleaseResult(folder.name, version, previous, kind, entry["note"], date,
                         release_folder(folder, version).relative_to(folder).as_posix())


def archive_current(folder, *, settings: dict) -> str:
    """Archive the package as it is, under its current version (for datasets published before archives)."""
    folder = Path(folder).resolve()
    recover(folder)
    path, descriptor = _descriptor(folder)
    version = str(descriptor.get("version") or "")
    _version(version, path)
    apply_validated(folder, _archive_writes(folder, path, descriptor, version), settings)
    return release_folder(folder, version).relative_to(folder).as_posix()


def _descriptor(folder: Path) -> tuple[Path, dict]:
    path = descriptor_file(folder)
    if path is None:
        raise ReleaseError(f"{folder} has no datapackage.json")
    text = path.read_text(encoding="utf-8")
    if CONFLICT.search(text):
        raise ReleaseError(f"{path} still has merge-conflict markers (<<<<<<<, =======, >>>>>>>): two releases were "
                           "made on different branches", AFTER_MERGE.replace("NAME", folder.name))
    try:
        return path, json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ReleaseError(f"{path} cannot be read ({error}); run publish.py validate") from None


def _version(version: str, path: Path) -> None:
    try:
        parse_version(version)
    except ValueError as error:
        raise ReleaseError(f"{path}: {error}") from None


def _date(text: str, option: str) -> str:
    try:
        if DATE.match(text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise ReleaseError(f'{option} "{text}" is not a date written like 2024-11-15')


def _next(folder: Path, latest, correction: bool, newest: str) -> tuple[str, str, str, str]:
    """The new version, the previous one, the kind of release and a note saying what changed."""
    before = load_package(DiskSource(latest.folder), "", folder.name)
    after = load_package(DiskSource(folder), "", folder.name)
    change = compare(before, after)
    added = sorted({p for t in change.tables for p in t.periods_added})
    revised = sorted({p for t in change.tables for p in t.periods_revised})
    if not (change.data_changed or change.metadata or change.schema or change.views):
        raise ReleaseError(f"{folder.name} has not changed since release {latest.version}: there is nothing to "
                           "release", "add a period with publish.py intake, or edit what needs correcting, first")
    if correction:
        if added:
            raise ReleaseError(f"a correction cannot add a period ({', '.join(added)} is new)",
                               "run release without --correction: a new period is a minor release")
        text = f"Corrected figures for {_list(revised)}." if revised else "Corrected the description and metadata."
        return bump(newest, "patch"), newest, "correction", text
    parts = []
    if added:
        parts.append(f"Added {_list(added)}.")
    if revised:
        parts.append(f"Revised figures for {_list(revised)}.")
    text = " ".join(parts) or "Updated the description and metadata."
    return bump(newest, "minor"), newest, "revision" if revised else "release", text


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _archive_writes(folder: Path, path: Path, descriptor: dict, version: str) -> dict[str, bytes]:
    target = release_folder(folder, version)
    if target.exists():
        raise ReleaseError(f"release {version} of {folder.name} is already archived in {target}; an archived "
                           "release is never overwritten")
    prefix = target.relative_to(folder).as_posix()
    writes = {}
    for relative in package_files(folder, copy.deepcopy(descriptor)):
        data = dump_descriptor(path, descriptor) if relative == path.name else (folder / relative).read_bytes()
        writes[f"{prefix}/{relative}"] = data
    return writes
