"""site/series_pages.py: a page and a social card per series a chart draws, the static answer to a shared view.

Issue 11: a shared view, /datasets/<slug>/?age_band=12-14, showed the dataset's card, since a
static host serves the same HTML for any query and crawlers run no JavaScript.
"""

import csv
import json
import re
import struct
from html import unescape
from urllib.parse import urlencode

import pytest

from tally.core.errors import UnsafePath
from tally.core.loading import load_dataset
from tally.privacy.policy import Policy
from tally.site.series_pages import SeriesPage, series_card_text, series_file, series_pages

from site_support import site
from support import REPO, get_settings, minimal_descriptor, write_package

SITE_URL = "https://data.example.gov"


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert found, name
    return unescape(found.group(1))


def series_dimensions_of(descriptor: dict) -> dict[str, str]:
    """field -> resource of every field a tally view colours or splits by."""
    found = {}
    for view in descriptor.get("views", []):
        for key in ("color", "facet"):
            if view.get("specType") == "tally" and view["spec"].get(key):
                found.setdefault(view["spec"][key], view["resources"][0])
    return found


def test_every_series_value_has_a_page_with_its_own_card_and_canonical(built_site):
    checked = 0
    for folder in sorted((REPO / "datasets").iterdir()):
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        dimensions = series_dimensions_of(descriptor)
        index_file = built_site / "datasets" / folder.name / "views" / "index.json"
        if not dimensions:
            assert not index_file.exists()
            continue
        index = json.loads(index_file.read_text(encoding="utf-8"))
        assert set(index) == set(dimensions)
        for name, resource in dimensions.items():
            path = next(r["path"] for r in descriptor["resources"] if r["name"] == resource)
            with open(folder / path, newline="", encoding="utf-8") as f:
                values = {row[name] for row in csv.DictReader(f)}
            assert set(index[name]["values"]) == values  # every value of the series dimension
            for value, relative in index[name]["values"].items():
                out = built_site / "datasets" / folder.name / relative
                html = (out / "index.html").read_text(encoding="utf-8")
                own = f"{SITE_URL}/datasets/{folder.name}/{relative}"
                canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
                assert unescape(canonical) == f"{SITE_URL}/datasets/{folder.name}/?{urlencode({name: value})}"
                assert meta(html, "og:url") == own  # networks fetch og:url again: it must keep this card
                assert meta(html, "og:image") == meta(html, "twitter:image") == own + "card.png"
                png = (out / "card.png").read_bytes()
                assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1200, 630)
                assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
                assert value in meta(html, "og:image:alt")
                explore = re.search(r'<a class="button" href="([^"]+)" data-view-range>Explore this view</a>', html)
                assert unescape(explore.group(1)) == f"/datasets/{folder.name}/?{urlencode({name: value})}"
                if descriptor.get("tally:sample"):
                    assert "Illustrative sample data" in html
                checked += 1
    assert checked >= 20


