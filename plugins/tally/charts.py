"""Charts: a view becomes an Altair chart, a Vega-Lite spec, a static SVG and a text description.

The SVG is rendered at build time with vl-convert so every chart works with
JavaScript off; vl-convert draws an empty chart from a URL, so the rows are
always inlined into the spec. Suppressed cells are nulls: gaps, never zeros.
"""

from __future__ import annotations

import decimal
import html
import json

import altair as alt
import vl_convert

from .cache import Cache, key
from .model import Dataset, Resource, View

VEGA_LITE_VERSION = "6.4"  # the newest vl-convert ships; matches Altair 6's schema
WIDTH = 560
HEIGHT = 280
MAX_SERIES = 8  # more lines or stacks than this cannot be told apart by colour
MAX_CATEGORIES = 25  # a bar chart with more bars than this is unreadable on a phone

# Okabe-Ito, reordered so the first colours contrast well on white (yellow left out).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


@alt.theme.register("tally", enable=True)
def tally_theme():
    """The house style: colour-blind-safe palette, system fonts, readable sizes."""
    font = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
    return alt.theme.ThemeConfig(config={
        "font": font,
        "range": {"category": PALETTE},
        "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#333", "titleColor": "#222",
                 "gridColor": "#e5e5e5", "domainColor": "#888", "tickColor": "#888"},
        "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom"},
        "title": {"fontSize": 15, "anchor": "start", "color": "#222"},
        "line": {"strokeWidth": 2.5},
        "view": {"stroke": None},
        "background": "white",
    })


def chart_views(dataset: Dataset) -> list[View]:
    """The package's renderable views, or one default view when it has none."""
    views = [v for v in dataset.views if v.spec_type in ("tally", "vega-lite") and dataset.resource(v.resource)]
    if views:
        return views
    for resource in dataset.tabular_resources:
        view = default_view(resource)
        if view:
            return [view]
    return []


def default_view(resource: Resource) -> View | None:
    """A line over the period when there is one, else sorted bars over a category; None if neither fits."""
    measures = resource.fields_with_role("measure")
    if not measures:
        return None
    y = next((f for f in measures if f.is_count), measures[0])
    categories = [f for f in resource.fields_with_role("dimension") if not f.is_time]
    time = resource.time_field
    if time:
        spec = {"mark": "line", "x": time.name, "y": y.name}
        colour = _series_field(resource, categories, limit=MAX_SERIES)
        if colour:
            spec["color"] = colour.name
    else:
        category = _series_field(resource, categories, limit=MAX_CATEGORIES)
        if category is None:
            return None
        spec = {"mark": "barh", "x": category.name, "y": y.name}
    if not _one_row_per_mark(resource, spec):
        return None  # other dimensions would be drawn on top of each other: no honest default
    return View(name="main", title=f"{y.title} by {resource.field(spec['x']).title}", resource=resource.name,
                spec_type="tally", spec=spec, generated=True)


def _one_row_per_mark(resource, spec) -> bool:
    """True when x (and colour) identify each row, so every mark stands for one value."""
    keys = [spec["x"]] + ([spec["color"]] if spec.get("color") else [])
    totals = {f.name: f.total for f in resource.fields if f.total is not None}
    seen = set()
    for row in resource.rows:
        if any(row.get(name) == level for name, level in totals.items() if name not in keys):
            continue  # totals of other dimensions are left out of charts
        mark = tuple(row.get(k) for k in keys)
        if mark in seen:
            return False
        seen.add(mark)
    return True


def _series_field(resource, categories, limit):
    """The first categorical field with between 2 and `limit` values in the data."""
    for field in categories:
        levels = {row.get(field.name) for row in resource.rows} - {None, field.total}
        if 2 <= len(levels) <= limit:
            return field
    return None


