"""Raw figures never leave the analyst's machine (issue 13, problems 3 and 4).

.gitignore keeps spreadsheets and tables outside datasets/ out; the pre-commit hook `make site` installs
refuses raw-looking files anywhere; `diff --check` (CI) refuses them too, compares the data with the current
version's archive byte for byte, and refuses a version or changelog that went back; `release` explains a
conflicted or stale descriptor.
"""

import os
import shutil
import subprocess
import sys

import pytest

from tally.staff.rawfiles import raw_looking

from staff_support import FIRST_RESPONDER, GIT_ENV, copy_datasets, git, git_repo, publish
from support import REPO

CSV = f"datasets/{FIRST_RESPONDER}/data/identifications.csv"
RAW = "quarter,age_band,service_area,children\n2024-Q3,12-14,Service Area 2,4\n"


def test_raw_looking_files_are_found_and_published_ones_are_not(tmp_path):
    copy_datasets(tmp_path)
    paths = [CSV, f"datasets/{FIRST_RESPONDER}/releases/v1.1.0/data/identifications.csv", "raw/q3.csv",
             f"datasets/{FIRST_RESPONDER}/raw/q3.csv", "q3.xlsx", "notes/q3.ods", "tests/fixtures/a.xls", "README.md"]
    found = {line.split(":")[0] for line in raw_looking(tmp_path, paths)}
    assert found == {"raw/q3.csv", f"datasets/{FIRST_RESPONDER}/raw/q3.csv", "q3.xlsx", "notes/q3.ods"}


def ignored(repo, path) -> bool:
    return subprocess.run(["git", "-C", str(repo), "check-ignore", "-q", "--no-index", path], env=GIT_ENV).returncode == 0


@pytest.mark.parametrize("path, expected", [("raw/q3.csv", True), ("q3.csv", True), ("Q3 figures.xlsx", True),
                                            ("old/q3.xls", True), ("q3.ods", True), ("export.tsv", True),
                                            (CSV, False), ("tests/fixtures/workbooks/a.xls", False),
                                            (".tally-transaction/journal.json", True)])
def test_gitignore_keeps_spreadsheets_and_tables_outside_datasets_out(tmp_path, path, expected):
    git(tmp_path, "init", "-q")
    shutil.copy(REPO / ".gitignore", tmp_path / ".gitignore")
    assert ignored(tmp_path, path) == expected


@pytest.fixture
def hooked(tmp_path):
    """A clone-like repository where `make hooks` (run by `make site`) installed the pre-commit hook."""
    repo, datasets = git_repo(tmp_path)
    shutil.copytree(REPO / ".githooks", repo / ".githooks")
    shutil.copy(REPO / "Makefile", repo / "Makefile")
    (repo / ".venv" / "bin").mkdir(parents=True)
    wrapper = repo / ".venv" / "bin" / "python"  # this test's interpreter, as the clone's .venv would be
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    made = subprocess.run(["make", "-s", "hooks"], cwd=repo, capture_output=True, text=True, env=GIT_ENV)
    assert made.returncode == 0, made.stderr
    assert os.access(repo / ".git" / "hooks" / "pre-commit", os.X_OK)
    return repo


def commit(repo, *paths):
    env = {**GIT_ENV, "PYTHONPATH": str(REPO / "plugins")}
    subprocess.run(["git", "-C", str(repo), "add", "-f", *paths], check=True, env=env)
    return subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", "add"], capture_output=True, text=True,
                          env=env)


@pytest.mark.parametrize("path", ["raw/q3.csv", f"datasets/{FIRST_RESPONDER}/raw/q3.csv", "q3.xlsx"])
def test_the_pre_commit_hook_refuses_a_raw_file_anywhere(hooked, path):
    (hooked / path).parent.mkdir(parents=True, exist_ok=True)
    (hooked / path).write_text(RAW)
    result = commit(hooked, path)
    assert result.returncode == 1 and path in result.stderr and "raw counts" in result.stderr
    assert "4" not in result.stderr.replace(path, "")  # names the file, never its figures


def test_the_pre_commit_hook_lets_a_published_file_through(hooked):
    (hooked / "README.md").write_text("notes\n")
    assert commit(hooked, "README.md").returncode == 0


def test_diff_check_refuses_a_raw_file_in_the_repository(tmp_path):
    repo, datasets = git_repo(tmp_path)
    (repo / "raw").mkdir()
    (repo / "raw" / "q3.csv").write_text(RAW)
    git(repo, "add", "-f", "raw/q3.csv")
    result = publish("diff", "HEAD", "--check", "--datasets", datasets, cwd=repo)
    assert result.returncode == 1 and "raw/q3.csv" in result.stderr
