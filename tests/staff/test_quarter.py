"""Done when (issue 4): a staff member's next quarter goes template → intake → validate → release → diff,
and the built site shows the new quarter, the new version's archive and its changelog entry."""

import csv
import io
import re

import openpyxl

from tally.site.build import build_site, load_settings

from staff_support import AGES, AREAS, FIRST_RESPONDER, git, git_repo, publish, quarter_values
from support import REPO

SMALL = {str(n) for n in range(1, 11)}


def fill(path, values):
    """What the staff member does in Excel: type each count, and the totals."""
    book = openpyxl.load_workbook(path)
    data = book["Data"]
    for r in range(2, data.max_row + 1):
        age, area = data.cell(r, 2).value, data.cell(r, 3).value
        if age is None:
            continue
        ages = AGES if age == "All ages" else [age]
        areas = AREAS if area == "All areas" else [area]
        data.cell(r, 4).value = sum(values[(a, s)] for a in ages for s in areas)
    book.save(path)


def test_a_quarter_from_workbook_to_published_release(tmp_path):
    repo, datasets = git_repo(tmp_path)
    staff = tmp_path / "staff"  # the staff member's own folder, outside the repository
    staff.mkdir()
    values = quarter_values(small=(((AGES[1], AREAS[1]), 4), ((AGES[3], AREAS[0]), 8)))
    common = ("--datasets", datasets)

    made = publish("template", FIRST_RESPONDER, "--output", staff / "q3.xlsx", *common, cwd=repo)
    assert made.returncode == 0, made.stderr
    fill(staff / "q3.xlsx", values)
    steps = [
        ("intake", staff / "q3.xlsx", "--dataset", FIRST_RESPONDER, "--period", "2024-Q3"),
        ("validate",),
        ("release", FIRST_RESPONDER, "--date", "2024-11-15", "--next-update", "2025-02-15"),
        ("diff", "main", "--output", staff / "diff.md", "--check"),
    ]
    for step in steps:
        result = publish(*step, *common, cwd=repo)
        assert result.returncode == 0, (step, result.stderr)

    # The published file: the new quarter, suppressed; no count from 1 to 10 anywhere.
    data = (datasets / FIRST_RESPONDER / "data" / "identifications.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(data)))
    new = [r for r in rows if r["quarter"] == "2024-Q3"]
    assert len(new) == 25 and all(r["children"] not in SMALL for r in rows)
    assert {"children": "", "children_flag": "S"}.items() <= next(
        r for r in new if (r["age_band"], r["service_area"]) == (AGES[1], AREAS[1])).items()

    # The diff names exactly the 25 rows added, and nothing else changed.
    report = (staff / "diff.md").read_text()
    section = report.split("### Rows added to `identifications`", 1)[1].split("\n### ", 1)[0]
    assert "#### 2024-Q3 (new period)" in section
    listed = [tuple(c.strip() for c in line.strip("|").split("|"))[:2] for line in section.splitlines()
              if line.startswith("| ") and not line.startswith("| Age band")]
    assert sorted(listed) == sorted((a, s) for a in AGES + ["All ages"] for s in AREAS + ["All areas"])
    assert "Revised figures" not in report and "Rows removed" not in report
    assert "*version 1.0.2 → 1.1.0*" in report and "**1.1.0** (2024-11-15, release): Added 2024-Q3." in report
    cells = [c.strip() for line in section.splitlines() for c in line.split("|")[3:4]]
    assert not SMALL & set(cells)

    # The built site: new quarter on the dataset page, the release history, and the archived release.
    git(repo, "add", "datasets")
    git(repo, "commit", "-q", "-m", "Add 2024-Q3")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(datasets),
                             TALLY_CACHE_PATH=str(tmp_path / "cache"))
    site = build_site(settings, tmp_path / "output").output
    page = (site / "datasets" / FIRST_RESPONDER / "index.html").read_text()
    assert re.findall(r'class="kf-period">([^<]*)<', page) == ["2024-Q3"]  # the headline is the new quarter's
    assert "2023-Q1 to 2024-Q3" in page and "2025-02-15" in page
    history = re.search(r'<li><a href="/datasets/first-responder-identifications/v1\.1\.0/">[^<]*1\.1\.0</a>(.*?)</li>',
                        page, re.S)
    assert history and "2024-11-15" in history.group(1) and "Added 2024-Q3." in history.group(1)
    archive = site / "datasets" / FIRST_RESPONDER / "v1.1.0"
    assert "version 1.1.0" in (archive / "index.html").read_text()
    assert (archive / "identifications.csv").read_text() == data
    old = (site / "datasets" / FIRST_RESPONDER / "v1.0.0" / "identifications.csv").read_text()
    assert "2024-Q3" not in old  # the earlier release is served as it was
    assert (site / "datasets" / FIRST_RESPONDER / "identifications.csv").read_text() == data


def test_every_staff_command_has_help_with_examples_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for section in ("## Adding a quarter", "## Adding a dataset", "## Correcting published figures",
                    "## Publishing to another host"):
        assert section in readme
    for command in ("intake", "release", "diff", "new", "template"):
        result = publish(command, "--help")
        assert result.returncode == 0 and "example" in result.stdout, command
        assert f"publish.py {command} " in readme, command
