"""Periods as Tally writes them (2024-Q3, 2024-07, 2024), and reading what staff type in a period column.

A spreadsheet's period cell may be a date (typed as text, or an Excel date
serial such as 45474): it becomes the period that contains it. A date that
reads two ways (7/8/2024: 8 July or 7 August) is accepted only when both
readings fall in the same period; otherwise it is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re

from tally.core.errors import PeriodError

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system (serial 1 = 1900-01-01, with its leap-day bug)
SERIALS = range(20000, 80000)  # 1954 to 2119: a bare number here in a period column is an Excel date
MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9

# How a period of each precision is written: the one grammar that the period-precision rule,
# `new` (the schema pattern it writes), intake and the metadata builders all use.
PATTERN = {"quarter": r"^([0-9]{4})-Q([1-4])$", "month": r"^([0-9]{4})-(0[1-9]|1[0-2])$", "year": r"^([0-9]{4})$"}
CANONICAL = {precision: re.compile(pattern) for precision, pattern in PATTERN.items()}
EXAMPLE = {"quarter": "2024-Q3", "month": "2024-07", "year": "2024"}


def precision_of(text: str) -> str | None:
    """The precision a period is written in ("quarter", "month", "year"), or None if it is not one."""
    return next((precision for precision, pattern in CANONICAL.items() if pattern.match(str(text))), None)


def index(period: str, precision: str) -> int:
    """A number that orders periods and makes the next one index + 1."""
    match = CANONICAL[precision].match(period)
    if not match:
        raise PeriodError(f'"{period}" is not written like {EXAMPLE[precision]}')
    year = int(match.group(1))
    if precision == "quarter":
        return year * 4 + int(match.group(2)) - 1
    if precision == "month":
        return year * 12 + int(match.group(2)) - 1
    return year


def from_index(number: int, precision: str) -> str:
    if precision == "quarter":
        return f"{number // 4}-Q{number % 4 + 1}"
    if precision == "month":
        return f"{number // 12}-{number % 12 + 1:02d}"
    return str(number)


def next_period(period: str, precision: str) -> str:
    return from_index(index(period, precision) + 1, precision)


def computed_from(kind: str, period: str, precision: str) -> list[str]:
    """The periods a `change` figure (this one and the one before) or a `year-to-date` figure (the year's
    periods up to this one) at `period` is computed from (issue 10)."""
    i = index(period, precision)
    if kind == "change":
        return [period, from_index(i - 1, precision)]
    per_year = {"quarter": 4, "month": 12, "year": 1}[precision]
    return [from_index(j, precision) for j in range(i - i % per_year, i + 1)]


def parse_range(text: str, precision: str) -> list[str]:
    """`2024-Q3` or `2023-Q1:2024-Q2` as the list of periods it covers, in order."""
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) > 2 or not all(parts):
        raise PeriodError(f'"{text}" is not a period or a range FIRST:LAST')
    for part in parts:
        if not CANONICAL[precision].match(part):
            raise PeriodError(f'"{part}" is not written like {EXAMPLE[precision]} (this dataset is {precision}ly)')
    first, last = index(parts[0], precision), index(parts[-1], precision)
    if last < first:
        raise PeriodError(f'the range "{text}" ends before it starts')
    return [from_index(i, precision) for i in range(first, last + 1)]


def of_date(date: dt.date, precision: str) -> str:
    """The period that contains a date."""
    if precision == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    if precision == "month":
        return f"{date.year}-{date.month:02d}"
    return str(date.year)


def read_cell(text: str, precision: str, wanted: list[str] | None = None) -> str:
    """The period a spreadsheet cell means; PeriodError when it is not one or is ambiguous.

    `wanted` (the periods staff asked for with --period) settles an ambiguous date: "10/1/2024"
    is 2024-Q4 (US) or 2024-Q1 (day first); asked for 2024-Q4, it is 2024-Q4.
    """
    value = re.sub(r"\s+", " ", str(text).strip())
    if CANONICAL[precision].match(value):
        return value
    periods = _readings(value, precision)
    if len(periods) > 1 and wanted and len(periods & set(wanted)) == 1:
        return (periods & set(wanted)).pop()
    example = wanted[0] if wanted else EXAMPLE[precision]
    if not periods and re.fullmatch(r"\d{4}", value) and precision != "year":
        raise PeriodError(f'"{value}" is a year, not a {precision}: write it like {example}',
                          f"is a year, not a {precision}: write it like {example}")
    if not periods:
        raise PeriodError(f'"{value}" is not a period: write it like {example}',
                          f"is not a period: write it like {example}")
    if len(periods) > 1:
        could = " or ".join(sorted(periods))
        raise PeriodError(f'"{value}" is ambiguous (it could be {could}); write it like {example}',
                          f"is an ambiguous date (it could be {could}); write it like {example}",
                          tuple(sorted(periods)))
    return periods.pop()


def _readings(value: str, precision: str) -> set[str]:
    lower = value.lower()
    # Quarters written other ways: 2024 Q3, 2024Q3, Q3 2024, Q3-2024, 3Q2024.
    quarter = (re.match(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$", lower) or re.match(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$", lower)
               or re.match(r"^([1-4])q\s*(\d{4})$", lower))
    if quarter:
        a, b = quarter.groups()
        year, q = (a, b) if len(a) == 4 else (b, a)
        if precision == "quarter":
            return {f"{year}-Q{q}"}
        if precision == "year":
            return {year}
        return set()  # a quarter is coarser than a month: no single month
    if re.fullmatch(r"\d+(\.0+)?", value):
        number = int(float(value))
        if number in SERIALS:
            return {of_date(EXCEL_EPOCH + dt.timedelta(days=number), precision)}
        if 1900 <= number <= 2200:
            return {str(number)} if precision == "year" else set()  # a year is not a quarter or a month
        return set()
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$", value)
    if iso:
        return _dates([(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))], precision)
    month = re.match(r"^(\d{4})[-/](\d{1,2})$", value)
    if month:
        return _dates([(int(month.group(1)), int(month.group(2)), 1)], precision)
    slash = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$", value)
    if slash:
        a, b, year = int(slash.group(1)), int(slash.group(2)), int(slash.group(3))
        year += 2000 if year < 100 else 0
        return _dates([(year, a, b), (year, b, a)], precision)  # US month/day, or day/month
    named = re.match(r"^(?:(\d{1,2})\s+)?([a-z]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})$", lower)
    if named and named.group(2) in MONTHS:
        day = int(named.group(1) or named.group(3) or 1)
        return _dates([(int(named.group(4)), MONTHS[named.group(2)], day)], precision)
    return set()


def _dates(candidates, precision: str) -> set[str]:
    found = set()
    for year, month, day in candidates:
        try:
            found.add(of_date(dt.date(year, month, day), precision))
        except ValueError:
            continue
    return found
