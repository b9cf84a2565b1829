"""Maps of GeoJSON resources: a FeatureCollection becomes a map of its features, coloured by one number (issue 15).

A package may publish its areas as GeoJSON (a resource whose format or media
type says geojson, or whose path ends .geojson) instead of a table. The file is
read only when its top-level "type" is "FeatureCollection"; anything else gets
no map and a note in the build log. Its features become a small table Tally
makes itself (one row per feature: its name, one numeric property) plus the
geometry, which charts.py draws as an Altair `geoshape` map, inlined like every
chart's rows: a spec never fetches anything.

What is copied from the file is rebuilt, never passed through: each geometry is
re-made from its type and its coordinates (numbers only, longitude and
latitude in range, rings wound as Vega's d3-geo expects), and of the properties
only a name and the chosen number are kept, so a property named `url` or
`href`, or a foreign member anywhere, never reaches a spec.

A GeoJSON property cannot declare whether it counts people, so every whole
number drawn is taken for a count and asked of Policy: one it may not show is
a suppressed cell, drawn grey with the site's "S" marker and listed as
suppressed in the table.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re

from tally.core.annotations import SUPPRESSED
from tally.core.dataset import IDENTIFIER_NAME, Dataset, Field, Resource, View
from tally.core.errors import LimitExceeded, NoMap, UnsafePath
from tally.core.limits import check_size
from tally.core.paths import quoted, safe_join
from tally.core.settings import DEFAULTS
from tally.privacy.policy import Policy

log = logging.getLogger(__name__)

MEDIA_TYPES = ("application/geo+json", "application/vnd.geo+json")
# A map is inlined into its page's SVG and its spec: a file larger than this, or with more
# points than this, is a download, not a picture (simplify it to draw it). Both are far
# below TALLY_MAX_RESOURCE_BYTES, which refuses a larger file before anything reads it.
MAX_MAP_BYTES = 10_000_000
MAX_MAP_POINTS = 100_000
NAME_KEYS = ("name", "NAME", "Name", "name_long", "admin", "title", "label")
NAME_CHARS = 80
# Numbers that name, order, date or paint a feature rather than measure it (Natural Earth's
# scalerank, mapcolor7, pop_year ...), besides the identifiers no default chart draws.
NOT_A_MEASURE = re.compile(r"rank|year|colou?r|(^|[_\s-])(lat|lon|lng|latitude|longitude|x|y)$", re.I)
FEATURE, VALUE, NOTE = "feature", "value", "value_note"
GEOMETRY, AT = "_geometry", "_at"  # kept beside each row for the drawing only, never in the table
# How deep each geometry's coordinates nest: a position is [longitude, latitude].
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def is_geojson(resource: Resource) -> bool:
    """True for a resource declared or named as GeoJSON (whether it holds a FeatureCollection is read later)."""
    if resource.tabular:
        return False
    media = str(resource.descriptor.get("mediatype") or "").lower()
    return (resource.format == "geojson" or media in MEDIA_TYPES
            or str(resource.path).lower().endswith(".geojson"))


def map_sources(dataset: Dataset, policy: Policy, settings: dict | None = None) -> list[tuple[Dataset, View]]:
    """One map per GeoJSON resource that holds a FeatureCollection with a number to colour by."""
    out = []
    for resource in dataset.resources:
        if not is_geojson(resource):
            continue
        try:
            out.append(map_source(dataset, resource, policy, settings))
        except (NoMap, LimitExceeded, UnsafePath, OSError) as why:
            log.warning("%s: no map of %s: %s", dataset.slug, resource.name, why)
    return out


def map_source(dataset: Dataset, resource: Resource, policy: Policy, settings: dict | None = None
               ) -> tuple[Dataset, View]:
    """The dataset as the map reads it (one table, a row per feature) and the map's view; NoMap if none."""
    features = read_features(dataset, resource, settings)
    chosen = colour_property(features)
    if chosen is None:
        raise NoMap("no feature has a numeric property that measures something (ids, ranks, years, colours "
                    "and 0/1 flags are not drawn)")
    values = [props.get(chosen) for _, _, props in features]
    whole = all(float(v).is_integer() for v in values if v is not None)
    rows, hidden = [], 0
    for (name, geometry, _), value in zip(features, values):
        # A whole number may count people (a GeoJSON property cannot say it does not): Policy decides,
        # value by value, so one fractional value in a column of counts does not let the small ones through.
        if value is not None and float(value).is_integer() and not policy.may_show(value):
            value, note, hidden = None, SUPPRESSED, hidden + 1
        else:
            note = None
            value = int(value) if value is not None and whole else value
        rows.append({FEATURE: name, VALUE: value, NOTE: note, GEOMETRY: geometry, AT: centre(geometry)})
    lead = (f"Map of the {len(features)} features of {resource.title}, coloured by {chosen} (chosen by Tally, "
            "as the package names none: the numeric property whose values differ most between features, "
            "then the largest)")
    if hidden:
        lead += f"; a whole number below {policy.threshold} is taken for a count, suppressed and marked S"
    table = Resource(
        name=f"{resource.name}-map", path=resource.path, file=resource.file,
        descriptor={"name": f"{resource.name}-map", "title": resource.title, "description": lead + "."},
        fields=[Field({"name": FEATURE, "type": "string", "title": "Feature", "tally:role": "dimension"}),
                Field({"name": VALUE, "type": "integer" if whole else "number", "title": chosen,
                       "tally:role": "measure", "tally:annotation": NOTE, **({"tally:kind": "count"} if whole else {})}),
                Field({"name": NOTE, "type": "string", "title": "Note", "tally:role": "annotation"})])
    table.__dict__["rows"] = rows
    view = View(name=f"{resource.name}-map", title=f"Map of {chosen}", resource=table.name, spec_type="tally",
                spec={"mark": "map", "x": FEATURE, "y": VALUE, "description": lead + ".",
                      "projection": projection(rows)}, generated=True)
    return dataclasses.replace(dataset, resources=[table], views=[]), view


