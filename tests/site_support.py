"""Helpers for the site tests: a site's settings, and one dataset's page built from a package in tmp_path."""

from __future__ import annotations

from tally.core.loading import load_dataset
from tally.site.discovery.facts import site_from_settings
from tally.site.pages import build_dataset_page

from support import get_settings, minimal_descriptor, write_package

SITE_SETTINGS = {"SITENAME": "Test site", "TALLY_SITE_URL": "https://data.example.gov/",
                 "TALLY_PUBLISHER": "Example County", "TALLY_CONTACT_EMAIL": "data@example.gov",
                 "TALLY_DEFAULT_LICENSE": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}}


def site():
    """The discovery Site of SITE_SETTINGS."""
    return site_from_settings(SITE_SETTINGS)


def page_for(tmp_path, descriptor=None, name="minimal"):
    """The DatasetPage of a package written to tmp_path/datasets/`name` (the minimal one unless told)."""
    write_package(tmp_path / "datasets" / name, descriptor if descriptor is not None else minimal_descriptor())
    dataset, problems = load_dataset(tmp_path / "datasets" / name)
    assert dataset is not None, problems
    return build_dataset_page(dataset, get_settings(tmp_path))
