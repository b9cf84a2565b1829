"""No suppressed cell can be worked out exactly from published cells and totals (DDG 4.4.3).

Linear algebra (disclosure.exact_audit): within every additive structure of the
package (a dimension's total level, rows and columns of a cross-tab, tables of
the same measure in different resources), a hidden cell is recoverable when its
unit vector lies in the row space of the constraints restricted to hidden cells.
"""

from __future__ import annotations

from tally.privacy import disclosure
from tally.privacy.checks.complementary import FIX, ComplementaryAudit, cell_text, totals_text, where_text


class ComplementaryExact(ComplementaryAudit):
    type = "complementary-exact"
    title = "Suppressed cell can be worked out exactly"
    description = ("No suppressed count can be computed exactly from the published cells and totals of the "
                   "package (a row with one hidden cell and its total, or rows and columns combined).")
    hint = FIX.format(where="that row or column")

    def audit(self, dataset):
        for linked in self.measures(dataset):
            if linked.conflict is not None:
                yield self.problem(
                    dataset, f'"{linked.measure}" is published in {len(linked.tables)} resources with different '
                             f"figures for the same cell(s): {linked.conflict}; the audits cannot combine them",
                    field=linked.measure,
                    hint="make every resource publish the same figure for a cell it shares with another")
            for table in linked.tables:
                yield from self._duplicates(dataset, table)
                for finding in disclosure.exact_audit(table.table):
                    key = finding.cells[0]
                    message = (f'"{table.measure}": the suppressed cell {cell_text(table, key)} can be worked out '
                               f"exactly from {totals_text(table, finding.constraints)} and the other published cells")
                    yield self.at(dataset, table, key, message,
                                  hint=FIX.format(where=where_text(table, finding.constraints)))

    def _duplicates(self, dataset, table):
        for resource, row, first in table.duplicates:
            yield self.problem(dataset, f'"{table.measure}": row {row} has the same dimension values as row {first}, '
                                        "so the audits cannot tell which figure a reader sees",
                               resource=dataset.resource(resource), row=row, field=table.measure,
                               hint="give every row a distinct combination of dimension values (a primaryKey helps)")
