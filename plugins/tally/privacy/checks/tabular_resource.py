"""Every resource is a CSV table with a schema (issue 10, "outside the tables").

A resource without a schema, or a `.txt`/`.json` file, is published byte for byte
(and zipped) without passing any disclosure rule: nothing checks what it holds.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit


class TabularResource(Audit):
    type = "tabular-resource"
    title = "Resource the privacy rules cannot read"
    description = ("In the sensitive profile every resource is a CSV file with a Table Schema, so that every "
                   "figure it publishes passes the disclosure rules; other files are never published.")
    hint = ("give the resource a `schema` whose fields declare their roles, or take the file out of the package "
            "(write what it says in the description instead, without counts)")
    profiles = ("sensitive",)

    def audit(self, dataset):
        for resource in dataset.resources:
            if not resource.tabular:
                yield self.problem(dataset, f'resource "{resource.name}" has no Table Schema, so it would be '
                                            "published without any privacy rule reading it", resource=resource)
            elif resource.format != "csv":
                yield self.problem(dataset, f'resource "{resource.name}" is a {resource.format} file; only CSV '
                                            "tables are audited and published", resource=resource)
