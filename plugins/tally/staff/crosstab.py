"""Cross-tab sheets: one dimension's categories across the columns become one row per category.

A county sheet often lays a quarter out as a table: age bands down, service
areas across, counts in the cells (issue 13, problem 6: intake told staff to
rename the columns). When a row near the top names two or more categories of
one dimension whose own column is absent, and the table has one count (or
quantity) measure, that row is the header of a cross-tab: each data row gives
one row per category column, and messages still name the cell staff see (the
original row and column letter, kept in `Grid.cells`).
"""

from __future__ import annotations

import re

from tally.core.dataset import Field, Resource
from tally.staff.aliases import normalized
from tally.staff.sheets import Grid, column_letter

TOTAL = re.compile(r"^(grand )?totals?$|^all$|^sum$|^overall$")


def melt(grid: Grid, resource: Resource, keys: dict, aliases: dict, search: int) -> tuple[Grid, str] | None:
    """The sheet in one-row-per-category form and a note saying so; None when it is not a cross-tab."""
    measures = [f for f in resource.fields_with_role("measure") if f.kind in ("count", "quantity")]
    if len(measures) != 1 or len(resource.fields_with_role("measure")) != 1:
        return None
    measure = measures[0]
    for r, cells in enumerate(grid.rows[:search]):
        named = {keys[normalized(c)].name for c in cells if c is not None and normalized(c) in keys}
        if measure.name in named:
            return None  # a long sheet: the measure has its own column
        for f in resource.fields_with_role("dimension"):
            if f.name in named or not f.levels:
                continue
            across = _category_columns(cells, f, aliases.get(f.name, {}))
            if len(across) >= 2:
                return _long(grid, r, f, measure, across), (
                    f'read as a cross-tab: "{f.title}" across columns '
                    f"{column_letter(min(across))} to {column_letter(max(across))}, one row per category")
    return None


def _category_columns(cells, f: Field, local: dict) -> dict[int, str | None]:
    """{column: level} for header cells naming a level of `f` (None: a totals column the schema does not keep)."""
    levels = {normalized(v): str(v) for v in f.levels}
    found = {}
    for c, text in enumerate(cells):
        if text is None:
            continue
        key = normalized(text)
        if key in levels:
            found[c] = levels[key]
        elif key in local:
            found[c] = local[key]
        elif TOTAL.match(key):
            found[c] = str(f.total) if f.total else None
    return found if any(v is not None for v in found.values()) else {}


def _long(grid: Grid, header: int, f: Field, measure: Field, across: dict[int, str | None]) -> Grid:
    width = max(len(row) for row in grid.rows)
    others = [c for c in range(width) if c not in across]
    cell = lambda row, c: row[c] if c < len(row) else None  # noqa: E731
    rows = [[cell(grid.rows[header], c) for c in others] + [f.title, measure.title]]
    labels = [grid.label(header)]
    names: dict[tuple[int, int], str] = {}
    for r in range(header + 1, len(grid.rows)):
        row = grid.rows[r]
        kept = [cell(row, c) for c in others]
        values = [(c, level) for c, level in sorted(across.items()) if level is not None]
        if all(cell(row, c) is None for c, _ in values):
            rows.append(kept + [None, None])  # blank, footer or note row: intake drops it as before
            labels.append(grid.label(r))
            continue
        for c, level in values:
            names[(len(rows), len(others) + 1)] = column_letter(c)
            for i, original in enumerate(others):
                names[(len(rows), i)] = column_letter(original)
            rows.append(kept + [level, cell(row, c)])
            labels.append(grid.label(r))
    return Grid(grid.source, rows, notes=list(grid.notes), encoding=grid.encoding, row_labels=labels,
                cells=names)
