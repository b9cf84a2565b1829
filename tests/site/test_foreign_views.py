"""Packages written elsewhere: Observable Plot views translated, many series trimmed to the few largest (issue 15)."""

import json
import logging
import re

import pytest

from tally.core.errors import Untranslatable
from tally.core.loading import load_dataset
from tally.site import charts
from tally.site.foreign_views import table_rows, translate_plot, trim_series
from tally.site.pages import build_chart

from support import get_settings, write_package

REGIONS = ["World"] + [f"Region {c}" for c in "ABCDEFGHIJKL"]  # the total and 12 parts


def world_csv(years=(2020, 2021, 2022), tie=False) -> str:
    lines = ["region,year,population,share"]
    for year in years:
        for i, region in enumerate(REGIONS):
            value = 1000 if tie else (10_000 if region == "World" else 100 + i * 10 + (year - 2020))
            lines.append(f"{region},{year},{value},{i / 10}")
    return "\n".join(lines) + "\n"


def open_package(tmp_path, views=(), csv=None, year_type="year"):
    """A package written without Tally's conventions: a year-typed period, a region per row, two numbers."""
    descriptor = {
        "name": "world", "title": "World", "licenses": [{"name": "ODC-PDDL-1.0"}],
        "resources": [{"name": "regions", "path": "data/identifications.csv", "format": "csv", "schema": {"fields": [
            {"name": "region", "type": "string"}, {"name": "year", "type": year_type},
            {"name": "population", "type": "integer"}, {"name": "share", "type": "number"}]}}],
        "views": [{"name": f"v{i}", "title": "A view", "resources": ["regions"], "specType": "plot", "spec": spec}
                  for i, spec in enumerate(views)],
    }
    dataset, problems = load_dataset(write_package(tmp_path / "world", descriptor, csv or world_csv()))
    assert not problems
    return dataset


def plot(*marks, **options):
    return {"marks": list(marks), **options}


# -- Observable Plot ------------------------------------------------------------------

@pytest.mark.parametrize("mark, expected", [
    ({"type": "line", "x": "year", "y": "population", "stroke": "region"},
     {"mark": "line", "x": "year", "y": "population", "color": "region"}),
    ({"type": "line", "x": "year", "y": "population", "stroke": "#0369a1", "strokeWidth": 2, "tip": True},
     {"mark": "line", "x": "year", "y": "population"}),  # a constant colour: the house palette instead
    ({"type": "barY", "x": "year", "y": "population"}, {"mark": "bar", "x": "year", "y": "population"}),
    ({"type": "barY", "x": "year", "y": "population", "fill": "region"},
     {"mark": "stacked", "x": "year", "y": "population", "color": "region"}),  # Plot stacks bars
    ({"type": "barX", "x": "population", "y": "region", "sort": {"y": "-x"}},
     {"mark": "barh", "x": "region", "y": "population"}),
    ({"type": "dot", "x": "year", "y": "share", "stroke": "region"},
     {"mark": "line", "x": "year", "y": "share", "color": "region"}),
    ({"type": "dot", "x": "share", "y": "region"}, {"mark": "barh", "x": "region", "y": "share"}),
    ({"type": "areaY", "x": "year", "y": "population"}, {"mark": "line", "x": "year", "y": "population"}),
    ({"type": "areaY", "x": "year", "y": "population", "fill": "region"},
     {"mark": "stacked", "x": "year", "y": "population", "color": "region"}),
])
def test_a_plot_data_mark_becomes_the_house_chart_of_the_same_fields(tmp_path, mark, expected):
    dataset = open_package(tmp_path, [plot(mark)])
    view = translate_plot(dataset.views[0], dataset.resource("regions"))
    assert view.spec_type == "tally" and view.spec == expected