def read_features(dataset: Dataset, resource: Resource, settings: dict | None = None) -> list[tuple]:
    """Each feature as (name, geometry, numeric properties); NoMap when the file is not a FeatureCollection we draw.

    The file's size is asked of the file system before a byte is read: over
    TALLY_MAX_RESOURCE_BYTES it is refused (LimitExceeded, as at validation), over
    MAX_MAP_BYTES it is not drawn.
    """
    settings = {**DEFAULTS, **(settings or {})}
    file = safe_join(dataset.folder, resource.path)
    check_size(file, settings)
    if file.stat().st_size > MAX_MAP_BYTES:
        raise NoMap(f"the file is larger than {MAX_MAP_BYTES:,} bytes, too large to draw on a page; simplify it")
    with open(file, "rb") as handle:
        text = handle.read(MAX_MAP_BYTES + 1)
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting deeper than Python reads
        raise NoMap(f"the file is not JSON ({quoted(type(error).__name__)})") from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind != "FeatureCollection":
        raise NoMap(f'its top-level "type" is {quoted(json.dumps(kind), 40)}, not "FeatureCollection"')
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise NoMap('its "features" is not a list of features')
    if len(features) > settings["TALLY_MAX_CHART_ROWS"]:
        raise NoMap(f"it has {len(features):,} features, more than {settings['TALLY_MAX_CHART_ROWS']:,} "
                    "(TALLY_MAX_CHART_ROWS)")
    out, points = [], 0
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise NoMap(f"feature {index} is not a Feature")
        try:
            geometry = clean_geometry(feature.get("geometry"))
        except NoMap as why:
            raise NoMap(f"feature {index}: {why}") from None
        if geometry is None:
            continue  # GeoJSON allows a feature with no geometry: nothing to draw
        points += count_points(geometry)
        if points > MAX_MAP_POINTS:
            raise NoMap(f"its geometry has more than {MAX_MAP_POINTS:,} points, too many to draw on a page; "
                        "simplify it")
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        out.append((feature_name(properties, index), geometry, numbers(properties)))
    if not out:
        raise NoMap("no feature has a geometry")
    return out


def _no_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def feature_name(properties: dict, index: int) -> str:
    """The feature's name from its first name-like text property, else "Feature 3"."""
    for key in NAME_KEYS:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return quoted(value.strip(), NAME_CHARS)
    return f"Feature {index}"


