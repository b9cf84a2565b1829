"""No period finer than the dataset allows, and no dates (DESIGN.md "Disclosure control" 5).

A count by day or by exact date narrows a child down to an event; quarters are
the default finest period (TALLY_PERIOD_PRECISION; a dataset may make it
coarser with `tally:disclosure.periodPrecision`). Each period value must be
written as its precision says (`2024-Q3`, `2024`, `2024-07`).
"""

from __future__ import annotations

from tally.core.periods import CANONICAL, EXAMPLE
from tally.core.settings import PERIOD_PRECISIONS
from tally.privacy.checks.base import Audit
from tally.privacy.policy import Policy

# Frictionless types that are themselves a period of some precision (or finer than any).
TYPE_PRECISION = {"year": "year", "yearmonth": "month"}
DATE_TYPES = ("date", "datetime", "time", "duration")
VALUES_SHOWN = 5  # wrongly written values reported per field before a count


class PeriodPrecision(Audit):
    type = "period-precision"
    title = "Period finer than allowed"
    description = ("No `date`, `datetime`, `time` or `duration` field; no `tally:period` finer than the dataset "
                   "allows (TALLY_PERIOD_PRECISION, quarter by default); every period value written as its "
                   "precision says (2024-Q3, 2024, 2024-07).")
    hint = "aggregate the figures to the allowed period (e.g. quarters) and write the period as text like 2024-Q3"
    profiles = ("sensitive",)

    def audit(self, dataset):
        allowed = Policy.of(dataset, self.settings).period_precision
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                where = f'resource "{resource.name}": field "{f.name}"'
                if f.type in DATE_TYPES:
                    yield self.problem(dataset, f"{where} is of type {f.type}, finer than a period", field=f.name)
                    continue
                precision = f.period or TYPE_PRECISION.get(f.type)
                if precision is None:
                    continue
                if precision not in PERIOD_PRECISIONS:
                    yield self.problem(dataset, f'{where} has `tally:period` "{precision}"', field=f.name,
                                       hint=f"use one of {', '.join(PERIOD_PRECISIONS)}")
                    continue
                if PERIOD_PRECISIONS.index(precision) > PERIOD_PRECISIONS.index(allowed):
                    yield self.problem(dataset, f'{where} is by {precision}, finer than this dataset allows '
                                                f'("{allowed}")', field=f.name)
                    continue
                if f.period:
                    yield from self._values(dataset, resource, f, precision)

    def _values(self, dataset, resource, f, precision):
        pattern = CANONICAL[precision]
        bad = 0
        for number, value in _column(resource, f.name):
            if value is None or pattern.match(str(value)):
                continue
            bad += 1
            if bad <= VALUES_SHOWN:
                # A bare number is not quoted: it may be a count typed one column off (red team, session 3).
                what = "a period written as a bare number" if str(value).strip().isdigit() else f'period "{value}"'
                yield self.problem(dataset, f'{what} is not a {precision} written like '
                                            f"{EXAMPLE[precision]}", resource=resource, row=number, field=f.name)
        if bad > VALUES_SHOWN:
            yield self.problem(dataset, f"... and {bad - VALUES_SHOWN} more period value(s) not written like "
                                        f"{EXAMPLE[precision]}", resource=resource, field=f.name)


def _column(resource, name):
    """(row number, value) of one field; nothing when the file cannot be read (frictionless says why)."""
    from tally.privacy.tables import read_rows

    try:
        return [(number, row.get(name)) for number, row in read_rows(resource)]
    except Exception:  # noqa: BLE001 - an unreadable table is reported by frictionless's own checks
        return []
