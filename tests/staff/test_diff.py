"""diff: what changed in the published packages, as Markdown; never a count below the threshold."""

import json
import re

import pytest

from tally.staff.diff import EMPTY_TREE, default_base, diff_packages, render
from tally.staff.intake import intake

from staff_support import AGES, AREAS, FIRST_RESPONDER, cross_tab, git, git_repo, publish, quarter_values, write_xlsx
from support import get_settings

SMALL = {str(n) for n in range(1, 11)}
CSV = f"datasets/{FIRST_RESPONDER}/data/identifications.csv"


@pytest.fixture
def repo(tmp_path):
    return git_repo(tmp_path)


def report(repo, base="HEAD", head=None):
    root, datasets = repo
    diffs = diff_packages(root, base, head, datasets)
    return diffs, render(diffs, base)


def table_cells(text, heading, column):
    """The cells of one column in the Markdown table under `heading` (until the next heading)."""
    section = text.split(heading, 1)[1]
    section = re.split(r"\n#{2,4} (?!\d{4}-Q)", section, maxsplit=1)[0]
    header = next(line for line in section.splitlines() if line.startswith("| ") and column in line)
    index = [c.strip() for c in header.strip("|").split("|")].index(column)
    rows = [line for line in section.splitlines() if line.startswith("| ") and line != header]
    return [[c.strip() for c in line.strip("|").split(" | ")][index] for line in rows]


def edit_csv(root, change):
    path = root / CSV
    path.write_text(change(path.read_text()))


def test_a_new_quarter_is_listed_row_by_row_and_no_small_count_appears(repo, tmp_path):
    root, datasets = repo
    values = quarter_values(small=(((AGES[1], AREAS[1]), 4), ((AGES[2], AREAS[3]), 9)))
    intake(datasets / FIRST_RESPONDER, write_xlsx(tmp_path / "q3.xlsx", cross_tab(values)), "2024-Q3",
           settings=get_settings(tmp_path))
    diffs, text = report(repo)

    assert [d.name for d in diffs] == [FIRST_RESPONDER]
    table = diffs[0].tables[0]
    assert {(r["age_band"], r["service_area"]) for r in table.added} == \
        {(a, r) for a in AGES + ["All ages"] for r in AREAS + ["All areas"]}
    assert table.periods_added == ["2024-Q3"] and table.periods_revised == [] and not table.changed
    assert "#### 2024-Q3 (new period)" in text
    ages = table_cells(text, "### Rows added to `identifications`", "Age band")
    areas = table_cells(text, "### Rows added to `identifications`", "Service area")
    assert sorted(zip(ages, areas)) == sorted((a, r) for a in AGES + ["All ages"] for r in AREAS + ["All areas"])
    counts = table_cells(text, "### Rows added to `identifications`", "Children identified")
    assert "suppressed" in counts and not SMALL & set(counts)
    assert "| Children identified | 207 (2024-Q2) | " in text  # headline before → after
    assert "the data changed but `version` is still 1.0.2" in text


def test_revised_and_newly_suppressed_figures_are_called_out(repo):
    root, _ = repo
    edit_csv(root, lambda t: t.replace("2023-Q1,15-17,Service Area 1,33,", "2023-Q1,15-17,Service Area 1,35,")
             .replace("2023-Q1,15-17,Service Area 2,28,", "2023-Q1,15-17,Service Area 2,,S"))
    diffs, text = report(repo)
    table = diffs[0].tables[0]
    assert table.periods_revised == ["2023-Q1"] and table.periods_added == []
    assert "### Revised figures in `identifications` (published before)" in text
    assert "| 2023-Q1 | 15-17 · Service Area 1 | Children identified | 33 | 35 |" in text
    assert "| 2023-Q1 | 15-17 · Service Area 2 | Children identified | 28 | suppressed |" in text


def test_a_raw_small_count_committed_by_mistake_is_never_shown(repo):
    root, datasets = repo
    edit_csv(root, lambda t: t.replace("2023-Q1,12-14,Service Area 2,,S", "2023-Q1,12-14,Service Area 2,7,"))
    diffs, text = report(repo)
    assert diffs[0].tables[0].small == 1
    assert "fewer than 11 (not publishable)" in text and "must never be published" in text
    for line in text.splitlines():
        if "Service Area 2" in line:
            assert not SMALL & {c.strip() for c in line.split("|")}, line
    result = publish("diff", "HEAD", "--check", "--datasets", datasets, cwd=root)
    assert result.returncode == 1 and "raw small count" in result.stderr
    assert "| 7 |" not in result.stdout


