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
