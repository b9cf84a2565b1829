"""Calendar-year totals on a quarterly dataset's page and in a CSV of their own (issue 11).

The figures come from privacy/derived.py, which totals only years whose every
quarter is published and audits them; this module only words and writes them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from tally.privacy.derived import AnnualTable, annual_totals
from tally.privacy.policy import Policy
from tally.site.dictionary import display_cell
from tally.site.downloads import neutralise


@dataclass
class AnnualView:
    """One measure's year totals as the page shows them, and the CSV that holds them."""

    title: str
    headers: list[str]  # the dimensions' titles, then one column per year
    rows: list[list[str]]
    filename: str
    content: bytes
    dimension_count: int = 0  # the first columns name the series; the rest are years


def annual_views(dataset, policy: Policy) -> list[AnnualView]:
    """The year-total tables of every quarterly or monthly count of `dataset`."""
    views = []
    for resource in dataset.tabular_resources:
        tables = annual_totals(resource, policy)
        for table in tables:
            measure = resource.field(table.measure)
            titles = [resource.field(n).title for n in table.dimensions]
            rows = []
            for series in table.series:
                cells = [table.cell(series, y) for y in table.years]
                rows.append(list(series) + [display_cell(resource, table.measure, c.value, c.code, status=True)
                                            if c else "" for c in cells])
            stem = resource.name if len(tables) == 1 else f"{resource.name}-{table.measure}"
            views.append(AnnualView(f"{measure.title} per calendar year", titles + list(table.years), rows,
                                    f"{stem}-annual.csv", _csv(resource, table), len(titles)))
    return views


def _csv(resource, table: AnnualTable) -> bytes:
    """dimensions, year, the total and its note (S, N, P, R or empty), one row per series and year."""
    measure = resource.field(table.measure)
    note = measure.annotation or f"{table.measure}_note"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*table.dimensions, "year", table.measure, note])
    for c in table.cells:
        writer.writerow([neutralise(str(v)) for v in c.series] + [c.year, "" if c.value is None else c.value, c.code])
    return buffer.getvalue().encode("utf-8")