def test_metadata_schema_and_archive_changes(repo):
    root, datasets = repo
    descriptor_path = datasets / FIRST_RESPONDER / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    descriptor["title"] = "Children identified | first <responder>"
    descriptor["resources"][0]["schema"]["fields"][1]["description"] = "Changed."
    descriptor_path.write_text(json.dumps(descriptor, indent=2))
    archived = datasets / FIRST_RESPONDER / "releases" / "v1.0.0" / "data" / "identifications.csv"
    archived.write_text(archived.read_text().replace(",14,", ",15,", 1))
    diffs, text = report(repo)
    assert ("title", "Children identified under the first-responder protocol",
            "Children identified | first <responder>") in diffs[0].metadata
    assert "Children identified \\| first &lt;responder&gt;" in text  # escaped for a GitHub comment
    assert "`identifications`: field `age_band` description:" in text
    assert diffs[0].archives_changed == ["v1.0.0"] and "must never change" in text
    result = publish("diff", "--check", "--datasets", datasets, cwd=root)
    assert result.returncode == 1


def test_an_added_and_a_removed_dataset(repo):
    root, datasets = repo
    git(root, "mv", f"datasets/{FIRST_RESPONDER}", "datasets/renamed")
    diffs, text = report(repo)
    assert {(d.name, d.status) for d in diffs} == {(FIRST_RESPONDER, "removed"), ("renamed", "added")}
    assert "*new dataset, version 1.0.2*" in text and "*removed (was version 1.0.2)*" in text


def test_nothing_changed(repo):
    diffs, text = report(repo)
    assert diffs == [] and "No dataset changed." in text


def test_default_base_is_the_merge_base_with_main_else_the_last_commit(repo, tmp_path):
    root, _ = repo
    first = git(root, "rev-parse", "HEAD").strip()
    assert default_base(root) == (EMPTY_TREE, "nothing (no earlier commit)")
    git(root, "checkout", "-q", "-b", "quarter")
    edit_csv(root, lambda t: t + "2024-Q3,Under 12,Service Area 1,0,\n")
    git(root, "commit", "-q", "-am", "more")
    assert default_base(root)[0] == first  # on a branch: where it left main
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "quarter")
    assert default_base(root)[0] == first  # on main, clean: the commit before


def test_cli_writes_the_report_to_a_file(repo, tmp_path):
    root, datasets = repo
    edit_csv(root, lambda t: t.replace("2023-Q1,15-17,Service Area 1,33,", "2023-Q1,15-17,Service Area 1,35,"))
    result = publish("diff", "HEAD", "--output", tmp_path / "diff.md", "--datasets", datasets, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "ok: wrote the report on 1 changed dataset(s)" in result.stdout
    assert "### Revised figures" in (tmp_path / "diff.md").read_text()


def test_cli_outside_a_repository_says_so(tmp_path):
    from staff_support import copy_datasets

    result = publish("diff", "--datasets", copy_datasets(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and "error: git:" in result.stderr and "Traceback" not in result.stderr


def test_check_refuses_data_changed_without_a_release(repo, tmp_path):
    root, datasets = repo
    edit_csv(root, lambda t: t.replace("2023-Q1,15-17,Service Area 1,33,", "2023-Q1,15-17,Service Area 1,35,"))
    result = publish("diff", "HEAD", "--check", "--datasets", datasets, cwd=root)
    assert result.returncode == 1 and "without a release" in result.stderr
    assert "the data changed but `version` is still 1.0.2" in result.stdout


def test_a_raised_threshold_hides_every_figure_below_it(repo):
    # Issue 9: with tally:disclosure.threshold 15 the headline printed "12 (2024-Q2)" while the cell
    # table said "fewer than 15": a pull-request comment on a public repository is public.
    root, datasets = repo
    descriptor_path = datasets / FIRST_RESPONDER / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    descriptor["tally:disclosure"] = {"threshold": 15}
    descriptor_path.write_text(json.dumps(descriptor, indent=2))
    latest = max(line.split(",")[0] for line in (root / CSV).read_text().splitlines()[1:])
    edit_csv(root, lambda t: re.sub(rf"^{latest},All ages,All areas,\d+,\w*$", f"{latest},All ages,All areas,12,",
                                    t, flags=re.M))
    diffs, text = report(repo)
    assert diffs[0].tables[0].policy.threshold == 15
    assert "fewer than 15 (not publishable)" in text
    cells = [c.strip() for line in text.splitlines() if line.startswith("|") for c in line.split("|")]
    assert not {c for c in cells if re.fullmatch(r"1[1-4]", c.split(" ")[0])}, text
