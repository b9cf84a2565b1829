"""`N` (no data) only where no published figure includes or uses the cell (issue 10).

The audits leave an `N` cell out of every sum, on the word of the annotation.
A small cell marked `N` instead of `S` beside a total that includes it is then
unprotected, and a rate published beside an `N` count says there was data.
"""

from __future__ import annotations

from tally.privacy.checks.complementary import ComplementaryAudit
from tally.privacy.tables import NOT_AVAILABLE, read_rows


class NotAvailable(ComplementaryAudit):
    type = "not-available"
    title = "N where a published figure includes the cell"
    description = ("A count may be marked N (not available) only where no total level of the table includes it "
                   "and no derived value in its row is published.")
    hint = ("if the figure exists but must be hidden, write S; if there is truly no data, leave the table's total "
            "for that row unpublished too (or N), and the derived values empty")

    def audit(self, dataset):
        from tally.privacy.tables import dimension_structure

        for resource in dataset.tabular_resources:
            dims = [f for f in resource.fields if f.role == "dimension"]
            totals, hierarchy = dimension_structure(dims)
            parents = {d: set(levels) for d, levels in hierarchy.items()}
            counts = [f for f in resource.fields if f.is_count and f.annotation]
            derived = [f for f in resource.fields if f.is_derived]
            for number, row in read_rows(resource):
                for f in counts:
                    if row.get(f.name) is not None or row.get(f.annotation) != NOT_AVAILABLE:
                        continue
                    used = next((d.name for d in derived if f.name in d.derived_from and row.get(d.name) is not None),
                                None)
                    part = any(d.name in totals and str(row.get(d.name)) != totals[d.name]
                               and str(row.get(d.name)) not in parents.get(d.name, ()) for d in dims)
                    if used:
                        message = f'"{f.name}" is N (no data) but "{used}", computed from it, is published'
                    elif part:
                        message = f'"{f.name}" is N (no data) in a row that a published total includes'
                    else:
                        continue
                    yield self.problem(dataset, message, resource=resource, row=number, field=f.name)
