"""Real packages published by others: the valid ones build, the broken ones fail clearly.

Reads ../shared/corpus (skipped in a user's clone, required in CI).
"""

import json
import re
import shutil

import pytest

from tally.privacy.validation import validate
from tally.site import charts
from tally.site.build import build_site, load_settings

from support import REPO, get_settings, invalid_chart_specs, shared_corpus


def passing_packages(corpus):
    """The folders the corpus README lists as passing plain `frictionless validate`."""
    readme = (corpus / "README.md").read_text()
    return re.findall(r"^\| `([^`]+)` \|.*\| PASS \|", readme, re.M)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    corpus = shared_corpus()
    root = tmp_path_factory.mktemp("corpus")
    names = passing_packages(corpus)
    for name in names:
        shutil.copytree(corpus / "real" / name, root / "datasets" / name.replace("/", "_"))
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(root / "datasets"),
                             TALLY_PROFILE="open", TALLY_CACHE_PATH=str(root / "cache"))
    result = build_site(settings, root / "output")
    return result.output, [n.replace("/", "_") for n in names]


def test_every_valid_real_package_builds_a_page_with_dictionary_and_downloads(corpus_site):
    output, names = corpus_site
    assert len(names) == 29
    for name in names:
        page = output / "datasets" / name / "index.html"
        html = page.read_text()
        assert "Downloads" in html, name
        links = re.findall(rf'href="/datasets/{re.escape(name)}/([^"]+)" download', html)
        assert "datapackage.json" in links
        for link in links:
            assert (output / "datasets" / name / link).is_file(), (name, link)


@pytest.mark.parametrize("name, charted", [
    ("datasets__cpi-us", True),  # a time series: a line over the dates
    ("datasets__global-temp", True),
    ("datasets__world-cities", True),  # names and codes only: bars of its cities per country
    ("datasets__continent-codes", False),  # one row per code: nothing to measure or count
])
def test_default_chart_only_where_it_makes_sense(corpus_site, name, charted):
    output, _ = corpus_site
    html = (output / "datasets" / name / "index.html").read_text()
    assert ('<figure class="chart"' in html) is charted


# The valid packages that get no chart, each with the reason; every other one gets a readable
# chart (issue 15 asked 27 of 29; 26 is what is honest). Code lists with nothing to measure get
# bars of their rows per value (world-cities' cities per country; countries-and-currencies' USD
# on 19 rows and GBP, on fewer than the threshold, marked S); simple-geojson gets a map. These
# three have no honest chart: nothing measured, and every count of rows would be hidden.
NO_CHART = {
    "datasets__continent-codes": "7 codes and 7 names, each on one row: nothing measured, and every count of "
                                 "rows per value (1) is hidden: a chart of nothing but S",
    "frictionlessdata__example-data-packages_donation-codes": "3 codes and 3 descriptions, each on one row: "
                                                              "likewise",
    "frictionlessdata__example-data-packages_text-file": "not data: a text file",
}


def drawn_levels(spec: dict) -> tuple[str, set]:
    """The mark and the set of series (or bars, or a map's features) a built chart spec draws."""
    layer = spec["layer"][0]
    mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
    if mark == "geoshape":
        return mark, {f["feature"] for f in spec["data"]["values"]}
    encoding = layer["encoding"]
    channel = encoding.get("stroke") or encoding.get("color") or (encoding["y"] if encoding["y"]["type"] ==
                                                                  "nominal" else None)
    values = spec["data"]["values"]
    return mark, {r[channel["field"]] for r in values} if channel else set()


def test_every_valid_package_with_a_measure_gets_a_readable_chart(corpus_site):
    output, names = corpus_site
    charted = {}
    for name in names:
        html = (output / "datasets" / name / "index.html").read_text()
        specs = re.findall(rf'data-spec="/(datasets/{re.escape(name)}/charts/[^"]+\.vl\.json)"', html)
        if specs:
            charted[name] = [json.loads((output / path).read_text()) for path in specs]
    assert sorted(set(names) - set(charted)) == sorted(NO_CHART)
    assert len(charted) >= 26
    for name, specs in charted.items():
        for spec in specs:
            mark, levels = drawn_levels(spec)
            assert spec["data"]["values"], name
            # Readable: no more series than colours tell apart, no more bars than fit a phone.
            if mark == "geoshape":
                continue  # a map shows every feature in its place: no series to tell apart by colour
            assert len(levels) <= (charts.MAX_SERIES if mark != "bar" or "color" in spec["layer"][0]["encoding"]
                                   else charts.MAX_CATEGORIES), (name, len(levels))


