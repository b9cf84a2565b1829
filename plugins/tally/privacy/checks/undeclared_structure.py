"""Structure nobody declared is refused until it is declared (issue 10).

The audits know only the sums a package declares (a `tally:total` level, a code
list's hierarchy). A level that is the sum of other levels (a region beside its
stations, "All under 18" not marked as the total), a column that is the sum of
other columns (a wide layout, `enrolled` = `completed` + `did_not_complete`), a
column that repeats another, a column that repeats on every row the sum of
another across a dimension's levels (the quarter's children of all ages beside
each band's, in a table with no all-ages level), a year-to-date column or a
change-since-last-period column are equations a reader can use and the audits cannot see. They are found
from the published rows: every row where the figures are published agrees.
A change or year-to-date column declared as one (`tally:kind`) is modelled by
the site-wide system instead (system.py, linked-tables), so it is not searched.
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict
from collections.abc import Sequence

from tally.core.codelists import codelist_of, load_codelists
from tally.privacy.checks.complementary import ComplementaryAudit
from tally.privacy.tables import dimension_structure

MAX_LEVELS = 12  # subsets of more levels than this are not searched
MIN_AGREEING = 2  # rows (or groups of rows) that must agree before an equation counts as structure


class UndeclaredStructure(ComplementaryAudit):
    type = "undeclared-structure"
    title = "Sum nobody declared"
    description = ("No level is the sum of other levels, and no column the sum, running total or difference of "
                   "other columns, across the published rows, unless the package declares it (`tally:total`, or a "
                   "code list whose hierarchy says so).")
    hint = ("declare it: a level that is the sum of others goes in a code list with its parts (or is the "
            "dimension's `tally:total`); columns that add up become one count column plus a dimension with a "
            "total level; a year-to-date or change column is declared as one (`tally:kind` `year-to-date` or "
            "`change`, `tally:derivedFrom` naming its count), so the audits model it")

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            rows = resource.rows  # held once, compactly (core/rows.py): never copied here
            dims = [f for f in resource.fields if f.role == "dimension"]
            measures = [f for f in resource.fields if f.role == "measure" and f.type in ("integer", "number")
                        and not f.is_derived or f.kind == "rate" and f.type == "integer"]
            counts = [f for f in measures if f.is_count]
            if not counts or not rows:
                continue
            for f in counts:
                yield from self._levels(dataset, resource, rows, dims, f)
            yield from self._columns(dataset, resource, rows, dims, measures)
            yield from self._wholes(dataset, resource, rows, dims, counts, measures)

    def _levels(self, dataset, resource, rows, dims, measure):
        totals, hierarchy = dimension_structure(dims)
        lists = load_codelists()
        for i, d in enumerate(dims):
            if d.is_time:
                continue
            code_list = codelist_of(d, lists)
            if len({str(row.get(d.name)) for row in rows}) > MAX_LEVELS:
                continue  # not searched (below): counted before grouping a large table by it
            groups = defaultdict(dict)
            for row in rows:
                rest = tuple(str(row.get(o.name)) for o in dims if o is not d)
                groups[rest][str(row.get(d.name))] = row.get(measure.name)
            levels = sorted({level for g in groups.values() for level in g})
            if len(levels) > MAX_LEVELS:
                continue
            declared = {totals.get(d.name)} | set(hierarchy.get(d.name, ()))
            for x in levels:
                if x in declared:
                    continue
                others = [lv for lv in levels if lv != x and lv != totals.get(d.name)]
                for size in range(2, len(others) + 1):
                    found = next((s for s in itertools.combinations(others, size)
                                  if _agrees(groups.values(), x, s)
                                  and not (code_list and set(code_list.leaves(x)) == set(s))), None)
                    if found:
                        yield self.problem(
                            dataset, f'resource "{resource.name}", "{measure.name}": the level "{x}" of '
                                     f'"{d.name}" is the sum of {", ".join(repr(v) for v in found)} in every row '
                                     "where they are published, but no total or code list says so",
                            resource=resource, field=d.name)
                        break
                else:
                    continue
                break

    def _columns(self, dataset, resource, rows, dims, measures):
        names = [m.name for m in measures]
        reported = set()
        for x in names:
            others = [n for n in names if n != x]
            for size in range(1, min(len(others), MAX_LEVELS) + 1):
                found = next((s for s in itertools.combinations(others, size)
                              if _agrees(iter(rows), x, s)), None)
                if found:
                    reported.add(x)
                    how = "repeats" if size == 1 else "is the sum of"
                    yield self.problem(dataset, f'resource "{resource.name}": column "{x}" {how} '
                                                f'{", ".join(repr(v) for v in found)} in every row where they are '
                                                "published (a wide layout or measures that add up)",
                                       resource=resource, field=x)
                    break
        period = next((d for d in dims if d.is_time), None)
        if period is None:
            return
        rest = [d.name for d in dims if d is not period]
        # Each series holds its rows' places, in period order, not copies of the rows (issue 12:
        # a sorted copy of a million-row table was the audit's largest object).
        when = [str(row.get(period.name)) for row in rows]
        series = defaultdict(lambda: array("I"))
        for i in sorted(range(len(when)), key=when.__getitem__):
            row = rows[i]
            series[tuple(str(row.get(n)) for n in rest)].append(i)
        del when
        series = {k: _Picked(rows, places) for k, places in series.items()}
        for x, y in itertools.permutations(names, 2):
            if y in reported:
                continue
            kind = _running(series.values(), period.name, x, y)
            if kind:
                reported.add(y)
                yield self.problem(dataset, f'resource "{resource.name}": column "{y}" is the {kind} of "{x}" '
                                            "in every row where they are published", resource=resource, field=y)


    def _wholes(self, dataset, resource, rows, dims, counts, measures):
        """A column holding, on every row, the sum of a count across the levels of one dimension."""
        totals, _ = dimension_structure(dims)
        for d in dims:
            if d.is_time:
                continue
            rest = [o.name for o in dims if o is not d]
            for x, y in itertools.product(counts, measures):
                if x is not y and _repeats_sum(rows, rest, d.name, totals.get(d.name), x.name, y.name):
                    yield self.problem(dataset, f'resource "{resource.name}": column "{y.name}" repeats on each row '
                                                f'the sum of "{x.name}" across every "{d.name}" wherever they are '
                                                "published (a total written as a column)", resource=resource,
                                       field=y.name)
                    return


def _repeats_sum(rows, rest, dim, total, x, y) -> bool:
    """True when y is one value across each group of rows differing only in `dim`, and that value is the sum of x
    over the group's levels other than `total`, in at least MIN_AGREEING groups where all are published."""
    groups = defaultdict(lambda: [0, set()])  # rest -> [sum of x, or None once a part is not published; values of y]
    for row in rows:
        g = groups[tuple(str(row.get(n)) for n in rest)]
        g[1].add(row.get(y))
        if str(row.get(dim)) != str(total):
            g[0] = None if g[0] is None or row.get(x) is None else g[0] + row.get(x)
    agreeing = 0
    for whole, ys in groups.values():
        if len(ys) != 1:
            return False  # y differs within a group: not a repeated whole
        (value,) = ys
        if whole is None or value is None:
            continue
        if value != whole:
            return False
        agreeing += value != 0
    return agreeing >= MIN_AGREEING


