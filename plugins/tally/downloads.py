"""The files a dataset page offers: each resource as CSV (and JSON), and the published descriptor.

Published CSVs are UTF-8; the published datapackage.json points at the
downloads beside it, so `frictionless validate <url>/datapackage.json` works on
the site as it does in the repository.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from .model import Dataset, Resource


@dataclass(frozen=True)
class Download:
    label: str  # "CSV", "JSON", "Data package (JSON)"
    filename: str  # written beside the dataset page
    media_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def published_name(resource: Resource) -> str:
    """The file name a resource is published under: <resource>.<format>."""
    return f"{resource.name}.{resource.format}"


def dataset_downloads(dataset: Dataset) -> list[Download]:
    """Every file a dataset page links to, in the order it lists them."""
    files = []
    for resource in dataset.resources:
        files.append(Download(resource.format.upper(), published_name(resource), _media_type(resource),
                              _utf8_bytes(resource)))
        if resource.tabular:
            files.append(Download("JSON", f"{resource.name}.json", "application/json", rows_json(resource)))
    files.append(Download("Data package", "datapackage.json", "application/json", published_descriptor(dataset)))
    return files


def _utf8_bytes(resource: Resource) -> bytes:
    data = resource.file.read_bytes()
    encoding = (resource.descriptor.get("encoding") or "utf-8").lower()
    if encoding in ("utf-8", "utf8", "ascii", "us-ascii"):
        return data
    return data.decode(encoding).encode("utf-8")


def _media_type(resource: Resource) -> str:
    return {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json",
            "txt": "text/plain"}.get(resource.format, "application/octet-stream")


def rows_json(resource: Resource) -> bytes:
    """The resource's typed rows as a JSON array of objects; empty cells are null."""
    rows = [{k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v)) for k, v in row.items()}
            for row in resource.rows]
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def published_descriptor(dataset: Dataset) -> bytes:
    """The descriptor with each resource's path pointing at its published download."""
    descriptor = copy.deepcopy(dataset.descriptor)
    for entry, resource in zip(descriptor["resources"], dataset.resources):
        entry["path"] = published_name(resource)
        if "encoding" in entry:
            # Published files are UTF-8, so the old encoding, size and hash no longer hold.
            entry["encoding"] = "utf-8"
            entry.pop("bytes", None)
            entry.pop("hash", None)
        if isinstance(entry.get("schema"), str):  # a schema file next to the package is not published
            entry["schema"] = {"fields": [f.descriptor for f in resource.fields]}
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
