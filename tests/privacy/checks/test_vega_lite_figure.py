"""vega-lite-figure: a raw Vega-Lite view prints or places no small figure typed into its spec (red team, session 4).

A number in a raw spec never passes through the table audits: `{"datum": 7}` draws a rule a reader reads
off the count axis, `{"value": 7}` on the text channel prints it, an axis's `values`, a title, a
`calculate` or `labelExpr` expression and an `impute` value (drawn where a hidden cell is) write it.
Sizes, widths, opacities, angles, padding, tick counts and scale domains are layout and stay allowed.
"""

import json

import pytest
from adversarial import packages

from rule_support import messages, red_team_tests, run
from support import minimal_descriptor

RULE = "vega-lite-figure"

test_refused, test_passes = red_team_tests(
    RULE,
    refused=[packages.bad_vega_lite_rule_at_datum, packages.bad_vega_lite_impute_hidden_cell,
             packages.bad_vega_lite_calculated_label],
    passes=[packages.safe_vega_lite_layout_numbers, packages.safe_vega_lite_without_data, packages.safe_baseline],
)
X = {"field": "quarter", "type": "ordinal"}
Y = {"field": "children", "type": "quantitative"}
LINE = {"mark": "line", "encoding": {"x": X, "y": Y}}


def raw_view(spec):
    descriptor = minimal_descriptor()
    descriptor["views"] = [{"name": "raw", "title": "Raw", "resources": ["identifications"],
                            "specType": "vega-lite", "spec": spec}]
    return descriptor


ATTACKS = [
    # a rule drawn at 7 on the children axis
    ({"layer": [LINE, {"mark": "rule", "encoding": {"y": {"datum": 7}}}]}, "spec.layer[1].encoding.y.datum"),
    ({"mark": "text", "encoding": {"x": X, "text": {"value": 7}}}, "spec.encoding.text.value"),
    ({"mark": "text", "encoding": {"x": X, "text": {"value": "7"}}}, "spec.encoding.text.value"),
    ({"layer": [LINE, {"mark": "text", "encoding": {"text": {"datum": 7}}}]}, "spec.layer[1].encoding.text.datum"),
    ({**LINE, "title": 7}, "spec.title"),
    ({**LINE, "title": {"text": 7, "fontSize": 14}}, "spec.title.text"),
    ({**LINE, "title": {"text": "Children", "subtitle": ["n = 7"]}}, "spec.title.subtitle[0]"),
    ({"mark": {"type": "text", "text": 7}, "encoding": {"x": X}}, "spec.mark.text"),
    ({"mark": {"type": "text", "text": "(7)"}, "encoding": {"x": X}}, "spec.mark.text"),
    ({"mark": "text", "transform": [{"calculate": "7", "as": "n"}], "encoding": {"x": X, "text": {"field": "n"}}},
     "spec.transform[0].calculate"),
    ({"mark": "text", "transform": [{"calculate": "'n = ' + 6", "as": "n"}],
      "encoding": {"x": X, "text": {"field": "n"}}}, "spec.transform[0].calculate"),
    # two typed numbers worked into a small one, neither small itself
    ({"mark": "text", "transform": [{"calculate": "100 - 93", "as": "n"}],
      "encoding": {"x": X, "text": {"field": "n"}}}, "spec.transform[0].calculate"),
    ({**LINE, "encoding": {"x": X, "y": {**Y, "axis": {"values": [0, 7, 20]}}}}, "spec.encoding.y.axis.values[1]"),
    ({**LINE, "encoding": {"x": {**X, "axis": {"labelExpr": "datum.label + ' (6)'"}}, "y": Y}},
     "spec.encoding.x.axis.labelExpr"),
    ({**LINE, "encoding": {"x": X, "y": {**Y, "title": 7}}}, "spec.encoding.y.title"),
    ({**LINE, "encoding": {"x": X, "y": Y, "tooltip": [{"value": 7}]}}, "spec.encoding.tooltip[0].value"),
    # the hidden cell drawn at 6
    ({**LINE, "transform": [{"impute": "children", "key": "quarter", "value": 6, "groupby": ["age_band"]}]},
     "spec.transform[0].value"),
    # ... or at its neighbours' mean, whatever the method: an estimate where the S belongs
    ({**LINE, "transform": [{"impute": "children", "key": "quarter", "method": "mean", "groupby": ["age_band"]}]},
     "spec.transform[0].impute"),
    ({**LINE, "encoding": {"x": X, "y": {**Y, "impute": {"method": "max", "frame": [-1, 1]}}}},
     "spec.encoding.y.impute"),
    ({**LINE, "params": [{"name": "n", "value": 7}],
      "layer": [{"mark": {"type": "text", "text": {"expr": "n"}}}]}, "spec.params[0].value"),
    ({**LINE, "encoding": {"x": X, "y": Y, "text": {"condition": {"test": "true", "value": 7}, "value": ""}},
      "mark": "text"}, "spec.encoding.text.condition.value"),
]