class _Picked(Sequence):
    """Some rows of a table, by their places in it, read as a sequence of row dicts."""

    def __init__(self, rows, places):
        self.rows, self.places = rows, places

    def __len__(self) -> int:
        return len(self.places)

    def __getitem__(self, i):
        return self.rows[self.places[i]]


def _agrees(groups, x, parts) -> bool:
    """True when, in at least MIN_AGREEING groups with x and every part published and x non-zero, x = sum(parts)."""
    agreeing = 0
    for g in groups:
        values = [g.get(x)] + [g.get(p) for p in parts]
        if any(v is None for v in values):
            continue
        if values[0] != sum(values[1:]):
            return False
        agreeing += values[0] != 0
    return agreeing >= MIN_AGREEING


def _running(series, period, x, y) -> str | None:
    """"year-to-date total" or "change since the previous period" when y is that of x wherever both can be checked."""
    checks = {"year-to-date total": [0, 0], "change since the previous period": [0, 0]}
    for rows in series:
        running, year = 0, None
        for i, row in enumerate(rows):
            this_year = str(row.get(period))[:4]
            if this_year != year:
                running, year, first = 0, this_year, True
            else:
                first = False
            value, target = row.get(x), row.get(y)
            running = None if running is None or value is None else running + value
            if target is not None and running is not None and not first:
                checks["year-to-date total"][0 if target == running else 1] += 1
            if i and target is not None and value is not None and rows[i - 1].get(x) is not None:
                change = value - rows[i - 1].get(x)
                checks["change since the previous period"][0 if target in (change, abs(change)) else 1] += 1
    for kind, (agree, disagree) in checks.items():
        if agree >= MIN_AGREEING and not disagree:
            return kind
    return None
