"""Archived releases: found, never taken for datasets of their own, never overwritten, served by the site."""

import json

import pytest

from tally.core.loading import find_dataset_folders
from tally.core.releases import (
    archived_releases,
    bump,
    latest_release,
    package_files,
    parse_version,
)

from support import REPO, archive_version, write_package


def test_archived_releases_are_not_datasets_of_their_own(tmp_path):
    # loading.py finds descriptors recursively; datasets/<name>/releases/v<version>/datapackage.json
    # is a past release of <name>, audited with it, not a sixth dataset.
    folder = write_package(tmp_path / "minimal")
    archive_version(folder, "1.0.0")
    assert find_dataset_folders(tmp_path) == [folder]


def test_a_folder_named_releases_that_is_not_under_a_dataset_is_still_found(tmp_path):
    other = write_package(tmp_path / "releases" / "v2")
    assert find_dataset_folders(tmp_path) == [other]


def test_sample_datasets_have_their_first_release_archived():
    folders = find_dataset_folders(REPO / "datasets")
    assert folders
    for folder in folders:
        descriptor = json.loads((folder / "datapackage.json").read_text())
        versions = [r.version for r in archived_releases(folder)]
        assert descriptor["version"] in versions, folder.name
        archived = latest_release(folder).folder
        for relative in package_files(folder, descriptor):
            if relative != "datapackage.json":
                assert (archived / relative).is_file()


def test_releases_sort_by_semver_not_text(tmp_path):
    folder = write_package(tmp_path / "minimal")
    for version in ("1.10.0", "1.9.0", "1.2.1"):
        archive_version(folder, version)
    (folder / "releases" / "notes").mkdir()  # not a version folder: ignored
    assert [r.version for r in archived_releases(folder)] == ["1.2.1", "1.9.0", "1.10.0"]
    assert latest_release(folder).version == "1.10.0"


@pytest.mark.parametrize("version, part, expected", [("1.0.0", "minor", "1.1.0"), ("1.4.2", "minor", "1.5.0"),
                                                     ("1.4.2", "patch", "1.4.3"), ("0.9.9", "patch", "0.9.10")])
def test_bump(version, part, expected):
    assert bump(version, part) == expected


@pytest.mark.parametrize("bad", ["1.0", "v1.0.0", "1.0.0-rc1", ""])
def test_parse_version_refuses_non_semver(bad):
    with pytest.raises(ValueError, match="MAJOR.MINOR.PATCH"):
        parse_version(bad)
