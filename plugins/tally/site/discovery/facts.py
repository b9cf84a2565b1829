"""Metadata that lets search engines and data catalogs find each dataset.

Pure functions over `DatasetPage` objects and the site settings: schema.org
Dataset JSON-LD for each dataset page, a DataCatalog for the catalog page, and
the DCAT-US (Project Open Data v1.1) `data.json` the data.gov harvester reads.
Feeds, the sitemap and robots.txt are in `feeds.py`; catalog facets
in `facets.py`; the functions that write files in `outputs.py`.

Packages written without Tally's conventions (`--profile open`) still get valid
metadata: a missing date, coverage or keyword is left out rather than invented,
a missing licence becomes TALLY_DEFAULT_LICENSE (and the catalog entry says so),
and a description shorter than Google's 50 characters is completed with a
generated sentence about what the dataset covers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import os
import re
from dataclasses import dataclass, field

from tally.core import periods
from tally.core.errors import SettingsError
from tally.core.releases import changelog_entries, version_order
from tally.site.pages import DatasetPage
from tally.site.text import absolute_url, markdown_html

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
# Google Dataset Search: a description must be 50 to 5,000 characters.
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 5000
# DCAT accrualPeriodicity: ISO 8601 repeating durations.
PERIODICITY = {"annual": "R/P1Y", "quarterly": "R/P3M", "monthly": "R/P1M"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The shape data.gov accepts for a contact email (POD vcard hasEmail, without "mailto:").
EMAIL = re.compile(r"^[\w_~!$&'()*+,;=:.-]+@[\w.-]+\.[\w.-]+$")
SAMPLE_LABEL = "Illustrative sample data"
NO_LICENSE_NOTE = "The package states no licence; the site's default licence applies."


@dataclass(frozen=True)
class Site:
    """The site-wide facts metadata needs, from settings (checked)."""

    url: str  # absolute, no trailing slash: TALLY_SITE_URL
    name: str  # SITENAME
    publisher: str
    email: str
    default_license: dict
    language: str = "en"
    source_date: str = ""  # YYYY-MM-DD or "": TALLY_SOURCE_DATE, else SOURCE_DATE_EPOCH

    def absolute(self, path: str) -> str:
        """The absolute URL of a site path such as `datasets/x/` (no leading slash)."""
        return absolute_url(self.url, path)


def site_from_settings(settings: dict) -> Site:
    """A `Site` from Pelican + Tally settings; SettingsError naming the setting when one is unusable."""
    url = str(settings.get("TALLY_SITE_URL") or "").rstrip("/")
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        raise SettingsError(f"TALLY_SITE_URL must be the site's absolute address such as "
                            f"https://data.example.gov, got {settings.get('TALLY_SITE_URL')!r}")
    email = str(settings.get("TALLY_CONTACT_EMAIL") or "")
    if not EMAIL.match(email):
        raise SettingsError(f"TALLY_CONTACT_EMAIL must be an email address such as data@example.gov, got {email!r}")
    publisher = str(settings.get("TALLY_PUBLISHER") or "").strip()
    if not publisher:
        raise SettingsError("TALLY_PUBLISHER must name who publishes the site, e.g. 'Example County'")
    source_date = source_date_setting(settings)
    default = settings.get("TALLY_DEFAULT_LICENSE")
    if not (isinstance(default, dict) and default.get("name")
            and re.match(r"^https?://\S+$", str(default.get("path") or ""))):
        raise SettingsError("TALLY_DEFAULT_LICENSE must be a licence like {'name': 'CC-BY-4.0', 'path': "
                            f"'https://creativecommons.org/licenses/by/4.0/', 'title': '...'}}, got {default!r}")
    return Site(url=url, name=str(settings.get("SITENAME") or publisher), publisher=publisher, email=email,
                default_license=dict(default), language=str(settings.get("DEFAULT_LANG") or "en"),
                source_date=source_date)


def source_date_setting(settings: dict, environ=os.environ) -> str:
    """The build's source date: TALLY_SOURCE_DATE, else SOURCE_DATE_EPOCH's UTC day, else "".

    Never the clock or a file's modification time (a fresh clone's files are all
    dated the moment of the clone), so the same sources give the same site.
    """
    stated = settings.get("TALLY_SOURCE_DATE")
    if stated:
        if not iso_day(stated) or iso_day(stated) != str(stated):
            raise SettingsError(f"TALLY_SOURCE_DATE must be a date written YYYY-MM-DD, got {stated!r}")
        return str(stated)
    epoch = str(environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if not epoch:
        return ""
    if not epoch.isdigit():
        raise SettingsError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970 (git log -1 --format=%ct), "
                            f"got {epoch!r}")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()


# -- facts about one dataset, shared by JSON-LD, DCAT, feeds and facets ---------

@dataclass(frozen=True)
class Release:
    """One published version of a dataset, from `tally:changelog` (or the package itself)."""

    slug: str
    title: str  # the dataset's title
    version: str
    date: str  # YYYY-MM-DD, or "" when the package does not say
    kind: str  # release, revision, correction
    note: str
    archived: bool  # served at /datasets/<slug>/v<version>/
    sample: bool = False  # the dataset's figures are illustrative (tally:sample)

    @property
    def path(self) -> str:
        """Site path of the page that shows this release."""
        if self.archived:
            return f"datasets/{self.slug}/v{self.version}/"
        return f"datasets/{self.slug}/"

    @property
    def anchor(self) -> str:
        return "release-" + re.sub(r"[^a-z0-9]+", "-", f"{self.slug}-{self.version or self.date}".lower()).strip("-")


@dataclass(frozen=True)
class Licence:
    name: str
    title: str
    url: str
    stated: bool  # False when the package has none and the site default applies


@dataclass
class DatasetFacts:
    """Everything the discovery outputs say about a dataset, worked out once."""

    page: DatasetPage
    url: str  # absolute URL of the dataset page
    description: str  # plain text, 50..5000 characters
    keywords: list[str]
    licence: Licence
    publisher: str
    creators: list[dict]
    modified: str  # YYYY-MM-DD or ""
    issued: str  # YYYY-MM-DD or ""
    temporal: str  # ISO 8601 interval "2023-01-01/2024-06-30" or ""
    spatial: str
    frequency: str
    releases: list[Release] = field(default_factory=list)  # oldest first

    @property
    def dataset(self):
        return self.page.dataset

    @property
    def slug(self) -> str:
        return self.page.slug

    def download_url(self, filename: str, site: Site) -> str:
        return site.absolute(f"{self.page.url}{filename}")


def dataset_facts(page: DatasetPage, site: Site, archived_versions=()) -> DatasetFacts:
    """Work out a dataset's metadata from its package, with the fallbacks described above."""
    dataset = page.dataset
    fallback = undated_fallback(dataset, site)
    releases = dataset_releases(page, archived_versions, fallback)
    dated = sorted(r.date for r in releases if r.date)
    updated = iso_day(dataset.get("tally:updated"))
    created = iso_day(dataset.get("created"))
    modified = max([d for d in (updated, created, *dated) if d], default="") or fallback
    issued = dated[0] if dated else created
    facts = DatasetFacts(
        page=page, url=site.absolute(page.url), description="", keywords=_keywords(dataset),
        licence=_licence(dataset, site), publisher=dataset_publisher(dataset, site),
        creators=[], modified=modified, issued=issued or "",
        temporal=temporal_interval(dataset), spatial=_spatial(dataset),
        frequency=str(dataset.frequency or "").strip().lower(), releases=releases)
    facts.creators = _creators(dataset, facts.publisher)
    facts.description = description_text(page, facts)
    return facts