@pytest.mark.parametrize("name, drawn", [
    # the counted rows of its one grouping field: USD on 19 rows; GBP on 4, below the threshold: S
    ("frictionlessdata__example-data-packages_countries-and-currencies", {"USD": (19, None), "GBP": (None, "S")}),
    # two polygons of the United Kingdom and a point without properties
    ("frictionlessdata__example-data-packages_simple-geojson", {"United Kingdom": (62262000, None),
                                                                "Feature 3": (None, "n/a")}),
])
def test_a_code_list_and_a_geojson_get_their_charts(corpus_site, name, drawn):
    output, _ = corpus_site
    html = (output / "datasets" / name / "index.html").read_text()
    [path] = re.findall(rf'data-spec="/(datasets/{re.escape(name)}/charts/[^"]+\.vl\.json)"', html)
    values = json.loads((output / path).read_text())["data"]["values"]
    key, value = ("feature", "value") if "feature" in values[0] else ("currency_alphabetic_code", "rows")
    assert {v[key]: (v[value], v["_placeholder"]) for v in values} == drawn


@pytest.mark.parametrize("name, chart, drawn", [
    # gdp's own Observable Plot view: a line per country, the seven largest of ten.
    ("datasets__gdp", "top-economies", {"United States", "China", "Japan", "Germany", "India",
                                        "United Kingdom", "France"}),
    # population has no views and 265 series (countries and regions) over a `year` field.
    ("datasets__population", "main", None),
])
def test_gdp_and_population_get_their_charts(corpus_site, name, chart, drawn):
    output, _ = corpus_site
    spec = json.loads((output / "datasets" / name / "charts" / f"{chart}.vl.json").read_text())
    mark, levels = drawn_levels(spec)
    assert mark == "line" and len(levels) <= charts.MAX_SERIES
    if drawn:
        assert levels == drawn
    else:
        assert "World" in levels  # the total, named in the caption
        html = (output / "datasets" / name / "index.html").read_text()
        assert "and World, the total; the other 258 are listed in the table." in html


def test_every_chart_spec_of_a_real_package_is_valid_vega_lite(corpus_site):
    output, _ = corpus_site
    assert len(list(output.rglob("*.vl.json"))) >= 26
    assert invalid_chart_specs(output) == []


def test_dictionary_lists_every_schema_field_of_a_real_package(corpus_site):
    from frictionless import Package

    output, _ = corpus_site
    html = (output / "datasets" / "datasets__gdp" / "index.html").read_text()
    package = Package(str(shared_corpus() / "real" / "datasets__gdp" / "datapackage.json"))
    for resource in package.resources:
        for field in resource.schema.fields:
            assert f"<code>{field.name}</code>" in html


def test_every_invalid_package_fails_with_a_located_message(tmp_path):
    corpus = shared_corpus()
    folders = sorted(p for p in (corpus / "invalid").iterdir() if p.is_dir())
    assert len(folders) == 8
    for folder in folders:
        report, _ = validate(folder, get_settings(tmp_path, TALLY_PROFILE="open"))
        assert not report.valid, folder.name
        for problem in report.problems:
            assert problem.rule and problem.message and problem.hint, (folder.name, problem)
            assert problem.file and problem.dataset == folder.name, (folder.name, problem)


@pytest.mark.parametrize("name, rule", [
    ("datasets__media-types", "byte-count"),
    ("datasets__sea-level-rise", "type-error"),
    ("datasets__nasdaq-listings", "blank-row"),
    ("frictionlessdata__example-data-packages/cpi-data-via-url", "unsafe-path"),
    ("CT-Data-Collaborative__drug-arrests", "package-error"),
])
def test_real_packages_with_defects_are_refused_for_the_right_reason(tmp_path, name, rule):
    report, _ = validate(shared_corpus() / "real" / name, get_settings(tmp_path, TALLY_PROFILE="open"))
    assert rule in {p.rule for p in report.problems}
