"""A build with nothing changed writes nothing and returns at once; any change builds (issue 12)."""

import json
import shutil

import pytest

from tally.core.errors import ValidationFailed
from tally.site import build, freshness
from tally.site.build import build_site, load_settings

from support import REPO, publish, tree_bytes, write_package


@pytest.fixture
def inputs(tmp_path):
    """A site's inputs copied into tmp_path (datasets, content, theme, a plugin folder), and its settings."""
    write_package(tmp_path / "datasets" / "good")
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "theme", tmp_path / "theme")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "extra.py").write_text("VALUE = 1\n")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(tmp_path / "datasets"),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"), PATH=str(tmp_path / "content"),
                             THEME=str(tmp_path / "theme"),
                             PLUGIN_PATHS=[str(REPO / "plugins"), str(tmp_path / "plugins")])
    return tmp_path, settings


def edit_data(root):
    path = root / "datasets" / "good" / "data" / "identifications.csv"
    path.write_text(path.read_text().replace("2024-Q2", "2024-Q3"))


def add_release(root):
    (root / "datasets" / "good" / "releases").mkdir()
    (root / "datasets" / "good" / "releases" / "notes.md").write_text("an archived file\n")


def edit_content(root):
    page = next((root / "content").rglob("*.md"))
    page.write_text(page.read_text() + "\nOne more line.\n")


def edit_template(root):
    template = root / "theme" / "templates" / "base.html"
    template.write_text(template.read_text() + "\n")


def edit_plugin(root):
    (root / "plugins" / "extra.py").write_text("VALUE = 2\n")


@pytest.mark.parametrize("change", [edit_data, add_release, edit_content, edit_template, edit_plugin])
def test_every_input_a_build_reads_is_in_the_inputs_digest(inputs, change):
    root, settings = inputs
    before = freshness.inputs_digest(settings)
    assert freshness.inputs_digest(settings) == before  # the same inputs hash the same
    change(root)
    assert freshness.inputs_digest(settings) != before


def test_settings_and_the_environment_are_inputs(inputs, monkeypatch):
    root, settings = inputs
    before = freshness.inputs_digest(settings)
    assert freshness.inputs_digest({**settings, "SITEURL": "https://elsewhere.example"}) != before
    assert freshness.inputs_digest({**settings, "TALLY_THRESHOLD": 20}) != before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert freshness.inputs_digest(settings) != before


def test_files_python_writes_beside_code_are_not_inputs(inputs):
    root, settings = inputs
    before = freshness.inputs_digest(settings)
    (root / "plugins" / "__pycache__").mkdir()
    (root / "plugins" / "__pycache__" / "extra.cpython-311.pyc").write_bytes(b"compiled")
    assert freshness.inputs_digest(settings) == before


def test_a_rebuild_with_nothing_changed_validates_nothing_and_writes_nothing(inputs, monkeypatch):
    root, settings = inputs
    output = root / "output"
    first = build_site(settings, output)
    assert not first.up_to_date
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output.rglob("*")}
    calls = []
    monkeypatch.setattr(build, "validate", lambda *a, **k: calls.append(a) or pytest.fail("validated"))
    again = build_site(settings, output)
    assert again.up_to_date and calls == []
    assert (again.files, again.datasets) == (first.files, first.datasets)
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in output.rglob("*")} == stamps


@pytest.mark.parametrize("tamper", ["edit", "remove", "add"])
def test_an_output_changed_by_hand_is_built_again(inputs, tamper):
    root, settings = inputs
    output = root / "output"
    build_site(settings, output)
    built = tree_bytes(output)
    page = output / "datasets" / "good" / "index.html"
    if tamper == "edit":
        page.write_text(page.read_text().replace("</body>", "<p>defaced</p></body>"))
    elif tamper == "remove":
        page.unlink()
    else:
        (output / "datasets" / "good" / "extra.csv").write_text("age,count\n")
    result = build_site(settings, output)
    assert not result.up_to_date
    assert tree_bytes(output) == built


def test_a_changed_input_is_built_and_force_always_builds(inputs):
    root, settings = inputs
    output = root / "output"
    build_site(settings, output)
    edit_data(root)
    assert not build_site(settings, output).up_to_date
    assert "2024-Q3" in (output / "datasets" / "good" / "identifications.csv").read_text()
    assert build_site(settings, output).up_to_date
    assert not build_site(settings, output, force=True).up_to_date


def test_a_failed_build_is_never_taken_for_an_up_to_date_one(inputs):
    # The record is kept only after a successful swap: a build refused by validation, then
    # the same inputs again, is refused again rather than skipped.
    root, settings = inputs
    output = root / "output"
    build_site(settings, output)
    descriptor = root / "datasets" / "good" / "datapackage.json"
    broken = json.loads(descriptor.read_text())
    broken["resources"][0]["schema"]["fields"].append({"name": "missing", "type": "integer"})
    descriptor.write_text(json.dumps(broken))
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            build_site(settings, output)


def test_the_cli_says_nothing_changed(tmp_path):
    datasets = tmp_path / "datasets"
    write_package(datasets / "good")
    output = tmp_path / "output"
    args = ("build", "--datasets", datasets, "--output", output)
    assert publish(*args).returncode == 0
    again = publish(*args)
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the last build" in again.stdout
    forced = publish(*args, "--force")
    assert forced.returncode == 0 and "built 1 dataset(s)" in forced.stdout