def _periods(resource) -> set:
    """The distinct values of a table's time column (a million rows hold a few dozen periods)."""
    return {row.get(resource.time_field.name) for row in resource.rows}


def undated_fallback(dataset, site: Site) -> str:
    """The date of a package that states none: the last day of its data's newest period, else the source date.

    The newest period's end is the earliest day the newest figures can have been
    complete (2024 gives 2024-12-31, 2024-Q2 gives 2024-06-30, a date itself).
    """
    ends = [bounds[1] for resource in dataset.tabular_resources if resource.time_field is not None
            for period in _periods(resource) if (bounds := period_bounds(period))]
    return max(ends).isoformat() if ends else site.source_date


def dataset_releases(page: DatasetPage, archived_versions=(), undated: str = "") -> list[Release]:
    """The dataset's releases, oldest first: its changelog, or one entry for the package as it stands.

    That one entry takes the package's `tally:updated` or `created`, else `undated`.
    """
    dataset = page.dataset
    archived = {str(v) for v in archived_versions}
    found = [Release(slug=dataset.slug, title=dataset.title, version=e.version, date=iso_day(e.date), kind=e.kind,
                     note=e.note, archived=e.version in archived, sample=dataset.sample)
             for e in changelog_entries(dataset.descriptor)]
    if not found:
        version = dataset.version.strip()
        note = (f"Version {version} as published." if version else "Published.") + \
            " The package has no release notes (tally:changelog)."
        found.append(Release(slug=dataset.slug, title=dataset.title, version=version,
                             date=iso_day(dataset.get("tally:updated")) or iso_day(dataset.get("created"))
                             or undated,
                             kind="release", note=note, archived=version in archived, sample=dataset.sample))
    return sorted(found, key=lambda r: (r.date or "0000", version_order(r.version)))


