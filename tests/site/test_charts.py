"""Charts: the house theme, suppressed values never drawn as zero, and descriptions that state the pattern."""

import re

import altair as alt
import pytest

from tally.core.dataset import View
from tally.core.errors import BuildError
from tally.core.loading import load_dataset
from tally.site import charts
from tally.site.dictionary import EmptyCells

from support import minimal_descriptor, write_package

# Two age bands over four quarters; one cell suppressed (S), one not available (N).
CSV = """quarter,age_band,children,children_note
2024-Q1,Under 15,12,
2024-Q1,15-17,20,
2024-Q2,Under 15,,S
2024-Q2,15-17,22,
2024-Q3,Under 15,15,
2024-Q3,15-17,,N
2024-Q4,Under 15,18,
2024-Q4,15-17,30,
"""


def dataset_with(tmp_path, spec, csv_text=CSV, **field_changes):
    descriptor = minimal_descriptor()
    descriptor["views"] = [{"name": "v", "title": "Children", "resources": ["identifications"],
                            "specType": "tally", "spec": spec}]
    descriptor["resources"][0]["schema"]["fields"][2].update(field_changes)
    dataset, problems = load_dataset(write_package(tmp_path / "pkg", descriptor, csv_text))
    assert not problems
    return dataset, dataset.views[0]


def contrast(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_house_theme_is_registered_and_enabled_with_a_readable_palette():
    assert "tally" in alt.theme.names() and alt.theme.active == "tally"
    config = charts.tally_theme()["config"]
    assert config["range"]["category"] == charts.PALETTE
    # Every series colour stands out from the white background (WCAG 1.4.11: 3:1).
    assert all(contrast(c) >= 3 for c in charts.PALETTE), [(c, round(contrast(c), 2)) for c in charts.PALETTE]
    assert config["axis"]["labelFontSize"] >= 13 and config["legend"]["labelFontSize"] >= 13


def test_line_breaks_at_a_suppressed_value_and_marks_it(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children", "color": "age_band"})
    spec = charts.vega_lite_spec(dataset, view, "d")
    line = spec["layer"][0]["mark"]
    assert line["type"] == "line" and line["invalid"] == "break-paths-show-domains"
    values = spec["data"]["values"]
    hidden = [r for r in values if r["children"] is None]
    assert len(hidden) == 2 and all(r["children"] is None for r in hidden)  # null, never 0
    marks = {r["quarter"]: r[charts.MARK_FIELD] for r in values if r[charts.MARK_FIELD]}
    assert marks == {"2024-Q2": "S", "2024-Q3": "n/a"}  # suppressed told apart from not available
    # Series differ in shape as well as colour.
    assert spec["layer"][1]["encoding"]["shape"]["field"] == "age_band"


def test_rendered_line_has_a_gap_where_the_value_is_suppressed(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children",
                                            "filter": {"age_band": "Under 15"}})
    svg = charts.render_svg(charts.vega_lite_spec(dataset, view, "d"), "d")
    lines = re.findall(r'aria-roledescription="line mark"[^>]* d="([^"]+)"', svg) or re.findall(
        r'class="mark-line role-mark[^"]*"[^>]*>\s*<path[^>]* d="([^"]+)"', svg)
    assert lines, "no line drawn"
    assert lines[0].count("M") == 2  # two pieces: before and after the hidden quarter
    assert ">S</text>" in svg


def test_bars_get_a_placeholder_each_and_stacks_one_above_the_stack(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "bar", "x": "quarter", "y": "children", "color": "age_band"})
    values = charts.vega_lite_spec(dataset, view, "d")["data"]["values"]
    assert [(r["quarter"], r["age_band"], r[charts.MARK_FIELD], r[charts.AT_FIELD]) for r in values
            if r[charts.MARK_FIELD]] == [("2024-Q2", "Under 15", "S", 0), ("2024-Q3", "15-17", "n/a", 0)]
    dataset, view = dataset_with(tmp_path / "s", {"mark": "stacked", "x": "quarter", "y": "children",
                                                  "color": "age_band"})
    spec = charts.vega_lite_spec(dataset, view, "d")
    marked = [(r["quarter"], r[charts.MARK_FIELD], r[charts.AT_FIELD]) for r in spec["data"]["values"]
              if r[charts.MARK_FIELD]]
    assert marked == [("2024-Q2", "S", 22), ("2024-Q3", "n/a", 15)]  # at the top of what is published
    assert spec["layer"][1]["encoding"]["y"]["stack"] is None


def test_chart_without_empty_cells_has_no_placeholder_layer(tmp_path):
    full = CSV.replace(",,S", ",13,").replace(",,N", ",25,")
    dataset, view = dataset_with(tmp_path, {"mark": "barh", "x": "age_band", "y": "children",
                                            "filter": {"quarter": "2024-Q1"}}, full)
    spec = charts.vega_lite_spec(dataset, view, "d")
    assert len(spec["layer"]) == 1
    assert charts.chart_note(charts.chart_empty_cells(dataset, view), "barh") == ""


