"""Charts: a view becomes an Altair chart, a Vega-Lite spec, a static SVG, a PNG and a text description.

The SVG is rendered at build time with vl-convert so every chart works with
JavaScript off; vl-convert draws an empty chart from a URL, so the rows are
always inlined into the spec. Suppressed cells are nulls, never zeros: a line
breaks there, and a placeholder ("S" for suppressed, "n/a" for not available)
marks the place where a point or bar is missing, so a reader can tell a hidden
value from a small one (issue 5).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import html
import json
import logging
import re
from collections import defaultdict

import altair as alt
import vl_convert

from tally.core import periods
from tally.core.annotations import SUPPRESSED
from tally.core.cache import Cache, key
from tally.core.dataset import Dataset, Field, Resource, View
from tally.core.errors import BuildError
from tally.core.paths import quoted
from tally.core.settings import DEFAULTS
from tally.privacy.checks.vega_lite_spec import spec_problems
from tally.privacy.policy import Policy
from tally.site import maps as geo
from tally.site.dictionary import STATUS_CODES, EmptyCells, StatusCells, empty_cells, plural, status_cells
from tally.site.foreign_views import counted_resource, matches, plot_views, trim_series
from tally.site.text import format_value, json_value, percent

VEGA_LITE_VERSION = "6.4"  # the newest vl-convert ships; matches Altair 6's schema
WIDTH = 360  # drawn at about this size on a phone, so 14px labels stay readable there
HEIGHT = 200
BAR_STEP = 26  # height of one horizontal bar and its gap
FONT_SIZE = 14
CHAR_WIDTH = 8.5  # rough width of one label character at FONT_SIZE, to decide when labels must slant
MAX_SERIES = 7  # more lines or stacks than this cannot be told apart by colour
MAX_CATEGORIES = 25  # a bar chart with more bars than this is unreadable on a phone
MAX_POINTS = 40  # a line with more periods than this is drawn without point markers
PNG_SCALE = 2
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
SUPPRESSED_MARK = "S"
MISSING_MARK = "n/a"
MARK_FIELD = "_placeholder"  # added to the inlined rows: the placeholder text where a value is empty
AT_FIELD = "_placeholder_at"  # and where to draw it (the top of a stack, else the baseline)
SLOT_FIELD = "_placeholder_slot"  # its place in the pile of one period's placeholders, from the bottom
STATUS_FIELD = "_status"  # "P" or "R" where a published value is provisional or revised
STATUS_AT = "_status_at"  # where to draw it: over the point or bar, in the middle of a stacked segment
SLOT_HEIGHT = 16  # pixels between two placeholders of one period

# Okabe-Ito hues (colour-blind safe), orange and sky blue darkened so every colour has at
# least 3:1 contrast with the white background (WCAG 1.4.11); yellow left out.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07800", "#3C8DC6", "#000000"]
log = logging.getLogger(__name__)
KINDS = {"line": "Line chart", "bar": "Bar chart", "barh": "Bar chart", "stacked": "Stacked bar chart", "map": "Map"}
MAP_HEIGHT = 260
# A sequential scale for maps: perceptually even and readable with every kind of colour blindness.
MAP_SCHEME = "viridis"
MAP_EMPTY = "#d9d9d9"  # a feature whose value is hidden or missing: grey, with its S or n/a marker


@alt.theme.register("tally", enable=True)
def tally_theme():
    """The house style: colour-blind-safe palette, system fonts, sizes readable on a phone."""
    return alt.theme.ThemeConfig(config={
        "font": FONT,
        "range": {"category": PALETTE},
        "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelColor": "#333",
                 "titleColor": "#1b1b1b", "titleFontWeight": 600, "gridColor": "#e3e3e3",
                 "domainColor": "#767676", "tickColor": "#767676", "labelLimit": 180},
        "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "titleFontWeight": 600,
                   "orient": "bottom", "direction": "horizontal", "titleOrient": "top", "labelLimit": 220,
                   "symbolSize": 120, "columnPadding": 14},
        "header": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelFontWeight": 600},
        "title": {"fontSize": 16, "subtitleFontSize": FONT_SIZE, "anchor": "start", "color": "#1b1b1b",
                  "subtitleColor": "#444"},
        "mark": {"color": PALETTE[0]},
        "line": {"strokeWidth": 2.5},
        "point": {"size": 50, "filled": True},
        "bar": {"stroke": "white", "strokeWidth": 1},
        "text": {"fontSize": FONT_SIZE},
        "view": {"stroke": None},
        "background": "white",
    })


# -- which charts ---------------------------------------------------------------

def chart_views(dataset: Dataset) -> list[View]:
    """The package's renderable views (Plot views translated), or one default view when it has none."""
    return [view for _, view in chart_sources(dataset)]


