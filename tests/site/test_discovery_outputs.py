"""Discovery on built sites: data.json against the real POD schema, JSON-LD matching each package,
feeds, releases page, sitemap, robots.txt, canonical and social tags, catalog facets.

Every test runs on the sample site and on a build of the valid real corpus packages
(profile open), each built once for this module.
"""

import json
import re
import shutil
import struct
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import feedparser
import pytest

from tally.core.loading import load_dataset
from tally.site.build import build_site, load_settings
from tally.site.discovery.facts import site_from_settings, undated_fallback

from support import REPO, SHARED, shared_corpus

SPECS = SHARED / "specs" / "pod-v1.1" / "non-federal"
QUARTER_DAYS = {"1": ("01-01", "03-31"), "2": ("04-01", "06-30"), "3": ("07-01", "09-30"), "4": ("10-01", "12-31")}


class Built:
    """A built site and the packages it was built from."""

    def __init__(self, kind, output: Path, datasets: Path, settings: dict):
        self.kind = kind
        self.output = output
        self.site_url = settings["TALLY_SITE_URL"].rstrip("/")
        self.settings = settings
        self.datasets = datasets
        self.packages = {}  # folder name (the URL slug) -> descriptor
        for folder in sorted(p for p in datasets.iterdir() if (p / "datapackage.json").is_file()):
            self.packages[folder.name] = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))

    def file_for(self, url: str) -> Path:
        """The output file a site URL is served from."""
        assert url.startswith(self.site_url + "/"), url
        path = urlsplit(url).path[len(urlsplit(self.site_url).path):].lstrip("/")
        return self.output / path / "index.html" if path.endswith("/") or not path else self.output / path

    def html(self, slug: str) -> str:
        return (self.output / "datasets" / slug / "index.html").read_text(encoding="utf-8")

    def page_url(self, slug: str) -> str:
        return f"{self.site_url}/datasets/{slug}/"


def passing_packages(corpus: Path) -> list[str]:
    """The folders the corpus README lists as passing plain `frictionless validate`."""
    return re.findall(r"^\| `([^`]+)` \|.*\| PASS \|", (corpus / "README.md").read_text(), re.M)


def _build_corpus(root: Path, cache: Path) -> Built:
    corpus = shared_corpus()
    for name in passing_packages(corpus):
        shutil.copytree(corpus / "real" / name, root / "datasets" / name.replace("/", "_"))
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(root / "datasets"),
                             TALLY_PROFILE="open", TALLY_CACHE_PATH=str(cache))
    build_site(settings, root / "output")
    return Built("corpus", root / "output", root / "datasets", settings)


@pytest.fixture(scope="module", params=["sample", "corpus"])
def built(request, tmp_path_factory):
    if request.param == "sample":  # the session's sample build (browser_support.built_site)
        settings = load_settings(REPO / "pelicanconf.py")
        return Built("sample", request.getfixturevalue("built_site"), Path(settings["TALLY_DATASETS_PATH"]), settings)
    root = tmp_path_factory.mktemp(request.param)
    # Shared with test_search.py within one session: the same packages render the same charts.
    return _build_corpus(root, tmp_path_factory.getbasetemp() / "discovery-corpus-cache")