def test_the_sitemap_lists_the_series_pages(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for page in (built_site / "datasets").glob("*/views/*/*/index.html"):
        assert f"{SITE_URL}/{page.parent.relative_to(built_site).as_posix()}/</loc>" in sitemap


def figures_in(text: str) -> list[int]:
    """Whole numbers written as figures (not inside a period like 2024-Q2 or a label like 12-14)."""
    return [int(n.replace(",", "")) for n in re.findall(r"(?<![\w.-])\d[\d,]*(?![\w.-])", text)]


def counts_people(slug: str, dimension: str) -> bool:
    """Whether the series pages of `dimension` show a count of people (the chart's measure is tally:kind count)."""
    descriptor = json.loads((REPO / "datasets" / slug / "datapackage.json").read_text(encoding="utf-8"))
    view = next(v for v in descriptor["views"] if dimension in (v["spec"].get("color"), v["spec"].get("facet")))
    resource = next(r for r in descriptor["resources"] if r["name"] == view["resources"][0])
    measure = next(f for f in resource["schema"]["fields"] if f["name"] == view["spec"]["y"])
    return measure.get("tally:kind") == "count"


def test_no_small_figure_on_any_series_page_or_card(built_site):
    # The sample datasets hide cells in many series (S); no page or card shows a count of 1 to 10.
    # (Operations are events, not people: a published 1 of them is no one's secret.)
    threshold = get_settings()["TALLY_THRESHOLD"]
    suppressed = 0
    for page in (built_site / "datasets").glob("*/views/*/*/index.html"):
        parts = page.relative_to(built_site).parts  # datasets, slug, views, dimension, value, index.html
        if not counts_people(parts[1], parts[3]):
            continue
        html = page.read_text(encoding="utf-8")
        value = unescape(re.search(r'<p class="kf-value">(.*?)</p>', html).group(1))
        shown = [re.sub(r"<[^>]+>", "", value), meta(html, "og:image:alt").split(":")[-1],
                 *re.findall(r"Last published figure: ([^,]+),", html)]
        for text in shown:
            assert not [n for n in figures_in(text) if 0 < n < threshold], (page, text)
        suppressed += value.startswith("S ")
    assert suppressed >= 3  # the sample's hidden series are there, and read S


def _dataset(tmp_path, csv_text, descriptor=None):
    folder = write_package(tmp_path / "datasets" / "minimal", descriptor or minimal_descriptor(), csv=csv_text)
    dataset, problems = load_dataset(folder)
    assert dataset is not None, problems
    return dataset


def series_of(tmp_path, csv_text, descriptor=None) -> dict[str, SeriesPage]:
    """The SeriesPages of the minimal package with `csv_text` as its table (not validated: a file may slip by)."""
    from tally.site.pages import build_dataset_page

    dataset = _dataset(tmp_path, csv_text, descriptor)
    settings = get_settings(tmp_path)
    page = build_dataset_page(dataset, settings)
    return {s.value: s for s in series_pages(page, Policy.of(dataset, settings), SITE_URL)}


HIDDEN_LATEST = """quarter,age_band,children,children_note
2024-Q1,Under 15,25,
2024-Q1,15-17,40,
2024-Q2,Under 15,,S
2024-Q2,15-17,0,
"""


def test_a_hidden_latest_figure_reads_s_with_the_last_published_one(tmp_path):
    found = series_of(tmp_path, HIDDEN_LATEST)
    under = found["Under 15"]
    assert (under.latest.text, under.latest.code, under.latest.period) == ("S", "S", "2024-Q2")
    assert (under.last_published.text, under.last_published.period) == ("25", "2024-Q1")
    card = series_card_text(under, site())
    assert card.figure == "S" and card.status == "suppressed to protect privacy"
    assert card.legend.startswith("= suppressed to protect privacy")
    assert card.last_published == "Last published: 25, 2024-Q1"
    assert found["15-17"].latest.text == "0" and found["15-17"].last_published is None


SMALL_LATEST = """quarter,age_band,children,children_note
2024-Q1,Under 15,25,
2024-Q1,15-17,40,
2024-Q2,Under 15,7,
2024-Q2,15-17,3,
"""


def test_a_small_count_that_slipped_past_validation_reads_s_never_its_number(tmp_path):
    # Validation refuses this table, and the chart describer stops the build on it; should a table
    # like it reach the series pages anyway, they still say S. (The page is built from a valid
    # table, then given the bad one: the figures are read from the page's dataset.)
    from tally.site.pages import build_dataset_page

    settings = get_settings(tmp_path)
    page = build_dataset_page(_dataset(tmp_path, HIDDEN_LATEST), settings)
    page.dataset = _dataset(tmp_path / "slipped", SMALL_LATEST)
    found = {s.value: s for s in series_pages(page, Policy.of(page.dataset, settings), SITE_URL)}
    for value, small in (("Under 15", "7"), ("15-17", "3")):
        series = found[value]
        assert series.latest.text == "S" and series.latest.code == "S"
        card = series_card_text(series, site())
        words = " ".join([card.figure, card.status, *card.label_lines, card.last_published, series.summary])
        assert small not in re.findall(r"\d+", words.replace("2024-Q", "")), words


def test_a_provisional_figure_says_so_on_the_page_and_card(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][3]["constraints"]["enum"] = ["S", "N", "P", "R"]
    found = series_of(tmp_path, HIDDEN_LATEST.replace("2024-Q2,15-17,0,", "2024-Q2,15-17,45,P"), descriptor)
    series = found["15-17"]
    assert (series.latest.text, series.latest.status) == ("45", "provisional")
    assert series_card_text(series, site()).status == "provisional"
    assert "45 (provisional)" in series.summary


def test_the_figure_is_the_charts_measure_at_the_other_dimensions_totals(tmp_path):
    descriptor = minimal_descriptor()
    fields = descriptor["resources"][0]["schema"]["fields"]
    fields.insert(2, {"name": "area", "type": "string", "title": "Area", "tally:role": "dimension",
                      "tally:total": "All areas", "constraints": {"required": True, "enum": ["North", "All areas"]}})
    descriptor["resources"][0]["schema"]["primaryKey"] = ["quarter", "age_band", "area"]
    rows = ["quarter,age_band,area,children,children_note"]
    for quarter, north, total in (("2024-Q1", 20, 30), ("2024-Q2", 25, 44)):
        rows += [f"{quarter},Under 15,North,{north},", f"{quarter},Under 15,All areas,{total},",
                 f"{quarter},15-17,North,0,", f"{quarter},15-17,All areas,0,"]
    found = series_of(tmp_path, "\n".join(rows) + "\n", descriptor)
    assert found["Under 15"].latest.text == "44" and found["Under 15"].scope == ["All areas"]


def test_a_hostile_value_is_slugged_into_the_datasets_views_folder(tmp_path):
    descriptor = minimal_descriptor()
    hostile = ["../../x", "..", "/etc/passwd", "a\\b"]
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["enum"] = hostile
    rows = ["quarter,age_band,children,children_note"] + [f'2024-Q1,"{v}",{20 + i},' for i, v in enumerate(hostile)]
    found = series_of(tmp_path, "\n".join(rows) + "\n", descriptor)
    assert set(found) == set(hostile)
    assert [found[v].slug for v in hostile] == ["x", "value", "etc-passwd", "a-b"]
    output = tmp_path / "output"
    for series in found.values():
        written = output / series_file(output, series, "index.html")
        assert written.parent.parent.parent == (output / "datasets" / "minimal" / "views").resolve()
        assert series.url.startswith("datasets/minimal/views/age_band/")


def test_a_forged_slug_is_refused_by_the_one_join(tmp_path):
    [series, *_] = series_of(tmp_path, HIDDEN_LATEST).values()
    series.slug = "../../x"
    with pytest.raises(UnsafePath):
        series_file(tmp_path / "output", series, "index.html")
    with pytest.raises(UnsafePath):
        series.url


def test_a_dataset_whose_charts_draw_no_series_has_no_series_pages(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"].pop("color")
    descriptor["views"][0]["spec"]["filter"] = {"age_band": "Under 15"}
    assert series_of(tmp_path, HIDDEN_LATEST, descriptor) == {}


def test_a_chart_of_the_few_largest_series_gives_pages_to_those_it_draws(tmp_path):
    # A chart trimmed to the few largest series lists them in its filter: a card per value of a
    # 200-country field cost a third of a real-package build, so the others share the dataset page.
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"]["filter"] = {"age_band": ["15-17"]}
    assert list(series_of(tmp_path, HIDDEN_LATEST, descriptor)) == ["15-17"]


def test_series_pages_are_read_from_the_cache_until_the_table_changes(tmp_path):
    # Issue 12: a rebuild reads no row for the parts of a page it cached; the series' figures are one.
    from tally.core.cache import Cache
    from tally.site.pages import build_dataset_page

    settings = get_settings(tmp_path)
    cache = Cache(tmp_path / "cache", "cards")
    dataset = _dataset(tmp_path, HIDDEN_LATEST)
    page = build_dataset_page(dataset, settings)
    first = series_pages(page, Policy.of(dataset, settings), SITE_URL, cache)
    again = series_pages(page, Policy.of(dataset, settings), SITE_URL, cache)
    assert [(s.value, s.slug, s.latest, s.last_published) for s in again] == \
        [(s.value, s.slug, s.latest, s.last_published) for s in first]
    assert all(s.dataset_page is page for s in again)
    changed = _dataset(tmp_path, HIDDEN_LATEST.replace("2024-Q2,15-17,0,", "2024-Q2,15-17,35,"))
    page = build_dataset_page(changed, settings)
    [_, older] = series_pages(page, Policy.of(changed, settings), SITE_URL, cache)
    assert older.latest.text == "35"