def test_reference_rules_and_labels_are_left_out_and_the_data_mark_drawn(tmp_path):
    # Datahub's views draw reference lines and notes from `staticData`: the author's words,
    # not the package's data, so Tally leaves them out and draws the one data mark.
    spec = plot({"type": "ruleY", "staticData": [{"y": 20}], "y": "y", "stroke": "#fbbf24"},
                {"type": "text", "staticData": [{"x": 2020, "y": 21, "label": "High"}], "x": "x", "y": "y",
                 "text": "label"},
                {"type": "line", "x": "year", "y": "population", "stroke": "region"},
                height=400, marginLeft=55, x={"label": None}, y={"label": "People", "grid": True})
    dataset = open_package(tmp_path, [spec])
    assert translate_plot(dataset.views[0], dataset.resource("regions")).spec["mark"] == "line"


@pytest.mark.parametrize("spec, reason", [
    (plot({"type": "cell", "x": "year", "y": "region", "fill": "population"}), "mark 'cell'"),
    (plot({"type": "line", "x": "year", "y": "population"}, {"type": "line", "x": "year", "y": "share"}),
     "2 data marks"),
    (plot({"type": "line", "x": "year", "y": "population"}, filter={"field": "share", "gte": 1}), "'filter'"),
    (plot({"type": "dot", "x": "share", "y": "population"}), "scatter plot"),
    (plot({"type": "line", "x": "year", "y": "people"}), "not a field"),
    (plot({"type": "line", "x": "year", "y": {"reduce": "count"}}), "transform"),
    (plot({"type": "line", "x": "year", "y": "population", "fx": "region"}), "'fx'"),
])
def test_what_no_house_chart_draws_faithfully_is_refused_with_the_reason(tmp_path, spec, reason):
    dataset = open_package(tmp_path, [spec])
    with pytest.raises(Untranslatable, match=reason):
        translate_plot(dataset.views[0], dataset.resource("regions"))


def test_an_untranslatable_plot_view_falls_back_to_the_default_chart_with_a_note_in_the_log(tmp_path, caplog):
    dataset = open_package(tmp_path, [plot({"type": "cell", "x": "year", "y": "region"})])
    with caplog.at_level(logging.WARNING, logger="tally.site.foreign_views"):
        views = charts.chart_views(dataset)
    assert [v.generated for v in views] == [True]
    assert 'world: view "v0" (Observable Plot) is not drawn' in caplog.text and "'cell'" in caplog.text


# -- many series -----------------------------------------------------------------------

def test_a_year_typed_field_is_the_period_of_the_default_chart(tmp_path):
    dataset = open_package(tmp_path, csv=world_csv().replace("Region", "Zone"))
    view = charts.chart_views(dataset)[0]
    assert view.spec["mark"] == "line" and view.spec["x"] == "year" and view.spec["color"] == "region"


def test_many_series_draw_the_total_and_the_largest_and_the_caption_says_which(tmp_path):
    dataset = open_package(tmp_path)
    view = charts.chart_views(dataset)[0]
    shown = view.spec["filter"]["region"]
    # The total first, then the six largest at the latest year, within the seven colours.
    assert shown == ["World", "Region L", "Region K", "Region J", "Region I", "Region H", "Region G"]
    assert len(shown) <= charts.MAX_SERIES
    spec = charts.vega_lite_spec(dataset, view, "d")
    assert {r["region"] for r in spec["data"]["values"]} == set(shown)
    description = charts.describe(dataset, view)
    assert "the 6 largest of 13 region values in 2022 (Region L, Region K" in description
    assert "and World, the total; the other 6 are listed in the table." in description


def test_the_table_lists_every_series_left_out_at_the_ranked_period(tmp_path):
    dataset = open_package(tmp_path)
    view = charts.chart_views(dataset)[0]
    chart = build_chart(dataset, view, None)
    drawn = 7 * 3
    assert len(chart.rows) == drawn + 6
    assert [row[:2] for row in chart.rows[drawn:]] == [["2022", f"Region {c}"] for c in "FEDCBA"]
    assert chart.rows[0][0] == "2020"  # a year is a label, not the number "2,020"


def test_a_declared_view_with_too_many_series_is_trimmed_too(tmp_path):
    dataset = open_package(tmp_path, [plot({"type": "line", "x": "year", "y": "population", "stroke": "region"})])
    view = charts.chart_views(dataset)[0]
    assert view.name == "v0" and len(view.spec["filter"]["region"]) == charts.MAX_SERIES


