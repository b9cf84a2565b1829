"""site/archive.py: every archived release is served at /datasets/<name>/v<version>/ and linked from its page."""

import json

from support import REPO, archive_version, minimal_descriptor, write_package


def test_the_site_serves_every_archived_release_and_the_page_links_it(tmp_path):
    from tally.site.build import build_site, load_settings

    datasets = tmp_path / "datasets"
    folder = write_package(datasets / "minimal")
    first = archive_version(folder, "1.0.0")
    descriptor = minimal_descriptor()
    descriptor["version"] = "1.1.0"
    descriptor["tally:changelog"] = [{"version": "0.9.0", "date": "2024-02-15", "kind": "release", "note": "Pilot."},
                                     {"version": "1.0.0", "date": "2024-05-15", "kind": "release", "note": "First."},
                                     {"version": "1.1.0", "date": "2024-08-15", "kind": "release", "note": "Added."}]
    write_package(folder, descriptor=descriptor)
    second = archive_version(folder, "1.1.0")
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


def test_an_archived_release_is_a_full_dataset_page_of_its_version(built_site):
    # Issue 11: the address readers are told to cite had no citation, chart, notes or dictionary.
    slug = "trafficking-arrests"
    html = (built_site / "datasets" / slug / "v1.0.0" / "index.html").read_text()
    for part in ('id="cite"', "(Version 1.0.0)", f"/datasets/{slug}/v1.0.0/", 'class="chart"', 'id="dictionary"',
                 'id="know"', 'class="archive-banner"', f'href="/datasets/{slug}/"'):
        assert part in html, part
    assert "data-pagefind-body" not in html  # search finds the dataset page, not every archive of it
    assert (built_site / "datasets" / slug / "v1.0.0" / "charts" / "by-type" / "index.html").exists()


def test_archive_downloads_are_named_for_dataset_and_version_and_match_the_page_that_served_them(built_site):
    # The sample datasets' current version is the archived one, so the archive must hold exactly
    # the bytes the dataset page serves (issue 11: the archived XLSX had no "How to cite" row).
    import zipfile
    for index in sorted((built_site / "datasets").glob("*/datapackage.json")):
        version = json.loads(index.read_text())["version"]
        folder = index.parent / f"v{version}"
        slug = folder.parent.name
        assert (folder / f"{slug}-{version}.zip").read_bytes() == (folder.parent / f"{slug}.zip").read_bytes()
        with zipfile.ZipFile(folder / f"{slug}-{version}.zip") as archive:
            assert {name.split("/")[0] for name in archive.namelist()} == {f"{slug}-{version}"}
        current = json.loads((folder.parent / "datapackage.json").read_text())
        tables = [r["name"] for r in current["resources"]]
        for table in tables:
            for ext in ("csv", "xlsx", "json"):
                saved = f"{slug}-{version}.{ext}" if len(tables) == 1 else f"{slug}-{table}-{version}.{ext}"
                assert (folder / saved).read_bytes() == (folder.parent / f"{table}.{ext}").read_bytes(), saved
                assert (folder / f"{table}.{ext}").exists()  # the address first published stays
        page = (folder / "index.html").read_text()
        assert f'download="{slug}-{version}.zip"' in page and f"{slug}-{version}-datapackage.json" in page
        assert (folder / f"v{version}.zip").exists()


def test_an_archived_page_is_read_from_the_cache_until_a_file_of_its_release_changes(tmp_path):
    # Issue 12: a cached archive page is keyed by every file of its release folder, so an
    # archive edited by hand (never supposed to happen) is loaded and built again, not served stale.
    from tally.core.cache import Cache
    from tally.core.settings import get_settings
    from tally.site.archive import archived_page

    folder = write_package(tmp_path / "datasets" / "minimal")
    release = archive_version(folder, "1.0.0")
    settings = get_settings(TALLY_CACHE_PATH=str(tmp_path / "cache"))
    cache = Cache(tmp_path / "cache", "charts")
    url = "datasets/minimal/v1.0.0/"
    archived, page = archived_page(release, "minimal", url, settings, cache)
    again, cached = archived_page(release, "minimal", url, settings, cache)
    assert cached is not page and cached.title == page.title and again.slug == "minimal" and cached.archived
    assert [d.filename for d in cached.downloads] == [d.filename for d in page.downloads]
    descriptor = json.loads((release / "datapackage.json").read_text())
    descriptor["title"] = "Edited by hand"
    (release / "datapackage.json").write_text(json.dumps(descriptor))
    _, edited = archived_page(release, "minimal", url, settings, cache)
    assert edited.title == "Edited by hand"


def test_an_archived_release_gives_rates_as_the_current_page_does(built_site):
    # Issue 11: archived pages had the year totals but no rates.
    slug = "first-responder-identifications"
    current = (built_site / "datasets" / slug / "index.html").read_text()
    archived = (built_site / "datasets" / slug / "v1.1.0" / "index.html").read_text()
    for html in (current, archived):
        assert "per 100,000 children" in html and 'href="/datasets/child-population/"' in html
    assert "as published now (version" in archived and "as published now" not in current


def test_an_archived_page_says_why_it_has_no_rates(tmp_path):
    # A version that named no population, beside a current release that does, says so plainly.
    from adversarial import packages

    from tally.core.loading import load_dataset
    from tally.site.archive import explain_missing_rates
    from tally.site.pages import build_dataset_page

    from support import get_settings

    old = load_dataset(packages.write(tmp_path / "old", packages.age_package("ages")))[0]
    page = build_dataset_page(old, get_settings(tmp_path))
    [annual] = page.annual
    assert annual.rates is None and annual.rates_note == ""
    named = packages.age_package("ages")
    for f in named["resources"][0]["schema"]["fields"]:
        if f["name"] == "children":
            f["tally:denominator"] = {"dataset": "child-population", "measure": "children"}
    current = load_dataset(packages.write(tmp_path / "new", named))[0]
    explain_missing_rates(page, current)
    assert annual.rates_note.startswith(f"No rates: version {old.version} did not name the population")
    # The current page itself, its denominator's dataset absent from the site, says that instead.
    [now] = build_dataset_page(current, get_settings(tmp_path), site={}).annual
    assert now.rates is None and 'the dataset "child-population") are not published on this site' in now.rates_note
