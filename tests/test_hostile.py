"""Hostile input (issue 14): a pull request that tries to write, fetch, run or exhaust.

Each case gives one clear message naming the file and what to fix, exit 1, no
traceback, and leaves the output folder as it was. The end-to-end cases run
publish.py in a subprocess, as CI would.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from tally.core.errors import ValidationFailed
from tally.core.paths import RESERVED_DATASET_NAMES, UnsafePath
from tally.core.releases import release_folder
from tally.privacy.validation import validate
from tally.site.discovery.facets import FACETS, UPDATED_PATH
from tally.site.downloads import dataset_downloads

from support import (
    REPO,
    archive_package,
    build_good_site,
    get_settings,
    minimal_descriptor,
    publish,
    tree_bytes,
    write_package,
)


def problems(tmp_path, descriptor=None, folder="minimal", **package):
    write_package(tmp_path / "datasets" / folder, descriptor, **package)
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    return report.problems


@pytest.fixture
def site(tmp_path):
    """A good dataset built into output/, to check a later bad build leaves it alone."""
    return build_good_site(tmp_path)


def assert_refused(result, *expected):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


# -- 1. names that become paths ------------------------------------------------------------

HOSTILE_NAMES = ["../../../../../tmp/pwned", "/etc/pwned", "a/b", "..", "ｐｗｎｅｄ", "name\x00x", "a\nb",
                 "a\\..\\b", "Identifications", "x" * 101]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_resource_name_that_is_not_a_slug_is_refused(tmp_path, name):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["name"] = name
    descriptor["views"][0]["resources"] = [name]
    found = problems(tmp_path, descriptor)
    assert [p.rule for p in found] == ["unsafe-name"]
    assert found[0].field == "resources[0].name" and found[0].file.endswith("datapackage.json")
    assert "\n" not in found[0].message and "\x00" not in found[0].message


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_view_name_that_is_not_a_slug_is_refused(tmp_path, name):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["name"] = name
    assert [(p.rule, p.field) for p in problems(tmp_path, descriptor)] == [("unsafe-name", "views[0].name")]


@pytest.mark.parametrize("key, value", [("format", "../bashrc"), ("format", "a/b"), ("version", "1.0.0/../../x"),
                                        ("version", "../1")])
def test_formats_and_versions_that_reach_file_names_are_refused(tmp_path, key, value):
    descriptor = minimal_descriptor()
    (descriptor["resources"][0] if key == "format" else descriptor)[key] = value
    assert "unsafe-name" in [p.rule for p in problems(tmp_path, descriptor)]


@pytest.mark.parametrize("folder", ["v1.0.0", "dots.in.name", "ｆｕｌｌ", "-leading"])
def test_a_dataset_folder_that_is_not_a_slug_is_refused(tmp_path, folder):
    found = problems(tmp_path, folder=folder)
    assert [p.rule for p in found] == ["unsafe-name"]


@pytest.mark.parametrize("folder", sorted(RESERVED_DATASET_NAMES))
def test_reserved_names_are_refused_as_dataset_names(tmp_path, folder):
    found = problems(tmp_path, folder=folder)
    assert [p.rule for p in found] == ["reserved-name"]
    assert "reserved for a site page" in found[0].message


def test_every_site_page_under_datasets_has_a_reserved_name():
    assert {name for name, _ in FACETS} <= RESERVED_DATASET_NAMES
    assert UPDATED_PATH.split("/")[1] in RESERVED_DATASET_NAMES


def test_a_resource_named_to_escape_writes_nothing_anywhere(site, tmp_path):
    """Issue 14 problem 1: the name allowed `.` and `/`, and the build wrote pwned.csv outside output/."""
    datasets, output = site
    before = tree_bytes(output)
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["name"] = "../../../../../../../../" + str(tmp_path / "elsewhere" / "pwned")
    descriptor["views"][0]["resources"] = [descriptor["resources"][0]["name"]]
    write_package(datasets / "bad", descriptor)
    result = publish("build", "--datasets", datasets, "--output", output)
    assert_refused(result, "datapackage.json", "resources[0].name", "[unsafe-name]")
    assert tree_bytes(output) == before
    assert not (tmp_path / "elsewhere").exists()
    assert not list(tmp_path.rglob("pwned*"))


def test_a_non_tabular_resource_cannot_write_a_dotfile(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"].append({"name": "../../home/", "path": "data/notes.txt", "format": "bashrc"})
    folder = write_package(tmp_path / "datasets" / "minimal", descriptor)
    (folder / "data" / "notes.txt").write_text("echo pwned\n")
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert [p.field for p in report.problems] == ["resources[1].name"]


def test_a_nul_in_a_path_is_named_with_its_file(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["path"] = "data/identifications.csv\x00.txt"
    found = problems(tmp_path, descriptor)
    assert [p.rule for p in found] == ["unsafe-path"]
    assert "NUL byte" in found[0].message and found[0].file.endswith("datapackage.json")


def test_staff_commands_refuse_a_dataset_name_that_leaves_the_datasets_folder(tmp_path):
    write_package(tmp_path / "datasets" / "minimal")
    result = publish("release", "../datasets/minimal", "--datasets", tmp_path / "datasets")
    assert_refused(result, "is not a dataset name")


def test_descriptor_with_a_field_name_holding_a_newline_gives_one_line_per_problem(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["name"] = "evil\nerror: everything is fine"
    write_package(tmp_path / "datasets" / "minimal", descriptor)
    result = publish("validate", "--datasets", tmp_path / "datasets")
    assert_refused(result, "evil\\nerror")
    assert not any(line.startswith("error: everything") for line in result.stderr.splitlines())


def test_zip_entries_stay_in_their_folder(tmp_path):
    write_package(tmp_path / "datasets" / "minimal")
    _, datasets = validate(tmp_path / "datasets", get_settings(tmp_path))
    bundle = next(d for d in dataset_downloads(datasets[0]) if d.label == "ZIP")
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert all(n.startswith("minimal-1.0.0/") and ".." not in n for n in names)
    datasets[0].descriptor["version"] = "1.0.0/../../.."  # as if validation had been skipped
    with pytest.raises(UnsafePath):
        dataset_downloads(datasets[0])


# -- 2. the output folder --------------------------------------------------------------------

def test_build_into_the_repository_is_refused_and_nothing_is_deleted(tmp_path):
    """Issue 14 problem 2: `build --output .` replaced the whole clone, .git and datasets/ included."""
    repo = tmp_path / "clone"
    (repo / ".git").mkdir(parents=True)
    write_package(repo / "datasets" / "minimal")
    before = tree_bytes(repo)
    for output in (repo, repo / "datasets", repo / "datasets" / "minimal" / "site", tmp_path):
        result = publish("build", "--datasets", repo / "datasets", "--output", output, cwd=repo)
        assert_refused(result, f"--output {output}")
        assert tree_bytes(repo) == before


def test_build_into_a_folder_of_someone_elses_files_is_refused(tmp_path):
    important = tmp_path / "important"
    important.mkdir()
    (important / "thesis.tex").write_text("years of work")
    write_package(tmp_path / "datasets" / "minimal")
    result = publish("build", "--datasets", tmp_path / "datasets", "--output", important)
    assert_refused(result, "holds files a Tally build did not write")
    assert tree_bytes(important) == {"thesis.tex": b"years of work"}


def test_build_into_the_home_folder_is_refused(tmp_path, monkeypatch):
    from tally.site.build import BuildError, check_output, protected_folders

    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(BuildError, match="is or contains"):
        check_output(tmp_path, protected_folders(get_settings(tmp_path)))


def test_a_built_site_carries_the_marker_and_an_empty_folder_may_be_used(site, tmp_path):
    datasets, output = site
    assert (output / ".tally-site").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert publish("build", "--datasets", datasets, "--output", empty).returncode == 0
    assert (empty / "datasets" / "good" / "index.html").is_file()


def _settings(tmp_path):
    from tally.site.build import load_settings

    return load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(tmp_path / "datasets"),
                         TALLY_CACHE_PATH=str(tmp_path / "cache"))


@pytest.fixture
def built(tmp_path):
    from tally.site.build import build_site

    write_package(tmp_path / "datasets" / "minimal")
    settings = _settings(tmp_path)
    build_site(settings, tmp_path / "output")
    return settings, tmp_path / "output"


def test_the_swap_is_one_atomic_exchange_on_linux(built, tmp_path, monkeypatch):
    from tally.site import build

    settings, output = built
    calls = []
    real = build.exchange
    monkeypatch.setattr(build, "exchange", lambda a, b: calls.append((a, b)) or real(a, b))
    monkeypatch.setattr(build.Path, "rename", lambda *a: pytest.fail("fell back to two renames"))
    build.build_site(settings, output, force=True)  # nothing changed: only --force builds
    assert len(calls) == 1 and (output / ".tally-site").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "datasets", "output"]


@pytest.mark.parametrize("failing_call", [1, 2])
def test_the_fallback_swap_leaves_the_previous_site_on_a_failed_rename(built, tmp_path, monkeypatch, failing_call):
    from tally.site import build

    settings, output = built
    before = tree_bytes(output)
    (tmp_path / "datasets" / "minimal" / "datapackage.json").write_text(
        (tmp_path / "datasets" / "minimal" / "datapackage.json").read_text().replace("Minimal example", "Changed"))
    monkeypatch.setattr(build, "exchange", lambda a, b: False)  # a file system without RENAME_EXCHANGE
    real, calls = build.Path.rename, []

    def rename(self, target):
        calls.append(self)
        if len(calls) == failing_call:
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(build.Path, "rename", rename)
    with pytest.raises(build.BuildError, match="No space left on device"):
        build.build_site(settings, output)
    monkeypatch.undo()
    assert tree_bytes(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "datasets", "output"]


def test_a_full_disk_during_the_build_names_the_file_and_leaves_the_site(built, tmp_path, monkeypatch):
    import errno
    import pathlib

    from tally.site.build import BuildError, build_site

    settings, output = built
    before = tree_bytes(output)
    real = pathlib.Path.write_bytes

    def write_bytes(self, data):
        if self.suffix == ".xlsx":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    def copyfile(source, target, **options):
        # Downloads are copied from the cache (issue 12); shutil names the file it read, not the one it wrote.
        if str(target).endswith(".xlsx"):
            raise OSError(errno.ENOSPC, "No space left on device", str(source), None, str(target))
        return real_copy(source, target, **options)

    def link(source, target, **options):
        # An unchanged file is linked to the published one (unchanged.py); a full disk refuses that too.
        if str(target).endswith(".xlsx"):
            raise OSError(errno.ENOSPC, "No space left on device", str(source), None, str(target))
        return real_link(source, target, **options)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    real_copy, real_link = shutil.copyfile, os.link
    monkeypatch.setattr(shutil, "copyfile", copyfile)
    monkeypatch.setattr(os, "link", link)
    written = r"No space left on device \(.*/datasets/minimal/identifications\.xlsx\); .* was left as it was"
    with pytest.raises(BuildError, match=written):
        build_site(settings, output, force=True)  # nothing changed: only --force builds
    monkeypatch.undo()
    assert tree_bytes(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "datasets", "output"]


def test_a_build_killed_between_the_fallback_renames_is_repaired_by_the_next(built, tmp_path):
    from tally.site.build import build_site

    settings, output = built
    before = tree_bytes(output)
    output.rename(tmp_path / ".output.old-99999")  # the state a kill between the renames leaves
    (tmp_path / ".output.building-99998").mkdir()
    (tmp_path / "datasets" / "minimal" / "data" / "identifications.csv").write_text("broken\n")
    with pytest.raises(ValidationFailed):
        build_site(settings, output)
    assert tree_bytes(output) == before  # the previous site is back even though this build failed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "datasets", "output"]


def test_a_second_build_at_the_same_time_is_refused_with_a_clear_message(built, tmp_path):
    import fcntl
    import os

    from tally.site.build import BuildError, build_site

    settings, output = built
    before = tree_bytes(output)
    handle = os.open(tmp_path / ".output.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as a running build holds it
    try:
        with pytest.raises(BuildError, match="another build into .* is running"):
            build_site(settings, output)
    finally:
        os.close(handle)
    assert tree_bytes(output) == before
    build_site(settings, output)  # the lock is gone with its holder
    assert not (tmp_path / ".output.lock").exists()


# -- 3. links and chart specs --------------------------------------------------------------

@pytest.mark.parametrize("change, expected", [
    (lambda d: d["licenses"][0].__setitem__("path", "javascript:alert(1)"), "[url-scheme]"),
    (lambda d: d["views"].__setitem__(0, {"name": "pixel", "resources": ["identifications"], "specType": "vega-lite",
                                          "spec": {"mark": "image", "encoding": {
                                              "url": {"value": "https://tracker.example/p.png"}}}}),
     "[vega-lite-spec]"),
])
def test_a_script_link_or_a_third_party_request_stops_the_build(site, change, expected):
    datasets, output = site
    before = tree_bytes(output)
    descriptor = minimal_descriptor()
    change(descriptor)
    write_package(datasets / "bad", descriptor)
    result = publish("build", "--datasets", datasets, "--output", output)
    assert_refused(result, expected, "datapackage.json")
    assert tree_bytes(output) == before


# -- 4. limits ----------------------------------------------------------------------------------

ALIAS_BOMB = "\n".join(["name: bomb", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                       + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                          f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
                          for i in range(8)] + ["resources: [*i]"]) + "\n"


def _big_header_line(folder, size=50 * 1024 * 1024):
    with open(folder / "data" / "identifications.csv", "wb") as out:
        out.write(b"quarter,age_band,children,children_note")
        chunk = b"x" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(b"\n2024-Q1,Under 15,12,\n")


def _big_cell(folder, size=50 * 1024 * 1024):
    with open(folder / "data" / "identifications.csv", "wb") as out:
        out.write(b'quarter,age_band,children,children_note\n2024-Q1,"')
        line = b"y" * 1023 + b"\n"  # short lines: only the cell, quoted across them, is large
        for _ in range(size // len(line)):
            out.write(line)
        out.write(b'",12,\n')


@pytest.mark.parametrize("case, expected", [
    ("alias-bomb", "aliases (*name) are not allowed"),
    ("deep-json", "TALLY_MAX_NESTING"),
    ("deep-yaml", "TALLY_MAX_NESTING"),
    ("big-descriptor", "TALLY_MAX_DESCRIPTOR_BYTES"),
    ("long-line", "TALLY_MAX_LINE_BYTES"),
    ("big-cell", "TALLY_MAX_CELL_CHARS"),
])
def test_a_package_built_to_exhaust_the_machine_is_refused_with_the_limit_named(tmp_path, case, expected):
    folder = write_package(tmp_path / "datasets" / "minimal")
    descriptor = folder / "datapackage.json"
    if case == "alias-bomb":
        descriptor.unlink()
        (folder / "datapackage.yaml").write_text(ALIAS_BOMB)
    elif case == "deep-json":
        descriptor.write_text('{"name": "deep", "x": ' + "[" * 10000 + "]" * 10000 + "}")
    elif case == "deep-yaml":
        descriptor.unlink()
        (folder / "datapackage.yaml").write_text("name: deep\nx: " + "[" * 5000 + "]" * 5000 + "\n")
    elif case == "big-descriptor":
        descriptor.write_text(descriptor.read_text()[:-2] + ', "padding": "' + "z" * 3_000_000 + '"}')
    elif case == "long-line":
        _big_header_line(folder)
    else:
        _big_cell(folder)
    result = publish("validate", "--datasets", tmp_path / "datasets")
    assert_refused(result, expected)
    assert max(len(line) for line in result.stderr.splitlines()) < 400  # nothing is echoed whole


def test_more_rows_or_columns_than_the_limits_are_refused(tmp_path):
    write_package(tmp_path / "datasets" / "minimal")
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path, TALLY_MAX_ROWS=3))
    assert [(p.rule, p.row, p.resource) for p in report.problems] == [("limit-rows", 5, "identifications")]
    assert "TALLY_MAX_ROWS" in report.problems[0].message
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path, TALLY_MAX_COLUMNS=3))
    assert [(p.rule, p.row) for p in report.problems] == [("limit-columns", 1)]


def test_a_resource_larger_than_the_site_accepts_is_refused_before_it_is_read(tmp_path):
    # A sparse file: 150 MB by its size, nothing on disk. Read line by line it would be refused
    # for its first line (TALLY_MAX_LINE_BYTES); read whole it would take 150 MB. The size is
    # asked of the file system first, so the message names the file and the setting (issue 12).
    folder = write_package(tmp_path / "datasets" / "minimal")
    data = folder / "data" / "identifications.csv"
    with open(data, "r+b") as handle:
        handle.truncate(150_000_000)
    result = publish("validate", "--datasets", tmp_path / "datasets")
    assert_refused(result, "minimal/data/identifications.csv", "[limit-resource-bytes]",
                   "150,000,000 bytes, more than 100,000,000 (TALLY_MAX_RESOURCE_BYTES)",
                   "raise TALLY_MAX_RESOURCE_BYTES")
    assert "TALLY_MAX_LINE_BYTES" not in result.stderr
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path, TALLY_MAX_RESOURCE_BYTES=200_000_000))
    assert [p.rule for p in report.problems] == ["limit-line-bytes"]  # the limit is the setting's


PEAK = """
import resource, sys
sys.path.insert(0, {tests!r})
from tally.privacy.validation import validate
from support import get_settings
report, _ = validate({datasets!r}, get_settings(TALLY_CACHE_PATH={cache!r}))
assert not report.valid or {good!r}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_kib(tmp_path, datasets, good):
    code = PEAK.format(tests=str(REPO / "tests"), datasets=str(datasets), cache=str(tmp_path / "cache"), good=good)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "plugins")})
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_the_size_limits_hold_memory_to_a_bound(tmp_path):
    """A 50 MB header line, a 50 MB cell and an alias bomb each cost less than 64 MB over a normal package."""
    write_package(tmp_path / "good" / "minimal")
    baseline = _peak_kib(tmp_path, tmp_path / "good", True)
    for case, make in (("line", _big_header_line), ("cell", _big_cell)):
        _peak = _peak_kib(tmp_path, make_case(tmp_path / case, make), False)
        assert _peak - baseline < 64 * 1024, (case, baseline, _peak)
    bomb = write_package(tmp_path / "bomb" / "minimal")
    (bomb / "datapackage.json").unlink()
    (bomb / "datapackage.yaml").write_text(ALIAS_BOMB)
    assert _peak_kib(tmp_path, tmp_path / "bomb", False) - baseline < 64 * 1024


