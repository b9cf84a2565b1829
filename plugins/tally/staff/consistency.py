"""What `diff --check` refuses besides changed archives: a version whose archive differs, a history going back.

Issue 13, problem 4: a new-quarter branch (1.2.0) and a correction branch
(1.1.1) from the same main, merged with the descriptor conflict resolved the
obvious way, served figures for 1.2.0 that differ from `/v1.2.0/`: `--check`
compared version strings, not the data. Now, where the current version has an
archive, every file of the archive must equal the current file byte for byte;
and the version and the changelog may only move forward from the base.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from tally.core.loading import RELEASES_FOLDER


def archive_mismatches(source, prefix: str, version: str) -> list[str]:
    """Files of `releases/v<version>/` that differ from (or are missing in) the current package; [] when no archive."""
    archive = f"{prefix}/{RELEASES_FOLDER}/v{version}"
    different = []
    for path in source.files(archive):
        relative = path[len(archive) + 1:]
        if source.read(f"{prefix}/{relative}") != source.read(path):
            different.append(relative)
    return sorted(different)


def went_backwards(old: dict, new: dict) -> list[str]:
    """Why the new descriptor's version or changelog is behind the old one's (empty when it is not)."""
    problems = []
    before, after = _version(old.get("version")), _version(new.get("version"))
    if before and after and after < before:
        problems.append(f"`version` went back from {before} to {after}")
    old_log = _entries(old)
    new_log = _entries(new)
    lost = [v for v in old_log if v not in new_log]
    if lost:
        problems.append("`tally:changelog` lost the entr" + ("y" if len(lost) == 1 else "ies") + " for "
                        + ", ".join(lost))
    # A withdrawal names the earlier release it withdraws, so only releases must move forward.
    versions = [_version(v) for v in _entries(new, withdrawals=False)]
    if any(a and b and b < a for a, b in zip(versions, versions[1:])):
        problems.append("`tally:changelog` is out of order: each entry must be a later version than the one before")
    return problems


def _entries(descriptor: dict, withdrawals: bool = True) -> list[str]:
    return [str(e.get("version")) for e in descriptor.get("tally:changelog", []) or []
            if isinstance(e, dict) and (withdrawals or e.get("kind") != "withdrawal")]


def _version(text) -> Version | None:
    try:
        return Version(str(text)) if text else None
    except InvalidVersion:
        return None