def chart_sources(dataset: Dataset, profile: str = "sensitive", policy: Policy | None = None,
                  settings: dict | None = None) -> list[tuple[Dataset, View]]:
    """Each chart a dataset page draws, with the dataset to draw it from.

    The package's renderable views (Plot views translated), else one default view;
    a GeoJSON FeatureCollection gets a map (site/maps.py); under `--profile open` a
    table with nothing to measure gets bars of its rows per value. A chart with more
    series than colours can tell apart draws the few largest and the total (issue 15).
    The dataset is the package itself, or the package as the chart reads it: a year
    written as text taken for its period, the counted table, or the map's features.
    """
    views = [v for v in plot_views(dataset)
             if v.spec_type in ("tally", "vega-lite") and dataset.resource(v.resource)]
    if views:
        readable = [_readable(dataset.resource(v.resource), v) if v.spec_type == "tally" else v for v in views]
        return [(dataset, v) for v in readable if v is not None]
    for resource in dataset.tabular_resources:
        read = text_periods(resource)
        view = default_view(read)
        view = view and _readable(read, view)
        if view and _drawn_count(read, view) > DEFAULTS["TALLY_MAX_CHART_ROWS"]:
            # Nobody asked for this chart: leave it out rather than fail the build or draw a
            # million marks (issue 12). A declared view that large is refused at validation
            # (chart-size); a chart never sums cells, since a sum over hidden cells is no figure.
            log.warning("%s: no default chart of %s: it would draw more than %s rows (TALLY_MAX_CHART_ROWS); "
                        "declare a view with a filter, or over a total", dataset.slug, resource.name,
                        f"{DEFAULTS['TALLY_MAX_CHART_ROWS']:,}")
            continue
        if view:
            if read is resource:
                return [(dataset, view)]
            return [(dataclasses.replace(dataset, resources=[read if r is resource else r
                                                             for r in dataset.resources]), view)]
    policy = policy or Policy.of(dataset)
    maps = geo.map_sources(dataset, policy, settings)
    if maps:
        return maps
    if profile == "open":
        return counted_charts(dataset, policy)
    return []


# A column named as a period ("Year", "Fiscal year", "report_date") whose every value holds a
# four-digit year: CTData writes its years as text ("2010", "SFY 2004-2005").
PERIOD_NAME = re.compile(r"(^|[\s_-])(year|yr|date|month|quarter|period)s?$", re.I)
YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)")


def text_periods(resource: Resource) -> Resource:
    """The resource as a chart reads it: a period written as text taken for the period, when nothing else is.

    Only when every value holds a year and all are written alike ("SFY 2004-2005",
    "SFY 2005-2006"), so their text order is their time order. Only the chart reads
    the copy: validation and every other output read the package as it was.
    """
    if resource.time_field is not None:
        return resource
    for field in resource.fields:
        if field.type != "string" or field.declared_role or not PERIOD_NAME.search(field.name):
            continue
        values = {row.get(field.name) for row in resource.rows} - {None, ""}
        if len(values) < 2 or not all(YEAR_IN_TEXT.search(str(v)) for v in values):
            continue
        if len({re.sub(r"\d", "9", str(v)) for v in values}) != 1:
            continue  # "2009" beside "FY 2010-11": text order is not time order
        # Any precision marks the field a period (Field.is_time); the chart reads no more of it.
        period = periods.precision_of(next(iter(values))) or "year"
        fields = [Field({**f.descriptor, "tally:period": period}) if f is field else f for f in resource.fields]
        read = dataclasses.replace(resource, fields=fields)
        read.__dict__["rows"] = resource.rows  # the same rows, read once
        return read
    return resource


def counted_charts(dataset: Dataset, policy: Policy) -> list[tuple[Dataset, View]]:
    """For a package with nothing to measure, under `--profile open` only: bars of its rows per value.

    The view is drawn from the counted table (see foreign_views.counted_resource), so
    the returned dataset is the one to draw it with.
    """
    counted = counted_resource(dataset, policy, MAX_CATEGORIES)
    if counted is None:
        return []
    source, resource = counted
    view = default_view(resource)
    if view is None:
        return []
    title = f"Rows of {resource.title} by {resource.field(view.spec['x']).title}"
    view = _readable(resource, View(name="rows", title=title, resource=resource.name, spec_type="tally",
                                    spec={**view.spec, "description": resource.description}, generated=True))
    return [(source, view)] if view else []


def _readable(resource: Resource, view: View) -> View | None:
    if view.spec.get("color"):
        return trim_series(resource, view, MAX_SERIES)
    return trim_series(resource, view, MAX_CATEGORIES) if view.spec.get("mark") == "barh" else view


def default_view(resource: Resource) -> View | None:
    """A line over the period when there is one, else sorted bars over a category; None if neither fits."""
    measures = resource.fields_with_role("measure")
    if not measures:
        return None
    y = next((f for f in measures if f.is_count), measures[0])
    categories = [f for f in resource.fields_with_role("dimension") if not f.is_time]
    time = resource.time_field
    if time and len({row.get(time.name) for row in resource.rows} - {None}) < 2:
        time = None  # one period is no trend: compare the categories instead
    if time:
        spec = {"mark": "line", "x": time.name, "y": y.name}
        # Many series (a row per country) are drawn as the few largest: see _readable.
        colour = _series_field(resource, categories, limit=MAX_SERIES) or _many_levels_field(
            resource, categories, lambda f: {**spec, "color": f.name})
        if colour:
            spec["color"] = colour.name
    else:
        category = _series_field(resource, categories, limit=MAX_CATEGORIES) or _many_levels_field(
            resource, categories, lambda f: {"mark": "barh", "x": f.name, "y": y.name})
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


def _many_levels_field(resource, categories, spec_for):
    """The first categorical field with more levels than a chart can show that gives one row per mark."""
    for field in categories:
        if len({row.get(field.name) for row in resource.rows} - {None, field.total}) >= 2 and _one_row_per_mark(
                resource, spec_for(field)):
            return field
    return None


def _series_field(resource, categories, limit):
    """The first categorical field with between 2 and `limit` values in the data."""
    for field in categories:
        levels = {row.get(field.name) for row in resource.rows} - {None, field.total}
        if 2 <= len(levels) <= limit:
            return field
    return None


# -- the rows a chart draws -------------------------------------------------------

def chart_rows(dataset: Dataset, view: View) -> list[dict]:
    """The rows a view draws: filtered, totals left out, JSON-safe values (every row of a raw Vega-Lite view)."""
    resource = dataset.resource(view.resource)
    if view.spec_type == "vega-lite":  # its encodings are the author's: it gets every published row
        return [{k: json_value(v) for k, v in row.items()} for row in resource.rows]
    return list(_drawn(resource, view))


