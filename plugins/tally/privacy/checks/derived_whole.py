"""A share of a total is published only where the total is (issue 10).

A percentage that names one count in `tally:derivedFrom` is that count's share
of a total of the same table (each band's share of all ages). Where the part is
published and the total hidden, the part over its share gives the total back
(a rounded share pins it to a range narrower than one count), and the total
less the published parts any hidden part. A rounded share is a range, not an
equation, so the site-wide audits cannot model it (docs/conventions.md, "Change
and year-to-date columns"): it is refused instead. The whole of a row is taken
to be, for every dimension with a total level, the row's cell at that level,
and, for every other dimension but the period, the sum of the row's cells across
it: that sum is published only where none of its cells is hidden (a table with no
total level hides a single small cell with no complement, and the published
bands over their shares give the quarter's whole back, so the hidden band; red
team, session 3).

A rate that names one count is the same thing when its figures are the count
over that whole times a scale ("per 100 children identified"): it is judged as a
share wherever its published figures say so. A rate of a base outside the
table (per 100,000 children of the county) gives back only its base and passes.
"""

from __future__ import annotations

from decimal import Decimal

from tally.privacy.checks.complementary import ComplementaryAudit
from tally.privacy.checks.derived_sources import SCALES
from tally.privacy.tables import NOT_AVAILABLE, dimension_structure, read_rows


class DerivedWhole(ComplementaryAudit):
    type = "derived-whole"
    title = "Share of a hidden total"
    description = ("A percentage that names one count (or a rate whose figures are that count over the table's "
                   "total, scaled) is a share of the table's total: it is published only where "
                   "that total (the row's cell at each dimension's total level, or the sum across a dimension "
                   "without one) is published or made of published cells.")
    hint = ("hide the share where its total is hidden (empty, with S), hide the shares of every row whose sum "
            "holds a hidden cell, or name both counts it is computed from in `tally:derivedFrom`")

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            shares = [f for f in resource.fields if f.kind in ("percentage", "rate") and f.role == "measure"
                      and len(f.derived_from) == 1 and (resource.field(f.derived_from[0]) or f).is_count]
            if not shares:
                continue
            dims = [f for f in resource.fields if f.role == "dimension"]
            totals, _ = dimension_structure(dims)
            names = [d.name for d in dims]
            # Summed across: a dimension with no total level; the period only where the figures show a share
            # of the year (each quarter's share of its year's children).
            summed = [i for i, d in enumerate(dims) if d.name not in totals and d is not resource.time_field]
            period = next((i for i, d in enumerate(dims) if d is resource.time_field
                           and d.period in ("quarter", "month")), None)
            if not totals and not summed and period is None:
                continue
            rows = list(read_rows(resource))
            for share in shares:
                scales = SCALES if share.kind == "rate" else (100,)
                if share.kind == "rate" and not _scaled_share(rows, names, totals, summed, share, scales):
                    continue
                across = summed + ([period] if period is not None and (
                    _scaled_share(rows, names, {}, [period], share, scales, period)
                    or share.kind == "percentage" and _constant_whole(rows, names, share, period)) else [])
                count = resource.field(share.derived_from[0])
                published, open_sums = {}, {i: set() for i in across}
                for _, row in rows:
                    key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
                    published[key] = row.get(count.name) is not None  # hidden, or N: no whole to divide by
                    if row.get(count.name) is None and row.get(count.annotation or "") != NOT_AVAILABLE:
                        for i in across:  # a hidden part: the sum across dimension i holding it is not published
                            open_sums[i].add(_group(key, i, period))
                for number, row in rows:
                    if row.get(share.name) is None:
                        continue
                    key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
                    for i, name in enumerate(names):
                        level = totals.get(name)
                        if level is not None and key[i] != level and not published.get(
                                key[:i] + (level,) + key[i + 1:], False):
                            whole = f'its total ("{name}" = "{level}") has no published "{count.name}"'
                        elif i in across and _group(key, i, period) in open_sums[i]:
                            whole = (f'its whole, the sum of "{count.name}" across every "{name}", holds a '
                                     f'hidden cell')
                        else:
                            continue
                        yield self.problem(dataset, f'resource "{resource.name}", row {number}: the share '
                                                    f'"{share.name}" is published, but {whole}',
                                           resource=resource, row=number, field=share.name)
                        break


def _group(key: tuple, i: int, period: int | None) -> tuple:
    """The rows summed with `key` across dimension i: the others alike (for the period: the same year)."""
    return key[:i] + ((key[i][:4],) if i == period else ()) + key[i + 1:]


def _scaled_share(rows, names, totals, summed, rate, scales=SCALES, period=None) -> bool:
    """True when, along one dimension, the rate is its count over the whole times one scale, in at least two rows
    and in every row where count, whole and rate are published (rounding allowed)."""
    count = rate.derived_from[0]
    values, sums = {}, {}
    for _, row in rows:
        key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
        values[key] = row.get(count)
        for i in summed:
            group = (i, _group(key, i, period))
            sums[group] = None if row.get(count) is None or sums.get(group, 0) is None else sums.get(group, 0) + \
                row.get(count)
    agree, disagree = {}, set()
    for _, row in rows:
        key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
        part, figure = row.get(count), row.get(rate.name)
        if not part or figure is None:
            continue
        exponent = Decimal(str(figure)).as_tuple().exponent
        tolerance = Decimal(5) * Decimal(10) ** (min(exponent, 0) - 1) if isinstance(exponent, int) else Decimal(1)
        for i, name in enumerate(names):
            if totals.get(name) is not None:
                whole = values.get(key[:i] + (totals[name],) + key[i + 1:])
            else:
                whole = sums.get((i, _group(key, i, period))) if i in summed else None
            if not whole:
                continue
            for scale in scales:
                close = abs(Decimal(part) * scale / Decimal(whole) - Decimal(str(figure))) <= tolerance
                if close:
                    agree[(i, scale)] = agree.get((i, scale), 0) + 1
                else:
                    disagree.add((i, scale))
    return any(n >= 2 and way not in disagree for way, n in agree.items())


def _constant_whole(rows, names, share, period: int) -> bool:
    """True when a percentage's published figures over its count imply one whole for every period of a year.

    A share of the year's children implies the same whole in each quarter, which the table publishes
    nowhere when a quarter is hidden (so the sum cannot be checked); a share of each quarter's total does
    not. Judged on the figures' rounding ranges: they overlap in every year with two or more figures.
    """
    count = share.derived_from[0]
    ranges = {}
    for _, row in rows:
        part, figure = row.get(count), row.get(share.name)
        if not part or not figure:
            continue
        key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
        exponent = Decimal(str(figure)).as_tuple().exponent
        half = Decimal(5) * Decimal(10) ** (min(exponent, 0) - 1) if isinstance(exponent, int) else Decimal(1)
        low, high = Decimal(str(figure)) + half, Decimal(str(figure)) - half
        here = (Decimal(part) * 100 / low, Decimal(part) * 100 / high if high > 0 else Decimal("Infinity"))
        group = _group(key, period, period)
        lo, hi, n = ranges.get(group, (Decimal(0), Decimal("Infinity"), 0))
        ranges[group] = (max(lo, here[0]), min(hi, here[1]), n + 1)
    judged = [(lo, hi) for lo, hi, n in ranges.values() if n >= 2]
    return bool(judged) and all(lo <= hi for lo, hi in judged)
