"""Charts for packages written elsewhere: Observable Plot views translated, many series trimmed.

Packages from other publishers (Datahub's core datasets, say) carry views for
other tools and tables with hundreds of series (a row per country). Tally draws
them with its own house charts (charts.py) so every chart on the site looks,
reads and protects the same way (issue 15):

- an Observable Plot view (`specType: "plot"`) whose data marks are `line`,
  `barY`, `barX`, `dot` or `areaY`, with `x`, `y`, `stroke` and `fill` channels
  naming fields, becomes a Tally view; anything else is not drawn and the
  reason goes to the build log (the package then gets its other views, or the
  default chart);
- a chart with more series than colours can tell apart draws the few largest,
  plus the total where there is one; the caption says which, and "Show as
  table" lists every other series at the period they were ranked by;
- a table with nothing to measure (a code list, a list of cities) gets, under
  `--profile open` only, bars of how many rows each value of its first
  grouping field has: counts Tally makes itself, so each goes through Policy, and
  one it hides is drawn as the site's "S" marker.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter, defaultdict

from tally.core.annotations import SUPPRESSED
from tally.core.dataset import Dataset, Field, Resource, View
from tally.core.errors import Untranslatable
from tally.privacy.policy import Policy
from tally.site.text import json_value

log = logging.getLogger(__name__)

LARGEST_BARS = 15  # bars drawn when a category has too many to compare on a phone
# A level that names the whole when a package declares no `tally:total` ("World" in
# the World Bank tables Datahub republishes).
TOTAL_NAME = re.compile(r"^(total|grand total|all|all .+|overall|world)$", re.I)

DATA_MARKS = ("line", "barY", "barX", "dot", "areaY")
# Marks that draw no data from the resource (reference rules, labels, frames): left
# out, since their text and positions are the author's own and Tally draws its own axes.
DECORATION_MARKS = ("ruleX", "ruleY", "text", "frame", "gridX", "gridY", "axisX", "axisY", "tip", "crosshair")
CHANNELS = ("x", "y", "stroke", "fill")
# Options that change only how a mark looks; the house style replaces them.
STYLE_OPTIONS = ("type", "strokeWidth", "strokeOpacity", "strokeDasharray", "fillOpacity", "opacity", "tip",
                 "curve", "marker", "sort", "r", "title")
# Top-level Plot options that only style or size the chart (a `filter` or transform would change the data).
PLOT_OPTIONS = ("marks", "height", "width", "margin", "marginLeft", "marginRight", "marginTop", "marginBottom",
                "x", "y", "color", "grid", "style", "title", "subtitle", "caption", "dateFields")


def translate_plot(view: View, resource: Resource) -> View:
    """The Tally view drawing the same data as a Plot view; Untranslatable if none does."""
    spec = view.spec
    unknown = sorted(k for k in spec if k not in PLOT_OPTIONS)
    if unknown:
        raise Untranslatable(f"option {unknown[0]!r} changes what is drawn")
    marks = [m for m in spec.get("marks") or [] if isinstance(m, dict)]
    data_marks = [m for m in marks if "staticData" not in m and m.get("type") not in DECORATION_MARKS]
    if len(data_marks) != 1:
        raise Untranslatable(f"{len(data_marks)} data marks (one is translated)")
    mark = data_marks[0]
    if mark.get("type") not in DATA_MARKS:
        raise Untranslatable(f"mark {mark.get('type')!r} (translated: {', '.join(DATA_MARKS)})")
    extra = sorted(k for k in mark if k not in CHANNELS + STYLE_OPTIONS)
    if extra:
        raise Untranslatable(f"{mark['type']} channel or option {extra[0]!r}")
    channels = {}
    for name in CHANNELS:
        value = mark.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise Untranslatable(f"{name} is a transform, not a field")
        if resource.field(value):
            channels[name] = value
        elif name in ("x", "y"):
            raise Untranslatable(f"{name} names {value!r}, not a field of {resource.name!r}")
        # else a constant colour ("#0369a1"): the house palette draws it instead
    tally = _house_spec(mark["type"], channels, resource)
    return View(name=view.name, title=view.title, resource=resource.name, spec_type="tally",
                spec={**tally, **({"description": view.spec["description"]} if "description" in view.spec else {})})


def _house_spec(kind: str, channels: dict, resource: Resource) -> dict:
    x, y = channels.get("x"), channels.get("y")
    series = channels.get("stroke") or channels.get("fill")
    if kind == "barX":  # horizontal bars: Plot's y is the category, x the value
        x, y = y, x
    if not x or not y:
        raise Untranslatable(f"{kind} needs both x and y fields")
    if resource.field(y).role != "measure":
        if kind == "dot" and resource.field(x).role == "measure":
            x, y = y, x  # a dot plot of values against categories
        else:
            raise Untranslatable(f"{y!r} is not a measure")
    over_time = resource.field(x).is_time
    if kind == "dot" and resource.field(x).role == "measure":
        raise Untranslatable("a scatter plot of two measures (no house chart)")
    if kind in ("barY", "barX", "areaY") and series:
        mark = "stacked"  # Plot stacks bars and areas that share a position
    elif kind in ("line", "areaY") or (kind == "dot" and over_time):
        mark = "line"
    elif kind == "barY" or over_time:
        mark = "bar"
    else:
        mark = "barh"
    spec = {"mark": mark, "x": x, "y": y}
    if series and series not in (x, y):
        spec["color"] = series
    return spec


def plot_views(dataset) -> list[View]:
    """The dataset's views, Plot views translated; the ones that cannot be are left out with a note in the build log."""
    out = []
    for view in dataset.views:
        if view.spec_type != "plot":
            out.append(view)
            continue
        resource = dataset.resource(view.resource)
        try:
            if resource is None or not resource.tabular:
                raise Untranslatable(f"{view.resource!r} is not a table of this package")
            out.append(translate_plot(view, resource))
        except Untranslatable as reason:
            log.warning('%s: view "%s" (Observable Plot) is not drawn: %s; the page shows the other views '
                        "or the default chart", dataset.slug, view.name, reason)
    return out