def chart_rows(dataset: Dataset, view: View) -> list[dict]:
    """The rows a view draws: filtered, totals left out, JSON-safe values."""
    resource = dataset.resource(view.resource)
    spec = view.spec
    wanted = spec.get("filter") or {}
    used = drawn_fields(view)
    y = resource.field(spec.get("y") or "")
    if y is not None and y.annotation and resource.field(y.annotation):
        used.append(y.annotation)  # so "Show as table" can say why a cell is empty
    rows = []
    for row in resource.rows:
        if any(str(row.get(name)) != str(value) for name, value in wanted.items()):
            continue
        if any(_is_total(resource, name, row.get(name)) and name not in wanted for name in used):
            continue
        rows.append({name: _json_value(row.get(name)) for name in used})
    return rows


def drawn_fields(view: View) -> list[str]:
    """The fields a tally view encodes, in table order: x, colour, facet, then y."""
    return [view.spec[k] for k in ("x", "color", "facet", "y") if view.spec.get(k)]


def _is_total(resource, name, value) -> bool:
    field = resource.field(name)
    return bool(field and field.total is not None and value == field.total)


def _json_value(value):
    """A typed cell as JSON: Decimals as floats, dates as ISO text, year-months as 2024-07."""
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "year") and hasattr(value, "month"):  # frictionless yearmonth
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


def vega_lite_spec(dataset: Dataset, view: View, description: str) -> dict:
    """Compile a view to a Vega-Lite spec with its rows inlined."""
    rows = chart_rows(dataset, view)
    if view.spec_type == "vega-lite":
        spec = {k: v for k, v in view.spec.items() if k not in ("data", "$schema")}
        return {**spec, "data": {"values": rows or dataset.resource(view.resource).rows},
                "description": description}
    # Altair validates every inlined row against the Vega-Lite schema (seconds for a long
    # series), so the chart is compiled without rows and they are inlined afterwards.
    spec = _altair_chart(dataset.resource(view.resource), view, rows, description).to_dict()
    spec["data"] = {"values": rows}
    return spec


def _altair_chart(resource: Resource, view: View, rows: list[dict], description: str) -> alt.Chart:
    spec = view.spec
    x_field, y_field = resource.field(spec["x"]), resource.field(spec["y"])
    y_title = y_field.title + (f" ({y_field.unit})" if y_field.unit and y_field.unit not in y_field.title.lower() else "")
    y = alt.Y(f"{y_field.name}:Q", title=y_title, axis=alt.Axis(format=",~r" if y_field.type == "integer" else ",~g"))
    x_type = "T" if x_field.type in ("date", "datetime", "yearmonth") else "O"
    x_sort = sorted({r[x_field.name] for r in rows if r.get(x_field.name) is not None}, key=str)
    x = alt.X(f"{x_field.name}:{x_type}", title=x_field.title,
              **({"sort": x_sort} if x_type == "O" else {}), axis=alt.Axis(labelAngle=-40 if len(x_sort) > 8 else 0))
    tooltip = [alt.Tooltip(f"{x_field.name}:{x_type}", title=x_field.title),
               alt.Tooltip(f"{y_field.name}:Q", title=y_field.title, format=",")]
    encodings = {"x": x, "y": y}
    colour = resource.field(spec["color"]) if spec.get("color") else None
    if colour:
        encodings["color"] = alt.Color(f"{colour.name}:N", title=colour.title,
                                       sort=[lvl for lvl in colour.levels if lvl != colour.total] or None)
        tooltip.insert(1, alt.Tooltip(f"{colour.name}:N", title=colour.title))
    encodings["tooltip"] = tooltip
    chart = alt.Chart(alt.Data(values=[]))
    mark = spec["mark"]
    if mark == "line":
        # Vega-Lite's default "filter" joins a line across a missing value; a suppressed
        # cell must show as a break, never as a slope.
        chart = chart.mark_line(point=True, invalid="break-paths-show-domains")
    elif mark == "barh":
        encodings["x"], encodings["y"] = (
            alt.X(f"{y_field.name}:Q", title=y_title),
            alt.Y(f"{x_field.name}:N", title=x_field.title, sort="-x"),
        )
        chart = chart.mark_bar()
    else:
        chart = chart.mark_bar()
        if mark == "bar" and colour:
            encodings["xOffset"] = alt.XOffset(f"{colour.name}:N")
    chart = chart.encode(**encodings).properties(width=WIDTH, height=HEIGHT, description=description)
    facet = resource.field(spec["facet"]) if spec.get("facet") else None
    if facet:
        chart = chart.properties(width=WIDTH // 2 - 20, height=HEIGHT // 2).facet(
            facet=alt.Facet(f"{facet.name}:N", title=facet.title), columns=2)
    return chart


