"""GeoJSON resources get a map: drawn from the features, coloured by a measure, every figure asked of Policy (issue 15)."""

import json
import logging
import re

import pytest

from tally.core.errors import LimitExceeded
from tally.core.loading import load_dataset
from tally.privacy.checks.vega_lite_spec import FORBIDDEN_KEYS, spec_problems
from tally.privacy.policy import Policy
from tally.site import charts, maps
from tally.site.pages import build_dataset_page

from support import get_settings


def square(lon, lat, size=0.2):
    """A square ring wound anticlockwise, as RFC 7946 asks of an outer ring (and Vega does not)."""
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def area(name, lon, children, **properties):
    return {"type": "Feature", "properties": {"name": name, "id": lon, "scalerank": 3, "children": children,
                                              "density": 1.5, **properties},
            "geometry": {"type": "Polygon", "coordinates": [square(lon, 37.0)]}}


# Three station areas; Bolton's 4 is a count below the threshold. A point with no properties.
AREAS = {"type": "FeatureCollection", "features": [
    area("Ashford", -121.0, 25), area("Bolton", -120.8, 4), area("Canton", -120.6, 40),
    {"type": "Feature", "properties": None, "geometry": {"type": "Point", "coordinates": [-120.5, 37.5]}},
]}


def geo_package(tmp_path, collection=AREAS, path="data/areas.geojson", fmt="geojson", text=None):
    folder = tmp_path / "areas"
    (folder / "data").mkdir(parents=True)
    resource = {"name": "areas", "path": path, "mediatype": "application/json"}
    if fmt:
        resource["format"] = fmt
    descriptor = {"name": "areas", "title": "Station areas", "licenses": [{"name": "ODC-PDDL-1.0"}],
                  "resources": [resource]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    (folder / path).write_text(text if text is not None else json.dumps(collection))
    dataset, problems = load_dataset(folder)
    assert not problems, problems
    return dataset


def page_charts(dataset, tmp_path, **settings):
    return build_dataset_page(dataset, get_settings(tmp_path, TALLY_PROFILE="open", **settings)).charts


def keys(value):
    """Every object key anywhere in `value`."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_a_feature_collection_gets_a_map_coloured_by_a_measure_with_a_caption_and_a_table(tmp_path):
    [chart] = page_charts(geo_package(tmp_path), tmp_path)
    spec = json.loads(chart.spec_json)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["geoshape", "geoshape", "text"]
    assert spec["layer"][1]["encoding"]["color"]["title"] == "children"
    assert spec["projection"] == {"type": "mercator"}
    features = spec["data"]["values"]
    assert [f["type"] for f in features] == ["Feature"] * 4
    assert [f["geometry"]["type"] for f in features] == ["Polygon"] * 3 + ["Point"]
    # ids, ranks and a property that does not tell the areas apart are not what the map is coloured by
    assert "coloured by children (chosen by Tally" in chart.description
    assert chart.title == "Map of children"
    assert chart.columns == ["Feature", "children"]
    assert chart.rows == [["Ashford", "25"], ["Bolton", "Suppressed"], ["Canton", "40"],
                          ["Feature 4", "Not available"]]
    assert chart.svg.startswith("<svg") and "<path" in chart.svg and chart.png.startswith(b"\x89PNG")


def test_a_small_count_on_a_map_is_suppressed_and_marked_s_never_drawn(tmp_path):
    [chart] = page_charts(geo_package(tmp_path), tmp_path)
    bolton = next(f for f in json.loads(chart.spec_json)["data"]["values"] if f["feature"] == "Bolton")
    assert bolton["value"] is None and bolton["value_note"] == "S" and bolton["_placeholder"] == "S"
    assert ">S</text>" in chart.svg and ">n/a</text>" in chart.svg
    assert ["Bolton", "Suppressed"] in chart.rows and not re.search(r"with 4\b", chart.description)
    assert 4 not in [f["value"] for f in json.loads(chart.spec_json)["data"]["values"]]
    assert chart.empty.suppressed == 1 and chart.empty.not_available == 1
    assert "drawn grey and marked “S”" in chart.note


def test_a_raised_threshold_hides_more_of_the_map(tmp_path):
    dataset = geo_package(tmp_path)
    dataset.descriptor["tally:disclosure"] = {"threshold": 30}
    [chart] = page_charts(dataset, tmp_path)
    assert [row[1] for row in chart.rows] == ["Suppressed", "Suppressed", "40", "Not available"]
    assert "25" not in chart.spec_json + chart.description


def test_a_whole_number_among_fractions_is_still_asked_of_policy(tmp_path):
    collection = {"type": "FeatureCollection", "features": [area("Ashford", -121.0, 25.5), area("Bolton", -120.8, 4),
                                                            area("Canton", -120.6, 40.25)]}
    [chart] = page_charts(geo_package(tmp_path, collection), tmp_path)
    assert [row[1] for row in chart.rows] == ["25.5", "Suppressed", "40.25"]


@pytest.mark.parametrize("values", [(4, 3, 2), (None, None, 5)])
def test_a_map_whose_every_value_is_hidden_or_missing_still_draws_its_places(tmp_path, values):
    features = [area(name, lon, value) for name, lon, value in zip("ABC", (-121.0, -120.8, -120.6), values)]
    for feature in features:
        if feature["properties"]["children"] is None:
            del feature["properties"]["children"]
    [chart] = page_charts(geo_package(tmp_path, {"type": "FeatureCollection", "features": features}), tmp_path)
    assert {row[1] for row in chart.rows} <= {"Suppressed", "Not available"}
    assert chart.svg.count(">S</text>") == sum(v is not None for v in values)


def test_a_ring_wound_as_rfc_7946_asks_is_rewound_for_vega(tmp_path):
    # Vega (d3-geo) reads an anticlockwise outer ring as the whole globe but the area: the map
    # would be one colour everywhere.
    [chart] = page_charts(geo_package(tmp_path), tmp_path)
    for feature in json.loads(chart.spec_json)["data"]["values"][:3]:
        assert maps._signed_area(feature["geometry"]["coordinates"][0]) < 0


def test_a_hostile_collection_produces_no_fetch_no_link_and_no_foreign_key_in_the_spec(tmp_path):
    evil = "https://evil.example/track.png"
    hostile = {"type": "FeatureCollection", "url": evil, "crs": {"type": "link", "properties": {"href": evil}},
               "features": [
                   {**area("https://evil.example/a.png", -121.0, 25, url=evil, href="javascript:alert(1)",
                           image=evil), "url": evil, "id": evil},
                   {**area("Canton", -120.6, 40), "properties": {"name": "Canton", "children": 40, "url": evil},
                    "geometry": {"type": "Polygon", "coordinates": [square(-120.6, 37.0)], "href": evil}},
               ]}
    [chart] = page_charts(geo_package(tmp_path, hostile), tmp_path)
    spec = json.loads(chart.spec_json)
    assert not spec_problems({k: v for k, v in spec.items() if k not in ("data", "$schema")})
    assert not keys(spec) & FORBIDDEN_KEYS - {"data"}
    assert keys(spec["data"]["values"]) <= {"type", "geometry", "coordinates", "feature", "value", "value_note",
                                           "_placeholder", "_placeholder_at", "_placeholder_slot", "_status",
                                           "_status_at", "_lon", "_lat"}
    assert evil not in chart.spec_json  # the only address is a name, shown as text in the table
    for drawn in (chart.svg, chart.file_svg.decode()):
        assert "<image" not in drawn and "href" not in drawn.replace('xmlns:xlink', '')
    assert chart.rows[0][0] == "https://evil.example/a.png"  # text in a cell, escaped by the template


@pytest.mark.parametrize("content, reason", [
    ({"type": "Feature", "properties": {"children": 30}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
     'top-level "type" is "Feature", not "FeatureCollection"'),
    ({"type": "Polygon", "coordinates": [square(0, 0)]}, 'top-level "type" is "Polygon"'),
    ([1, 2, 3], 'top-level "type" is null'),
    ({"type": "FeatureCollection", "features": [area("A", 500000.0, 25)]}, "not a longitude and latitude"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"children": 12},
                                                 "geometry": {"type": "Circle", "coordinates": [0, 0]}}]},
     'geometry type "Circle" is not GeoJSON'),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A", "id": 4},
                                                 "geometry": {"type": "Point", "coordinates": [0, 0]}}]},
     "no feature has a numeric property that measures"),
])
def test_a_geojson_that_is_not_a_drawable_feature_collection_gets_no_map_and_a_note(tmp_path, caplog, content,
                                                                                      reason):
    dataset = geo_package(tmp_path, content)
    with caplog.at_level(logging.WARNING, logger="tally.site.maps"):
        assert page_charts(dataset, tmp_path) == []
    assert f"areas: no map of areas: its {reason}" in caplog.text or reason in caplog.text


def test_not_json_at_all_gets_no_map(tmp_path, caplog):
    dataset = geo_package(tmp_path, text='{"type": "FeatureCollection", "features": [NaN]}')
    with caplog.at_level(logging.WARNING, logger="tally.site.maps"):
        assert page_charts(dataset, tmp_path) == []
    assert "the file is not JSON" in caplog.text


@pytest.mark.parametrize("path, fmt", [("data/areas.geojson", None), ("data/areas.json", "geojson")])
def test_geojson_is_known_by_its_format_or_its_name(tmp_path, path, fmt):
    assert len(page_charts(geo_package(tmp_path, path=path, fmt=fmt), tmp_path)) == 1


def test_a_plain_json_file_is_not_taken_for_a_map(tmp_path):
    assert page_charts(geo_package(tmp_path, path="data/areas.json", fmt="json"), tmp_path) == []


def test_a_huge_geojson_is_refused_by_its_size_before_it_is_read(tmp_path):
    dataset = geo_package(tmp_path)
    with open(dataset.folder / "data" / "areas.geojson", "r+b") as handle:
        handle.truncate(500_000_000)  # sparse: 500 MB on paper, nothing on disk
    settings = get_settings(tmp_path, TALLY_PROFILE="open")
    with pytest.raises(LimitExceeded, match="more than 100,000,000"):
        maps.read_features(dataset, dataset.resources[0], settings)
    _, problems = load_dataset(dataset.folder, settings)  # and validation refuses the package outright
    assert [p.rule for p in problems] == ["limit-resource-bytes"]


def test_a_geometry_too_detailed_to_draw_on_a_page_gets_no_map(tmp_path, caplog):
    ring = [[-121 + i * 1e-5, 37.0] for i in range(maps.MAX_MAP_POINTS)] + [[-121.0, 37.1], [-121.0, 37.0]]
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"children": 30}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    with caplog.at_level(logging.WARNING, logger="tally.site.maps"):
        assert page_charts(geo_package(tmp_path, collection), tmp_path) == []
    assert "simplify it" in caplog.text


def test_the_map_is_chosen_only_where_no_table_gives_a_chart(tmp_path):
    dataset = geo_package(tmp_path)
    [(source, view)] = charts.chart_sources(dataset, "open", Policy.of(dataset))
    assert view.spec["mark"] == "map" and source.resource(view.resource).rows[1]["value"] is None
