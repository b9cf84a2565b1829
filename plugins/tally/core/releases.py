"""Published releases, kept in the repository so /datasets/<name>/v<version>/ serves them forever.

`publish.py release` copies the package as published (its descriptor and data
files, at the same relative paths) into `<dataset>/releases/v<version>/`.

Why files in the repository and not a rebuild from git tags: CI checks out a
shallow clone (no history, no tags), the privacy audit of linked releases
(DESIGN.md, "Disclosure control" 3) must read every earlier release on every
run, and a static-host build must be reproducible from one checkout. Quarterly
aggregate CSVs are small, and git stores a file that did not change between
releases once. An archive is never rewritten: `release` refuses an existing
version folder, and `publish.py diff` flags any change to one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from tally.core.loading import RELEASES_FOLDER, descriptor_file

FOLDER = re.compile(r"^v(\d+\.\d+\.\d+)$")


def parse_version(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a version written MAJOR.MINOR.PATCH; ValueError for anything else.

    packaging reads the version; Tally accepts only its plain three-part form (no "v", no
    pre-release), since it becomes a URL (/v1.2.0/) that must be spelled one way only.
    """
    text = str(version).strip()
    try:
        parsed = Version(text)
    except InvalidVersion:
        parsed = None
    if parsed is None or len(parsed.release) != 3 or str(parsed) != text or parsed.local or parsed.epoch:
        raise ValueError(f'version "{version}" is not written as MAJOR.MINOR.PATCH (e.g. 1.2.0)')
    return parsed.release


def version_order(version: str):
    """A sort key for any version text: semver order where it parses, after every parsed version otherwise."""
    try:
        return (0, Version(str(version).strip().lstrip("v")), "")
    except InvalidVersion:
        return (1, Version("0"), str(version))


@dataclass(frozen=True)
class ChangelogEntry:
    """One entry of a package's `tally:changelog`: the one reading of it that pages and feeds share."""

    version: str
    date: str  # as written in the package
    kind: str  # release, revision, correction
    note: str


def changelog_entries(descriptor: dict) -> list[ChangelogEntry]:
    """The package's changelog entries that name a version, oldest first by date and version."""
    found = []
    for entry in descriptor.get("tally:changelog") or []:
        if not isinstance(entry, dict) or not str(entry.get("version") or "").strip():
            continue
        found.append(ChangelogEntry(version=str(entry["version"]).strip(), date=str(entry.get("date") or "").strip(),
                                    kind=str(entry.get("kind") or "release"), note=str(entry.get("note") or "").strip()))
    return sorted(found, key=lambda e: (e.date or "0000", version_order(e.version)))


def bump(version: str, part: str) -> str:
    """The next version: `minor` for a new period, `patch` for a correction."""
    major, minor, patch = parse_version(version)
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown version part {part!r}")


@dataclass(frozen=True)
class ArchivedRelease:
    """One archived release folder of a dataset."""

    version: str
    folder: Path


WITHDRAWN_FILE = "WITHDRAWN.json"  # left in releases/v<version>/ by `publish.py withdraw`, in place of the files


@dataclass(frozen=True)
class Withdrawal:
    """A release taken off the site: its folder keeps only WITHDRAWN.json (version, date, reason)."""

    version: str
    date: str
    reason: str
    folder: Path


def releases_path(dataset_folder: Path) -> Path:
    return Path(dataset_folder) / RELEASES_FOLDER


def release_folder(dataset_folder: Path, version: str) -> Path:
    return releases_path(dataset_folder) / f"v{version}"


def _version_folders(dataset_folder: Path) -> list[tuple[str, Path]]:
    """(version, folder) of each folder releases/v<MAJOR.MINOR.PATCH>/ of a dataset, oldest first."""
    root = releases_path(dataset_folder)
    if not root.is_dir():
        return []
    found = [(match.group(1), folder) for folder in root.iterdir()
             if (match := FOLDER.match(folder.name)) and folder.is_dir()]
    return sorted(found, key=lambda pair: parse_version(pair[0]))


def archived_releases(dataset_folder: Path) -> list[ArchivedRelease]:
    """Every archived release of a dataset (folders named v<semver> holding a descriptor), oldest first."""
    return [ArchivedRelease(version, folder) for version, folder in _version_folders(dataset_folder)
            if descriptor_file(folder)]


def withdrawn_releases(dataset_folder: Path) -> list[Withdrawal]:
    """Every withdrawn release of a dataset, oldest first (a folder with WITHDRAWN.json and no descriptor)."""
    found = []
    for version, folder in _version_folders(dataset_folder):
        record = folder / WITHDRAWN_FILE
        if record.is_file() and not descriptor_file(folder):
            try:
                data = json.loads(record.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                data = {}
            data = data if isinstance(data, dict) else {}
            found.append(Withdrawal(version, str(data.get("date", "")), str(data.get("reason", "")), folder))
    return found


def latest_version(dataset_folder: Path) -> str | None:
    """The newest version ever released, archived or withdrawn (a withdrawn version is never reused)."""
    versions = [r.version for r in archived_releases(dataset_folder)]
    versions += [w.version for w in withdrawn_releases(dataset_folder)]
    return max(versions, key=parse_version) if versions else None


def latest_release(dataset_folder: Path) -> ArchivedRelease | None:
    releases = archived_releases(dataset_folder)
    return releases[-1] if releases else None


def package_files(dataset_folder: Path, descriptor: dict) -> list[str]:
    """Relative paths of the files that make up the published package: descriptor, data, schema files."""
    folder = Path(dataset_folder)
    files = [descriptor_file(folder).name]
    for resource in descriptor.get("resources", []):
        if not isinstance(resource, dict):
            continue
        paths = resource.get("path")
        for ref in (paths if isinstance(paths, list) else [paths]):
            if isinstance(ref, str):
                files.append(ref)
        files += [resource[k] for k in ("schema", "dialect") if isinstance(resource.get(k), str)]
    return sorted(dict.fromkeys(files))
