"""The sample site builds end to end; a failed build leaves the old output untouched."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tally.core.errors import ValidationFailed
from tally.site.build import build_site, load_settings

from support import REPO, invalid_chart_specs, minimal_descriptor, tree_bytes, tree_differences, write_package

SAMPLE = sorted(p.name for p in (REPO / "datasets").iterdir() if (p / "datapackage.json").exists())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_CACHE_PATH=str(root / "cache"))
    result = build_site(settings, root / "output")
    return result.output


def test_sample_site_has_home_catalog_and_six_dataset_pages(site):
    assert len(SAMPLE) == 6  # five sample datasets and the child population their rates divide by (issue 11)
    assert (site / "index.html").is_file()
    assert (site / "datasets" / "index.html").is_file()
    catalog = (site / "datasets" / "index.html").read_text()
    for name in SAMPLE:
        assert (site / "datasets" / name / "index.html").is_file()
        assert f'href="/datasets/{name}/"' in catalog
    for page in ("about", "methodology", "privacy", "cite", "contact"):
        assert (site / page / "index.html").is_file()


@pytest.mark.parametrize("name", SAMPLE)
def test_every_dataset_page_has_a_drawn_chart_a_dictionary_and_downloads(site, name):
    html = (site / "datasets" / name / "index.html").read_text()
    descriptor = json.loads((REPO / "datasets" / name / "datapackage.json").read_text())
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert svgs, "no inline SVG chart"
    # Marks drawn: a line or bar path with real coordinates, not an empty chart.
    assert any(re.search(r'aria-roledescription="(line|bar|rect)[^"]*"[^>]* d="M[\d.]+,[\d.]+[LZhv]', svg)
               or 'role-mark' in svg and re.search(r'd="M[\d.]+,[\d.]+', svg) for svg in svgs)
    assert all('role="img" aria-label="' in svg for svg in svgs)
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in html, field["name"]
        assert (site / "datasets" / name / f"{resource['name']}.csv").read_bytes() == \
            (REPO / "datasets" / name / resource["path"]).read_bytes()
        assert f'href="/datasets/{name}/{resource["name"]}.csv"' in html
    assert (site / "datasets" / name / "datapackage.json").is_file()
    assert "Illustrative sample data" in html


def test_every_published_chart_spec_is_valid_vega_lite(site):
    specs = list(site.rglob("*.vl.json"))
    assert len(specs) > 20
    assert invalid_chart_specs(site) == []


def test_every_page_showing_sample_data_says_so(site):
    pages = sorted(site.rglob("*.html"))
    assert pages  # a loop over nothing proves nothing
    for page in pages:
        assert "Illustrative sample data" in page.read_text(), page


def test_no_page_requests_another_origin(site):
    external = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="(?:https?:)?//', re.I)
    pages = sorted(site.rglob("*.html"))
    assert pages  # a loop over nothing proves nothing
    for page in pages:
        text = page.read_text()
        # rel="license" and rel="canonical" name addresses; a browser never fetches them.
        offenders = [m.group(0) for m in external.finditer(text)
                     if 'rel="license"' not in m.group(0) and 'rel="canonical"' not in m.group(0)]
        assert not offenders, (page, offenders)
    css_found = sorted(site.rglob("*.css"))
    assert css_found  # a loop over nothing proves nothing
    for css in css_found:
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css


def test_published_descriptor_points_at_the_downloads_and_validates(site):
    from frictionless import Package

    folder = site / "datasets" / "csec-training"
    package = Package(str(folder / "datapackage.json"))
    assert package.resources[0].path == "training.csv"
    assert package.validate().valid


def test_two_builds_are_byte_identical(site, tmp_path):
    settings = load_settings(REPO / "pelicanconf.py", TALLY_CACHE_PATH=str(tmp_path / "cache"))
    again = build_site(settings, tmp_path / "again").output
    assert tree_differences(site, again) == []


def test_failed_build_leaves_output_exactly_as_it_was(tmp_path):
    datasets = tmp_path / "datasets"
    write_package(datasets / "minimal")
    output = tmp_path / "output"
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    build_site(settings, output)
    before = tree_bytes(output)
    (datasets / "minimal" / "data" / "identifications.csv").write_text("quarter,age_band,children,children_note\nbad\n")
    with pytest.raises(ValidationFailed):
        build_site(settings, output)
    assert tree_bytes(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")], "temporary folder left behind"


def test_a_build_validates_each_dataset_once(tmp_path, monkeypatch):
    # build_site validated every dataset, then the generator validated them all again (the second
    # time from the cache, but loading every package and running the site-wide audit anew).
    # The wrappers count and still call the real functions: the build is a real one.
    from collections import Counter

    from tally.privacy import validation

    folders, audits = Counter(), []
    validate_folder, site_problems = validation.validate_folder, validation.site_problems

    def counted_folder(folder, *args, **kwargs):
        folders[folder.name] += 1
        return validate_folder(folder, *args, **kwargs)

    def counted_audit(*args, **kwargs):
        audits.append(args)
        return site_problems(*args, **kwargs)

    monkeypatch.setattr(validation, "validate_folder", counted_folder)
    monkeypatch.setattr(validation, "site_problems", counted_audit)
    for name in ("first", "second"):
        write_package(tmp_path / "datasets" / name, {**minimal_descriptor(), "name": name})
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(tmp_path / "datasets"),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    result = build_site(settings, tmp_path / "output")
    assert result.datasets == 2 and (tmp_path / "output" / "datasets" / "second" / "index.html").is_file()
    assert folders == {"first": 1, "second": 1}
    assert len(audits) == 1


def test_pelican_command_builds_the_same_site(site, tmp_path):
    out = tmp_path / "pelican-out"
    env_cache = tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(out),
         "-e", f'TALLY_CACHE_PATH="{env_cache}"'],
        cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert tree_differences(site, out) == []


def test_a_rebuild_writes_only_what_changed(tmp_path):
    # Issue 12: a rebuild with nothing changed writes no file (every file keeps its inode and
    # time), and changing one dataset rewrites only its files and the site-wide ones.
    shutil.copytree(REPO / "datasets", tmp_path / "datasets")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(tmp_path / "datasets"),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    output = tmp_path / "output"

    def stamps():
        return {p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
                for p in output.rglob("*") if p.is_file()}

    build_site(settings, output)
    first = stamps()
    assert first
    build_site(settings, output)
    assert stamps() == first
    descriptor_path = tmp_path / "datasets" / "csec-training" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    descriptor["description"] += " One more sentence."
    descriptor_path.write_text(json.dumps(descriptor, indent=2))
    build_site(settings, output)
    changed = {path for path, stamp in stamps().items() if first.get(path) != stamp}
    assert any(path.startswith("datasets/csec-training/") for path in changed)
    others = [p for p in changed if p.startswith("datasets/") and not p.startswith("datasets/csec-training/")
              and p.count("/") > 1 and not p.startswith(("datasets/topic/", "datasets/frequency/",
                                                         "datasets/publisher/", "datasets/updated/"))]
    assert others == []


def test_a_rebuild_loads_no_archive_and_matches_a_cold_build(tmp_path, monkeypatch):
    # Issue 12: archives never change, yet every build loaded each one again to gather its
    # page, and worked out every dataset's catalog facts anew. A rebuild with nothing changed
    # now reads both from the cache: no package under releases/ is loaded, the site-wide
    # outputs read each dataset's cached summary, the validation still loads each current
    # dataset (its audits run as before), and the site is byte for byte a cold build's. The wrappers count and still call
    # the real load_dataset in every module that loads a package during a build.
    from collections import Counter

    from tally.privacy import system, tables, validation
    from tally.privacy.checks import archived_release
    from tally.site import archive, generator
    from tally.site.discovery import outputs

    datasets = tmp_path / "datasets"
    loads = Counter()
    worked_out = []  # site-wide facts worked out from a package rather than read from its cached summary
    dataset_facts = outputs.dataset_facts

    def counted_facts(page, *args, **kwargs):
        worked_out.append(page.slug)
        return dataset_facts(page, *args, **kwargs)

    monkeypatch.setattr(outputs, "dataset_facts", counted_facts)
    for module in (archive, generator, validation, system, tables, archived_release):
        def counted(folder, *args, _real=module.load_dataset, **kwargs):
            loads[Path(folder).resolve().relative_to(datasets.resolve()).as_posix()] += 1
            return _real(folder, *args, **kwargs)
        monkeypatch.setattr(module, "load_dataset", counted)

    shutil.copytree(REPO / "datasets", datasets)
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    build_site(settings, tmp_path / "output")
    archives = sorted(f for f in loads if "/releases/" in f)
    assert archives, "a cold build loads the archives (or this counter counts nothing)"
    assert sorted(worked_out) == SAMPLE
    loads.clear()
    worked_out.clear()
    build_site(settings, tmp_path / "output", force=True)  # a real rebuild, not the up-to-date shortcut
    assert sorted(f for f in loads if "/releases/" in f) == []
    assert worked_out == []
    assert loads == {name: 1 for name in SAMPLE}

    cold = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                         TALLY_CACHE_PATH=str(tmp_path / "cold-cache"))
    build_site(cold, tmp_path / "cold")
    assert tree_differences(tmp_path / "output", tmp_path / "cold") == []


def test_a_rebuild_links_unchanged_downloads_and_charts_instead_of_writing_them(tmp_path, monkeypatch):
    # Issue 12: a forced rebuild wrote every download, chart and card again, then read each one
    # and the published one back to find they were the same. The generator now links a file it
    # would write as the published site has it; only Pelican's pages are left to compare.
    from tally.site import build

    shutil.copytree(REPO / "datasets", tmp_path / "datasets")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(tmp_path / "datasets"),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    output = build_site(settings, tmp_path / "output").output
    written = []

    def after_the_generator(new, old):
        written.extend(p.relative_to(new).as_posix() for p in new.rglob("*")
                       if p.is_file() and p.stat().st_ino != (old / p.relative_to(new)).stat().st_ino)
        return keep_unchanged(new, old)

    keep_unchanged = build.keep_unchanged
    monkeypatch.setattr(build, "keep_unchanged", after_the_generator)
    before = {p: p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    build_site(settings, output, force=True)
    assert {p: p.stat().st_ino for p in output.rglob("*") if p.is_file()} == before
    files = [p for p in before if p.suffix in (".png", ".svg", ".csv", ".xlsx", ".zip", ".json")]
    assert len(files) > 100
    assert [p for p in written if p.rsplit(".", 1)[-1] in ("png", "svg", "csv", "xlsx", "zip")] == []
