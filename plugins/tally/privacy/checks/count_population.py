"""Every count names the population it counts (issue 10).

`tally:population` is a site-wide identifier ("children-identified-first-responder"):
two tables that count the same people, in any package or release, are linked
where their margins meet and audited as one system; tables of different
populations are not. A count without one cannot be linked with anything.
"""

from __future__ import annotations

import re

from tally.privacy.checks.base import Audit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CountPopulation(Audit):
    type = "count-population"
    title = "Count that does not say what it counts"
    description = ("Every count names its population in `tally:population`, a lower-case identifier shared by "
                   "every table, package and release that counts the same people.")
    hint = ('add `"tally:population": "children-identified"` (use the same identifier wherever the same people '
            "are counted; see docs/conventions.md, \"Populations\")")
    profiles = ("sensitive",)
    declarative = True  # an archive published before the rule takes the current descriptor's

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            counts = [f for f in resource.fields if f.is_count]
            for f in counts:
                value = f.get("tally:population")
                if not isinstance(value, str) or not SLUG.match(value):
                    yield self.problem(dataset, f'resource "{resource.name}": count "{f.name}" names no '
                                                "population (`tally:population`, a lower-case identifier)",
                                       resource=resource, field=f.name)