def describe(dataset: Dataset, view: View) -> str:
    """A one-paragraph text alternative: what the chart shows and its main pattern."""
    if view.spec.get("description"):
        return str(view.spec["description"])
    resource = dataset.resource(view.resource)
    spec = view.spec
    if view.spec_type != "tally":
        return f"Chart of {resource.title}."
    rows = chart_rows(dataset, view)
    x_field, y_field = resource.field(spec["x"]), resource.field(spec["y"])
    kind = {"line": "Line chart", "bar": "Bar chart", "barh": "Bar chart", "stacked": "Stacked bar chart"}[spec["mark"]]
    text = f"{kind} of {y_field.title.lower()} by {x_field.title.lower()}"
    if spec.get("color"):
        text += f", one {'series' if spec['mark'] == 'line' else 'colour'} per {resource.field(spec['color']).title.lower()}"
    text += "."
    values = [r for r in rows if r.get(y_field.name) is not None]
    if x_field.is_time and values and not spec.get("color") and not spec.get("facet"):
        ordered = sorted(values, key=lambda r: str(r[x_field.name]))
        first, last = ordered[0], ordered[-1]
        text += (f" It went from {_number(first[y_field.name])} in {first[x_field.name]}"
                 f" to {_number(last[y_field.name])} in {last[x_field.name]}.")
    elif values:
        top = max(values, key=lambda r: r[y_field.name])
        where = ", ".join(str(top[spec[k]]) for k in ("x", "color") if spec.get(k))
        text += f" The highest value is {_number(top[y_field.name])} ({where})."
    hidden = suppressed_count(dataset, view)
    if hidden:
        text += f" {suppression_note(hidden)}"
    return text


def suppressed_count(dataset: Dataset, view: View) -> int:
    """How many of the chart's cells are empty (suppressed or not available)."""
    y = view.spec.get("y")
    return sum(1 for row in chart_rows(dataset, view) if y and row.get(y) is None)


def suppression_note(count: int) -> str:
    return (f"{count} value{'s' if count != 1 else ''} suppressed to protect privacy or not available "
            f"{'are' if count != 1 else 'is'} shown as {'gaps' if count != 1 else 'a gap'}, not zero.")


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}" if isinstance(value, float) else str(value)


def render_svg(spec: dict, description: str, cache: Cache | None = None) -> str:
    """Render a Vega-Lite spec to an accessible inline SVG, cached by the spec's hash."""
    cache_key = key("svg", spec, vl_convert.__version__ if hasattr(vl_convert, "__version__") else "", VEGA_LITE_VERSION)
    cached = cache.get_bytes(cache_key) if cache else None
    if cached is not None:
        return cached.decode()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
    # role="img" with a label makes the chart one object to a screen reader; the
    # table beside it carries the numbers.
    label = html.escape(description, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    svg = svg.replace(' width="', ' style="max-width:100%;height:auto" width="', 1)
    if cache:
        cache.put_bytes(cache_key, svg.encode())
    return svg


def spec_json(spec: dict) -> str:
    """The spec as compact JSON, safe to place inside a <script type="application/json">."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
