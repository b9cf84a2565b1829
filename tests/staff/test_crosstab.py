"""intake on the sheets counties really send (issue 13, problem 6): cross-tabs, local category names, extra
columns, text dates that only --period settles. Synthetic figures, built here."""


import pytest

from tally.core.errors import IntakeError
from tally.staff.intake import intake

from staff_support import (
    AGES,
    AREAS,
    FIRST_RESPONDER,
    copy_datasets,
    cross_tab,
    csv_rows,
    digest,
    publish,
    quarter_values,
    write_xlsx,
)
from support import get_settings


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def take(datasets, tmp_path, workbook, period="2024-Q3", **options):
    return intake(datasets / FIRST_RESPONDER, workbook, period, settings=get_settings(tmp_path), **options)


def written(datasets, period="2024-Q3"):
    path = datasets / FIRST_RESPONDER / "data" / "identifications.csv"
    return {(r["age_band"], r["service_area"]): (r["children"], r["children_flag"]) for r in csv_rows(path)
            if r["quarter"] == period}


def long_form_result(datasets, tmp_path):
    """What the same quarter gives from the long sheet, in a separate copy."""
    other = copy_datasets(tmp_path / "long")
    take(other, tmp_path, write_xlsx(tmp_path / "long.xlsx", cross_tab(quarter_values())))
    return written(other)


def cross_tab_sheet(values, areas=AREAS + ["All areas"], title=True):
    rows = []
    for age in AGES + ["All ages"]:
        ages = AGES if age == "All ages" else [age]
        line = [age]
        for area in AREAS + ["All areas"]:
            wanted = AREAS if area == "All areas" else [area]
            line.append(sum(values[(a, r)] for a in ages for r in wanted))
        rows.append(line)
    return rows, ["Age band", *areas]


def test_a_cross_tab_sheet_is_taken_in_as_one_row_per_area(datasets, tmp_path):
    rows, header = cross_tab_sheet(quarter_values())
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows, header=header, title_rows=["Children identified, Q3 2024"])
    result = take(datasets, tmp_path, workbook)
    assert result.rows == 25 and any("cross-tab" in n for n in result.notes)
    assert written(datasets) == long_form_result(datasets, tmp_path)


def test_a_cross_tab_message_names_the_cell_staff_see(datasets, tmp_path):
    values = quarter_values()
    rows, header = cross_tab_sheet(values)
    rows[1][3] = "n/a"  # age 12-14, Service Area 3: sheet row 3, column D
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows, header=header)
    with pytest.raises(IntakeError) as caught:
        take(datasets, tmp_path, workbook)
    assert 'row 3, column D "Children identified"' in str(caught.value)


def test_an_extra_column_is_refused_unless_ignored_by_name(datasets, tmp_path):
    rows = [row + ["checked by J. Doe"] for row in cross_tab(quarter_values())]
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows, header=["Quarter", "Age band", "Service area",
                                                            "Children identified", "Comments"])
    before = digest(datasets)
    with pytest.raises(IntakeError) as caught:
        take(datasets, tmp_path, workbook)
    assert "--ignore-column" in str(caught.value) and digest(datasets) == before
    result = take(datasets, tmp_path, workbook, ignore_columns=["comments"])
    assert 'ignored column "Comments" (column E) (--ignore-column)' in result.notes
    assert "J. Doe" not in (datasets / FIRST_RESPONDER / "data" / "identifications.csv").read_text()


def test_an_ambiguous_text_date_is_settled_by_period(datasets, tmp_path):
    # "10/1/2024" is 2024-Q4 read US-style and 2024-Q1 day-first: --period 2024-Q4 settles it. The dataset
    # ends at 2024-Q2, so add Q3 first.
    take(datasets, tmp_path, write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values())))
    rows = [["10/1/2024", a, r, n] for _, a, r, n in cross_tab(quarter_values(), "2024-Q4")]
    result = take(datasets, tmp_path, write_xlsx(tmp_path / "q4.xlsx", rows), "2024-Q4")
    assert result.added == ["2024-Q4"] and len(written(datasets, "2024-Q4")) == 25


def test_one_message_not_25_for_the_same_problem_in_every_row(datasets, tmp_path):
    rows = [["7/1/2024", a, r, n] for _, a, r, n in cross_tab(quarter_values())]
    with pytest.raises(IntakeError) as caught:
        take(datasets, tmp_path, write_xlsx(tmp_path / "q3.xlsx", rows), "2024-Q2", replace=True)
    message = str(caught.value)
    assert 'rows 2 to 26, column A "Quarter": is an ambiguous date (it could be 2024-Q1 or 2024-Q3); ' \
           "write it like 2024-Q2" in message
    assert message.count("ambiguous") == 1


def test_cli_ignore_column(datasets, tmp_path):
    rows = [row + ["ok"] for row in cross_tab(quarter_values())]
    workbook = write_xlsx(tmp_path / "q3.xlsx", rows, header=["Quarter", "Age band", "Service area",
                                                            "Children identified", "Comments"])
    result = publish("intake", workbook, "--dataset", FIRST_RESPONDER, "--period", "2024-Q3", "--ignore-column",
                     "Comments", "--datasets", datasets, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ignored column" in result.stdout