def numbers(properties: dict) -> dict:
    """The properties holding a finite number (true and false are not numbers)."""
    return {str(k): v for k, v in properties.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def colour_property(features: list[tuple]) -> str | None:
    """The property to colour by: of those that measure, the one with most distinct values, then the largest.

    Identifiers, ranks, years, colour indexes, coordinates and 0/1 flags are left out;
    among what is left, a property that tells the features apart says most on a map,
    and among equals the largest values are the amounts (populations, sums), where
    small ones are levels and codes. Ties go to the first in the file.
    """
    seen: dict[str, list] = {}
    for _, _, props in features:
        for key, value in props.items():
            seen.setdefault(key, []).append(value)
    candidates = [k for k, values in seen.items()
                  if not IDENTIFIER_NAME.search(k) and not NOT_A_MEASURE.search(k) and not set(values) <= {0, 1}]
    if not candidates:
        return None
    return min(candidates, key=lambda k: (-len(set(seen[k])), -max(abs(v) for v in seen[k]), list(seen).index(k)))


# -- geometry ------------------------------------------------------------------------

def clean_geometry(geometry) -> dict | None:
    """The geometry rebuilt from its type and coordinates only; NoMap for anything else."""
    if geometry is None:
        return None
    if not isinstance(geometry, dict):
        raise NoMap("its geometry is not an object")
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list) or any(isinstance(p, dict) and p.get("type") == "GeometryCollection"
                                              for p in parts):
            raise NoMap("a GeometryCollection must list simple geometries")
        return {"type": kind, "geometries": [g for g in (clean_geometry(p) for p in parts) if g is not None]}
    if kind not in DEPTH:
        raise NoMap(f"geometry type {quoted(json.dumps(kind), 40)} is not GeoJSON")
    coordinates = _positions(geometry.get("coordinates"), DEPTH[kind])
    if kind == "Polygon":
        coordinates = _wound(coordinates)
    elif kind == "MultiPolygon":
        coordinates = [_wound(polygon) for polygon in coordinates]
    return {"type": kind, "coordinates": coordinates}


def _positions(value, depth: int):
    """Coordinates nested `depth` lists deep, each position cut to [longitude, latitude] and checked."""
    if depth == 0:
        if (not isinstance(value, list) or len(value) < 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value[:2])):
            raise NoMap("a position is not [longitude, latitude]")
        lon, lat = value[0], value[1]
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise NoMap("a position is not a longitude and latitude (GeoJSON is in WGS 84 degrees)")
        return [round(lon, 6), round(lat, 6)]
    if not isinstance(value, list):
        raise NoMap("its coordinates do not nest as its type says")
    return [_positions(item, depth - 1) for item in value]


def _wound(rings: list) -> list:
    """A polygon's rings as d3-geo reads them: the outer ring clockwise, holes anticlockwise.

    GeoJSON (RFC 7946) asks the opposite, and Vega draws a ring wound that way as the whole
    globe outside it: a map of one county would be painted over every other place.
    """
    out = []
    for index, ring in enumerate(rings):
        clockwise = _signed_area(ring) < 0
        out.append(ring if clockwise == (index == 0) else ring[::-1])
    return out


def _signed_area(ring: list) -> float:
    """Twice the ring's area in degrees, positive when it runs anticlockwise (longitude east, latitude north)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))


def count_points(geometry: dict) -> int:
    if geometry["type"] == "GeometryCollection":
        return sum(count_points(g) for g in geometry["geometries"])
    depth, items = DEPTH[geometry["type"]], [geometry["coordinates"]]
    for _ in range(depth):
        items = [item for group in items for item in group]
    return len(items)


def _all_positions(geometry: dict) -> list:
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in _all_positions(g)]
    items = [geometry["coordinates"]]
    for _ in range(DEPTH[geometry["type"]]):
        items = [item for group in items for item in group]
    return items


def centre(geometry: dict) -> list | None:
    """Where a marker for the feature goes: the middle of its bounding box, [longitude, latitude]."""
    positions = _all_positions(geometry)
    if not positions:
        return None
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    return [round((min(lons) + max(lons)) / 2, 6), round((min(lats) + max(lats)) / 2, 6)]


def projection(rows: list[dict]) -> str:
    """Mercator for a region (a county, a country: shapes as readers know them), Equal Earth for much of the world."""
    positions = [p for row in rows for p in _all_positions(row[GEOMETRY])]
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    wide = max(lons) - min(lons) > 60 or max(lats) - min(lats) > 50 or max(abs(v) for v in lats) > 75
    return "equalEarth" if wide else "mercator"