def test_a_stack_of_some_parts_is_never_drawn_as_the_whole(tmp_path):
    dataset = open_package(tmp_path, [plot({"type": "barY", "x": "year", "y": "population", "fill": "region"})])
    view = charts.chart_views(dataset)[0]
    assert view.spec["mark"] == "line" and "World" in view.spec["filter"]["region"]


def test_values_that_tie_across_the_cut_pick_no_arbitrary_few(tmp_path):
    dataset = open_package(tmp_path, csv=world_csv(tie=True))
    resource = dataset.resource("regions")
    view = charts.default_view(resource)
    assert trim_series(resource, view, charts.MAX_SERIES) is None
    assert charts.chart_views(dataset) == []


def test_a_chart_with_few_series_is_left_as_it_is(tmp_path):
    lines = world_csv().splitlines()
    csv = "\n".join([lines[0]] + [line for line in lines if line.startswith(("Region A,", "Region B,"))]) + "\n"
    dataset = open_package(tmp_path, csv=csv)
    view = charts.chart_views(dataset)[0]
    assert view.spec == {"mark": "line", "x": "year", "y": "population", "color": "region"}
    assert table_rows(dataset.resource("regions"), view, [{"a": 1}]) == [{"a": 1}]


# -- tables with nothing to measure ------------------------------------------------------

# A list of cities, as Datahub publishes it: names and codes, no number to draw. Ten cities
# in Harbor is a count below the threshold: it must not appear in a chart Tally counts itself.
CITY_COUNTS = {"Ardmore": 30, "Bellcourt": 14, "Cinder": 12, "Harbor": 10, "Dunmere": 3}


def city_list(tmp_path, counts=CITY_COUNTS):
    lines = ["name,country,geonameid"]
    n = 0
    for country, cities in counts.items():
        for _ in range(cities):
            n += 1
            lines.append(f"Town {n},{country},{1000 + n}")
    descriptor = {
        "name": "cities", "title": "Cities", "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [{"name": "cities", "path": "data/identifications.csv", "format": "csv", "schema": {"fields": [
            {"name": "name", "type": "string"}, {"name": "country", "type": "string"},
            {"name": "geonameid", "type": "integer"}]}}],
    }
    dataset, problems = load_dataset(write_package(tmp_path / "cities", descriptor, "\n".join(lines) + "\n"))
    assert not problems
    return dataset


def page_charts(dataset, tmp_path, profile):
    from tally.site.pages import build_dataset_page

    return build_dataset_page(dataset, get_settings(tmp_path, TALLY_PROFILE=profile)).charts


def test_a_table_with_no_measure_gets_bars_of_its_rows_per_value_in_the_open_profile(tmp_path):
    dataset = city_list(tmp_path)
    assert charts.chart_views(dataset) == []  # nothing the package measures
    [chart] = page_charts(dataset, tmp_path, "open")
    spec = json.loads(chart.spec_json)
    assert {r["country"]: r["rows"] for r in spec["data"]["values"]} == {"Ardmore": 30, "Bellcourt": 14,
                                                                         "Cinder": 12, "Dunmere": None,
                                                                         "Harbor": None}
    assert chart.description.startswith("Rows of cities counted per country (the package has no measure); "
                                        "a count below 11 is suppressed and marked S.")
    assert [row[0] for row in chart.rows] == ["Ardmore", "Bellcourt", "Cinder", "Dunmere", "Harbor"]
    assert chart.title == "Rows of cities by country"


def test_a_count_tally_makes_itself_never_shows_a_small_one(tmp_path):
    dataset = city_list(tmp_path)
    [chart] = page_charts(dataset, tmp_path, "open")
    for row in json.loads(chart.spec_json)["data"]["values"]:
        if row["country"] in ("Harbor", "Dunmere"):  # 10 and 3 rows: drawn as the site's S marker, never a bar
            assert row["rows"] is None and row["_placeholder"] == "S", row
    assert [row[1] for row in chart.rows][-2:] == ["Suppressed"] * 2
    assert not re.search(r"(?<![\d.])(3|10) rows?", chart.description + chart.note)
    assert "10" not in json.dumps(chart.rows) and '"3"' not in json.dumps(chart.rows)
    assert chart.empty.suppressed == 2 and "marked “S” where the bar would be" in chart.note
    assert ">S</text>" in chart.svg  # the marker is drawn, not only listed


