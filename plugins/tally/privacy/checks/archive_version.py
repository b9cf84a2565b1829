"""No archived release is newer than the package's own version (issue 14, problem 5).

A release killed after its archive was renamed into place left `releases/v1.1.0/`
while the descriptor still said 1.0.0; validate and build passed and published
/v1.1.0/, a release that never happened. An archive ahead of the descriptor is
refused until one of them is put right.
"""

from __future__ import annotations

from tally.core.releases import archived_releases, parse_version
from tally.privacy.checks.base import Audit


class ArchiveVersion(Audit):
    type = "archive-version"
    title = "Archived release newer than the package"
    description = "Every folder under releases/ is a version up to the descriptor's own `version`, never after it."
    hint = ("finish the release (set the descriptor's version and changelog to match the archive) or remove "
            "the unfinished archive folder")

    def audit(self, dataset):
        try:
            current = parse_version(dataset.version)
        except ValueError:
            return  # a package without a semver version has no archives Tally wrote
        for release in archived_releases(dataset.folder):
            if parse_version(release.version) > current:
                yield self.problem(dataset, f"releases/v{release.version}/ is newer than the package's version "
                                   f"{dataset.version}")