def _drawn(resource: Resource, view: View):
    """The rows a tally view draws, one at a time."""
    spec = view.spec
    wanted = spec.get("filter") or {}
    used = drawn_fields(view)
    y = resource.field(spec.get("y") or "")
    if y is not None and y.annotation and resource.field(y.annotation):
        used.append(y.annotation)  # so "Show as table" can say why a cell is empty
    for row in resource.rows:
        if not all(matches(row.get(name), value) for name, value in wanted.items()):
            continue
        if any(_is_total(resource, name, row.get(name)) and name not in wanted for name in used):
            continue
        yield {name: json_value(row.get(name)) for name in used}


def _drawn_count(resource: Resource, view: View) -> int:
    """How many rows a view draws, counted without gathering them."""
    if view.spec_type != "tally":
        return len(resource.rows)
    return sum(1 for _ in _drawn(resource, view))


def drawn_fields(view: View) -> list[str]:
    """The fields a tally view encodes, in table order: x, colour, facet, then y."""
    return [view.spec[k] for k in ("x", "color", "facet", "y") if view.spec.get(k)]


def _is_total(resource, name, value) -> bool:
    field = resource.field(name)
    return bool(field and field.total is not None and value == field.total)


_json_value = json_value  # the name other modules used before it moved to text.py


def chart_empty_cells(dataset: Dataset, view: View) -> EmptyCells:
    """How many of the chart's values are suppressed, and how many not available."""
    resource = dataset.resource(view.resource)
    y = view.spec.get("y")
    if view.spec_type != "tally" or not y:
        return EmptyCells()
    return empty_cells(resource, rows=chart_rows(dataset, view), names=[y])


def placeholder_rows(resource: Resource, view: View, rows: list[dict]) -> list[dict]:
    """The rows with MARK_FIELD ("S", "n/a"), AT_FIELD, SLOT_FIELD and STATUS_FIELD set.

    Every empty value gets its own placeholder, drawn in its series' colour so a
    reader can tell whose value is hidden (issue 11); placeholders of one period
    (and facet) are stacked upwards, one slot each, so they never pile up: on the
    baseline under a line or a bar, above the stack for `stacked`. A provisional
    or revised value gets STATUS_FIELD ("P", "R"), drawn over its mark.
    """
    spec = view.spec
    y = resource.field(spec["y"])
    code_field = y.annotation if y.annotation else None
    group_keys = [spec["x"]] + ([spec["facet"]] if spec.get("facet") else [])
    slots: dict[tuple, int] = defaultdict(int)
    tops: dict[tuple, float] = defaultdict(float)
    if spec["mark"] == "stacked":
        for row in rows:
            if row.get(y.name) is not None:
                tops[tuple(row.get(k) for k in group_keys)] += row[y.name]
    middles = _stack_middles(resource, spec, rows, group_keys) if spec["mark"] == "stacked" else {}
    out = []
    for row in rows:
        code = row.get(code_field) if code_field else None
        status = code if code in STATUS_CODES and row.get(y.name) is not None else None
        marked = {**row, MARK_FIELD: None, AT_FIELD: None, SLOT_FIELD: None, STATUS_FIELD: status,
                  STATUS_AT: middles.get(id(row), row.get(y.name)) if status else None}
        if row.get(y.name) is None:
            group = tuple(row.get(k) for k in group_keys)
            marked[MARK_FIELD] = SUPPRESSED_MARK if code == SUPPRESSED else MISSING_MARK
            marked[AT_FIELD] = tops[group] if spec["mark"] == "stacked" else 0
            marked[SLOT_FIELD] = slots[group] if spec["mark"] != "bar" or not spec.get("color") else 0
            slots[group] += 1
        out.append(marked)
    return out


def _stack_middles(resource: Resource, spec: dict, rows: list[dict], group_keys: list[str]) -> dict:
    """id(row) -> the middle of its segment in a stacked bar (stacked in the colour levels' order)."""
    colour, y = resource.field(spec.get("color") or ""), spec["y"]
    order = [lvl for lvl in colour.levels if lvl != colour.total] if colour else []
    rank = {lvl: i for i, lvl in enumerate(order)}
    below: dict[tuple, float] = defaultdict(float)
    middles = {}
    key = (lambda r: (rank.get(r.get(colour.name), len(rank)), str(r.get(colour.name)))) if colour else None
    for row in sorted(rows, key=key) if key else rows:
        if row.get(y) is None:
            continue
        group = tuple(row.get(k) for k in group_keys)
        middles[id(row)] = below[group] + row[y] / 2
        below[group] += row[y]
    return middles


# -- Vega-Lite --------------------------------------------------------------------

def vega_lite_spec(dataset: Dataset, view: View, description: str) -> dict:
    """Compile a view to a Vega-Lite spec with its rows inlined."""
    rows = chart_rows(dataset, view)
    if len(rows) > DEFAULTS["TALLY_MAX_CHART_ROWS"]:  # a declared view was refused at validation; a default one here
        raise BuildError(f'{dataset.slug}, view "{view.name}": the chart would draw {len(rows):,} rows, more than '
                         f'{DEFAULTS["TALLY_MAX_CHART_ROWS"]:,}; declare a view with a "filter" or over a total')
    if view.spec_type == "vega-lite":
        refused = spec_problems(view.spec)  # validation refused these already; never draw one that slipped by
        if refused:
            raise BuildError(f'{dataset.slug}, view "{view.name}": {refused[0]}')
        spec = {k: v for k, v in view.spec.items() if k not in ("data", "$schema")}
        return {**spec, "data": {"values": rows}, "description": description}
    resource = dataset.resource(view.resource)
    # Altair validates every inlined row against the Vega-Lite schema (seconds for a long
    # series), so the chart is compiled without rows and they are inlined afterwards. Not even
    # the spec is validated as it is built: that was a fifth of a cold build (issue 12). The
    # tests validate every spec the sample site and the real packages publish instead.
    marked = placeholder_rows(resource, view, rows)
    if view.spec["mark"] == "map":
        return _map_spec(resource, view, marked, description)
    extra = any(r[MARK_FIELD] or r[STATUS_FIELD] for r in marked)
    spec = _altair_chart(resource, view, rows, description, marked if extra else []).to_dict(validate=False)
    spec["data"] = {"values": marked if extra else rows}
    return spec


