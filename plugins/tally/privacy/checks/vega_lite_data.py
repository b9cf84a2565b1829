"""A raw Vega-Lite view carries no data of its own (issue 10).

Tally inlines a view's rows from its (audited) resource and strips the spec's
top-level `data`; `datasets`, a layer's `data.values`, a `url` or a lookup's
data anywhere else would be published inside datapackage.json and the chart
files without any rule reading them.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit

DATA_KEYS = ("datasets", "values", "url")


class VegaLiteData(Audit):
    type = "vega-lite-data"
    title = "Chart with data of its own"
    description = ("A `vega-lite` view may not hold `datasets`, inline `values` or a `url` anywhere in its "
                   "spec: its rows come only from its resource, which the privacy rules audit.")
    hint = "remove the data from the spec and name the resource in the view's `resources`; Tally adds its rows"

    def audit(self, dataset):
        for view in dataset.views:
            if view.spec_type != "vega-lite":
                continue
            for path in _data_paths(view.spec, "spec"):
                yield self.problem(dataset, f'view "{view.name}": {path} holds data of its own')


def _data_paths(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}"
            if key in DATA_KEYS and item not in (None, [], {}, ""):
                yield here
            elif key == "data" and isinstance(item, dict) and any(k in item for k in DATA_KEYS):
                yield here
            else:
                yield from _data_paths(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _data_paths(item, f"{path}[{index}]")
