"""periods: the next period, ranges, and what staff type in a period column."""

import pytest

from tally.core.periods import PeriodError, next_period, parse_range, read_cell


@pytest.mark.parametrize("period, precision, expected", [("2024-Q4", "quarter", "2025-Q1"), ("2024-Q1", "quarter", "2024-Q2"),
                                                         ("2024-12", "month", "2025-01"), ("2024", "year", "2025")])
def test_next_period(period, precision, expected):
    assert next_period(period, precision) == expected


def test_ranges():
    assert parse_range("2023-Q4:2024-Q2", "quarter") == ["2023-Q4", "2024-Q1", "2024-Q2"]
    assert parse_range("2024-Q3", "quarter") == ["2024-Q3"]
    with pytest.raises(PeriodError, match="ends before it starts"):
        parse_range("2024-Q3:2024-Q1", "quarter")
    with pytest.raises(PeriodError, match="not written like 2024-07"):
        parse_range("2024-Q3", "month")


@pytest.mark.parametrize("cell, expected", [
    ("2024-Q3", "2024-Q3"), ("2024 q3", "2024-Q3"), ("Q3 2024", "2024-Q3"), ("3Q2024", "2024-Q3"),
    ("2024-07-01", "2024-Q3"), ("2024-09-30 00:00:00", "2024-Q3"), ("45474", "2024-Q3"), ("45474.0", "2024-Q3"),
    ("8/9/2024", "2024-Q3"), ("31/8/2024", "2024-Q3"), ("Jul 2024", "2024-Q3"), ("July 15, 2024", "2024-Q3"),
    ("2024-07", "2024-Q3"), ("1 October 2024", "2024-Q4")])
def test_cells_that_mean_one_quarter(cell, expected):
    assert read_cell(cell, "quarter") == expected


@pytest.mark.parametrize("cell, says", [("7/1/2024", "ambiguous"), ("2024", "is a year, not a quarter"),
                                        ("third quarter", "is not a period"), ("2024-13-01", "is not a period"),
                                        ("12", "is not a period")])
def test_cells_that_are_refused(cell, says):
    with pytest.raises(PeriodError, match=says):
        read_cell(cell, "quarter")


def test_month_and_year_precision():
    assert read_cell("2024-07-15", "month") == "2024-07"
    assert read_cell("45474", "year") == "2024"
    assert read_cell("2024 Q3", "year") == "2024"
    with pytest.raises(PeriodError):
        read_cell("2024 Q3", "month")  # a quarter is not one month
