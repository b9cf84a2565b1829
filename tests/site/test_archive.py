"""site/archive.py: every archived release is served at /datasets/<name>/v<version>/ and linked from its page."""

import json

from tally.core.releases import (
    release_folder,
)

from support import REPO, archive_package, minimal_descriptor, write_package


def _archive(folder, version):
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["version"] = version
    target = release_folder(folder, version)
    archive_package(folder, descriptor, target)
    (target / "datapackage.json").write_text(json.dumps(descriptor))
    return target


def test_the_site_serves_every_archived_release_and_the_page_links_it(tmp_path):
    from tally.site.build import build_site, load_settings

    from support import get_settings  # noqa: F401  (settings come from pelicanconf below)

    datasets = tmp_path / "datasets"
    folder = write_package(datasets / "minimal")
    first = _archive(folder, "1.0.0")
    descriptor = minimal_descriptor()
    descriptor["version"] = "1.1.0"
    descriptor["tally:changelog"] = [{"version": "0.9.0", "date": "2024-02-15", "kind": "release", "note": "Pilot."},
                                     {"version": "1.0.0", "date": "2024-05-15", "kind": "release", "note": "First."},
                                     {"version": "1.1.0", "date": "2024-08-15", "kind": "release", "note": "Added."}]
    write_package(folder, descriptor=descriptor)
    second = _archive(folder, "1.1.0")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    site = build_site(settings, tmp_path / "output").output

    page = (site / "datasets" / "minimal" / "index.html").read_text()
    assert 'href="/datasets/minimal/v1.1.0/"' in page and 'href="/datasets/minimal/v1.0.0/"' in page
    assert 'href="/datasets/minimal/v0.9.0/"' not in page  # never archived: no dead link
    for target, version in ((first, "1.0.0"), (second, "1.1.0")):
        out = site / "datasets" / "minimal" / f"v{version}"
        html = (out / "index.html").read_text()
        assert f"version {version}" in html and "Illustrative sample data" in html
        assert (out / "identifications.csv").read_bytes() == (target / "data" / "identifications.csv").read_bytes()
        published = json.loads((out / "datapackage.json").read_text())
        assert published["version"] == version
        assert published["resources"][0]["path"] == "identifications.csv"
    assert "see the latest figures" in (site / "datasets" / "minimal" / "v1.0.0" / "index.html").read_text()
    assert not (site / "datasets" / "minimal" / "releases").exists()