def _map_spec(resource: Resource, view: View, marked: list[dict], description: str) -> dict:
    """A map: every feature grey, those with a published value coloured over it, S or n/a at the others' middle.

    Each inlined row is a GeoJSON Feature Tally rebuilt (maps.py): its geometry and the
    chart's own fields, nothing else from the file. The spec is checked like a package's
    own Vega-Lite view, so nothing in it can fetch or link.
    """
    spec = view.spec
    x_field, y_field = resource.field(spec["x"]), resource.field(spec["y"])
    name = alt.Tooltip(f"{x_field.name}:N", title=x_field.title)
    value = alt.Tooltip(f"{y_field.name}:Q", title=y_field.title, format=number_format(y_field))
    outline = {"stroke": "#767676", "strokeWidth": 0.6}
    ground = alt.Chart().mark_geoshape(fill=MAP_EMPTY, **outline).encode(
        tooltip=[name, alt.Tooltip(f"{MARK_FIELD}:N", title="Not shown")])
    legend = alt.Legend(format=number_format(y_field), gradientLength=WIDTH - 60, title=_title_lines(
        axis_title(y_field), WIDTH))
    coloured = alt.Chart().mark_geoshape(**outline).encode(
        color=alt.Color(f"{y_field.name}:Q", title=axis_title(y_field), scale=alt.Scale(scheme=MAP_SCHEME),
                        legend=legend),
        tooltip=[name, value]).transform_filter(f"isValid(datum['{y_field.name}'])")
    # Above the feature's middle: a point feature is drawn there, and the marker must not cover it.
    markers = alt.Chart().mark_text(fontWeight="bold", color="#1b1b1b", dy=-12).encode(
        longitude=alt.Longitude("_lon:Q"), latitude=alt.Latitude("_lat:Q"), text=alt.Text(f"{MARK_FIELD}:N"),
        tooltip=[name, alt.Tooltip(f"{MARK_FIELD}:N", title="Not shown")],
    ).transform_filter(f"isValid(datum['{MARK_FIELD}']) && isValid(datum._lon)")
    chart = alt.layer(ground, coloured, markers, data=alt.Data(values=[])).properties(
        width=WIDTH, height=MAP_HEIGHT, description=description).project(type=spec["projection"])
    out = chart.to_dict(validate=False)
    refused = spec_problems({k: v for k, v in out.items() if k not in ("data", "$schema")})
    if refused:  # the spec is Tally's own: a problem here is a bug, never drawn
        raise BuildError(f'view "{view.name}": {refused[0]}')
    values = []
    for row, source in zip(marked, resource.rows):
        at = source[geo.AT] or [None, None]
        values.append({"type": "Feature", "geometry": source[geo.GEOMETRY], **row, "_lon": at[0], "_lat": at[1]})
    out["data"] = {"values": values}
    return out


def axis_title(field: Field) -> str:
    """A measure's axis title with its unit, unless the title already says it: "Arrests (adults)"."""
    unit = field.unit
    if field.kind == "percentage" and unit in ("", "percent", "%"):
        unit = "%"
    if unit and unit.lower() not in field.title.lower():
        return f"{field.title} ({unit})"
    return field.title


def number_format(field: Field) -> str:
    """The d3 format for a measure: thousands separators; whole numbers for counts."""
    return ",d" if field.type == "integer" else ",~r" if field.kind in ("percentage", "rate") else ",~g"


