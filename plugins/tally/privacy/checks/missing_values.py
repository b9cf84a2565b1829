"""A count's empty cell is written as an empty string, nothing else (issue 10).

`missingValues: ["5", ""]` makes every empty count cell read as missing while
the CSV download writes it back as 5: the value standing for "hidden" is itself
a count. Only `""` may stand for a missing count.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit


class MissingValues(Audit):
    type = "missing-values"
    title = "Missing value written as something other than an empty cell"
    description = ('The `missingValues` of a schema with count fields, and of each count field, is `[""]`: '
                   "an empty cell and nothing else stands for a value that is not published.")
    hint = 'set `missingValues` to `[""]` (or remove it) and write hidden counts as empty cells with S'

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            counts = [f for f in resource.fields if f.is_count]
            if not counts:
                continue
            schema = resource.descriptor.get("schema")
            schema = schema if isinstance(schema, dict) else {}
            if not _only_empty(schema.get("missingValues", [""])):
                yield self.problem(dataset, f'resource "{resource.name}": the schema\'s `missingValues` holds '
                                            "more than the empty string", resource=resource)
            for f in counts:
                if not _only_empty(f.get("missingValues", [""])):
                    yield self.problem(dataset, f'resource "{resource.name}": count "{f.name}" has '
                                                "`missingValues` other than the empty string",
                                       resource=resource, field=f.name)


def _only_empty(values) -> bool:
    return isinstance(values, list) and all(v == "" for v in values)
