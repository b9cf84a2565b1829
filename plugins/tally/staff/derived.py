"""Percentages in a staff sheet: put on the field's scale, and checked against the counts they come from.

Issue 13, problem 1: a cell formatted as a percentage in Excel (shows 70.0%,
holds 0.7) was written as 0.7 into a field whose other rows hold 72.0, and
nothing compared a percentage with its counts. The reader now gives such a
cell as "70%" (sheets.py); here it becomes 70.0, or 0.70 where the field's
published rows are fractions; and a percentage whose two `tally:derivedFrom`
counts are both given must be one of them over the other (times 100), or the
row is refused naming the cell: a rate off by a factor of 100 is the usual
slip. No message carries a value (messages.py).
"""

from __future__ import annotations

from tally.core import periods as P
from tally.core.dataset import LINEAR_KINDS, Resource
from tally.staff import messages

POINTS = 0.6  # a percentage rounded to whole points is within half a point; a little more for safety


class Percent(float):
    """A sheet value written as a percentage (70% -> 70.0), before it is put on its field's scale."""


def fraction_scale(resource: Resource, rows: list[dict], name: str) -> bool:
    """True when the field's published values are fractions (0 to 1) rather than percentages (0 to 100)."""
    values = []
    for row in rows:
        try:
            values.append(float(row.get(name) or ""))
        except ValueError:
            continue
    return bool(values) and max(values) <= 1 and any(v > 0 for v in values)


def on_field_scale(resource: Resource, published: list[dict], new_rows: list[dict]) -> None:
    """Each Percent value as the field writes it: 70.0, or 0.7 where the published rows are fractions."""
    for f in resource.fields_with_role("measure"):
        if f.kind != "percentage":
            continue
        fraction = fraction_scale(resource, published, f.name)
        for row in new_rows:
            value = row.get(f.name)
            if isinstance(value, Percent):
                row[f.name] = float(value) / 100 if fraction else float(value)


def mismatches(resource: Resource, rows: list[tuple[int, dict]], published: list[dict] = ()) -> list[str]:
    """A percentage that is neither of its two counts over the other, by row and column (no values)."""
    problems = []
    for f in resource.fields_with_role("measure"):
        sources = [resource.field(n) for n in f.derived_from]
        if f.kind != "percentage" or len(sources) != 2 or None in sources:
            continue
        scale = 1 if fraction_scale(resource, published, f.name) else 100
        for label, row in rows:
            values = [row.get(f.name)] + [row.get(s.name) for s in sources]
            if any(v is None for v in values):
                continue
            value, a, b = (float(v) for v in values)
            expected = [scale * x / y for x, y in ((a, b), (b, a)) if y > 0]
            if not expected or _near(value, expected, scale):
                continue
            pair = f'"{sources[0].title}" and "{sources[1].title}"'
            if _near(value * 100, expected, scale):
                rule = (f"is a hundredth of the percentage its counts {pair} give: it looks like a fraction "
                        "(0.7 for 70%)")
                fix = "type the percentage (70, or 70% in a percent-formatted cell)"
            elif _near(value / 100, expected, scale):
                rule = f"is a hundred times the percentage its counts {pair} give"
                fix = "type the percentage itself (70 for 70%), not multiplied by 100 again"
            else:
                rule = f"does not match its counts {pair} (one over the other, as a percentage)"
                fix = "check the three figures of this row"
            problems.append(messages.cell(label, None, f.title, rule, fix))
    return problems


def _near(value: float, expected: list[float], scale: int) -> bool:
    return any(abs(value - e) <= POINTS * scale / 100 for e in expected)


def hide_linear(resource: Resource, rows: list[dict], earlier: list[dict], hide) -> None:
    """Call `hide(row, field)` for each change or year-to-date figure of `rows` computed from a period whose
    count is hidden or has no row, in `rows` or the `earlier` published rows (issue 10).

    A change of this period and the last, or a year-to-date of the year so far, gives a hidden count back
    when the other periods are published (the gate's derived-columns and linked-tables rules); hidden
    wherever one of its periods is, it adds nothing a reader could not compute.
    """
    time = resource.time_field
    linear = [f for f in resource.fields_with_role("measure") if f.kind in LINEAR_KINDS and len(f.derived_from) == 1]
    if time is None or not linear:
        return
    precision = time.period or "quarter"
    others = [f.name for f in resource.fields_with_role("dimension") if f is not time]
    lookup = {(str(r.get(time.name)), tuple(str(r.get(n)) for n in others)): r for r in [*earlier, *rows]}
    for f in linear:
        for row in rows:
            if _blank(row.get(f.name)):
                continue
            rest = tuple(str(row.get(n)) for n in others)
            try:
                needed = P.computed_from(f.kind, str(row.get(time.name)), precision)
            except P.PeriodError:
                continue
            if any(_blank((lookup.get((p, rest)) or {}).get(f.derived_from[0])) for p in needed):
                hide(row, f)


def _blank(value) -> bool:
    return value is None or value == ""