@pytest.mark.parametrize("counts, hidden", [
    ({"USD": 19, "GBP": 4}, ["GBP"]),  # countries-and-currencies: one currency on too few rows to count
    ({"Ardmore": 30, "Bellcourt": 4, "Cinder": 2}, ["Bellcourt", "Cinder"]),
])
def test_a_short_code_list_with_one_publishable_count_marks_the_others_s(tmp_path, counts, hidden):
    dataset = city_list(tmp_path, counts)
    [chart] = page_charts(dataset, tmp_path, "open")
    values = {r["country"]: (r["rows"], r["_placeholder"]) for r in json.loads(chart.spec_json)["data"]["values"]}
    shown = next(iter(counts))
    assert values == {shown: (counts[shown], None), **{level: (None, "S") for level in hidden}}
    assert f"Only {shown} has a published figure, {counts[shown]} rows" in chart.description
    assert "a count below 11 is suppressed and marked S" in chart.description


def test_rows_are_never_counted_under_the_sensitive_profile(tmp_path):
    # A table of rows per person would turn into counts of people: only a package its
    # publisher says holds no counts of people (`--profile open`) gets counted bars.
    assert page_charts(city_list(tmp_path), tmp_path, "sensitive") == []


@pytest.mark.parametrize("counts", [
    {"Ardmore": 1, "Bellcourt": 1, "Cinder": 1},  # a code list, each code on one row: only S to draw
    {"Ardmore": 30},  # one value: nothing to compare
    {f"Town {i}": 1 for i in range(40)} | {"Ardmore": 12},  # one bar among 40 S: a list of names, not a grouping
])
def test_no_counted_chart_when_nothing_or_only_one_value_can_be_drawn(tmp_path, counts):
    assert page_charts(city_list(tmp_path, counts), tmp_path, "open") == []


# -- periods written as text -----------------------------------------------------------

def text_years_package(tmp_path, years, name="Year"):
    """CTData's layout: the year a string ("2010", "SFY 2004-2005"), a town per row, a value."""
    lines = [f"Town,{name},Value"] + [f"{town},{year},{10.5 + i + j}" for i, year in enumerate(years)
                                      for j, town in enumerate(("Ashford", "Bolton", "Canton"))]
    descriptor = {
        "name": "towns", "title": "Towns", "licenses": [{"name": "ODC-PDDL-1.0"}],
        "resources": [{"name": "towns", "path": "data/identifications.csv", "format": "csv", "schema": {"fields": [
            {"name": "Town", "type": "string"}, {"name": name, "type": "string"},
            {"name": "Value", "type": "number"}]}}],
    }
    dataset, problems = load_dataset(write_package(tmp_path / "towns", descriptor, "\n".join(lines) + "\n"))
    assert not problems
    return dataset


@pytest.mark.parametrize("years", [("2010", "2011", "2012"), ("SFY 2004-2005", "SFY 2005-2006", "SFY 2006-2007")])
def test_a_year_written_as_text_is_the_period_of_the_default_chart(tmp_path, years):
    dataset = text_years_package(tmp_path, years)
    [(source, view)] = charts.chart_sources(dataset)
    assert view.spec == {"mark": "line", "x": "Year", "y": "Value", "color": "Town"}
    assert source.resource("towns").field("Year").is_time
    assert not dataset.resource("towns").field("Year").is_time  # the package itself is read as it was
    description = charts.describe(source, view)
    assert f"Ashford went from 10.5 in {years[0]} to 12.5 in {years[2]}" in description


@pytest.mark.parametrize("years, name", [
    (("2010", "Unknown", "2012"), "Year"),  # not every value is a year: no time axis to claim
    (("2012", "2011", "2010"), "Code"),  # a column not named as a period
    (("FY 2010-11", "2009", "FY 2012-13"), "Year"),  # written two ways: text order is not time order
])
def test_text_that_is_not_clearly_a_period_stays_a_category(tmp_path, years, name):
    dataset = text_years_package(tmp_path, years, name)
    assert all(view.spec.get("mark") != "line" for _, view in charts.chart_sources(dataset))