# -- many series --------------------------------------------------------------------

def trim_series(resource: Resource, view: View, limit: int) -> View | None:
    """The view drawing only the few largest series of its colour (or bar) field, plus the total.

    None when no honest few can be picked (the values tie across the cut).
    """
    spec = view.spec
    key = spec.get("color") or (spec["x"] if spec["mark"] == "barh" else None)
    if not key or isinstance((spec.get("filter") or {}).get(key), (str, int, float)):
        return view
    field = resource.field(key)
    levels = _levels(resource, key, spec)
    if len(levels) <= limit:
        return view
    period, ranked, period_values = _ranked(resource, spec, key, levels)
    total = field.total if field.total in levels else next((lvl for lvl in levels if TOTAL_NAME.match(str(lvl))),
                                                           None)
    room = (limit - (total is not None)) if key == spec.get("color") else LARGEST_BARS
    largest = _cut([lvl for lvl in ranked if lvl != total], room, period_values)
    if not largest:
        return None  # every candidate ties with the next: "the largest" would be an arbitrary pick
    shown = ([total] if total is not None else []) + largest
    rest = len(levels) - len(shown)
    if spec["mark"] == "stacked":
        # A stack of only some parts would read as the whole: the few largest are drawn side by side.
        spec = {**spec, "mark": "line" if resource.field(spec["x"]).is_time else "bar"}
    where = f" in {period}" if period is not None else ""
    words = (f"{_kind(spec)} of {_lower(resource.field(spec['y']).title)} by {_lower(resource.field(spec['x']).title)} "
             f"for the {len(largest)} largest of {len(levels)} {_lower(field.title)} values{where} "
             f"({', '.join(str(lvl) for lvl in largest)})")
    if total is not None:
        words += f" and {total}, the total"
    words += f"; the other {rest} are listed in the table."
    lead = str(spec.get("description") or "").strip()
    description = f"{lead} {words}" if lead else words
    filters = {**(spec.get("filter") or {}), key: [json_value(v) for v in shown]}
    return View(name=view.name, title=view.title, resource=view.resource, spec_type=view.spec_type,
                spec={**spec, "filter": filters, "description": description,
                      "_ranked_at": json_value(period)},
                generated=view.generated)


def _levels(resource: Resource, key: str, spec: dict) -> list:
    """The field's levels in rows the view keeps, in first-seen order."""
    wanted = {k: v for k, v in (spec.get("filter") or {}).items() if k != key}
    seen = {}
    for row in resource.rows:
        if row.get(key) is None or any(not matches(row.get(k), v) for k, v in wanted.items()):
            continue
        seen.setdefault(row[key], None)
    return list(seen)


def _ranked(resource: Resource, spec: dict, key: str, levels: list) -> tuple:
    """The period ranked by and the levels largest first there (ties by name, so builds repeat).

    The period is the latest one where at least half the series have a value, so
    a latest year reported by few countries does not decide which are drawn.
    """
    y, x = spec["y"], spec["x"]
    over_time = key != x and resource.field(x) is not None and resource.field(x).is_time
    values: dict = defaultdict(dict)
    for row in resource.rows:
        if row.get(y) is None or row.get(key) not in levels:
            continue
        values[row.get(x) if over_time else None][row[key]] = row[y]
    periods = sorted(values, key=lambda p: (p is None, str(p)))
    period = next((p for p in reversed(periods) if len(values[p]) * 2 >= len(levels)), periods[-1] if periods else None)
    at = values.get(period, {})
    ranked = sorted(levels, key=lambda lvl: (lvl not in at, -(at.get(lvl) or 0), str(lvl)))
    return (period if over_time else None), ranked, at


def _cut(ranked: list, room: int, values: dict) -> list:
    """The first `room` levels, fewer where the cut would split a tie (which of equals to draw is arbitrary)."""
    shown = ranked[:room]
    if len(ranked) > room and shown and values.get(ranked[room]) is not None:
        tied = values.get(ranked[room])
        shown = [lvl for lvl in shown if values.get(lvl) != tied]
    return shown


