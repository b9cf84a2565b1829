"""staff/messages.py: no message of intake or suppress carries a cell's text (issue 13, problem 3).

Each case is a workbook staff really send wrong: two header labels swapped (the
counts land in a category column), a category not in the schema, a negative
count, a decimal count, a bad note code, a bad period. The message must name
row, column and rule; once the row numbers, the schema's own words and the
count of problems are taken out, no digit may be left in it.
"""

import re

import pytest

from tally.core.errors import TallyError
from tally.core.loading import load_dataset
from tally.staff import messages
from tally.staff.intake import intake
from tally.staff.suppress import suppress_raw

from staff_support import AGES, AREAS, FIRST_RESPONDER, copy_datasets, cross_tab, digest, quarter_values, write_xlsx
from support import age_total_descriptor, get_settings, write_package

RAW = """quarter,age_band,children
2024-Q1,Under 12,4
2024-Q1,12-14,25
2024-Q1,15-17,31
2024-Q1,All ages,60
"""

SAFE = [
    r"rows? \d+(?:(?: to |, | and )\d+)*",  # where: row numbers as staff see them
    r"\d+ problems", r"and \d+ more", r"header row \d+",
    r"\d{4}-Q\d", r"\d{4}-\d{2}-\d{2}",  # periods and example dates
    r"[A-Z]{1,2}\d+:[A-Z]{1,2}\d+",  # a cell range
    r"column [A-Z]{1,2}\b",
    r"\d+ to \d+",  # the rule's range ("a count from 1 to 10")
    r"\b0 (?:or more|when)",  # zero is never a small count
]


def scrubbed(message: str, levels=()) -> str:
    """The message with its row numbers, periods and the schema's own levels taken out."""
    for level in sorted(levels, key=len, reverse=True):
        message = message.replace(level, "")
    for pattern in SAFE:
        message = re.sub(pattern, "", message)
    return message


def assert_no_figure(message: str, levels=()) -> None:
    left = scrubbed(message, levels)
    assert not re.search(r"\d", left), f"a figure is in the message: {left!r}\nfull: {message}"


FIRST_RESPONDER_LEVELS = AGES + AREAS + ["All ages", "All areas", "Service Area"]


def first_responder_rows(change):
    rows = [list(r) for r in cross_tab(quarter_values())]
    change(rows)
    return rows


def swap_columns(rows):
    for row in rows:
        row[2], row[3] = row[3], row[2]


CASES = {
    "swapped-header-labels": (["Quarter", "Age band", "Children identified", "Service area"], lambda rows: None),
    "counts-under-a-category-header": (["Quarter", "Age band", "Service area", "Children identified"], swap_columns),
    "wrong-category": (None, lambda rows: rows[3].__setitem__(2, "Zone 47")),
    "negative-count": (None, lambda rows: rows[0].__setitem__(3, -37)),
    "decimal-count": (None, lambda rows: rows[0].__setitem__(3, 37.5)),
    "text-count": (None, lambda rows: rows[0].__setitem__(3, "about 37")),
    "bad-period": (None, lambda rows: rows[0].__setitem__(0, "Q7 37")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_intake_names_row_column_and_rule_never_the_cell(case, tmp_path):
    datasets = copy_datasets(tmp_path)
    header, change = CASES[case]
    rows = first_responder_rows(change)
    workbook = write_xlsx(tmp_path / "quarter.xlsx", rows, **({"header": header} if header else {}))
    before = digest(datasets)
    with pytest.raises(TallyError) as caught:
        intake(datasets / FIRST_RESPONDER, workbook, "2024-Q3", settings=get_settings(tmp_path))
    message = str(caught.value)
    assert re.search(r"rows? \d+[^:]*, column [A-D] \"", message), message
    assert_no_figure(message, FIRST_RESPONDER_LEVELS)
    assert digest(datasets) == before


def test_swapped_labels_say_which_rule_and_how_to_fix(tmp_path):
    datasets = copy_datasets(tmp_path)
    workbook = write_xlsx(tmp_path / "quarter.xlsx", first_responder_rows(swap_columns))
    with pytest.raises(TallyError) as caught:
        intake(datasets / FIRST_RESPONDER, workbook, "2024-Q3", settings=get_settings(tmp_path))
    assert 'column C "Service area": is not one of the categories Service Area 1' in str(caught.value)


SUPPRESS_CASES = {
    "swapped-header-labels": RAW.replace("quarter,age_band,children", "quarter,children,age_band"),
    "wrong-category": RAW.replace("2024-Q1,12-14,25", "2024-Q1,Ages 37,25"),
    "negative-count": RAW.replace("Under 12,4", "Under 12,-37"),
    "decimal-count": RAW.replace("Under 12,4", "Under 12,3.7"),
    "bad-code": RAW.replace("quarter,age_band,children", "quarter,age_band,children,children_note")
    .replace("\n2", ",\n2").replace("Under 12,4,", "Under 12,4,37"),
}


@pytest.mark.parametrize("case", sorted(SUPPRESS_CASES))
def test_suppress_names_row_column_and_rule_never_the_cell(case, tmp_path):
    write_package(tmp_path / "repo" / "datasets" / "minimal", age_total_descriptor(),
                  "quarter,age_band,children,children_note\n")
    dataset, _ = load_dataset(tmp_path / "repo" / "datasets" / "minimal")
    (tmp_path / "bad.csv").write_text(SUPPRESS_CASES[case])
    with pytest.raises(TallyError) as caught:
        suppress_raw(tmp_path / "bad.csv", dataset, get_settings(tmp_path))
    message = str(caught.value)
    assert re.search(r"row \d+, column [A-D] \"", message), message
    assert_no_figure(message, ["Under 12", "12-14", "15-17", "All ages"])


def test_a_header_label_with_figures_is_named_by_its_column():
    assert messages.label("Comments", "E") == '"Comments" (column E)'
    assert messages.label("37", "E") == "the label in column E"
    assert messages.cell(5, "B", "Age band", "is empty", "type the category") == \
        'row 5, column B "Age band": is empty; type the category'


def test_the_scrubber_does_find_a_figure():
    # The check above is only worth something if it would catch a quoted count.
    with pytest.raises(AssertionError):
        assert_no_figure('row 5, column C "Service area": "4" is not one of Service Area 1', FIRST_RESPONDER_LEVELS)
