"""intake --replace (issue 13, problem 2): a preview first, --yes to write, R only on released figures.

Following intake's own hint used to overwrite a published quarter with the next
quarter's figures, mark figures that were never released R, and say "revised"
when nothing changed.
"""

import pytest

from tally.core.errors import IntakeError, ReleaseError, TallyError
from tally.staff.intake import intake
from tally.staff.release import release

from staff_support import FIRST_RESPONDER, copy_datasets, cross_tab, csv_rows, digest, publish, quarter_values, write_xlsx
from support import get_settings

TRAINING = "csec-training"
TRAINING_HEADER = ["Quarter", "Department", "Classes", "People trained"]


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def training_sheet(datasets, tmp_path, period="2024-Q1", change=(), drop_period=False):
    """The training rows of `period` as they are published, with `change` {row index: added people}."""
    rows = [[r["quarter"], r["department"], r["classes"], r["people_trained"]]
            for r in csv_rows(datasets / TRAINING / "data" / "training.csv") if r["quarter"] == period]
    for i, extra in dict(change).items():
        rows[i][3] = int(rows[i][3]) + extra
    header = TRAINING_HEADER
    if drop_period:
        rows, header = [r[1:] for r in rows], TRAINING_HEADER[1:]
    return write_xlsx(tmp_path / "sheet.xlsx", rows, header=header)


def take(datasets, tmp_path, workbook, period, name=TRAINING, **options):
    return intake(datasets / name, workbook, period, settings=get_settings(tmp_path), **options)


def test_replace_without_yes_shows_what_would_change_and_writes_nothing(datasets, tmp_path):
    workbook = training_sheet(datasets, tmp_path, change={0: 20, 2: 35})
    before = digest(datasets)
    result = take(datasets, tmp_path, workbook, "2024-Q1", replace=True)
    assert result.status == "preview" and result.files == []
    published = sum(1 for r in csv_rows(datasets / TRAINING / "data" / "training.csv") if r["quarter"] == "2024-Q1"
                    for name in ("classes", "people_trained") if r[name] != "")
    assert result.preview.sentence() == f"2 of {published} published values would change"
    assert digest(datasets) == before


def test_replace_with_yes_writes_and_marks_only_changed_released_figures(datasets, tmp_path):
    workbook = training_sheet(datasets, tmp_path, change={0: 20})
    result = take(datasets, tmp_path, workbook, "2024-Q1", replace=True, confirm=True)
    assert result.status == "written" and result.released == ["2024-Q1"]
    rows = [r for r in csv_rows(datasets / TRAINING / "data" / "training.csv") if r["quarter"] == "2024-Q1"]
    assert [r["people_trained_flag"] for r in rows].count("R") == 1


def test_the_same_figures_again_write_nothing_and_say_so(datasets, tmp_path):
    before = digest(datasets)
    result = take(datasets, tmp_path, training_sheet(datasets, tmp_path), "2024-Q1", replace=True, confirm=True)
    assert result.status == "unchanged" and result.preview.changed == 0
    assert digest(datasets) == before


def test_a_period_never_released_is_replaced_without_r(datasets, tmp_path):
    first = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    take(datasets, tmp_path, first, "2024-Q3", name=FIRST_RESPONDER)
    values = quarter_values()
    values[("Under 12", "Service Area 1")] += 5
    second = write_xlsx(tmp_path / "q3-fixed.xlsx", cross_tab(values))
    result = take(datasets, tmp_path, second, "2024-Q3", name=FIRST_RESPONDER, replace=True, confirm=True)
    assert result.status == "written" and result.released == []
    rows = [r for r in csv_rows(datasets / FIRST_RESPONDER / "data" / "identifications.csv")
            if r["quarter"] == "2024-Q3"]
    assert "R" not in {r["children_flag"] for r in rows}


def test_the_next_quarters_sheet_given_a_published_period_is_asked_about(datasets, tmp_path):
    # The case: a sheet with no period column, the latest quarter's --period by mistake.
    workbook = training_sheet(datasets, tmp_path, change={0: 6, 1: 8}, drop_period=True)
    before = digest(datasets)
    with pytest.raises(IntakeError) as caught:
        take(datasets, tmp_path, workbook, "2024-Q2")
    message = str(caught.value)
    assert "is the sheet for the next period? Then run intake with --period 2024-Q3" in message
    assert digest(datasets) == before


def test_cli_replace_prints_the_preview_and_exits_1_until_yes(datasets, tmp_path):
    workbook = training_sheet(datasets, tmp_path, change={0: 20})
    before = digest(datasets)
    shown = publish("intake", workbook, "--dataset", TRAINING, "--period", "2024-Q1", "--replace",
                    "--datasets", datasets, cwd=tmp_path)
    assert shown.returncode == 1 and "1 of " in shown.stdout and "published values would change" in shown.stdout
    assert "--yes" in shown.stderr and digest(datasets) == before
    done = publish("intake", workbook, "--dataset", TRAINING, "--period", "2024-Q1", "--replace", "--yes",
                   "--datasets", datasets, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "revises figures published in 2024-Q1" in done.stdout and digest(datasets) != before
    again = publish("intake", workbook, "--dataset", TRAINING, "--period", "2024-Q1", "--replace", "--yes",
                    "--datasets", datasets, cwd=tmp_path)
    assert again.returncode == 0 and "nothing was written" in again.stdout and "revis" not in again.stdout


@pytest.mark.parametrize("next_update", ["2024-11-15", "2024-10-01"])
def test_next_update_must_be_after_the_release_date(datasets, tmp_path, next_update):
    take(datasets, tmp_path, training_sheet(datasets, tmp_path, change={0: 20}), "2024-Q1", replace=True,
         confirm=True)
    before = digest(datasets)
    with pytest.raises(ReleaseError, match="is not after the release date 2024-11-15"):
        release(datasets / TRAINING, settings=get_settings(tmp_path), date="2024-11-15", next_update=next_update)
    assert digest(datasets) == before


def test_no_tally_error_is_a_traceback(datasets, tmp_path):
    assert issubclass(IntakeError, TallyError) and issubclass(ReleaseError, TallyError)