def matches(value, wanted) -> bool:
    """Whether a cell passes a view's filter: one level, or any of a list of levels."""
    if isinstance(wanted, list):
        return str(json_value(value)) in {str(w) for w in wanted}
    return str(json_value(value)) == str(wanted)


def table_rows(resource: Resource, view: View, drawn: list[dict]) -> list[dict]:
    """The rows "Show as table" lists: the drawn ones, then each series left out, at the period ranked by."""
    if "_ranked_at" not in view.spec:
        return drawn
    spec = view.spec
    key = spec.get("color") or spec["x"]
    shown = {str(v) for v in spec["filter"][key]}
    period = spec["_ranked_at"]
    names = list(drawn[0]) if drawn else [spec["x"], key, spec["y"]]
    others = {k: v for k, v in spec["filter"].items() if k != key}
    rest = [r for r in resource.rows
            if str(json_value(r.get(key))) not in shown
            and (period is None or key == spec["x"] or str(json_value(r.get(spec["x"]))) == str(period))
            and all(matches(r.get(k), v) for k, v in others.items())
            # as in the chart: rows at another dimension's total are left out unless filtered on
            and not any(f.total is not None and r.get(f.name) == f.total and f.name not in spec["filter"]
                        for f in resource.fields if f.name in names)]
    rest.sort(key=lambda r: (r.get(spec["y"]) is None, -(r.get(spec["y"]) or 0), str(r.get(key))))
    return drawn + [{n: json_value(r.get(n)) for n in dict.fromkeys(names)} for r in rest]


def _kind(spec: dict) -> str:
    return {"line": "Line chart", "stacked": "Stacked bar chart"}.get(spec["mark"], "Bar chart")


def _lower(title: str) -> str:
    """A title inside a sentence: "Value" becomes "value", "GDP" and "Country Name" keep their capitals."""
    return title[:1].lower() + title[1:] if title[1:2].islower() and " " not in title else title


def counted_resource(dataset: Dataset, policy: Policy, most_levels: int = LARGEST_BARS
                     ) -> tuple[Dataset, Resource] | None:
    """A table of how many rows each value of a grouping field has, for a package with nothing to measure.

    The first string field (in the package's order) in which at least two values
    have a count Policy may show is counted; failing that, the first with two to
    `most_levels` values of which at least one may be shown (a short code list: USD
    on 19 rows, GBP on 4). Each count is a figure Tally makes itself, so a count
    Policy would hide is never drawn: its value gets a suppressed cell (code S, drawn
    as the site's "S" marker, like every suppressed cell) and the caption says how many
    did. A field whose values are all hidden (a code list, each code on one row) is
    never counted: a chart of nothing but S says nothing. The caller draws this only
    for `--profile open`, where the publisher says no row is a person.
    Returns the dataset as the chart sees it (only the counted table) and that table.
    """
    chosen = fallback = None
    for resource in dataset.tabular_resources:
        for field, counts in _grouping_counts(resource):
            shown = sum(1 for n in counts.values() if policy.may_show(n))
            if shown >= 2:
                chosen = resource, field, counts
                break
            if fallback is None and shown and 2 <= len(counts) <= most_levels:
                fallback = resource, field, counts
        if chosen:
            break
    chosen = chosen or fallback
    if chosen is None:
        return None
    resource, field, counts = chosen
    count_name = "rows" if field.name != "rows" else "rows_counted"
    note_name = f"{count_name}_note"
    hidden = sum(1 for n in counts.values() if not policy.may_show(n))
    why = ("the package has no measure" if not any(r.fields_with_role("measure") for r in dataset.tabular_resources)
           else "no chart of the package's numbers is readable")
    lead = f"Rows of {resource.title} counted per {_lower(field.title)} ({why})"
    if hidden:
        lead += f"; a count below {policy.threshold} is suppressed and marked S"
    counted = Resource(
        name=f"{resource.name}-rows", path=resource.path, file=resource.file,
        descriptor={"name": f"{resource.name}-rows", "title": resource.title, "description": lead + "."},
        fields=[Field(dict(field.descriptor)),
                Field({"name": count_name, "type": "integer", "title": "Rows", "tally:role": "measure",
                       "tally:kind": "count", "tally:unit": "rows", "tally:annotation": note_name}),
                Field({"name": note_name, "type": "string", "title": "Note", "tally:role": "annotation"})])
    # Published counts largest first, then the suppressed ones by name: their order says nothing of their size.
    ranked = sorted(counts.items(), key=lambda item: (not policy.may_show(item[1]),
                                                      -item[1] if policy.may_show(item[1]) else 0, str(item[0])))
    counted.__dict__["rows"] = [{field.name: level, count_name: n, note_name: None} if policy.may_show(n)
                                else {field.name: level, count_name: None, note_name: SUPPRESSED}
                                for level, n in ranked]
    return dataclasses.replace(dataset, resources=[counted], views=[]), counted


def _grouping_counts(resource: Resource):
    """Each string field of `resource` that is not a period, with its rows per value."""
    for field in resource.fields:
        if field.type != "string" or field.is_time:
            continue
        counts = Counter(row.get(field.name) for row in resource.rows)
        counts.pop(None, None)
        counts.pop("", None)
        yield field, counts