@pytest.mark.parametrize("title, written", [("CLOSE", "of CLOSE by"), ("VIXOpen", "of VIXOpen by"),
                                            ("Mean temperature", "of mean temperature by")])
def test_a_caption_keeps_the_capitals_of_a_column_written_in_capitals(tmp_path, title, written):
    # Datahub's finance-vix: "Line chart of cLOSE by date" read as a typo.
    descriptor = {"name": "vix", "licenses": [{"name": "ODC-PDDL-1.0"}],
                  "resources": [{"name": "vix", "path": "data/identifications.csv", "format": "csv",
                                 "schema": {"fields": [{"name": "Date", "type": "date"},
                                                       {"name": "close", "title": title, "type": "number"}]}}]}
    csv = "Date,close\n2020-01-02,17.5\n2020-01-03,18.25\n"
    dataset, problems = load_dataset(write_package(tmp_path / "vix", descriptor, csv))
    assert not problems
    assert written in charts.describe(dataset, charts.chart_views(dataset)[0])


# -- tables without a period ------------------------------------------------------------

def measured_package(tmp_path, header, lines, fields):
    descriptor = {"name": "measured", "licenses": [{"name": "ODC-PDDL-1.0"}],
                  "resources": [{"name": "measured", "path": "data/identifications.csv", "format": "csv",
                                 "schema": {"fields": fields}}]}
    csv = "\n".join([header] + lines) + "\n"
    dataset, problems = load_dataset(write_package(tmp_path / "measured", descriptor, csv))
    assert not problems
    return dataset


def test_a_category_and_a_measure_without_a_period_get_sorted_bars(tmp_path):
    dataset = measured_package(tmp_path, "donation,amount", ["Cash,99", "Goods,100.5", "Services,12.34"],
                               [{"name": "donation", "type": "string"}, {"name": "amount", "type": "number"}])
    [view] = charts.chart_views(dataset)
    assert view.spec == {"mark": "barh", "x": "donation", "y": "amount"}


def test_a_single_period_compares_the_categories_instead(tmp_path):
    dataset = measured_package(tmp_path, "year,region,value", ["2020,North,5.5", "2020,South,7.25"],
                               [{"name": "year", "type": "year"}, {"name": "region", "type": "string"},
                                {"name": "value", "type": "number"}])
    [view] = charts.chart_views(dataset)
    assert view.spec == {"mark": "barh", "x": "region", "y": "value"}


def test_of_several_measures_the_first_is_drawn_not_all_on_one_axis(tmp_path):
    # finance-vix: OPEN, HIGH, LOW, CLOSE. Measures in different units would share an axis
    # misleadingly, so one line is drawn; the page's preview and downloads keep every column.
    dataset = measured_package(tmp_path, "Date,OPEN,CLOSE", ["2020-01-02,17.5,18.25", "2020-01-03,18.5,19"],
                               [{"name": "Date", "type": "date"}, {"name": "OPEN", "type": "number"},
                                {"name": "CLOSE", "type": "number"}])
    [view] = charts.chart_views(dataset)
    assert view.spec == {"mark": "line", "x": "Date", "y": "OPEN"}


def test_a_counted_chart_keeps_to_a_dataset_s_raised_threshold(tmp_path):
    dataset = city_list(tmp_path)
    dataset.descriptor["tally:disclosure"] = {"threshold": 13}  # Cinder's 12 may not be shown now
    [chart] = page_charts(dataset, tmp_path, "open")
    assert [row[:2] for row in chart.rows] == [["Ardmore", "30"], ["Bellcourt", "14"], ["Cinder", "Suppressed"],
                                                ["Dunmere", "Suppressed"], ["Harbor", "Suppressed"]]
    assert "12" not in chart.description + json.dumps(chart.rows)
    assert {r["country"]: r["rows"] for r in json.loads(chart.spec_json)["data"]["values"]}["Cinder"] is None
    assert "a count below 13 is suppressed and marked S" in chart.description