def test_small_multiples_facet_by_a_dimension(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children", "facet": "age_band"})
    spec = charts.vega_lite_spec(dataset, view, "d")
    assert spec["facet"]["field"] == "age_band" and spec["columns"] == 2
    svg = charts.render_svg(spec, "d")
    assert "Under 15" in svg and "15-17" in svg


def test_units_and_number_formats_on_axes(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "bar", "x": "quarter", "y": "children",
                                            "filter": {"age_band": "15-17"}}, title="Identified")
    layer = charts.vega_lite_spec(dataset, view, "d")["layer"][0]
    title = layer["encoding"]["y"]["title"]  # long titles are drawn on two lines
    assert " ".join([title] if isinstance(title, str) else title) == "Identified (children)"
    assert layer["encoding"]["y"]["axis"]["format"] == ",d"


def test_description_states_what_and_the_trend_from_first_to_last_period(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children",
                                            "filter": {"age_band": "15-17"}}, CSV.replace(",,N", ",25,"))
    text = charts.describe(dataset, view)
    assert text.startswith("Line chart of children identified by quarter.")
    assert "It went from 20 children in 2024-Q1 to 30 children in 2024-Q4, up 10 (50%)." in text
    # With a value missing in between, no change is stated across it (issue 11).
    dataset, view = dataset_with(tmp_path / "n", {"mark": "line", "x": "quarter", "y": "children",
                                                  "filter": {"age_band": "15-17"}})
    text = charts.describe(dataset, view)
    assert ("It was 20 children in 2024-Q1 and 30 children in 2024-Q4; 1 value between them is not available, "
            "so no change is stated.") in text
    assert "1 value not available, not shown as zero." in text


def test_description_keeps_the_authors_words_and_adds_the_pattern(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children", "color": "age_band",
                                            "description": "Two lines, one per age band."})
    text = charts.describe(dataset, view)
    assert text.startswith("Two lines, one per age band. Under 15 was 12 children in 2024-Q1 and 18")
    assert "1 value suppressed to protect privacy and 1 value not available, not shown as zero." in text


def test_note_says_how_many_and_how_each_chart_kind_shows_them():
    cells = EmptyCells(suppressed=3, not_available=1)
    assert charts.chart_note(cells, "line").startswith("3 values suppressed to protect privacy: the line breaks")
    assert "marked “S” where the bar would be" in charts.chart_note(cells, "bar")
    assert "shorter than the true total" in charts.chart_note(cells, "stacked")
    assert "1 value not available (no data collected), marked “n/a”" in charts.chart_note(cells, "line")
    assert charts.chart_note(EmptyCells(), "line") == ""


