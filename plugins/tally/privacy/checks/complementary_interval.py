"""No suppressed cell can be narrowed to a too-small range (DDG 4.4.1 rule 6, "10-10-10", "10-9").

Linear programming (disclosure.interval_audit, HiGHS): given the published cells
and totals, non-negativity and that a hidden cell is at least 1 (Tally publishes
every zero), the minimum and maximum of each hidden cell must be at least
TALLY_PROTECTION_WIDTH apart (never less than threshold - 2). A published file
does not say which hidden cells are the small ones; complementary-guess tries
every guess of them the published figures allow (issue 16).
"""

from __future__ import annotations

from tally.privacy import disclosure
from tally.privacy.checks.complementary import FIX, ComplementaryAudit, cell_text, totals_text, where_text


def _zero(finding) -> bool:
    """A hidden cell shown to be exactly 0 (only where the source hides zeros): a non-event identifies
    no one (DDG 4.4.1), and Tally publishes zeros anyway."""
    return finding.rule == "complementary-interval" and finding.hi == 0


class ComplementaryInterval(ComplementaryAudit):
    type = "complementary-interval"
    title = "Suppressed cell can be narrowed down"
    description = ("The published cells and totals must leave every suppressed count a range at least "
                   "TALLY_PROTECTION_WIDTH wide, and must add up with the suppressed cells.")
    hint = FIX.format(where="that row or column, preferably a larger one")

    def audit(self, dataset):
        p = self.parameters(dataset)
        for linked in self.measures(dataset):
            for table in linked.tables:
                try:
                    disclosure.check_magnitudes(table.table)
                except disclosure.MagnitudeError:
                    continue  # complementary-guess reports it
                # A cell worked out exactly is complementary-exact's; one problem per cell is enough.
                exact = {f.cells for f in disclosure.exact_audit(table.table)}
                for finding in disclosure.interval_audit(table.table, threshold=p["threshold"],
                                                         protection_width=p["protection_width"],
                                                         hidden_min=p["hidden_min"]):
                    if finding.cells not in exact and not _zero(finding):
                        yield self._problem(dataset, table, finding, p)

    def _problem(self, dataset, table, finding, p):
        key = finding.cells[0]
        totals = totals_text(table, finding.constraints)
        if finding.rule == "inconsistent-totals":
            cells = ", ".join(cell_text(table, k) for k in finding.cells[:3])
            more = f" and {len(finding.cells) - 3} more" if len(finding.cells) > 3 else ""
            verb = "does" if len(finding.constraints) == 1 else "do"
            floor = ", each of which is at least 1 (zeros are published)" if p["hidden_min"] else ""
            message = f'"{table.measure}": {totals} {verb} not add up with the suppressed cells {cells}{more}{floor}'
            return self.at(dataset, table, key, message,
                           hint="check the figures: a total must be the sum of its parts, and a zero is "
                                "published as 0, not suppressed")
        message = (f'"{table.measure}": the suppressed cell {cell_text(table, key)} can be narrowed down to '
                   f"{finding.range_text()} from {totals} and the other published cells "
                   f"(it must stay at least {p['protection_width']} wide)")
        return self.at(dataset, table, key, message,
                       hint=FIX.format(where=where_text(table, finding.constraints) + ", preferably a larger one"))
