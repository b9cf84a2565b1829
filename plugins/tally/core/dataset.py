"""The dataset model every later stage reads: datasets, resources, fields, views.

Built once from a frictionless Package by `loading.py`; pages, charts, checks and
downloads read these objects and never the descriptor files.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from tally.core.rows import Rows

TIME_TYPES = ("date", "datetime", "year", "yearmonth")
NUMBER_TYPES = ("integer", "number")
# Change since the previous period and year-to-date are exact linear functions of one count
# over periods: the site-wide system models them as equations (issue 10, privacy/system.py).
LINEAR_KINDS = ("change", "year-to-date")
DERIVED_KINDS = ("rate", "percentage", "mean") + LINEAR_KINDS
# Integer columns that label rows rather than measure anything (real packages
# rarely declare roles, so a default chart must not plot an identifier).
IDENTIFIER_NAME = re.compile(r"(^|[_\s-])(id|code|number|no|fips|geonameid|zip)$|^id", re.I)


@dataclass
class Field:
    """One column of a resource, with its Tally role resolved."""

    descriptor: dict

    def get(self, key, default=None):
        return self.descriptor.get(key, default)

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def type(self) -> str:
        return self.descriptor.get("type", "any")

    @property
    def title(self) -> str:
        return self.descriptor.get("title") or self.name

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def declared_role(self) -> str | None:
        return self.descriptor.get("tally:role")

    @property
    def role(self) -> str:
        """The declared role, or one inferred for packages written without Tally's conventions."""
        if self.declared_role:
            return self.declared_role
        if self.type in NUMBER_TYPES and not IDENTIFIER_NAME.search(self.name) and not self.is_time:
            return "measure"
        if self.type in ("string", "boolean", "integer") or self.is_time:
            return "dimension"
        return "other"

    @property
    def kind(self) -> str | None:
        return self.descriptor.get("tally:kind")

    @property
    def is_count(self) -> bool:
        return self.role == "measure" and self.kind == "count"

    @property
    def is_derived(self) -> bool:
        return self.role == "measure" and self.kind in DERIVED_KINDS

    @property
    def annotation(self) -> str | None:
        return self.descriptor.get("tally:annotation")

    @property
    def derived_from(self) -> list[str]:
        return list(self.descriptor.get("tally:derivedFrom", []))

    @property
    def period(self) -> str | None:
        return self.descriptor.get("tally:period")

    @property
    def total(self) -> str | None:
        return self.descriptor.get("tally:total")

    @property
    def unit(self) -> str:
        return self.descriptor.get("tally:unit", "")

    @property
    def is_time(self) -> bool:
        if self.period or self.type in TIME_TYPES:
            return True
        return self.type == "integer" and self.name.lower() in ("year", "yr")

    @property
    def constraints(self) -> dict:
        return self.descriptor.get("constraints", {})

    @property
    def levels(self) -> list:
        """The values a categorical field may take, from enum or categories."""
        if "enum" in self.constraints:
            return list(self.constraints["enum"])
        categories = self.descriptor.get("categories") or []
        return [c["value"] if isinstance(c, dict) else c for c in categories]


@dataclass
class Resource:
    """One data file of a dataset; tabular when it has a schema."""

    name: str
    path: str  # relative to the dataset folder, as written in the descriptor
    file: Path  # absolute path on disk
    descriptor: dict
    fields: list[Field] = field(default_factory=list)
    frictionless: object = None  # the frictionless Resource, for reading rows

    @property
    def title(self) -> str:
        return self.descriptor.get("title") or self.name

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def tabular(self) -> bool:
        return bool(self.fields)

    @property
    def format(self) -> str:
        return (self.descriptor.get("format") or self.file.suffix.lstrip(".") or "data").lower()

    @property
    def filename(self) -> str:
        return self.file.name

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def fields_with_role(self, role: str) -> list[Field]:
        return [f for f in self.fields if f.role == role]

    @property
    def time_field(self) -> Field | None:
        return next((f for f in self.fields if f.role == "dimension" and f.is_time), None)

    @functools.cached_property
    def rows(self) -> Rows:
        """Typed rows, read once and held compactly; each row reads as a dict (core/rows.py)."""
        if not self.tabular:
            return Rows([])
        return Rows.read(self.frictionless, [f.name for f in self.frictionless.schema.fields])


@dataclass
class View:
    """A chart: a named declarative spec over one resource (Frictionless views pattern)."""

    name: str
    title: str
    resource: str
    spec_type: str  # "tally" or "vega-lite"
    spec: dict
    generated: bool = False  # True for the default chart Tally chose itself


@dataclass
class Dataset:
    """One data package folder, loaded."""

    folder: Path
    descriptor_file: Path
    descriptor: dict
    resources: list[Resource]
    views: list[View]

    def get(self, key, default=None):
        return self.descriptor.get(key, default)

    @property
    def slug(self) -> str:
        """The folder name: the dataset's identity and its URL, /datasets/<slug>/."""
        return self.folder.name

    @property
    def name(self) -> str:
        return self.descriptor.get("name") or self.slug

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.name)

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    @property
    def summary(self) -> str:
        """The description's first paragraph: the one-line summary shown in lists."""
        return self.description.strip().split("\n\n")[0].strip()

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def sample(self) -> bool:
        return bool(self.descriptor.get("tally:sample"))

    @property
    def topic(self) -> str:
        return self.descriptor.get("tally:topic", "")

    @property
    def frequency(self) -> str:
        return self.descriptor.get("tally:frequency", "")

    @property
    def coverage(self) -> dict:
        return self.descriptor.get("tally:coverage", {})

    @property
    def updated(self) -> str:
        return str(self.descriptor.get("tally:updated") or self.descriptor.get("created", ""))[:10]

    @property
    def keywords(self) -> list[str]:
        return [str(k) for k in self.descriptor.get("keywords", [])]

    @property
    def licenses(self) -> list[dict]:
        return [lic for lic in self.descriptor.get("licenses", []) if isinstance(lic, dict)]

    @property
    def sources(self) -> list[dict]:
        sources = self.descriptor.get("sources", [])
        return [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []

    @property
    def notes(self) -> list[str]:
        return [str(n) for n in self.descriptor.get("tally:notes", [])]

    @property
    def changelog(self) -> list[dict]:
        return list(self.descriptor.get("tally:changelog", []))

    @property
    def disclosure(self) -> dict:
        return self.descriptor.get("tally:disclosure", {})

    @property
    def tabular_resources(self) -> list[Resource]:
        return [r for r in self.resources if r.tabular]

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)
