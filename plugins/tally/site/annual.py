"""Calendar-year totals, and rates per 100,000, on a quarterly dataset's page and in a CSV (issue 11).

The figures come from privacy/derived_figures.py, which totals only years whose every
quarter is published, audits them, and divides only published totals by
publishable denominators; this module only words and writes them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from tally.core.annotations import CODES
from tally.privacy.derived_figures import RATE_SCALE, AnnualTable, annual_rates, annual_totals, denominator_of
from tally.privacy.policy import Policy
from tally.site.dictionary import display_cell
from tally.site.downloads import neutralise


@dataclass
class RatesView:
    """A measure's rates per 100,000 by year, and the denominator every rate divides by."""

    title: str
    per: str  # "per 100,000 children"
    rows: list[list[str]]
    denominator: str  # "Child population by ... (source), 2023 figures for 2023"
    denominator_url: str
    denominator_version: str = ""  # the version of the denominator's dataset the rates divide by


@dataclass
class AnnualView:
    """One measure's year totals as the page shows them, and the CSV that holds them."""

    title: str
    headers: list[str]  # the dimensions' titles, then one column per year
    rows: list[list[str]]
    filename: str
    content: bytes
    dimension_count: int = 0  # the first columns name the series; the rest are years
    rates: RatesView | None = None
    measure: str = ""  # the count's field name
    rates_note: str = ""  # why a count that could have rates has none, in a sentence the page shows


def annual_views(dataset, policy: Policy, site: dict | None = None) -> list[AnnualView]:
    """The year-total tables of every quarterly or monthly count of `dataset` (with rates where one names a
    denominator among `site`'s datasets, slug -> Dataset)."""
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
            denominator = denominator_of(measure, site or {})
            rates = annual_rates(resource, table, denominator, policy) if denominator else []
            stem = resource.name if len(tables) == 1 else f"{resource.name}-{table.measure}"
            view = AnnualView(f"{measure.title} per calendar year", titles + list(table.years), rows,
                              f"{stem}-annual.csv", _csv(resource, table, rates), len(titles), measure=table.measure)
            if rates:
                view.rates = _rates_view(measure, table, rates, denominator)
                view.rates.denominator_version = str((site or {})[denominator.dataset].version or "")
            elif isinstance(measure.get("tally:denominator"), dict):
                named = measure.get("tally:denominator").get("dataset")
                view.rates_note = (f"No rates: the population figures this count divides by (the dataset "
                                   f"\"{named}\") are not published on this site.")
            views.append(view)
    return views


def _rates_view(measure, table: AnnualTable, rates: list, denominator) -> RatesView:
    by_key = {(r.series, r.year): r for r in rates}
    rows = []
    for series in table.series:
        rows.append(list(series) + [_rate_text(by_key.get((series, y))) for y in table.years])
    years = sorted({(r.year, r.population_year) for r in rates if r.population_year})
    used = "; ".join(f"{p} figures for {y}" if p != y else f"{p} figures" for y, p in years)
    per = f"per {RATE_SCALE:,} {measure.unit or 'people'}"
    return RatesView(f"{measure.title} {per}, per calendar year", per, rows,
                     f"{denominator.title} ({denominator.source}){', ' + used if used else ''}",
                     f"datasets/{denominator.dataset}/")


def _rate_text(rate) -> str:
    if rate is None:
        return ""
    if rate.value is None:
        return CODES[rate.code].label if rate.code in CODES and CODES[rate.code].empty else "Not available"
    text = f"{rate.value:,}"
    return f"{text} ({CODES[rate.code].label.lower()})" if rate.code in ("P", "R") else text


def _csv(resource, table: AnnualTable, rates: list) -> bytes:
    """dimensions, year, the total and its note (S, N, P, R or empty), one row per series and year; with
    rates, the rate per 100,000 and the year of the population it divides by."""
    measure = resource.field(table.measure)
    note = measure.annotation or f"{table.measure}_note"
    by_key = {(r.series, r.year): r for r in rates}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    extra = [f"{table.measure}_per_{RATE_SCALE}", "population_year"] if rates else []
    writer.writerow([*table.dimensions, "year", table.measure, note, *extra])
    for c in table.cells:
        row = [neutralise(str(v)) for v in c.series] + [c.year, "" if c.value is None else c.value, c.code]
        if rates:
            rate = by_key.get((c.series, c.year))
            row += ["" if rate is None or rate.value is None else str(rate.value),
                    rate.population_year if rate and rate.value is not None else ""]
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
