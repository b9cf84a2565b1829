"""Figures the build derives from published counts: calendar-year totals (issue 11).

A year total is a new published figure, so it passes the same audits as the
table it comes from. Computed where hidden values are known (a county's raw
table), the total of a year with one hidden quarter gives the quarter away:
the total less the published quarters. The build knows only what is published,
so it totals a year only when every one of its quarters (or months) is
published: such a total is a sum of published figures and cannot tell a reader
anything the quarters did not. A year with a hidden part is shown as S, one
with a part not available (N) as not available, a year short of a part is not
totalled at all.

That argument is checked, not trusted: `audit_years` adds the totals to the
table with the calendar as constraints (a year is its quarters) and runs the
published-file audits; a total that lets any hidden cell be worked out or
narrowed down more than the quarters alone, or that is itself a small count,
is hidden, and the audit runs again until nothing more is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tally.core.annotations import SUPPRESSED
from tally.privacy import disclosure
from tally.privacy.policy import Policy
from tally.privacy.tables import NOT_AVAILABLE, resource_tables

STATUS = ("P", "R")  # a total of a provisional (or revised) quarter is provisional (revised) too


@dataclass(frozen=True)
class YearCell:
    """One calendar-year total: None with code S (a part hidden) or N (a part not available)."""

    series: tuple  # the row's other dimension values, in schema order
    year: str
    value: int | None
    code: str  # "", "S", "N", "P" or "R"


@dataclass(frozen=True)
class AnnualTable:
    """Calendar-year totals of one count measure of one resource."""

    resource: str
    measure: str
    dimensions: tuple[str, ...]  # the resource's dimensions other than the period
    years: tuple[str, ...]
    cells: tuple[YearCell, ...]

    def cell(self, series: tuple, year: str) -> YearCell | None:
        return next((c for c in self.cells if c.series == series and c.year == year), None)

    @property
    def series(self) -> list[tuple]:
        seen = []
        for c in self.cells:
            if c.series not in seen:
                seen.append(c.series)
        return seen


def year_parts(period: str, precision: str) -> tuple[str, tuple[str, ...]] | None:
    """(year, every period of that year) for a quarter or month; None for other precisions."""
    year = period[:4]
    if precision == "quarter" and re.fullmatch(r"\d{4}-Q[1-4]", period):
        return year, tuple(f"{year}-Q{q}" for q in range(1, 5))
    if precision == "month" and re.fullmatch(r"\d{4}-\d{2}", period):
        return year, tuple(f"{year}-{m:02d}" for m in range(1, 13))
    return None


def annual_totals(resource, policy: Policy) -> list[AnnualTable]:
    """The calendar-year totals of every count of a quarterly or monthly resource, audited."""
    time = resource.time_field
    if time is None or time.period not in ("quarter", "month"):
        return []
    names = [f.name for f in resource.fields if f.role == "dimension"]
    i = names.index(time.name)
    out = []
    for measure, measure_table in resource_tables(resource).items():
        table = measure_table.table
        codes = _codes(resource, measure, names)
        present = {k[i] for k in codes}
        years = {}
        for period in sorted(present):
            parts = year_parts(period, time.period)
            if parts and all(p in present for p in parts[1]):
                years[parts[0]] = parts[1]
        if not years:
            continue
        series = []
        for k in codes:
            rest = k[:i] + k[i + 1:]
            if rest not in series:
                series.append(rest)
        candidates, cells = {}, {}
        for rest in series:
            for year, parts in sorted(years.items()):
                keys = [rest[:i] + (p,) + rest[i:] for p in parts]
                cells[(rest, year)] = _total(table, keys, codes)
                value, code = cells[(rest, year)]
                if value is not None:
                    candidates[rest[:i] + (year,) + rest[i:]] = value
        shown = audit_years(table, i, candidates, policy)
        annual = []
        for (rest, year), (value, code) in cells.items():
            if value is not None and shown[rest[:i] + (year,) + rest[i:]] is None:
                value, code = None, SUPPRESSED
            annual.append(YearCell(rest, year, value, code))
        out.append(AnnualTable(resource.name, measure, tuple(n for n in names if n != time.name),
                               tuple(sorted(years)), tuple(annual)))
    return out


def _codes(resource, measure: str, names: list[str]) -> dict:
    """key -> the measure's annotation code ("" when none) for every row of the resource."""
    field = resource.field(measure)
    out = {}
    for row in resource.rows:
        key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
        out[key] = (row.get(field.annotation) or "") if field.annotation else ""
    return out


def _total(table: disclosure.Table, keys: list, codes: dict) -> tuple[int | None, str]:
    """(sum, code) of a year's parts: only a sum of published parts is a figure."""
    if any(k not in codes for k in keys):
        return None, NOT_AVAILABLE  # a missing row: nothing says what it held
    if any(k in table.cells and table.cells[k] is None for k in keys):
        return None, SUPPRESSED
    if any(k not in table.cells for k in keys):
        return None, NOT_AVAILABLE  # tables.py leaves N cells out of the Table
    found = {codes[k] for k in keys}
    code = next((c for c in STATUS if c in found), "")
    return sum(table.cells[k] for k in keys), code


def with_years(table: disclosure.Table, i: int, years: dict) -> disclosure.Table:
    """`table` with year cells added (None = hidden) and the calendar joining each year to its parts."""
    dim = table.dimensions[i]
    periods = {k[i] for k in table.cells}
    calendar = {}
    for key in years:
        year = key[i]
        parts = [p for p in sorted(periods) if p[:4] == year and p != year]
        calendar[year] = tuple(parts)
    hierarchy = {**table.hierarchy, dim: {**table.hierarchy.get(dim, {}), **calendar}}
    return disclosure.Table(table.dimensions, table.totals, {**table.cells, **years}, hierarchy=hierarchy)