def pod_validator():
    """The POD v1.1 non-federal catalog schema (draft-04), its relative $ref resolved from the same folder."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    if not SPECS.is_dir():
        shared_corpus()  # skips in a user's clone, fails in CI, exactly as for the corpus
    catalog = json.loads((SPECS / "catalog.json").read_text())
    dataset = json.loads((SPECS / "dataset-non-federal.json").read_text())
    registry = Registry().with_resources(
        [(schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT4))
         for schema in (catalog, dataset)])
    checker = FormatChecker()

    @checker.checks("uri")
    def is_absolute_url(value):  # jsonschema skips "uri" without rfc3987; check what a harvester needs
        parts = urlsplit(value)
        return isinstance(value, str) and parts.scheme in ("http", "https") and bool(parts.netloc) \
            and not re.search(r"\s", value)

    return Draft4Validator(catalog, registry=registry, format_checker=checker)


def jsonld_scripts(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def quarter_interval(start: str, end: str) -> str:
    """The ISO interval of a coverage from quarter to quarter, or from year to year (the child population)."""
    (y1, q1), (y2, q2) = (start.split("-Q") + ["1"])[:2], (end.split("-Q") + ["4"])[:2]
    return f"{y1}-{QUARTER_DAYS[q1][0]}/{y2}-{QUARTER_DAYS[q2][1]}"


def changelog(descriptor) -> list[dict]:
    return descriptor.get("tally:changelog") or []


def undated(built, slug) -> str:
    """The date a package that states none gets: its newest period's end, else the source date (facts' own
    rule, tested on its own in test_discovery_metadata.py)."""
    dataset, _ = load_dataset(built.datasets / slug)
    return undated_fallback(dataset, site_from_settings({**built.settings, "SITENAME": "s"}))


def expected_modified(built, slug) -> str:
    descriptor = built.packages[slug]
    dates = [e["date"] for e in changelog(descriptor)] + [str(descriptor.get("created") or "")[:10]]
    return max((d for d in dates if d), default="") or undated(built, slug)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


# -- data.json -----------------------------------------------------------------------

def test_data_json_validates_against_the_pod_non_federal_schema(built):
    data = json.loads((built.output / "data.json").read_text(encoding="utf-8"))
    errors = sorted(pod_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    assert sorted(d["identifier"] for d in data["dataset"]) == sorted(built.page_url(s) for s in built.packages)


def test_the_pod_validator_catches_a_broken_entry(built):
    data = json.loads((built.output / "data.json").read_text(encoding="utf-8"))
    del data["dataset"][0]["contactPoint"]
    data["dataset"][-1]["accrualPeriodicity"] = "quarterly"
    data["dataset"][-1]["distribution"][0]["downloadURL"] = "data/file.csv"
    messages = [e.message for e in pod_validator().iter_errors(data)]
    assert any("contactPoint" in m for m in messages)
    assert any("'quarterly'" in m for m in messages)
    assert any("data/file.csv" in m for m in messages)


def test_data_json_entries_match_their_packages_and_link_to_files_that_exist(built):
    data = json.loads((built.output / "data.json").read_text(encoding="utf-8"))
    entries = {urlsplit(d["identifier"]).path.split("/")[2]: d for d in data["dataset"]}
    email = built.settings["TALLY_CONTACT_EMAIL"]
    for slug, descriptor in built.packages.items():
        entry = entries[slug]
        assert entry["title"] == descriptor.get("title", descriptor.get("name"))
        assert entry["contactPoint"]["hasEmail"] == f"mailto:{email}"
        assert entry["accessLevel"] == "public"
        licenses = [lic for lic in descriptor.get("licenses") or [] if lic.get("path")]
        if licenses:
            assert entry["license"] == licenses[0]["path"] and "rights" not in entry
        else:
            assert entry["license"] == built.settings["TALLY_DEFAULT_LICENSE"]["path"]
            assert "default licence" in entry["rights"]
        if descriptor.get("keywords"):
            assert entry["keyword"] == descriptor["keywords"]
        if expected_modified(built, slug):
            assert entry["modified"] == expected_modified(built, slug)
        else:
            assert "modified" not in entry  # never invented
        assert built.file_for(entry["describedBy"]).name == "datapackage.json"
        assert built.file_for(entry["describedBy"]).is_file()
        assert entry["distribution"]
        for distribution in entry["distribution"]:
            assert built.file_for(distribution["downloadURL"]).is_file(), distribution
        for resource in descriptor["resources"]:
            assert any(d["title"].startswith(resource["name"] + ".") for d in entry["distribution"]), resource["name"]
        coverage = descriptor.get("tally:coverage")
        if coverage:
            temporal = coverage["temporal"]
            assert entry["temporal"] == quarter_interval(temporal["start"], temporal["end"])
            assert entry["spatial"] == coverage["spatial"]
            assert entry["accrualPeriodicity"] == {"quarterly": "R/P3M", "annual": "R/P1Y",
                                                   "monthly": "R/P1M"}[descriptor["tally:frequency"]]
            assert entry["theme"] == [descriptor["tally:topic"]]


# -- JSON-LD ---------------------------------------------------------------------------

REQUIRED = ("name", "description")
ALWAYS = ("url", "identifier", "license", "creator", "publisher", "isAccessibleForFree", "citation",
          "includedInDataCatalog", "distribution")


def test_every_dataset_page_has_json_ld_matching_its_package(built):
    for slug, descriptor in built.packages.items():
        html = built.html(slug)
        scripts = jsonld_scripts(html)
        assert len(scripts) == 1, slug
        assert "</" not in scripts[0]
        data = json.loads(scripts[0])
        assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
        for key in REQUIRED + ALWAYS:
            assert data.get(key) not in (None, "", []), (slug, key)
        title = descriptor.get("title", descriptor.get("name"))
        assert data["name"] == title
        assert 50 <= len(data["description"]) <= 5000
        stated = words(descriptor.get("description") or "")[:6]
        assert words(data["description"].replace("Illustrative sample data. ", "", 1))[:len(stated)] == stated
        assert data["url"] == data["identifier"] == built.page_url(slug)
        assert data["isAccessibleForFree"] is True
        assert data["includedInDataCatalog"]["url"] == f"{built.site_url}/datasets/"
        licenses = [lic for lic in descriptor.get("licenses") or [] if lic.get("path")]
        assert data["license"] == (licenses[0]["path"] if licenses else built.settings["TALLY_DEFAULT_LICENSE"]["path"])
        assert title in data["citation"]
        if descriptor.get("version"):
            assert data["version"] == str(descriptor["version"])
            assert f"(version {descriptor['version']})" in data["citation"]
        else:
            assert "version" not in data
        if descriptor.get("keywords"):
            assert data["keywords"] == descriptor["keywords"]
        if expected_modified(built, slug):
            assert data["dateModified"] == expected_modified(built, slug)
        for download in data["distribution"]:
            assert download["@type"] == "DataDownload" and download["encodingFormat"]
            assert built.file_for(download["contentUrl"]).is_file(), download
        fields = {f["name"]: f for r in descriptor["resources"] for f in (r.get("schema") or {}).get("fields", [])}
        for variable in data.get("variableMeasured", []):
            assert fields[variable["name"]]["type"] in ("integer", "number"), variable
        coverage = descriptor.get("tally:coverage")
        if coverage:
            assert data["temporalCoverage"] == quarter_interval(coverage["temporal"]["start"],
                                                                coverage["temporal"]["end"])
            assert data["spatialCoverage"]["name"] == coverage["spatial"]
            measures = [n for n, f in fields.items() if f.get("tally:role") == "measure"]
            assert [v["name"] for v in data["variableMeasured"]] == measures
        elif "temporalCoverage" in data:
            start, end = data["temporalCoverage"].split("/")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end)
            assert start <= end


def test_json_ld_publisher_is_the_package_publisher_or_the_site(built):
    for slug, descriptor in built.packages.items():
        data = json.loads(jsonld_scripts(built.html(slug))[0])
        publisher = next((c["title"] for c in descriptor.get("contributors") or []
                          if c.get("role") == "publisher"), built.settings["TALLY_PUBLISHER"])
        assert data["publisher"]["name"] == publisher
        assert data["description"].startswith("Illustrative sample data") is bool(descriptor.get("tally:sample"))


def test_catalog_page_has_a_data_catalog_listing_every_dataset(built):
    html = (built.output / "datasets" / "index.html").read_text(encoding="utf-8")
    scripts = jsonld_scripts(html)
    assert len(scripts) == 1 and "</" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["@type"] == "DataCatalog" and data["url"] == f"{built.site_url}/datasets/"
    assert sorted(d["url"] for d in data["dataset"]) == sorted(built.page_url(s) for s in built.packages)
    assert all(50 <= len(d["description"]) <= 5000 for d in data["dataset"])


# -- feeds and the releases page ------------------------------------------------------------

def expected_releases(built) -> set[tuple[str, str, str]]:
    """(slug, version, date) of every release the packages state a date for."""
    found = set()
    for slug, descriptor in built.packages.items():
        if changelog(descriptor):
            found |= {(slug, e["version"], e["date"]) for e in changelog(descriptor)}
        elif descriptor.get("created") or undated(built, slug):
            found.add((slug, str(descriptor.get("version") or ""),
                       str(descriptor.get("created") or "")[:10] or undated(built, slug)))
    return found


def test_atom_feed_lists_every_release(built):
    feed = feedparser.parse((built.output / "feeds" / "releases.atom").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.feed.link == f"{built.site_url}/releases/"
    listed = set()
    for entry in feed.entries:
        slug = urlsplit(entry.link).path.split("/")[2]
        version = re.search(r"version (\S+?)(?: \(|$)", entry.title)
        listed.add((slug, version.group(1) if version else "", entry.updated[:10]))
        assert built.file_for(entry.link).is_file(), entry.link
        assert entry.content[0].value
    assert listed == expected_releases(built)
    assert len(feed.entries) == len(listed)
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    if built.kind == "sample":
        # 1.0.0 and the 1.0.1 correction (issue 10) of each of five sample datasets, the first-responder's
        # 1.0.2 naming its denominator and the child population's 1.0.0 (issue 11); first-responder's
        # three withdrawals and its re-suppressed 1.1.0 (issue 16).
        assert len(listed) == 16
        assert all("Illustrative sample data" in e.content[0].value for e in feed.entries)


def site_pages(built):
    """Every HTML page of the site but embeddable charts (bare pages meant for an iframe)."""
    pages = sorted(sorted(built.output.rglob("*.html")))
    assert pages  # a loop over nothing proves nothing
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "pagefind" not in page.parts and '<body class="embed"' not in html:
            yield page, html


def test_every_page_links_the_release_feed_and_each_dataset_its_own(built):
    for page, html in site_pages(built):
        assert 'rel="alternate" type="application/atom+xml"' in html and 'href="/feeds/releases.atom"' in html, page
    for slug in built.packages:
        assert f'href="/feeds/{slug}.atom"' in built.html(slug)
        feed = feedparser.parse((built.output / "feeds" / f"{slug}.atom").read_bytes())
        assert feed.bozo == 0
        assert {urlsplit(e.link).path.split("/")[2] for e in feed.entries} <= {slug}
        assert len(feed.entries) == len([r for r in expected_releases(built) if r[0] == slug])


def test_releases_page_lists_every_release_with_its_note(built):
    html = (built.output / "releases" / "index.html").read_text(encoding="utf-8")
    assert 'href="/feeds/releases.atom"' in html
    for slug, descriptor in built.packages.items():
        title = descriptor.get("title", descriptor.get("name"))
        entries = changelog(descriptor) or [{"version": descriptor.get("version") or "", "note": ""}]
        for entry in entries:
            heading = f'{title}, version {entry["version"]}' if entry["version"] else title
            assert re.search(rf'<h2 id="release-[^"]+"><a href="/datasets/{re.escape(slug)}/[^"]*">'
                             rf'{re.escape(heading.replace("&", "&amp;").replace(chr(39), "&#39;"))}</a></h2>', html), \
                (slug, heading)
            assert entry["note"].replace("'", "&#39;") in html


# -- sitemap, robots.txt, canonical and social tags -------------------------------------------

def test_every_sitemap_url_exists_and_dataset_dates_come_from_releases(built):
    root = ET.fromstring((built.output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.find("s:loc", ns).text: (u.find("s:lastmod", ns).text if u.find("s:lastmod", ns) is not None else "")
            for u in root.findall("s:url", ns)}
    assert len(urls) == len(root.findall("s:url", ns)), "a URL is listed twice"
    for url in urls:
        assert built.file_for(url).is_file(), url
    for slug, descriptor in built.packages.items():
        assert urls[built.page_url(slug)] == expected_modified(built, slug)
    for page in ("", "datasets/", "releases/", "about/", "privacy/"):
        assert f"{built.site_url}/{page}" in urls
    assert f"{built.site_url}/search/" not in urls  # not content: noindex
    if built.kind == "sample":
        assert urls[f"{built.site_url}/datasets/csec-training/v1.0.0/"] == "2024-08-15"


def test_robots_txt_points_at_the_sitemap(built):
    robots = (built.output / "robots.txt").read_text()
    assert f"Sitemap: {built.site_url}/sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots and "Disallow: /\n" not in robots


def test_every_page_has_one_canonical_url_and_open_graph_tags(built):
    assert len(list(site_pages(built))) > len(built.packages)
    for page, html in site_pages(built):
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
        assert len(canonical) == 1, page
        og_url = re.search(r'<meta property="og:url" content="([^"]+)">', html).group(1)
        assert built.file_for(og_url) == page
        if "/views/" in page.relative_to(built.output).as_posix():
            # A series' page (issue 11) stands for a view of the dataset page: canonical there, with
            # the view's query; its og:url stays its own, or networks would fetch the dataset's card.
            assert built.file_for(unescape(canonical[0])) == page.parents[3] / "index.html"
            assert "?" in canonical[0]
        else:
            assert og_url == canonical[0]
        for tag in ("og:title", "og:description", "og:site_name"):
            assert re.search(rf'<meta property="{tag}" content="[^"]+">', html), (page, tag)
        assert re.search(r'<meta name="twitter:card" content="summary(_large_image)?">', html)


def test_dataset_social_card_is_a_png_of_its_main_chart(built):
    carded = 0
    for slug in built.packages:
        html = built.html(slug)
        image = re.search(r'<meta property="og:image" content="([^"]+)">', html)
        if '<figure class="chart"' not in html:
            assert image is None and 'content="summary"' in html
            continue
        carded += 1
        png = built.file_for(image.group(1)).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert f'<meta property="og:image:width" content="{width}">' in html
        assert f'<meta property="og:image:height" content="{height}">' in html
        # Issue 11: cards of 1200 x 755-1261 px were cropped to 1.91:1 by every network, legends cut.
        assert (width, height) == (1200, 630), "Open Graph cards are 1200 x 630"
        assert 'name="twitter:card" content="summary_large_image"' in html
        alt = re.search(r'<meta property="og:image:alt" content="([^"]+)">', html).group(1)
        description = re.search(r"<figcaption>(.*?)</figcaption>", html).group(1)
        assert alt.endswith(description), "the card's text alternative ends with the main chart's description"
        assert f'<meta name="twitter:image" content="{image.group(1)}">' in html
    assert carded >= (5 if built.kind == "sample" else 10)


# -- facets ---------------------------------------------------------------------------------

def facet_pages(built, facet):
    folder = built.output / "datasets" / facet
    return sorted(folder.iterdir()) if folder.is_dir() else []


def listed_slugs(html: str) -> list[str]:
    return re.findall(r'<li data-url="/datasets/([^"/]+)/"', html)


def test_facet_pages_list_exactly_the_datasets_with_that_value(built):
    topics = {d.get("tally:topic") for d in built.packages.values()} - {None}
    assert len(facet_pages(built, "topic")) == len(topics)
    for folder in facet_pages(built, "topic"):
        html = (folder / "index.html").read_text(encoding="utf-8")
        topic = re.search(r"<h1>Topic: (.+?)</h1>", html).group(1)
        expected = sorted(s for s, d in built.packages.items() if d.get("tally:topic") == topic)
        assert sorted(listed_slugs(html)) == expected and expected
    frequencies = {d.get("tally:frequency") for d in built.packages.values()} - {None}
    assert [p.name for p in facet_pages(built, "frequency")] == sorted(frequencies)
    publishers = facet_pages(built, "publisher")
    assert publishers
    total = sum(len(listed_slugs((p / "index.html").read_text())) for p in publishers)
    assert total == len(built.packages)


def test_catalog_by_last_update_is_newest_first(built):
    html = (built.output / "datasets" / "updated" / "index.html").read_text(encoding="utf-8")
    slugs = listed_slugs(html)
    assert sorted(slugs) == sorted(built.packages)
    dates = [expected_modified(built, s) for s in slugs]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates == dated + [""] * (len(dates) - len(dated)), "undated datasets come last"


def test_catalog_is_a_plain_list_with_filter_links_without_javascript(built):
    html = (built.output / "datasets" / "index.html").read_text(encoding="utf-8")
    assert sorted(set(listed_slugs(html))) == sorted(built.packages)
    assert " hidden" not in html.split('<div id="catalog-list">')[1]
    for facet in ("topic", "frequency", "publisher"):
        for folder in facet_pages(built, facet):
            assert f'href="/datasets/{facet}/{folder.name}/"' in html
    assert 'href="/datasets/updated/"' in html
    topic = next(iter(facet_pages(built, "topic")), None)
    if topic is not None:
        page = (topic / "index.html").read_text()
        assert f'href="/datasets/topic/{topic.name}/" aria-current="page"' in page


def test_social_card_says_title_latest_figure_source_address_and_what_s_means(tmp_path):
    # Issue 11: cards carried no source, address or explanation of S.
    from tally.core.loading import load_dataset
    from tally.site.discovery.outputs import card_text, discovery_site
    from tally.site.pages import build_dataset_page

    from support import REPO, get_settings
    settings = get_settings(tmp_path)
    dataset, _ = load_dataset(REPO / "datasets" / "first-responder-identifications")
    page = build_dataset_page(dataset, settings)
    card = card_text(page, discovery_site(settings))
    assert " ".join(card.title_lines) == dataset.title
    assert card.figure == page.key_figures[0].value and "2024-Q2" in " ".join(card.label_lines)
    assert card.source == settings["TALLY_PUBLISHER"] or card.source.endswith("…")
    assert card.address == settings["TALLY_SITE_URL"].split("://")[1].rstrip("/")
    assert card.legend.startswith("= suppressed to protect privacy") and card.sample
