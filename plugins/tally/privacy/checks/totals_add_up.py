"""Where nothing is hidden, a total is the sum of its parts (issue 10).

The audits read a declared total (or a code list's hierarchy) as an equation.
A total that does not add up with every cell published means the declaration
is wrong (a level is missing, a sub-total is counted twice, the total counts
something else), and every audit built on it is wrong too.
"""

from __future__ import annotations

from tally.privacy import disclosure
from tally.privacy.checks.complementary import ComplementaryAudit, total_text
from tally.privacy.tables import resource_tables


class TotalsAddUp(ComplementaryAudit):
    type = "totals-add-up"
    title = "Total that is not the sum of its parts"
    description = ("Where a total and all its parts are published, the total equals their sum (the declared "
                   "`tally:total` level, or a code list's hierarchy).")
    hint = ("correct the figures, or the declaration: a total over only some levels needs its own code list "
            "level with those parts, and a level that is not a part must not be in the dimension")

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for table in resource_tables(resource).values():
                cells = table.table.cells
                for c in disclosure.additive_constraints(table.table):
                    values = [cells[k] for k in c.keys()]
                    if any(v is None for v in values):
                        continue
                    if values[0] != sum(values[1:]):
                        yield self.at(dataset, table, c.total,
                                      f'"{table.measure}": {total_text(table, c)} is not the sum of its '
                                      f"{len(c.parts)} published parts", hint=self.hint)
                        break
