"""A chart draws at most TALLY_MAX_CHART_ROWS rows and TALLY_MAX_CHART_CATEGORIES levels of a field.

A bar chart of a million rows, or one over 10,000 categories, failed the build
with twelve lines of JavaScript stack naming no dataset or view (issue 14,
problem 4), and would be unreadable if it were drawn. Refused at validation,
naming the view, so the author filters it or charts a total instead.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit

DISCRETE = ("nominal", "ordinal")


def view_rows(resource, view):
    """The rows a view draws before totals are left out (an upper bound is enough for a limit), one at a time."""
    wanted = view.spec.get("filter") if view.spec_type == "tally" else None
    if not isinstance(wanted, dict) or not wanted:
        return iter(resource.rows)
    return (r for r in resource.rows if all(str(r.get(k)) == str(v) for k, v in wanted.items()))


def view_size(resource, view, fields) -> tuple[int, dict]:
    """(rows a view draws, distinct values of each of `fields` in them), counted in one pass.

    The rows are never gathered: a view over a million-row table is measured, then
    refused, in the memory of one row (issue 12).
    """
    count, levels = 0, {name: set() for name in fields}
    for row in view_rows(resource, view):
        count += 1
        for name, seen in levels.items():
            seen.add(str(row.get(name)))
    return count, {name: len(seen) for name, seen in levels.items()}


def category_fields(resource, view) -> list[str]:
    """The fields a view draws as categories: x (unless a time axis), colour and facet, or a raw spec's
    discrete encodings. Dates along a line are a continuous axis, not categories (the CPI's 1,360 months)."""
    if view.spec_type == "tally":
        names = [view.spec[k] for k in ("x", "color", "facet") if isinstance(view.spec.get(k), str)]
        return [n for i, n in enumerate(names) if not (i == 0 and resource.field(n) and resource.field(n).is_time)]
    found, stack = [], [view.spec]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("field"), str) and item.get("type") in DISCRETE:
                found.append(item["field"])
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return sorted(set(found))


class ChartSize(Audit):
    type = "chart-size"
    title = "Chart too large to draw"
    description = ("A view draws at most TALLY_MAX_CHART_ROWS rows and TALLY_MAX_CHART_CATEGORIES "
                   "distinct values of its x, colour or facet field.")
    hint = 'add a "filter" to the view, chart a coarser dimension or a total, or leave the table without a chart'
    needs_valid_data = True  # counts typed rows

    def audit(self, dataset):
        most_rows, most_levels = self.settings["TALLY_MAX_CHART_ROWS"], self.settings["TALLY_MAX_CHART_CATEGORIES"]
        for view in dataset.views:
            resource = dataset.resource(view.resource)
            if resource is None or not resource.tabular or view.spec_type not in ("tally", "vega-lite"):
                continue
            rows, counted = view_size(resource, view, category_fields(resource, view))
            if rows > most_rows:
                yield self.problem(dataset, f'view "{view.name}" would draw {rows:,} rows, more than '
                                   f"{most_rows:,} (TALLY_MAX_CHART_ROWS)", resource=resource)
                continue
            for name, levels in counted.items():
                if levels > most_levels:
                    yield self.problem(dataset, f'view "{view.name}" would draw {levels:,} values of "{name}", '
                                       f"more than {most_levels:,} (TALLY_MAX_CHART_CATEGORIES)",
                                       resource=resource, field=name)