def test_svg_is_one_image_named_by_its_description():
    spec = {"mark": "bar", "data": {"values": [{"a": "x", "b": 12}]},
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    svg = charts.render_svg(spec, 'Bars of "quoted" <text> & more')
    assert svg.startswith('<svg role="img" aria-label="Bars of &quot;quoted&quot; &lt;text&gt; &amp; more"')


def test_png_and_file_svg_carry_the_title_and_are_deterministic(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children", "color": "age_band"})
    spec = charts.export_spec(charts.vega_lite_spec(dataset, view, "d"), "Children", ["Illustrative sample data"])
    png = charts.render_png(spec)
    assert png.startswith(b"\x89PNG") and png == charts.render_png(spec)
    svg = charts.render_file_svg(spec, "Children", "A description").decode()
    assert '<title id="chart-title">Children</title><desc id="chart-desc">A description</desc>' in svg
    assert "Illustrative sample data" in svg


def test_chart_rows_leave_totals_out_unless_filtered_on(tmp_path):
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children", "color": "age_band"})
    dataset.resources[0].fields[1].descriptor["tally:total"] = "15-17"  # pretend 15-17 is the total level
    assert {r["age_band"] for r in charts.chart_rows(dataset, view)} == {"Under 15"}


@pytest.mark.parametrize("value, expected", [(1, "1 class"), (2, "2 classes")])
def test_counts_of_one_read_in_the_singular(tmp_path, value, expected):
    field = load_dataset(write_package(tmp_path / "p"))[0].resources[0].fields[2]
    field.descriptor["tally:unit"] = "classes"
    assert charts._amount(value, field) == expected


def test_default_view_is_a_line_over_the_period_coloured_by_a_category(tmp_path):
    dataset, _ = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children"})
    view = charts.default_view(dataset.resources[0])
    assert isinstance(view, View) and view.spec == {"mark": "line", "x": "quarter", "y": "children",
                                                    "color": "age_band"}


def test_each_placeholder_belongs_to_its_series_by_colour_and_place(tmp_path):
    # Issue 11: one "S" per period on the baseline said nothing about whose value was hidden.
    csv_text = CSV.replace("2024-Q1,15-17,20,", "2024-Q1,15-17,,S").replace("2024-Q1,Under 15,12,", "2024-Q1,Under 15,,S")
    dataset, view = dataset_with(tmp_path, {"mark": "line", "x": "quarter", "y": "children", "color": "age_band"},
                                 csv_text)
    spec = charts.vega_lite_spec(dataset, view, "d")
    marked = [(r["quarter"], r["age_band"], r[charts.MARK_FIELD], r[charts.SLOT_FIELD]) for r in spec["data"]["values"]
              if r[charts.MARK_FIELD]]
    assert marked == [("2024-Q1", "Under 15", "S", 0), ("2024-Q1", "15-17", "S", 1), ("2024-Q2", "Under 15", "S", 0),
                      ("2024-Q3", "15-17", "n/a", 0)]
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert [t["mark"]["dy"] for t in texts] == [-9, -9 - charts.SLOT_HEIGHT]  # stacked upwards, never on top
    assert all(t["encoding"]["color"]["field"] == "age_band" for t in texts)
    assert all(any(tip["field"] == "age_band" for tip in t["encoding"]["tooltip"]) for t in texts)


def test_provisional_and_revised_values_get_a_mark_and_a_key(tmp_path):
    csv_text = CSV.replace("2024-Q4,Under 15,18,", "2024-Q4,Under 15,18,P").replace("2024-Q1,15-17,20,",
                                                                                   "2024-Q1,15-17,20,R")
    dataset, view = dataset_with(tmp_path, {"mark": "stacked", "x": "quarter", "y": "children", "color": "age_band"},
                                 csv_text)
    dataset.resources[0].field("children_note").descriptor["constraints"]["enum"] = ["S", "N", "P", "R"]
    spec = charts.vega_lite_spec(dataset, view, "d")
    status = {(r["quarter"], r["age_band"]): (r[charts.STATUS_FIELD], r[charts.STATUS_AT])
              for r in spec["data"]["values"] if r[charts.STATUS_FIELD]}
    # In the middle of its segment: Under 15 is the first level, so it stacks from zero.
    assert status == {("2024-Q4", "Under 15"): ("P", 9), ("2024-Q1", "15-17"): ("R", 12 + 10)}
    assert ">P</text>" in charts.render_svg(spec, "d")
    counts = charts.chart_status_cells(dataset, view)
    assert (counts.provisional, counts.revised) == (1, 1)
    note = charts.chart_note(charts.chart_empty_cells(dataset, view), "stacked", counts)
    assert "1 value is provisional, marked “P”" in note and "1 value was revised since the previous release" in note


def test_a_raw_vega_lite_view_draws_the_resources_real_rows(tmp_path):
    """Issue 14: raw views were given [{}, {}, …] and drew a blank chart."""
    descriptor = minimal_descriptor()
    descriptor["views"] = [{"name": "raw", "title": "Raw", "resources": ["identifications"], "specType": "vega-lite",
                            "spec": {"mark": "bar", "encoding": {"x": {"field": "quarter", "type": "ordinal"},
                                                                 "y": {"field": "children", "type": "quantitative",
                                                                       "aggregate": "sum"}}}}]
    write_package(tmp_path / "minimal", descriptor)
    dataset, problems = load_dataset(tmp_path / "minimal")
    assert not problems
    view = dataset.views[0]
    spec = charts.vega_lite_spec(dataset, view, "d")
    assert spec["data"]["values"][0] == {"quarter": "2024-Q1", "age_band": "Under 15", "children": 12,
                                         "children_note": None}
    svg = charts.render_svg(spec, "d")
    # one bar per quarter, drawn from the real rows' sums (12 + empty, 14 + 0)
    assert "quarter: 2024-Q1; Sum of children: 12" in svg and "quarter: 2024-Q2; Sum of children: 14" in svg


def test_a_renderer_failure_names_the_dataset_and_view_in_one_line(tmp_path):
    write_package(tmp_path / "minimal")
    dataset, _ = load_dataset(tmp_path / "minimal")
    view = dataset.views[0]
    with pytest.raises(BuildError) as caught:
        with charts.drawing(dataset, view):
            charts.render_svg({"mark": "bar", "data": {"values": [{}]}, "transform": [{"calculate": "(", "as": "x"}]},
                              "d")
    message = str(caught.value)
    assert message.startswith('minimal, view "by-quarter": the chart could not be drawn: ')
    assert "\n" not in message and len(message) < 400


def test_a_default_chart_over_more_rows_than_a_chart_may_draw_is_left_out(tmp_path, monkeypatch, caplog):
    # Issue 12: a default chart over a million-row table failed the whole build (or crashed the
    # renderer); nobody asked for it, so it is left out with a warning, and the page has no chart.
    # It is never drawn from sums either: a sum over hidden cells is no published figure.
    descriptor = minimal_descriptor()
    descriptor["views"] = []
    dataset, problems = load_dataset(write_package(tmp_path / "pkg", descriptor, CSV))
    assert not problems
    assert [v.spec for v in charts.chart_views(dataset)] == [{"mark": "line", "x": "quarter", "y": "children",
                                                              "color": "age_band"}]
    monkeypatch.setitem(charts.DEFAULTS, "TALLY_MAX_CHART_ROWS", 7)  # the chart draws 8 rows
    assert charts.chart_views(dataset) == []
    assert "pkg: no default chart of identifications: it would draw more than 7 rows" in caplog.text