def iso_day(value) -> str:
    """The YYYY-MM-DD part of an ISO date or date-time, or "" when it is not one."""
    text = str(value or "").strip()[:10]
    if not DATE.match(text):
        return ""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return ""
    return text


def _keywords(dataset) -> list[str]:
    words = [str(k).strip() for k in dataset.get("keywords") or [] if isinstance(k, (str, int, float))]
    words = list(dict.fromkeys(w for w in words if w))
    if not words and dataset.topic:
        words = [str(dataset.topic)]
    return words


def _licence(dataset, site: Site) -> Licence:
    for lic in dataset.licenses:
        path = str(lic.get("path") or "")
        if re.match(r"^https?://\S+$", path):
            name = str(lic.get("name") or lic.get("title") or path)
            return Licence(name=name, title=str(lic.get("title") or name), url=path, stated=True)
    default = site.default_license
    return Licence(name=str(default["name"]), title=str(default.get("title") or default["name"]),
                   url=str(default["path"]), stated=False)


def _roles(contributor: dict) -> list[str]:
    roles = contributor.get("roles") if isinstance(contributor.get("roles"), list) else [contributor.get("role")]
    return [str(r).lower() for r in roles if isinstance(r, str)]


def _contributors(dataset) -> list[dict]:
    people = dataset.get("contributors")
    return [c for c in people if isinstance(c, dict) and isinstance(c.get("title"), str)] \
        if isinstance(people, list) else []


def dataset_publisher(dataset, site: Site) -> str:
    """The contributor with the publisher role, or the site's publisher (TALLY_PUBLISHER)."""
    for contributor in _contributors(dataset):
        if "publisher" in _roles(contributor) and contributor["title"].strip():
            return contributor["title"].strip()
    return site.publisher


def _creators(dataset, publisher: str) -> list[dict]:
    """Authors as schema.org Person/Organization; the publisher when the package names none."""
    creators = []
    for contributor in _contributors(dataset):
        if not {"author", "creator"} & set(_roles(contributor)):
            continue
        person = any(contributor.get(k) for k in ("givenName", "familyName", "email")) or \
            isinstance(contributor.get("organization"), str)
        entry = {"@type": "Person" if person else "Organization", "name": contributor["title"].strip()}
        if person and isinstance(contributor.get("organization"), str):
            entry["affiliation"] = {"@type": "Organization", "name": contributor["organization"]}
        creators.append(entry)
    return creators or [{"@type": "Organization", "name": publisher}]


def _spatial(dataset) -> str:
    coverage = dataset.coverage if isinstance(dataset.coverage, dict) else {}
    spatial = coverage.get("spatial")
    return spatial.strip() if isinstance(spatial, str) else ""


# -- time coverage ---------------------------------------------------------------

def period_bounds(value) -> tuple[dt.date, dt.date] | None:
    """First and last day of a period as Tally or Frictionless writes it: 2024-Q1, 2024-07, 2024,
    a date or date-time, a year number, a frictionless year-month; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return dt.date(value, 1, 1), dt.date(value, 12, 31)
    if hasattr(value, "year") and hasattr(value, "month") and isinstance(getattr(value, "month"), int):
        return _month(int(value.year), int(value.month))  # frictionless yearmonth
    text = str(value or "").strip()
    if match := periods.CANONICAL["quarter"].match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = _month(year, quarter * 3 - 2)[0]
        return first, _month(year, quarter * 3)[1]
    if match := periods.CANONICAL["month"].match(text):
        return _month(int(match.group(1)), int(match.group(2)))
    if periods.CANONICAL["year"].match(text):
        return period_bounds(int(text))
    if day := iso_day(text):
        date = dt.date.fromisoformat(day)
        return date, date
    return None


def _month(year: int, month: int):
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def temporal_interval(dataset) -> str:
    """ISO 8601 interval of the time covered: from `tally:coverage` (2023-Q1..2024-Q2 becomes
    2023-01-01/2024-06-30), else from the values of the data's time column, else ""."""
    coverage = dataset.coverage if isinstance(dataset.coverage, dict) else {}
    temporal = coverage.get("temporal")
    if isinstance(temporal, dict):
        start, end = period_bounds(temporal.get("start")), period_bounds(temporal.get("end"))
        if start and end and start[0] <= end[1]:
            return f"{start[0].isoformat()}/{end[1].isoformat()}"
    bounds = []
    for resource in dataset.tabular_resources:
        time = resource.time_field
        if time is None:
            continue
        for value in _periods(resource):
            period = period_bounds(value)
            if period:
                bounds.append(period)
    if not bounds:
        return ""
    return f"{min(b[0] for b in bounds).isoformat()}/{max(b[1] for b in bounds).isoformat()}"