def audit_years(table: disclosure.Table, i: int, years: dict, policy: Policy) -> dict:
    """`years` (key with the year at position i -> total) with every total that is unsafe to show set to None.

    Unsafe: a count in the small range, or a total that lets the published-file audits work
    out or narrow down a hidden cell they could not from the table alone. A hidden total
    publishes nothing, so hiding more can only make the audit pass; hiding every total
    leaves the table as the gate passed it.
    """
    shown = {k: (None if v is None or policy.is_small(v) else v) for k, v in years.items()}
    args = dict(threshold=policy.threshold, protection_width=policy.protection_width,
                hidden_min=policy.hidden_minimum)
    before = {f.cells for f in disclosure.published_findings(table, **args)}
    while True:
        published = {k: v for k, v in shown.items() if v is not None}
        combined = with_years(table, i, published)
        new = [f for f in disclosure.published_findings(combined, **args) if f.cells not in before]
        if not new:
            return shown
        # The totals the audit used to recover a cell go first; failing that, its year's; then all.
        used = {k for f in new for c in f.constraints for k in c.keys() if k in published}
        years_of = {k[i][:4] for f in new for k in f.cells}
        hide = used or {k for k in published if k[i] in years_of} or set(published)
        for k in hide:
            shown[k] = None


# -- rates per 100,000 ---------------------------------------------------------------
#
# A count names its denominator with `tally:denominator` ({"dataset": ..., "measure": ...}):
# a count of the people it is a share of (the child population), by year, with dimensions
# from the same code lists. A rate is the year total divided by the denominator of the same
# year and the same levels (a dimension the count lacks at its total level): it is shown only
# beside a published total and a publishable denominator, so it gives back nothing that is
# not published (rate x population / 100,000 is the published total).

RATE_SCALE = 100_000
RATE_PLACES = 1


@dataclass(frozen=True)
class Denominator:
    """The published figures a count's rates divide by, keyed by (code list or field identity, level) and year."""

    dataset: str
    title: str
    source: str
    measure: str
    values: dict  # (frozenset of (identity, level), year) -> count or None
    totals: dict  # identity -> its total level


@dataclass(frozen=True)
class RateCell:
    series: tuple
    year: str
    value: Decimal | None
    code: str  # "", "S" (its total or its denominator is not shown), "N" (no denominator), "P", "R"
    population_year: str = ""  # the year of the denominator it divides by (the latest not after its own)


def identity(field) -> str:
    """How a dimension is matched across tables: its code list, else its name (as the site-wide audit does)."""
    name = field.get("tally:codelist")
    return f"codelist:{name}" if isinstance(name, str) else f"field:{field.name}"


def denominator_of(field, datasets: dict) -> Denominator | None:
    """The Denominator `field` names in `tally:denominator`, from `datasets` (slug -> Dataset); None if none."""
    named = field.get("tally:denominator")
    if not isinstance(named, dict):
        return None
    dataset = datasets.get(named.get("dataset"))
    if dataset is None:
        return None
    for resource in dataset.tabular_resources:
        measure = resource.field(named.get("measure") or "")
        time = resource.time_field
        if measure is None or not measure.is_count or time is None or time.period != "year":
            continue
        dims = [f for f in resource.fields if f.role == "dimension" and f is not time]
        table = resource_tables(resource)[measure.name].table
        names = list(table.dimensions)
        values = {}
        for key, value in table.cells.items():
            levels = frozenset((identity(f), key[names.index(f.name)]) for f in dims)
            values[(levels, key[names.index(time.name)])] = value
        totals = {identity(f): table.totals[f.name] for f in dims if f.name in table.totals}
        source = "; ".join(s.get("title") or s.get("path") or "" for s in dataset.sources)
        return Denominator(dataset.slug, dataset.title, source, measure.name, values, totals)
    return None


def annual_rates(resource, annual: AnnualTable, denominator: Denominator, policy: Policy) -> list[RateCell]:
    """Rates per 100,000 of each year total in `annual`; S where the total or the denominator is not shown."""
    dims = [resource.field(n) for n in annual.dimensions]
    ids = [identity(f) for f in dims]
    known = {ident for levels, _ in denominator.values for ident, _ in levels}
    out = []
    for cell in annual.cells:
        levels, usable = {}, True
        for f, ident, level in zip(dims, ids, cell.series):
            if ident in known:
                levels[ident] = level
            elif level != (f.total or ""):
                usable = False  # a breakdown the denominator does not have: no rate
        for ident, total in denominator.totals.items():
            levels.setdefault(ident, total)
        years = sorted({y for _, y in denominator.values if y <= cell.year})
        key = (frozenset(levels.items()), years[-1]) if usable and years else None
        population = denominator.values.get(key)
        if key not in denominator.values:
            out.append(RateCell(cell.series, cell.year, None, NOT_AVAILABLE))
        elif cell.value is None or population is None or policy.is_small(population) or not population:
            # A rate of a hidden total is hidden too; so is one whose denominator may not be shown.
            code = cell.code if cell.code in (SUPPRESSED, NOT_AVAILABLE) else SUPPRESSED
            out.append(RateCell(cell.series, cell.year, None, code, key[1]))
        else:
            rate = (Decimal(cell.value) * RATE_SCALE / Decimal(population)).quantize(
                Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_UP)
            out.append(RateCell(cell.series, cell.year, rate, cell.code, key[1]))
    return out
