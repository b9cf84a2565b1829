"""archive-version: an archive ahead of the descriptor is a release that never finished (issue 14, problem 5)."""

import json

from tally.core.releases import release_folder

from rule_support import found, messages, run
from support import archive_package, minimal_descriptor, write_package


def archived(tmp_path, archive_version, descriptor_version):
    folder = write_package(tmp_path / "datasets" / "minimal")
    descriptor = {**minimal_descriptor(), "version": archive_version}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    archive_package(folder, descriptor, release_folder(folder, archive_version))
    return {**descriptor, "version": descriptor_version}


def test_an_archive_newer_than_the_descriptor_is_refused(tmp_path):
    """The state a release killed after renaming its archive in left behind."""
    report = run(tmp_path, descriptor=archived(tmp_path, "1.1.0", "1.0.0"))
    assert found(report, "archive-version") == [[None, None]]
    assert messages(report, "archive-version") == ["releases/v1.1.0/ is newer than the package's version 1.0.0"]


def test_the_fixed_twin(tmp_path):
    assert found(run(tmp_path, descriptor=archived(tmp_path, "1.0.0", "1.1.0")), "archive-version") == []