# -- description -------------------------------------------------------------------

def plain_text(markdown: str) -> str:
    """A Markdown description as plain text: paragraphs kept, markup and extra spaces removed."""
    rendered = str(markdown_html(markdown))
    blocks = re.split(r"</(?:p|li|h3|h4|blockquote)>", rendered)
    paragraphs = []
    for block in blocks:
        text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>|<li>", " ", block)))
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def coverage_sentence(page: DatasetPage, facts: DatasetFacts) -> str:
    """A generated sentence saying what a dataset covers, to complete a too-short description."""
    dataset = page.dataset
    parts = [f"{dataset.title}: data published by {facts.publisher}"]
    if facts.spatial:
        parts.append(f"covering {facts.spatial}")
    if facts.temporal:
        start, end = facts.temporal.split("/")
        parts.append(f"from {start} to {end}")
    if facts.frequency:
        parts.append(f"updated {facts.frequency}")
    files = [r.title for r in dataset.resources]
    sentence = ", ".join(parts) + "."
    if files:
        noun = "file" if len(files) == 1 else "files"
        sentence += f" It has {len(files)} data {noun} ({', '.join(files)}), to download with a data dictionary."
    return sentence


def description_text(page: DatasetPage, facts: DatasetFacts) -> str:
    """The package description as plain text, 50 to 5,000 characters (completed or shortened at a word)."""
    text = plain_text(page.dataset.description)
    if page.dataset.sample and SAMPLE_LABEL.lower() not in text.lower():
        text = f"{SAMPLE_LABEL}. {text}".strip()  # harvested copies must not pass for official figures
    if len(text) < DESCRIPTION_MIN:
        text = f"{text} {coverage_sentence(page, facts)}".strip()
    return shorten(text, DESCRIPTION_MAX)


def shorten(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if not text[limit - 1].isspace() and " " in cut:  # the cut falls inside a word: drop that word
        cut = cut[:cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


# -- schema.org JSON-LD --------------------------------------------------------------

def citation_text(facts: DatasetFacts, site: Site) -> str:
    """The recommended citation, in the pattern the site's Cite page gives."""
    dataset = facts.dataset
    year = (facts.issued or facts.modified)[:4] or "n.d."
    version = dataset.version.strip()
    latest = next((r for r in reversed(facts.releases) if r.version == version), None)
    where = site.absolute(latest.path) if latest is not None else facts.url
    text = f"{facts.publisher} ({year}). {dataset.title}"
    text += f" (version {version})" if version else ""
    text += " [Data set]."
    if facts.spatial:
        text += f" {facts.spatial}."
    return f"{text} {where}"


def variables_measured(page: DatasetPage) -> list[dict]:
    """One schema.org PropertyValue per measure column of the package's tables."""
    found, seen = [], set()
    for resource in page.dataset.tabular_resources:
        for f in resource.fields_with_role("measure"):
            if f.name in seen:
                continue
            seen.add(f.name)
            entry = {"@type": "PropertyValue", "name": f.name}
            if f.title != f.name:
                entry["alternateName"] = f.title
            if f.description:
                entry["description"] = f.description
            if f.unit:
                entry["unitText"] = f.unit
            found.append(entry)
    return found


def dataset_jsonld(facts: DatasetFacts, site: Site, image: str = "") -> dict:
    """schema.org Dataset for a dataset page (Google Dataset Search's required and recommended fields)."""
    page, dataset = facts.page, facts.dataset
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": facts.url,
        "name": dataset.title,
        "description": facts.description,
        "url": facts.url,
        "identifier": facts.url,
        "isAccessibleForFree": True,
        "license": facts.licence.url,
        "creator": facts.creators if len(facts.creators) > 1 else facts.creators[0],
        "publisher": {"@type": "Organization", "name": facts.publisher},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": site.name, "url": site.absolute("datasets/")},
        "inLanguage": site.language,
        "citation": citation_text(facts, site),
    }
    if dataset.version.strip():
        data["version"] = dataset.version.strip()
    if facts.keywords:
        data["keywords"] = facts.keywords
    if facts.temporal:
        data["temporalCoverage"] = facts.temporal
    if facts.spatial:
        data["spatialCoverage"] = {"@type": "Place", "name": facts.spatial}
    measured = variables_measured(page)
    if measured:
        data["variableMeasured"] = measured
    if facts.modified:
        data["dateModified"] = facts.modified
    if facts.issued:
        data["datePublished"] = facts.issued
    sources = [{"@type": "CreativeWork", "name": str(s.get("title") or s["path"]), "url": s["path"]}
               for s in dataset.sources if re.match(r"^https?://\S+$", str(s.get("path") or ""))]
    if sources:
        data["isBasedOn"] = sources
    if image:
        data["image"] = image
    data["distribution"] = [{"@type": "DataDownload", "name": d.filename,
                             "contentUrl": facts.download_url(d.filename, site),
                             "encodingFormat": d.media_type, "contentSize": f"{d.size} B"}
                            for d in page.downloads]
    return data


def catalog_jsonld(all_facts: list[DatasetFacts], site: Site) -> dict:
    """schema.org DataCatalog for the catalog page, listing every dataset."""
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "@id": site.absolute("datasets/"),
        "name": site.name,
        "url": site.absolute("datasets/"),
        "description": f"Datasets published by {site.publisher}, to download as CSV and JSON with a data dictionary.",
        "publisher": {"@type": "Organization", "name": site.publisher},
        "inLanguage": site.language,
        "dataset": [{"@type": "Dataset", "@id": f.url, "name": f.dataset.title, "url": f.url,
                     "description": f.description, "license": f.licence.url} for f in all_facts],
    }