def _altair_chart(resource: Resource, view: View, rows: list[dict], description: str, marked: list[dict] | None = None):
    spec = view.spec
    mark = spec["mark"]
    x_field, y_field = resource.field(spec["x"]), resource.field(spec["y"])
    colour = resource.field(spec["color"]) if spec.get("color") else None
    facet = resource.field(spec["facet"]) if spec.get("facet") else None
    y_title = _title_lines(axis_title(y_field), (HEIGHT // 2 if facet else HEIGHT) if mark != "barh" else WIDTH)
    y_axis = alt.Axis(format=number_format(y_field), tickMinStep=1 if y_field.type == "integer" else alt.Undefined)
    y = alt.Y(f"{y_field.name}:Q", title=y_title, axis=y_axis)
    x_type = "T" if x_field.type in ("date", "datetime", "yearmonth") else "O"
    x_values = sorted({r[x_field.name] for r in rows if r.get(x_field.name) is not None}, key=str)
    width = (WIDTH - 40) // 2 if facet else WIDTH
    angle = _label_angle(x_values, width) if x_type == "O" else 0
    # Slanted labels of a few dozen periods all fit; only a long series needs thinning.
    x_axis = alt.Axis(labelAngle=angle, labelOverlap=len(x_values) > MAX_CATEGORIES if x_type == "O" else True)
    x = alt.X(f"{x_field.name}:{x_type}", title=x_field.title, axis=x_axis,
              **({"sort": x_values} if x_type == "O" else {}))
    tooltip = [alt.Tooltip(f"{x_field.name}:{x_type}", title=x_field.title),
               alt.Tooltip(f"{y_field.name}:Q", title=y_field.title, format=number_format(y_field))]
    encodings = {"x": x, "y": y}
    colour_sort, legend, domain = None, None, alt.Undefined
    if colour:
        levels = [lvl for lvl in colour.levels if lvl != colour.total] or sorted(
            {r[colour.name] for r in rows if r.get(colour.name) is not None}, key=str)
        shown = (spec.get("filter") or {}).get(colour.name)
        if isinstance(shown, list):
            levels = shown  # only the series drawn, the total first (foreign_views.trim_series)
        colour_sort = levels or None
        legend = alt.Legend(columns=_legend_columns(levels, width))
        # The order of the levels is the scale's domain; a line chart carries no `sort` (Vega-Lite
        # will not merge its colour and shape legends with one), bars keep it for the stack order.
        domain = alt.Scale(domain=levels) if levels else alt.Undefined
        encodings["color"] = alt.Color(f"{colour.name}:N", title=colour.title, scale=domain, legend=legend,
                                       sort=colour_sort if mark != "line" else alt.Undefined)
        tooltip.insert(1, alt.Tooltip(f"{colour.name}:N", title=colour.title))
    if facet:
        tooltip.insert(1, alt.Tooltip(f"{facet.name}:N", title=facet.title))
    encodings["tooltip"] = tooltip

    base = alt.Chart()
    extra = []  # layers drawn over the main marks
    placeholder = {"x": x}
    if mark == "line":
        # Vega-Lite's default "filter" joins a line across a missing value; a suppressed
        # cell must show as a break, never as a slope.
        base = base.mark_line(invalid="break-paths-show-domains")
        if len(x_values) <= MAX_POINTS:
            # Points in a shape per series as well as a colour, so series are never told
            # apart by colour alone (WCAG 1.4.1); the legend shows both.
            point = {k: v for k, v in encodings.items()}
            if colour:
                point["shape"] = alt.Shape(f"{colour.name}:N", title=colour.title, scale=domain, legend=legend)
                # The lines take their colour through `stroke` (same palette, same order, same
                # legend), so the one merged legend shows each series' colour and shape.
                encodings.pop("color")
                encodings["stroke"] = alt.Stroke(f"{colour.name}:N", title=colour.title, scale=domain,
                                                 legend=legend)
            extra.append(alt.Chart().mark_point(filled=True, size=55, opacity=1).encode(**point))
            encodings.pop("tooltip")
        placeholder["y"] = alt.Y(datum=0, title=y_title)
    elif mark == "barh":
        encodings["x"] = alt.X(f"{y_field.name}:Q", title=y_title, axis=y_axis)
        # Largest first, an empty value after every published one: an explicit order, since a
        # sort by "-x" breaks the placeholder layer, whose x is a constant (Vega-Lite fails on it).
        order = _largest_first(rows, x_field.name, y_field.name)
        encodings["y"] = alt.Y(f"{x_field.name}:N", title=x_field.title, sort=order)
        base = base.mark_bar()
        placeholder = {"y": alt.Y(f"{x_field.name}:N", title=x_field.title, sort=order),
                       "x": alt.X(datum=0, title=y_title)}
    else:
        base = base.mark_bar()
        if mark == "bar" and colour:
            encodings["xOffset"] = alt.XOffset(f"{colour.name}:N", sort=colour_sort)
            placeholder["xOffset"] = encodings["xOffset"]
        placeholder["y"] = alt.Y(f"{AT_FIELD}:Q", title=y_title, stack=None) if mark == "stacked" else alt.Y(
            datum=0, title=y_title)
    base = base.encode(**encodings)
    marked = marked or []
    series = {}
    if colour:  # placeholders and P/R marks take their series' colour (the legend is the chart's own)
        series["color"] = alt.Color(f"{colour.name}:N", scale=domain, legend=None)
    where = [alt.Tooltip(f"{x_field.name}:{x_type}", title=x_field.title)] + (
        [alt.Tooltip(f"{colour.name}:N", title=colour.title)] if colour else []) + (
        [alt.Tooltip(f"{facet.name}:N", title=facet.title)] if facet else [])
    slots = max((r[SLOT_FIELD] for r in marked if r[SLOT_FIELD] is not None), default=-1) + 1
    for slot in range(slots):
        offset = {"align": "left", "dx": 5} if mark == "barh" else {"dy": -9 - SLOT_HEIGHT * slot}
        extra.append(alt.Chart().mark_text(fontWeight="bold", color="#333", **offset).encode(
            text=alt.Text(f"{MARK_FIELD}:N"),
            tooltip=where + [alt.Tooltip(f"{MARK_FIELD}:N", title="Not shown")],
            **placeholder, **series,
        ).transform_filter(f"isValid(datum['{MARK_FIELD}']) && datum['{SLOT_FIELD}'] == {slot}"))
    if any(r[STATUS_FIELD] for r in marked):
        # A provisional (P) or revised (R) value: its letter over the point, beside the bar, or in
        # the middle of its stacked segment (in white there, on the segment's colour).
        at = {"barh": {"x": alt.X(f"{STATUS_AT}:Q", title=y_title), "y": encodings["y"]}}.get(
            mark, {"x": x, "y": alt.Y(f"{STATUS_AT}:Q", title=y_title, stack=None)})
        if mark == "bar" and colour:
            at["xOffset"] = encodings["xOffset"]
        style = ({"dy": 5, "color": "white"} if mark == "stacked" else
                 {"align": "left", "dx": 5} if mark == "barh" else {"dy": -12})
        extra.append(alt.Chart().mark_text(fontWeight="bold", fontSize=12, **style).encode(
            text=alt.Text(f"{STATUS_FIELD}:N"),
            tooltip=where + [alt.Tooltip(f"{y_field.name}:Q", title=y_field.title, format=number_format(y_field)),
                             alt.Tooltip("_status_text:N", title="Status")],
            **at, **({} if mark == "stacked" else series),
        ).transform_filter(f"isValid(datum['{STATUS_FIELD}'])").transform_calculate(
            _status_text=f"datum['{STATUS_FIELD}'] == 'P' ? 'Provisional: may be revised' : 'Revised'"))
    if mark == "barh":
        size = {"width": width, "height": alt.Step(BAR_STEP)}
    else:
        size = {"width": width, "height": HEIGHT // 2 if facet else HEIGHT}
    layers = [layer.properties(**size) for layer in [base, *extra]]
    if facet:
        return alt.layer(*layers).facet(
            facet=alt.Facet(f"{facet.name}:N", title=facet.title,
                            sort=[lvl for lvl in facet.levels if lvl != facet.total] or alt.Undefined),
            columns=2, data=alt.Data(values=[])).properties(description=description)
    return alt.layer(*layers, data=alt.Data(values=[])).properties(description=description)


def _largest_first(rows: list[dict], category: str, value: str) -> list:
    """The categories by their published values' sum, largest first; those with none last, by name."""
    sums: dict = {}
    for row in rows:
        level = row.get(category)
        if level is None:
            continue
        sums.setdefault(level, None)
        if row.get(value) is not None:
            sums[level] = (sums[level] or 0) + row[value]
    return sorted(sums, key=lambda lvl: (sums[lvl] is None, -(sums[lvl] or 0), str(lvl)))


def _title_lines(text: str, room: int):
    """An axis title that would not fit along its axis, as lines (Vega-Lite draws a list as lines)."""
    room = int(room * 0.85)  # bold titles run wider than labels
    if len(text) * CHAR_WIDTH <= room:
        return text
    lines, line = [], ""
    for word in text.split():
        if line and len(line + " " + word) * CHAR_WIDTH > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def _label_angle(labels: list, width: int) -> int:
    """Slant period labels only when they would not fit side by side."""
    needed = sum(len(str(label)) * CHAR_WIDTH + 4 for label in labels)
    return 0 if needed <= width else -45


def _legend_columns(levels: list, width: int) -> int:
    longest = max([len(str(lvl)) for lvl in levels] or [1])
    column = longest * CHAR_WIDTH + 30
    return max(1, min(len(levels), int((width + 40) // column)))


# -- text -------------------------------------------------------------------------

def describe(dataset: Dataset, view: View, policy: Policy | None = None) -> str:
    """The text alternative: what the chart shows (the view's own words, else generated) and its main pattern.

    Every count a sentence quotes is asked of the dataset's Policy first: one the privacy
    gate should have stopped stops the build here, without its value in the message.
    """
    resource = dataset.resource(view.resource)
    lead = str(view.spec.get("description") or "").strip()
    if view.spec_type != "tally":
        return lead or f"Chart of {resource.title}."
    spec = view.spec
    x_field, y_field = resource.field(spec["x"]), resource.field(spec["y"])
    if not lead:
        lead = f"{KINDS[spec['mark']]} of {_in_sentence(y_field.title)} by {x_field.title.lower()}"
        for key_name, word in (("color", "one " + ("series" if spec["mark"] == "line" else "colour") + " per"),
                               ("facet", "one small chart per")):
            if spec.get(key_name):
                lead += f", {word} {resource.field(spec[key_name]).title.lower()}"
        lead += "."
    parts = [lead if lead.endswith((".", "!", "?")) else lead + "."]
    rows = chart_rows(dataset, view)
    if y_field.is_count:
        policy = policy or Policy.of(dataset)
        if any(not policy.may_show(r.get(y_field.name)) for r in rows if r.get(y_field.name) is not None):
            raise BuildError(f'{dataset.slug}: view "{view.name}" would describe a count of {y_field.name} below '
                             f"the threshold ({policy.threshold}); run publish.py validate and suppress it")
    pattern = _pattern(resource, view, rows)
    if pattern:
        parts.append(pattern)
    cells = chart_empty_cells(dataset, view)
    hidden = []
    if cells.suppressed:
        hidden.append(f"{plural(cells.suppressed, 'value')} suppressed to protect privacy")
    if cells.not_available:
        hidden.append(f"{plural(cells.not_available, 'value')} not available")
    if hidden:
        parts.append(" and ".join(hidden).capitalize() + ", not shown as zero.")
    return " ".join(parts)


def _in_sentence(title: str) -> str:
    """A title inside a sentence: "Arrests" becomes "arrests"; "CLOSE" and "VIXOpen" keep their capitals."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _pattern(resource: Resource, view: View, rows: list[dict]) -> str:
    """The main pattern in words: first and last period and the change, or the highest and lowest bar.

    Hidden values (S, N) are never left out silently: an order is stated only among
    the published values and says so, and a change is stated only over a stretch with
    no hidden value in it (issue 11: "the lowest is Harbor Station" in a quarter where
    three stations were hidden; "no change" across three hidden quarters).
    """
    spec = view.spec
    x_field, y_field = resource.field(spec["x"]), resource.field(spec["y"])
    series_keys = [k for k in ("facet", "color") if spec.get(k)]
    if not any(r.get(y_field.name) is not None for r in rows):
        return ""
    if not x_field.is_time:
        name = lambda r: ", ".join(str(r[spec[k]]) for k in ("x", "color", "facet") if spec.get(k))  # noqa: E731
        return _extremes(rows, y_field, name, _noun(resource, spec, ["x", "color", "facet"]))
    series: dict[tuple, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: str(r[x_field.name])):
        series[tuple(row.get(spec[k]) for k in series_keys)].append(row)
    periods = sorted({str(r[x_field.name]) for r in rows if r.get(x_field.name) is not None})
    latest = periods[-1]
    if len(series) == 1:
        return _trend(next(iter(series.values())), x_field, y_field, "it", latest)
    if len(series) <= 4:
        return " ".join(_trend(points, x_field, y_field, ", ".join(str(k) for k in name), latest)
                        for name, points in series.items())
    last = [r for r in rows if str(r[x_field.name]) == latest]
    label = lambda r: ", ".join(str(r[spec[k]]) for k in series_keys)  # noqa: E731
    text = _extremes(last, y_field, label, _noun(resource, spec, ["color", "facet"]))
    return f"In {latest}, {text[:1].lower() + text[1:]}" if text else ""


def _extremes(rows: list[dict], y_field: Field, name, noun: str) -> str:
    """The highest and lowest of `rows`; when some are hidden, only "of those with published figures"."""
    shown = [r for r in rows if r.get(y_field.name) is not None]
    if not shown:
        return ""
    hidden = _hidden_words(rows, y_field)
    if len(shown) == 1:
        return (f"Only {name(shown[0])} has a published figure, {_amount(shown[0][y_field.name], y_field)}; "
                f"{hidden}.")
    top_value = max(r[y_field.name] for r in shown)
    low_value = min(r[y_field.name] for r in shown)
    tops = " and ".join(name(r) for r in shown if r[y_field.name] == top_value)
    lows = " and ".join(name(r) for r in shown if r[y_field.name] == low_value)
    if top_value == low_value:
        sentence = f"all {len(shown)} have {_amount(top_value, y_field)}"
    else:
        sentence = (f"the highest is {tops} with {_amount(top_value, y_field)}; "
                    f"the lowest is {lows} with {_amount(low_value, y_field)}")
    if hidden:
        return f"Of the {len(shown)} {noun} with published figures, {sentence}; {hidden}."
    return sentence[:1].upper() + sentence[1:] + "."


def _hidden_words(rows: list[dict], y_field: Field, where: str = "") -> str:
    """"2 are suppressed to protect privacy and 1 is not available" ("" when nothing is hidden).

    With `where` ("between them"), the count is of values: "2 values between them are suppressed …".
    """
    codes = [_empty_code(r, y_field) for r in rows if r.get(y_field.name) is None]
    parts = []
    for suppressed, words in ((True, "suppressed to protect privacy"), (False, "not available")):
        n = sum(1 for c in codes if (c == SUPPRESSED) == suppressed)
        if n:
            counted = f"{plural(n, 'value')} {where}" if where else str(n)
            parts.append(f"{counted} {'is' if n == 1 else 'are'} {words}")
    return " and ".join(parts)


def _empty_code(row: dict, y_field: Field) -> str:
    return row.get(y_field.annotation) or "" if y_field.annotation else ""


def _noun(resource: Resource, spec: dict, keys: list[str]) -> str:
    """What the compared things are, in the plural: "station areas", "types of arrest"."""
    titles = [resource.field(spec[k]).title for k in keys if spec.get(k) and resource.field(spec[k])]
    if len(titles) != 1:
        return "values"
    words = titles[0].lower().split()
    head = 0 if "of" in words[1:2] else len(words) - 1  # "type of arrest": the first word is the noun
    word = words[head]
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        word = word[:-1] + "ies"
    elif not word.endswith("s"):
        word += "es" if word.endswith(("sh", "ch", "x")) else "s"
    words[head] = word
    return " ".join(words)


def _trend(points: list[dict], x_field: Field, y_field: Field, subject: str, latest: str) -> str:
    """One series from its first to its last published value; a change only when nothing between is hidden."""
    subject = subject[:1].upper() + subject[1:]
    shown = [i for i, r in enumerate(points) if r.get(y_field.name) is not None]
    if not shown:
        return f"{subject}: every value is hidden ({_hidden_words(points, y_field)})."
    first, last = points[shown[0]], points[shown[-1]]
    a, b = first[y_field.name], last[y_field.name]
    between = points[shown[0] + 1:shown[-1]]
    hidden_between = [r for r in between if r.get(y_field.name) is None]
    if first is last:
        text = f"{subject}: {_amount(b, y_field)} in {last[x_field.name]}."
    elif not hidden_between:
        text = (f"{subject} went from {_amount(a, y_field)} in {first[x_field.name]} "
                f"to {_amount(b, y_field)} in {last[x_field.name]}, {change_words(a, b, y_field)}.")
    else:
        text = (f"{subject} was {_amount(a, y_field)} in {first[x_field.name]} and {_amount(b, y_field)} in "
                f"{last[x_field.name]}; {_hidden_words(hidden_between, y_field, 'between them')}, "
                "so no change is stated.")
    if str(last[x_field.name]) != latest:
        final = next((r for r in points if str(r[x_field.name]) == latest), None)
        if final is None:
            text += f" There is no figure for {latest}."
        else:
            reason = "suppressed to protect privacy" if _empty_code(final, y_field) == SUPPRESSED else "not available"
            text += f" The value for {latest} is {reason}."
    return text


def change_words(a, b, field: Field) -> str:
    """The change from a to b in words: "up 12 (6%)", "down 3 points", "no change"."""
    difference = b - a
    if difference == 0:
        return "no change"
    direction = "up" if difference > 0 else "down"
    if field.kind in ("percentage", "rate"):
        return f"{direction} {format_value(_tidy(abs(difference)))} points"
    text = f"{direction} {format_value(_tidy(abs(difference)))}"
    if a > 0:
        text += f" ({percent(abs(difference), a)})"
    return text


def _tidy(value):
    return round(value, 6) if isinstance(value, float) else value


def _amount(value, field: Field) -> str:
    unit = field.unit
    if field.kind == "percentage" and unit in ("", "percent", "%"):
        return f"{format_value(value)}%"
    return f"{format_value(value)} {singular(unit) if value == 1 else unit}".strip()


def singular(unit: str) -> str:
    """A plural unit for a count of one: "1 class", "1 operation" ("children" and "people" stay)."""
    if unit.endswith(("sses", "ches", "shes", "xes")):
        return unit[:-2]
    if unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def chart_status_cells(dataset: Dataset, view: View) -> StatusCells:
    """How many of the chart's values are provisional, and how many revised."""
    y = view.spec.get("y")
    if view.spec_type != "tally" or not y:
        return StatusCells()
    return status_cells(dataset.resource(view.resource), rows=chart_rows(dataset, view), names=[y])


def chart_note(cells: EmptyCells, mark: str, status: StatusCells | None = None) -> str:
    """The note under a chart: how many values are hidden, missing, provisional or revised, and how each is marked."""
    sentences = []
    if cells.suppressed:
        n = plural(cells.suppressed, "value")
        sentences.append({
            "line": f"{n} suppressed to protect privacy: the line breaks there and “S” marks the period.",
            "stacked": f"{n} suppressed to protect privacy: left out of the stacks marked “S”, so those bars "
                       "are shorter than the true total.",
            "map": f"{n} suppressed to protect privacy: drawn grey and marked “S”.",
        }.get(mark, f"{n} suppressed to protect privacy, marked “S” where the bar would be."))
    if cells.not_available:
        sentences.append(f"{plural(cells.not_available, 'value')} not available (no data collected), "
                         + ("drawn grey and " if mark == "map" else "") + "marked “n/a”.")
    if sentences:
        sentences.append("Neither is zero.")
    status = status or StatusCells()
    if status.provisional:
        n = plural(status.provisional, "value")
        sentences.append(f"{n} {'is' if status.provisional == 1 else 'are'} provisional, marked “P”: "
                         "they may be revised in the next release.")
    if status.revised:
        n = plural(status.revised, "value")
        sentences.append(f"{n} {'was' if status.revised == 1 else 'were'} revised since the previous release, "
                         "marked “R”.")
    return " ".join(sentences)


# -- rendering ----------------------------------------------------------------------

@contextlib.contextmanager
def drawing(dataset: Dataset, view: View):
    """Turn a renderer failure into one line naming the dataset and the view, never a JavaScript stack."""
    try:
        yield
    except (ValueError, RuntimeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BuildError(f'{dataset.slug}, view "{view.name}": the chart could not be drawn: {quoted(first, 200)}; '
                         "check the view's spec, or filter it to fewer rows") from None


def render_svg(spec: dict, description: str, cache: Cache | None = None) -> str:
    """Render a Vega-Lite spec to an accessible inline SVG, cached by the spec's hash."""
    cache_key = key("svg", spec, description, getattr(vl_convert, "__version__", ""), VEGA_LITE_VERSION)
    cached = cache.get_bytes(cache_key) if cache else None
    if cached is not None:
        return cached.decode()
    svg = trim_precision(vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[]))
    # role="img" with a label makes the chart one object to a screen reader; the
    # caption and the table beside it carry the words and the numbers.
    label = html.escape(description, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    if cache:
        cache.put_bytes(cache_key, svg.encode())
    return svg


GEOMETRY = re.compile(r'\b(d|transform|points|x|y|x1|x2|y1|y2|width|height)="([^"]*)"')
LONG_DECIMAL = re.compile(r"(-?\d+\.\d)\d+")


def trim_precision(svg: str) -> str:
    """Cut coordinates to a tenth of a pixel: a long series' paths shrink by half, nothing visibly moves."""
    def shorten(match):
        return '%s="%s"' % (match.group(1), LONG_DECIMAL.sub(r"\1", match.group(2)))

    return GEOMETRY.sub(shorten, svg)


def export_spec(spec: dict, title: str, lines: list[str]) -> dict:
    """The spec for a chart file that travels alone (PNG, SVG): its title and source drawn in."""
    spec = copy.deepcopy(spec)
    spec["title"] = {"text": title, "subtitle": [line for line in lines if line]}
    spec["padding"] = 12
    return spec


def render_file_svg(spec: dict, title: str, description: str, cache: Cache | None = None) -> bytes:
    """A standalone SVG file with <title> and <desc>, for download."""
    cache_key = key("file-svg", spec, title, description, VEGA_LITE_VERSION)
    cached = cache.get_bytes(cache_key) if cache else None
    if cached is not None:
        return cached
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
    start = svg.index(">", svg.index("<svg")) + 1
    svg = (svg[:start].replace("<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1)
           + f'<title id="chart-title">{html.escape(title)}</title><desc id="chart-desc">{html.escape(description)}'
           + "</desc>" + svg[start:])
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n").encode("utf-8")
    if cache:
        cache.put_bytes(cache_key, data)
    return data


def render_png(spec: dict, cache: Cache | None = None) -> bytes:
    """A PNG of the chart at twice its size (sharp on high-density screens and in print)."""
    cache_key = key("png", spec, PNG_SCALE, VEGA_LITE_VERSION, getattr(vl_convert, "__version__", ""))
    cached = cache.get_bytes(cache_key) if cache else None
    if cached is not None:
        return cached
    png = bytes(vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=PNG_SCALE,
                                           allowed_base_urls=[]))
    if cache:
        cache.put_bytes(cache_key, png)
    return png


def spec_json(spec: dict) -> str:
    """The spec as compact JSON, safe to place inside a <script type="application/json">."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