@pytest.mark.parametrize("spec, path", ATTACKS, ids=[p for _, p in ATTACKS])
def test_a_small_figure_typed_into_a_raw_spec_is_refused(tmp_path, spec, path):
    report = run(tmp_path, descriptor=raw_view(spec))
    found = [p for p in report.problems if p.rule == RULE]
    assert any(path in p.message for p in found), messages(report, RULE) or sorted({p.rule for p in report.problems})
    assert all(p.file.endswith("datapackage.json") and 'view "raw"' in p.message for p in found)


def test_the_message_names_the_place_never_the_figure(tmp_path):
    spec = {"layer": [LINE, {"mark": "rule", "encoding": {"y": {"datum": 7}}}]}
    [message] = messages(run(tmp_path, descriptor=raw_view(spec)), RULE)
    assert "7" not in message


def test_a_raised_threshold_widens_what_is_small(tmp_path):
    spec = {"layer": [LINE, {"mark": "rule", "encoding": {"y": {"datum": 12}}}]}
    assert messages(run(tmp_path, descriptor=raw_view(spec)), RULE) == []
    raised = raw_view(spec)
    raised["tally:disclosure"] = {"threshold": 15}
    assert messages(run(tmp_path / "raised", descriptor=raised), RULE)


def test_inline_rows_were_already_refused(tmp_path):
    spec = {**LINE, "layer": [{"data": {"values": [{"n": 7}]}, "mark": "text", "encoding": {"text": {"field": "n"}}}]}
    rules = {p.rule for p in run(tmp_path, descriptor=raw_view(spec)).problems}
    assert {"vega-lite-data", "vega-lite-spec"} <= rules


# Numbers that size, place or style the chart: what real Vega-Lite specs are full of.
SAFE = [
    {**LINE, "width": 9, "height": 8, "padding": 5, "autosize": {"type": "fit"}},
    {"mark": {"type": "line", "strokeWidth": 2, "opacity": 1, "point": {"size": 6}, "strokeDash": [4, 2],
              "interpolate": "monotone"}, "encoding": {"x": X, "y": Y}},
    {"mark": {"type": "bar", "cornerRadiusEnd": 3, "binSpacing": 1}, "encoding": {
        "x": {**X, "axis": {"labelAngle": -45, "labelFontSize": 9, "tickCount": 5, "labelPadding": 4,
                            "titlePadding": 6, "labelLimit": 8, "tickSize": 3, "labelOverlap": True}},
        "y": {**Y, "scale": {"domain": [0, 5], "nice": 5, "padding": 2}, "stack": "zero"},
        "opacity": {"value": 1}, "size": {"value": 7}, "strokeWidth": {"value": 2}}},
    {**LINE, "config": {"view": {"stroke": None, "strokeWidth": 0}, "axis": {"gridOpacity": 1, "labelFontSize": 9,
                                                                               "domainWidth": 1},
                        "legend": {"columns": 2, "symbolSize": 8, "labelFontSize": 9}, "font": "sans-serif"}},
    {"facet": {"field": "age_band", "type": "nominal"}, "columns": 2, "spacing": 8,
     "spec": {**LINE, "width": 9}},
    {**LINE, "title": {"text": "Children identified, Service Area 2", "fontSize": 9, "offset": 4, "dy": 2,
                       "anchor": "start"}},
    {**LINE, "transform": [{"filter": "datum.children > 0 && datum.age_band != 'Under 5'"},
                           {"filter": {"field": "quarter", "oneOf": ["2024-Q1", "2024-Q2"]}},
                           {"window": [{"op": "lag", "param": 1, "field": "children", "as": "before"}],
                            "frame": [-2, 0], "sort": [{"field": "quarter"}]},
                           {"calculate": "datum.children / 20", "as": "share"},
                           {"calculate": "year(datum.quarter) + '-Q' + quarter(datum.quarter)", "as": "label"}]},
    {**LINE, "encoding": {"x": {**X, "axis": {"labelExpr": "substring(datum.label, 0, 4)"}},
                          "y": {**Y, "axis": {"format": ",d", "values": [0, 20, 40]}},
                          "x2": {"value": 3}, "color": {"field": "age_band", "legend": {"orient": "bottom",
                                                                                        "symbolLimit": 6}}}},
    {"layer": [LINE, {"mark": {"type": "text", "dx": 4, "dy": -6, "fontSize": 9, "angle": 0},
                      "encoding": {"x": X, "y": Y, "text": {"field": "children", "format": ","}}}]},
    {**LINE, "encoding": {"x": X, "y": Y, "text": {"value": "S"}, "order": {"value": 1}}},
]


@pytest.mark.parametrize("spec", SAFE, ids=[json.dumps(s)[:60] for s in SAFE])
def test_layout_numbers_pass(tmp_path, spec):
    assert messages(run(tmp_path, descriptor=raw_view(spec)), RULE) == []
