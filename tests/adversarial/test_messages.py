"""Messages never carry a count (issue 10, class 8): a swapped header must not echo the figure it finds."""

from __future__ import annotations

import pytest

from tally.core.errors import TallyError
from tally.staff.intake import intake

from staff_support import write_xlsx
from support import get_settings, write_package


def test_intake_with_swapped_headers_names_the_column_not_the_count(tmp_path):
    datasets = tmp_path / "datasets"
    write_package(datasets / "minimal")
    workbook = write_xlsx(tmp_path / "q3.xlsx", [["2024-Q3", 4, "Under 15"], ["2024-Q3", 7, "15-17"]],
                          header=["Quarter", "Age band", "Children identified"])
    with pytest.raises(TallyError) as caught:
        intake(datasets / "minimal", workbook, "2024-Q3", settings=get_settings(tmp_path))
    text = str(caught.value)
    assert "age_band" in text or "Age band" in text
    assert '"4"' not in text and '"7"' not in text and "not one of the categories" in text


# A raw count typed one column off: into the count's note column, or into a category column (the columns of a
# hand-edited CSV shifted). Frictionless quotes the cell in its message and annotation-consistency repeated the
# note's text, so `validate` printed the count the row was hiding (red team, session 3).
SHIFTED = """quarter,age_band,children,children_note
2024-Q1,Under 15,12,
2024-Q1,15-17,,7
2024-Q2,Under 15,14,
2024-Q2,9,0,
8,15-17,,S
"""


@pytest.mark.parametrize("json", [False, True], ids=["text", "json"])
def test_validate_never_repeats_a_count_typed_into_another_column(tmp_path, capsys, json):
    from publish import main

    write_package(tmp_path / "datasets" / "minimal", csv=SHIFTED)
    code = main(["validate", "--datasets", str(tmp_path / "datasets")] + (["--json"] if json else []))
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1 and "children_note" in text and "age_band" in text and "quarter" in text
    assert not any(f'"{n}"' in text or f'\\"{n}\\"' in text for n in (7, 8, 9))