def script_json(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> element: `<`, `>` and `&` escaped so no
    text from a dataset can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- DCAT-US data.json (Project Open Data v1.1) ---------------------------------

def dcat_dataset(facts: DatasetFacts, site: Site) -> dict:
    """One `dataset` entry of data.json, valid against the POD v1.1 non-federal schema."""
    page, dataset = facts.page, facts.dataset
    described_by = facts.download_url("datapackage.json", site)
    entry = {
        "@type": "dcat:Dataset",
        "identifier": facts.url,
        "title": dataset.title,
        "description": facts.description,
        "accessLevel": "public",
        "publisher": {"@type": "org:Organization", "name": facts.publisher},
        "contactPoint": {"@type": "vcard:Contact", "fn": site.publisher, "hasEmail": f"mailto:{site.email}"},
        "license": facts.licence.url,
        "landingPage": facts.url,
        "describedBy": described_by,
        "describedByType": "application/json",
        "language": [site.language],
    }
    if not facts.licence.stated:
        entry["rights"] = NO_LICENSE_NOTE
    if facts.keywords:
        entry["keyword"] = facts.keywords
    if facts.modified:
        entry["modified"] = facts.modified
    if facts.issued:
        entry["issued"] = facts.issued
    if facts.spatial:
        entry["spatial"] = facts.spatial
    if facts.temporal:
        entry["temporal"] = facts.temporal
    if facts.frequency in PERIODICITY:
        entry["accrualPeriodicity"] = PERIODICITY[facts.frequency]
    if dataset.topic:
        entry["theme"] = [str(dataset.topic)]
    references = list(dict.fromkeys(str(s["path"]) for s in dataset.sources
                                    if re.match(r"^https?://\S+$", str(s.get("path") or ""))))
    if references:
        entry["references"] = references
    entry["distribution"] = [_distribution(d, facts, site, described_by) for d in page.downloads]
    return entry


def _distribution(download, facts: DatasetFacts, site: Site, described_by: str) -> dict:
    entry = {"@type": "dcat:Distribution", "title": download.filename,
             "downloadURL": facts.download_url(download.filename, site),
             "mediaType": download.media_type, "format": download.label}
    if download.filename != "datapackage.json":
        entry["describedBy"] = described_by  # the Table Schema is in the descriptor
        entry["describedByType"] = "application/json"
    return entry


def dcat_catalog(all_facts: list[DatasetFacts], site: Site) -> dict:
    """The whole data.json: a dcat:Catalog with one entry per dataset, ordered by identifier."""
    return {
        "@context": POD_CONTEXT,
        "@id": site.absolute("data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": f"{POD_SCHEMA}/catalog.json",
        "dataset": [dcat_dataset(f, site) for f in sorted(all_facts, key=lambda f: f.url)],
    }
