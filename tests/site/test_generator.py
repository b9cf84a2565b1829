"""site/generator.py and register(): `pelican content` runs Tally's generator, which fails the build on any error."""

import os
import re
import shutil
import subprocess
import sys

from tally.site.build import build_site, load_settings

from support import REPO, tree_bytes, tree_differences, write_package


def test_pelican_command_fails_on_invalid_data(tmp_path):
    datasets = tmp_path / "datasets"
    write_package(datasets / "minimal", csv="quarter,age_band,children,children_note\n2024-Q1,Under 15,lots,\n")
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(tmp_path / "out"),
         "-e", f'TALLY_DATASETS_PATH="{datasets}"', f'TALLY_CACHE_PATH="{tmp_path / "cache"}"'],
        cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert "ValidationFailed" in result.stderr + result.stdout


def test_pelican_command_fails_when_the_plugin_cannot_load(tmp_path):
    # A copy of the site whose plugin is broken must not exit 0 with the datasets missing.
    copy = tmp_path / "site"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", "output", ".cache", ".git", "tests"))
    (copy / "plugins" / "tally" / "__init__.py").write_text("raise ImportError('broken plugin')\n")
    # The copy's own plugin, as a clone with its own editable install would import it.
    env = {**os.environ, "PYTHONPATH": str(copy / "plugins")}
    result = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(tmp_path / "o")],
                            cwd=copy, capture_output=True, text=True, env=env)
    assert result.returncode != 0


def test_the_site_does_not_depend_on_how_many_workers_drew_it(tmp_path, monkeypatch):
    # Issue 12: datasets are validated and drawn, with their archived releases and the rates
    # their counts divide by, in a process pool (TALLY_WORKERS); one worker or two, and a cold
    # or a warm cache, must give the same bytes in every file. Equal trees prove nothing if a
    # build drew no chart, or if the two-worker build did the work itself: both are checked.
    from tally.core.workers import PARALLEL_FROM
    from tally.privacy import validation
    from tally.privacy.checks import site
    from tally.site import archive

    datasets = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", datasets)  # archives, and rates dividing by child-population
    samples = sorted(p for p in datasets.iterdir() if (p / "datapackage.json").is_file())
    for number in range(PARALLEL_FROM - len(samples)):
        shutil.copytree(samples[number], datasets / f"{samples[number].name}-copy")
    names = sorted(p.name for p in datasets.iterdir() if (p / "datapackage.json").is_file())
    in_build = {"validated": 0, "tables read": 0, "archives loaded": 0}
    check_dataset, read_tables, load_archive = validation.check_dataset, site.dataset_pieces, archive.load_dataset
    monkeypatch.setattr(validation, "check_dataset", lambda *a, **k: in_build.update(
        validated=in_build["validated"] + 1) or check_dataset(*a, **k))
    monkeypatch.setattr(site, "dataset_pieces", lambda *a, **k: in_build.update(
        {"tables read": in_build["tables read"] + 1}) or read_tables(*a, **k))
    monkeypatch.setattr(archive, "load_dataset", lambda *a, **k: in_build.update(
        {"archives loaded": in_build["archives loaded"] + 1}) or load_archive(*a, **k))
    outputs, done_here = [], []
    for workers, cache in ((1, "one"), (2, "two"), (2, "two")):
        settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                                 TALLY_CACHE_PATH=str(tmp_path / cache), TALLY_WORKERS=workers)
        outputs.append(build_site(settings, tmp_path / f"out-{len(outputs)}").output)
        done_here.append(dict(in_build))
        in_build.update(dict.fromkeys(in_build, 0))
    # Each worker leaves a "drawn" entry for the dataset it drew (generator._draw_dataset).
    marks = [p for p in (tmp_path / "two").rglob("*") if p.is_file() and p.read_bytes() == b"drawn"]
    assert len(marks) == len(names), "the two-worker build did not draw in its workers"
    assert all(done_here[0][work] >= len(names) for work in ("validated", "tables read"))
    assert done_here[0]["archives loaded"] > 0
    assert set(done_here[1].values()) == {0}, "the workers left work to the build"
    for output in outputs:
        for name in names:
            svgs = list((output / "datasets" / name / "charts").glob("*.svg"))
            assert svgs and all(re.search(r'd="M[\d.]+,[\d.]+', svg.read_text(encoding="utf-8")) for svg in svgs)
        assert list(output.glob("datasets/*/v*/charts/*.png")), "no archived release was drawn"
    assert len(tree_bytes(outputs[0])) > 10 * len(names)
    for other in outputs[1:]:
        assert tree_differences(outputs[0], other) == []


def test_a_second_page_at_the_same_address_stops_the_build(tmp_path):
    # The generator renders its pages itself (issue 12: so an unchanged page is linked, not
    # written); two pages at one address must still fail, as Pelican's writer made them.
    import jinja2
    import pytest

    from tally.core.errors import BuildError
    from tally.site.generator import TallyGenerator

    settings = load_settings(REPO / "pelicanconf.py", TALLY_CACHE_PATH=str(tmp_path / "cache"))
    generator = TallyGenerator({}, settings, str(tmp_path), settings["THEME"], str(tmp_path / "out"))
    generator.get_template = lambda name: jinja2.Template("{{ output_file }}: {{ words }}")
    generator.pages_written, generator.folders_made = set(), set()
    generator.write_page("datasets/a/index.html", "dataset", words="first")
    assert (tmp_path / "out" / "datasets" / "a" / "index.html").read_text() == "datasets/a/index.html: first"
    with pytest.raises(BuildError, match="two pages would be written at datasets/a/index.html"):
        generator.write_page("datasets/a/index.html", "dataset", words="second")
    assert (tmp_path / "out" / "datasets" / "a" / "index.html").read_text().endswith("first")
