"""Counts are whole numbers that cannot be negative (DESIGN.md "Disclosure control" 5).

A count typed `number` would accept 4.5, and one without `minimum: 0` a
negative sentinel such as -9999, which a chart or a sum would take at face value.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit


class CountInteger(Audit):
    type = "count-integer"
    title = "Count is not a non-negative integer"
    description = "Every count measure (`tally:kind: count`) has type `integer` and `constraints.minimum: 0`."
    hint = 'declare the field as "type": "integer" with "constraints": {"minimum": 0}'

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                if not f.is_count:
                    continue
                where = f'resource "{resource.name}": count "{f.name}"'
                if f.type != "integer":
                    yield self.problem(dataset, f'{where} has type "{f.type}"', field=f.name)
                minimum = f.constraints.get("minimum")
                if minimum != 0 or isinstance(minimum, bool):
                    shown = "no minimum" if minimum is None else f"minimum {minimum!r}"
                    yield self.problem(dataset, f"{where} has {shown}", field=f.name)