def make_case(root, make):
    folder = write_package(root / "minimal")
    make(folder)
    return root


def test_a_chart_too_large_to_draw_is_refused_naming_dataset_and_view(tmp_path):
    rows = "".join(f"{2000 + i // 4}-Q{i % 4 + 1},Under 15,12,\n" for i in range(40))
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"].update({"mark": "bar", "x": "age_band", "color": "quarter"})
    write_package(tmp_path / "datasets" / "minimal", descriptor, csv="quarter,age_band,children,children_note\n" + rows)
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path, TALLY_MAX_CHART_CATEGORIES=30))
    assert [(p.rule, p.field) for p in report.problems] == [("chart-size", "quarter")]
    assert 'view "by-quarter" would draw 40 values of "quarter"' in report.problems[0].message


# -- 5. silent loss -------------------------------------------------------------------------

def test_a_misnamed_descriptor_is_refused_and_its_archive_is_not_published_as_a_dataset(tmp_path):
    """Issue 14: datapackage.JSON made the dataset vanish and published releases/v1.0.0 at /datasets/v1.0.0/."""
    folder = write_package(tmp_path / "datasets" / "minimal")
    archive = write_package(folder / "releases" / "v1.0.0")
    (folder / "datapackage.json").rename(folder / "datapackage.JSON")
    report, datasets = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert datasets == [] and report.datasets == ["minimal"]
    assert [(p.rule, p.file.endswith("datapackage.JSON")) for p in report.problems] == [("descriptor-name", True)]
    assert "rename it to datapackage.json" in report.problems[0].hint
    assert archive.is_dir()


