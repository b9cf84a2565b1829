"""No guess of which hidden cells are the small ones may narrow a small cell (issue 16; DDG 4.4.1 rule 6).

Every count from 1 to threshold - 1 is hidden, so every other hidden cell is at least
the threshold: a reader who has read the methodology can guess which hidden cells are
the small ones. For every guess the published figures allow, each cell guessed small
must keep the whole small range (disclosure.guessing_audit, branch and bound over the
guesses of each group of hidden cells linked by shared totals, an LP per step). A group
too large to prove within TALLY_AUDIT_MAX_ASSIGNMENTS is refused, never passed. A
count too large for exact arithmetic is refused here too (issue 16, 6).
"""

from __future__ import annotations

from tally.privacy import disclosure
from tally.privacy.checks.complementary import FIX, ComplementaryAudit, cell_text, totals_text, where_text

SPLIT = ("publish the table split into smaller tables (one per period, or fewer levels or breakdowns "
         "together) so fewer hidden cells share totals, or raise TALLY_AUDIT_MAX_ASSIGNMENTS")


class ComplementaryGuess(ComplementaryAudit):
    type = "complementary-guess"
    title = "A guess of which suppressed cells are small narrows one"
    description = ("Every small count is suppressed, so a reader may guess which suppressed cells are the small "
                   "ones; for every guess the published figures allow, each cell guessed small must keep its "
                   "whole range (1 to the threshold - 1).")
    hint = FIX.format(where="that row or column, preferably a large one")

    def audit(self, dataset):
        p = self.parameters(dataset)
        budget = self.settings.get("TALLY_AUDIT_MAX_ASSIGNMENTS", disclosure.DEFAULT_MAX_ASSIGNMENTS)
        for linked in self.measures(dataset):
            for table in linked.tables:
                try:
                    findings = disclosure.guessing_audit(
                        table.table, threshold=p["threshold"], protection_width=p["protection_width"],
                        hidden_min=p["hidden_min"], max_assignments=budget)
                except disclosure.MagnitudeError as error:
                    yield self.at(dataset, table, error.key,
                                  f'"{table.measure}": the published count {cell_text(table, error.key)} is too '
                                  "large to audit exactly (the limit is a billion)",
                                  hint="publish it in larger units (thousands) or as a quantity, not a count of people")
                    continue
                # A cell found exactly is complementary-exact's; one problem per cell is enough.
                exact = {f.cells for f in disclosure.exact_audit(table.table)} if findings else set()
                for finding in findings:
                    if finding.cells not in exact:
                        yield self._problem(dataset, table, finding)

    def _problem(self, dataset, table, finding):
        key = finding.cells[0]
        totals = totals_text(table, finding.constraints)
        if finding.rule == "guess-budget":
            cells = ", ".join(cell_text(table, k) for k in finding.cells[:3])
            more = f" and {len(finding.cells) - 3} more" if len(finding.cells) > 3 else ""
            message = (f'"{table.measure}": the {len(finding.cells)} suppressed cells {cells}{more}, linked through '
                       f"{totals}, are too many to prove safe against a reader who guesses which are the small ones")
            return self.at(dataset, table, key, message, hint=SPLIT)
        message = (f'"{table.measure}": if a reader guesses which suppressed cells are the small ones, one guess '
                   f"the published figures allow narrows {cell_text(table, key)} to {finding.range_text()} "
                   f"using {totals} (a small cell must keep the whole range below the threshold)")
        return self.at(dataset, table, key, message,
                       hint=FIX.format(where=where_text(table, finding.constraints) + ", preferably a large one"))
