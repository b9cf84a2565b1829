"""A raw Vega-Lite view draws only the package's own rows, and makes no request (issue 14, problem 3).

A `vega-lite` view with an image mark and an https:// URL put
`<image xlink:href="https://…">` into the inline SVG, so every reader's browser
asked a third-party host for it, JavaScript or not; `href` encodings make links
(javascript: included), and `data.url`, `datasets` and lookups fetch. Tally
inlines the resource's rows itself, so a spec may use only an allow-list of
top-level keys, no key that fetches or links at any depth, no image mark and no
string that is a web, file, data or script address.
"""

from __future__ import annotations

import re

from tally.core.paths import quoted
from tally.privacy.checks.base import Audit

TOP_LEVEL = frozenset({
    "$schema", "data", "description", "title", "mark", "encoding", "transform", "width", "height", "autosize",
    "config", "layer", "hconcat", "vconcat", "concat", "facet", "spec", "repeat", "resolve", "params",
    "padding", "background", "name", "columns", "align", "bounds", "center", "spacing", "view", "projection",
})
# Keys that fetch (url, datasets, data below the top), link (href) or carry arbitrary
# payloads into the page (usermeta), wherever they appear.
FORBIDDEN_KEYS = frozenset({"url", "href", "datasets", "usermeta", "data", "loader", "baseURL"})
# A title may well start "Data: …" or "File: …": only the shapes of real addresses count.
ADDRESS = re.compile(r"^\s*((https?|ftp|file|wss?|blob):/|(javascript|vbscript):|data:[\w.+-]+/|//)", re.I)


def spec_problems(spec) -> list[str]:
    """Why `spec` may not be drawn, one sentence each; empty when it may."""
    if not isinstance(spec, dict):
        return ["the spec is not an object"]
    found = [f'top-level key "{quoted(k)}" is not allowed' for k in spec if k not in TOP_LEVEL]
    if isinstance(spec.get("data"), dict) and set(spec["data"]) - {"values"}:
        found.append('"data" may only be left out (Tally inlines the rows)')
    for key, value in spec.items():
        if key != "data":
            found += _walk(value, key)
    return found


def _walk(value, where: str) -> list[str]:
    found = []
    if isinstance(value, dict):
        if value.get("type") == "image" and where.endswith("mark"):
            found.append(f'{where} is an image mark, which fetches its picture')
        for key, item in value.items():
            if key in FORBIDDEN_KEYS:
                found.append(f'{where}.{quoted(key)} is not allowed (it fetches, links or carries a payload)')
            else:
                found += _walk(item, f"{where}.{quoted(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _walk(item, f"{where}[{index}]")
    elif isinstance(value, str):
        if where.endswith("mark") and value == "image":
            found.append(f"{where} is an image mark, which fetches its picture")
        elif ADDRESS.match(value):
            found.append(f'{where} "{quoted(value)}" is an address; a chart makes no request')
    return found


class VegaLiteSpec(Audit):
    type = "vega-lite-spec"
    title = "Raw Vega-Lite view fetches, links or hides data"
    description = ("A `vega-lite` view uses only Vega-Lite's drawing keys: no url, href, datasets, data, "
                   "usermeta, image marks or web addresses; Tally inlines the resource's rows.")
    hint = 'remove the key (the rows are inlined from the view\'s resource), or use specType "tally"'

    def audit(self, dataset):
        for view in dataset.views:
            if view.spec_type != "vega-lite":
                continue
            for why in spec_problems(view.spec):
                yield self.problem(dataset, f'view "{view.name}": {why}')
