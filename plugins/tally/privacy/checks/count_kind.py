"""A count of people is declared as a count, not a quantity (issue 10).

`quantity` is for things (classes, operations) and is not protected; a column
whose unit, title or name says it counts people is a count whatever its kind.
"""

from __future__ import annotations

import re

from tally.privacy.checks.base import Audit
from tally.privacy.small_numbers import PEOPLE

PEOPLE_WORD = re.compile(r"(?:^|[\s_(-])(?:" + PEOPLE + r")(?:$|[\s_),-])", re.I)


class CountKind(Audit):
    type = "count-kind"
    title = "People counted as a quantity"
    description = ("A measure whose unit, title or name is a word for people (children, youth, victims, "
                   "parents...) has `tally:kind: count`, so that disclosure control applies.")
    hint = 'set `"tally:kind": "count"` (with an annotation field and a population)'
    profiles = ("sensitive",)

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                if f.role != "measure" or f.kind not in (None, "quantity"):
                    continue
                said = " ".join(str(x) for x in (f.unit, f.title, f.name))
                if PEOPLE_WORD.search(said):
                    yield self.problem(dataset, f'resource "{resource.name}": "{f.name}" counts people but is '
                                                f"declared as {f.kind or 'no kind'}", resource=resource, field=f.name)