def test_an_orphan_releases_folder_is_never_a_dataset(tmp_path):
    write_package(tmp_path / "datasets" / "minimal" / "releases" / "v1.0.0")
    report, datasets = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert datasets == [] and [p.rule for p in report.problems] == ["unsafe-name"]


def test_a_field_name_holding_a_newline_cannot_forge_a_line_of_the_report(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][1]["name"] = "age_band\nok: 5 dataset(s) valid"
    write_package(tmp_path / "datasets" / "minimal", descriptor)
    result = publish("validate", "--datasets", tmp_path / "datasets")
    assert_refused(result)
    assert not [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("ok:")]
    assert "\\nok: 5" in result.stderr


# -- 6. end to end: each attack stops the build, names the file, leaves output/ as it was -------

def _misnamed(folder):
    (folder / "datapackage.json").rename(folder / "datapackage.JSON")


def _nul_path(folder):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["path"] = "data/identifications.csv\x00"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))


def _archive_ahead(folder):
    descriptor = {**minimal_descriptor(), "version": "1.1.0"}
    archive_package(folder, descriptor, release_folder(folder, "1.1.0"))


def _alias_bomb(folder):
    (folder / "datapackage.json").unlink()
    (folder / "datapackage.yaml").write_text(ALIAS_BOMB)


@pytest.mark.parametrize("name, attack, expected", [
    ("topic", None, "[reserved-name]"),
    ("updated", None, "[reserved-name]"),
    ("bad", _misnamed, "[descriptor-name]"),
    ("bad", _nul_path, "NUL byte"),
    ("bad", _archive_ahead, "[archive-version]"),
    ("bad", _alias_bomb, "aliases (*name) are not allowed"),
])
def test_each_attack_stops_the_build_and_leaves_the_site(site, name, attack, expected):
    datasets, output = site
    before = tree_bytes(output)
    folder = write_package(datasets / name)
    if attack:
        attack(folder)
    result = publish("build", "--datasets", datasets, "--output", output)
    assert_refused(result, expected)
    assert tree_bytes(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["datasets", "output"]
