"""Withdraw a published release: its page becomes a notice, its files leave the site, the changelog says so.

`publish.py withdraw NAME VERSION --reason TEXT` is the way out when an archived
release fails the privacy gate (issue 10: a release archived before a rule
existed, and found disclosive since). The release folder keeps only
`WITHDRAWN.json` (version, date, reason); the data files are deleted from the
working tree, so no later build publishes them; the dataset's changelog gains a
`withdrawal` entry. The version number stays taken.

This removes the files from the site, not from git: a public repository's
history still holds them (README, "Withdrawing a release", says how to purge it).
Unlike intake and release, withdraw does not require the dataset to validate
first: it only takes published material away, and it is how a dataset blocked
by a failing archive gets unblocked. The reason is checked for counts.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tally.core.errors import ReleaseError
from tally.core.loading import DESCRIPTOR_NAMES
from tally.core.releases import WITHDRAWN_FILE, archived_releases, parse_version, release_folder, withdrawn_releases
from tally.privacy.policy import Policy
from tally.privacy.small_numbers import has_small_count
from tally.staff.intake import dump_descriptor
from tally.staff.release import _date, _descriptor
from tally.staff.staging import commit, recover


@dataclass
class WithdrawResult:
    dataset: str
    version: str
    date: str
    reason: str
    removed: list[str]  # files deleted, relative to the dataset folder

    def to_dict(self) -> dict:
        return asdict(self)


def withdraw(folder, version: str, *, reason: str, settings: dict, date: str | None = None) -> WithdrawResult:
    """Withdraw release `version` of the dataset in `folder`; raise ReleaseError when it cannot be."""
    folder = Path(folder).resolve()
    recover(folder)  # every staff command first finishes or undoes an interrupted one
    path, descriptor = _descriptor(folder)
    version = str(version).lstrip("v")
    try:
        parse_version(version)
    except ValueError as error:
        raise ReleaseError(str(error)) from None
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ReleaseError("a withdrawal needs a reason (--reason)", 'say why, e.g. --reason "Fails the site-wide '
                           'privacy audit: a hidden cell could be worked out with another dataset."')
    if has_small_count(reason, Policy.from_rules(descriptor.get("tally:disclosure"), settings).threshold):
        raise ReleaseError("the reason writes a small count of people; it would be published",
                           "say why without the figure")
    date = _date(date or dt.date.today().isoformat(), "--date")
    if any(w.version == version for w in withdrawn_releases(folder)):
        raise ReleaseError(f"release {version} of {folder.name} is already withdrawn")
    release = next((r for r in archived_releases(folder) if r.version == version), None)
    if release is None:
        known = ", ".join(r.version for r in archived_releases(folder)) or "none"
        raise ReleaseError(f"{folder.name} has no archived release {version} (archived: {known})",
                           "give the version as it appears under releases/, e.g. 1.0.0")
    target = release_folder(folder, version)
    removed = sorted(p.relative_to(folder).as_posix() for p in target.rglob("*") if p.is_file())
    entry = {"version": version, "date": date, "kind": "withdrawal",
             "note": f"Release {version} withdrawn: {reason}"}
    changelog = list(descriptor.get("tally:changelog", []))
    if not any(isinstance(e, dict) and e.get("kind") == "withdrawal" and str(e.get("version")) == version
               for e in changelog):  # a run interrupted after the commit below is simply run again
        changelog.append(entry)
    descriptor["tally:changelog"] = changelog
    record = json.dumps({"version": version, "date": date, "reason": reason}, indent=2) + "\n"
    prefix = target.relative_to(folder).as_posix()
    # The notice and the changelog go in as one transaction (staging.commit); then the release's
    # files are deleted, its descriptor last, so an interrupted run leaves it published and whole
    # (archived_releases reads a folder with a descriptor) until it is run again.
    commit(folder, {f"{prefix}/{WITHDRAWN_FILE}": record.encode("utf-8"), path.name: dump_descriptor(path, descriptor)})
    descriptors = [p for p in removed if p.rsplit("/", 1)[-1] in DESCRIPTOR_NAMES and p.count("/") == 2]
    for relative in [p for p in removed if p not in descriptors] + descriptors:
        (folder / relative).unlink()
    for empty in sorted((d for d in target.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
        if not any(empty.iterdir()):
            empty.rmdir()
    return WithdrawResult(folder.name, version, date, reason, removed)
