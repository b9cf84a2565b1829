"""Helpers for the staff-workflow tests: a copy of the sample datasets and staff workbooks built in tmp_path."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl

from tally.core.cache import folder_digest

from support import REPO
from support import publish as publish  # the staff tests import it from here

AGES = ["Under 12", "12-14", "15-17", "Unknown age"]
AREAS = ["Service Area 1", "Service Area 2", "Service Area 3", "Service Area 4"]
FIRST_RESPONDER = "first-responder-identifications"
HEADER = ["Quarter", "Age band", "Service area", "Children identified"]

# A raw table for the minimal package (age bands with an "All ages" total), as staff hand it to
# suppress: the 4 must be hidden, with one complement in its quarter.
RAW = """quarter,age_band,children
2024-Q1,Under 12,4
2024-Q1,12-14,25
2024-Q1,15-17,31
2024-Q1,All ages,60
2024-Q2,Under 12,0
2024-Q2,12-14,14
2024-Q2,15-17,27
2024-Q2,All ages,41
"""


def copy_datasets(tmp_path: Path) -> Path:
    """A private copy of the sample datasets (with their archived releases)."""
    target = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", target)
    return target


def digest(folder: Path) -> str:
    """A hash of every file under `folder`: equal before and after means nothing was written."""
    return folder_digest(folder)


def cross_tab(values: dict, period: str = "2024-Q3") -> list[list]:
    """The 25 first-responder rows for one quarter, "All" totals included, from {(age, area): count}."""
    rows = []
    for age in AGES + ["All ages"]:
        for area in AREAS + ["All areas"]:
            ages = AGES if age == "All ages" else [age]
            areas = AREAS if area == "All areas" else [area]
            rows.append([period, age, area, sum(values[(a, r)] for a in ages for r in areas)])
    return rows


def quarter_values(small=((("12-14", "Service Area 2"), 4),)) -> dict:
    """Counts for the 16 inner cells: mostly large, with the given small ones."""
    base = [14, 22, 31, 18, 25, 40, 19, 27, 33, 28, 45, 21, 12, 16, 24, 30]
    values = {(a, r): base[i * 4 + j] for i, a in enumerate(AGES) for j, r in enumerate(AREAS)}
    for key, value in small:
        values[key] = value
    return values


def write_xlsx(path: Path, rows: list[list], *, title_rows=(), header=HEADER, footer=(), sheet="Data",
               extra_sheets=()) -> Path:
    """A workbook as staff send them: optional title rows above the header, footer notes below."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for title in title_rows:
        ws.append(list(title) if isinstance(title, (list, tuple)) else [title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for note in footer:
        ws.append([note])
    for name, state in extra_sheets:
        other = book.create_sheet(name)
        other.append(["Quarter", "Age band", "Service area", "Children identified"])
        other.append(["2024-Q3", "Under 12", "Service Area 1", 3])
        other.sheet_state = state
    book.save(path)
    return path


def csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.gov", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.gov", "PATH": "/usr/bin:/bin", "HOME": "/tmp"}


def git(repo: Path, *args) -> str:
    result = subprocess.run(["git", "-C", str(repo), *map(str, args)], capture_output=True, text=True, env=GIT_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def git_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository on branch main holding a copy of the sample datasets, committed."""
    repo = tmp_path / "site"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    datasets = copy_datasets(repo)
    git(repo, "add", "datasets")
    git(repo, "commit", "-q", "-m", "published")
    return repo, datasets
