"""Tables that count the same population link, or the build stops (issue 10).

Two tables of one population, in any package or release, are audited as one
system. A table that cannot be placed in it (a dimension the other lacks has no
total level, two resources name different totals, the same cell has two
published figures) used to be audited alone, which let the link's leaks
through. Now it is an error naming both tables.
"""

from __future__ import annotations

from tally.privacy.checks.base import SiteAudit
from tally.privacy.checks.site import site_context


class UnlinkableTables(SiteAudit):
    type = "unlinkable-tables"
    title = "Tables of one population that cannot be linked"
    description = ("Every table that counts the same population (`tally:population`), in any dataset or archived "
                   "release, can be placed in one system: shared dimensions have the same total level (or code "
                   "list), a dimension a table lacks has a total, and a cell published twice has one figure.")
    hint = ("declare the dimension's total (or a shared code list) in both tables; if the tables count different "
            "people, give them different populations")

    def audit_site(self, datasets, context):
        site_context(datasets, self.settings, context)
        for population, failure in sorted(context["unlinkable"].items()):
            yield self.at_piece(failure.second, f'population "{population}": {failure}')
