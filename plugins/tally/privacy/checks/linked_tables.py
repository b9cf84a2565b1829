"""No suppressed count can be worked out from the whole site (issue 10, DESIGN.md "Disclosure control" 3).

Every table that counts the same population, in every dataset and archived
release, is one system (system.py): margins meet wherever one table's cell is
a total, sub-total (code list hierarchy) or period sum (calendar) of another's.
The exact, interval and guessing-reader (issue 16) audits run on it. Findings that one table shows on its
own are complementary-exact's and complementary-interval's; this rule reports
what only the tables read together give away, including what a declared change
or year-to-date column adds (each of its published figures is an equation).
"""

from __future__ import annotations

from tally.core.cache import Cache, key
from tally.privacy import disclosure
from tally.privacy.checks.base import SiteAudit
from tally.privacy.checks.site import site_context

SHOWN = 4  # tables named in one message


class LinkedTables(SiteAudit):
    type = "linked-tables"
    title = "Suppressed cell given away by another table, dataset or release"
    description = ("Read together with every table that counts the same population (any dataset, any archived "
                   "release) and every change or year-to-date column declared on them, no suppressed count can "
                   "be worked out or narrowed down, and no cell is hidden in one table and published in another.")
    hint = ("hide the same cells in every table of the population (a cell hidden in one must be hidden in all, "
            "and enough of each shared total's parts), hide a change wherever this period or the one before is "
            "hidden and a year-to-date from a hidden period to the year's end, or withdraw the archived release "
            "that gives it away")
    needs_valid_data = True

    def audit_site(self, datasets, context):
        site_context(datasets, self.settings, context)
        cache = Cache(self.settings["TALLY_CACHE_PATH"], "site") if self.settings.get("TALLY_CACHE_PATH") else None
        for population, system in sorted(context["systems"].items()):
            if len({(p.dataset, p.version, p.resource, p.measure) for p in system.pieces}) < 2 \
                    and not system.equations:
                continue  # one table alone, no derived column: the package rules judge it
            yield from self._audit(system, cache)

    def _audit(self, system, cache):
        table = system.audit_table
        threshold = max(p.policy.threshold for p in system.pieces)
        width = max(p.policy.protection_width for p in system.pieces)
        hidden_min = min(p.policy.hidden_minimum for p in system.pieces)
        digest = key("linked-tables", system.population, sorted(map(repr, table.cells.items())), table.dimensions,
                     sorted(table.totals.items()), sorted(map(repr, table.hierarchy.items())),
                     sorted(map(repr, table.exposed)), threshold, width, hidden_min,
                     [p.label for p in system.pieces], sorted(map(repr, system.equations)))
        cached = cache.get_json(digest) if cache else None
        if cached is None:
            found = self._findings(table, system.constraints(), threshold, width, hidden_min)
            found += self._guesses(system.table, {f.cells for f in found}, threshold, width, hidden_min)
            cached = [self._finding(system, f, threshold, width, hidden_min) for f in found]
            cached = [c for c in cached if c is not None]
            if cache:
                cache.put_json(digest, cached)
        pieces = {p.label: p for p in system.pieces}
        for found in cached:
            piece = pieces[found["piece"]]
            yield self.at_piece(piece, found["message"], key=tuple(found["key"]))

    @staticmethod
    def _findings(table, constraints, threshold, width, hidden_min):
        exact = disclosure.exact_audit(table, constraints)
        seen = {f.cells for f in exact}
        interval = [f for f in disclosure.interval_audit(table, constraints, threshold, width, hidden_min)
                    if f.cells not in seen]
        return disclosure.exposed_findings(table) + exact + interval

    def _guesses(self, table, seen, threshold, width, hidden_min):
        """The guessing reader's proof (issue 16) on the linked tables, without the derived columns' equations.

        A hidden change or year-to-date figure may be negative or stands alone in its
        equation, which the guessing proof's bounds (every hidden cell at least 1) do not
        model; leaving those equations out only gives the reader less, so what it finds holds.
        """
        budget = self.settings.get("TALLY_AUDIT_MAX_ASSIGNMENTS", disclosure.DEFAULT_MAX_ASSIGNMENTS)
        return [f for f in disclosure.guessing_audit(table, None, threshold, width, hidden_min, budget)
                if f.cells not in seen]

    def _finding(self, system, finding, threshold, width, hidden_min):
        linked_key = finding.cells[0]
        origins = system.origins.get(linked_key, [])
        if not origins:
            return None
        # Name the table that hides the cell, not one that publishes it.
        piece, own_key = next(((p, k) for p, k in origins if p.table.table.cells.get(k) is None), origins[0])
        if finding.rule != "linked-exposed" and self._alone(piece, own_key, finding.rule, threshold, width,
                                                            hidden_min):
            return None  # the table shows it on its own: complementary-exact/-interval report it
        used = []
        for c in finding.constraints:
            for k in c.keys():
                for p, _ in system.origins.get(k, []):
                    if p.label not in used:
                        used.append(p.label)
        for p, _ in origins:
            if p.label not in used:
                used.append(p.label)
        tables = {(p.dataset, p.resource, p.measure) for p in system.pieces if p.label in used}
        derived = sorted({c.dimension.split(":", 1)[1] for c in finding.constraints
                          if c.dimension.startswith(("change:", "year-to-date:"))})
        if not derived and len(tables) == 1:
            # The touching constraints may not name the equation that mattered: a table with
            # derived columns is reported here, one without is linked-releases' to report.
            derived = sorted({d.name for p in system.pieces if p.label in used for d in p.derived})
            if not derived:
                return None  # one table and its own releases: linked-releases reports it
        named = ", ".join(used[:SHOWN]) + (f" and {len(used) - SHOWN} more" if len(used) > SHOWN else "")
        if derived:
            named += " with the column(s) " + ", ".join(f'"{d}"' for d in derived)
        if finding.rule == "linked-exposed":
            how = "read where another table or release publishes it"
        elif finding.rule == "complementary-exact":
            how = "worked out exactly"
        elif finding.rule == "complementary-interval":
            how = f"narrowed down to {finding.range_text()}"
        elif finding.rule == "complementary-guess":
            how = f"narrowed down to {finding.range_text()} by a reader who guesses which suppressed cells are small"
        elif finding.rule == "guess-budget":
            how = ("left unproved against a reader who guesses which suppressed cells are small (too many "
                   "suppressed cells linked: split the tables or raise TALLY_AUDIT_MAX_ASSIGNMENTS)")
        else:
            how = "checked against totals that do not add up"
        message = (f'population "{system.population}": the suppressed cell ({system.describe(linked_key)}) of '
                   f"{piece.label} can be {how} from {named} read together")
        return {"piece": piece.label, "key": list(own_key), "message": message}

    @staticmethod
    def _alone(piece, own_key, rule, threshold, width, hidden_min) -> bool:
        table = piece.table.table
        constraints = disclosure.additive_constraints(table)
        found = disclosure.exact_audit(table, constraints)
        if rule == "complementary-interval":
            found += disclosure.interval_audit(table, constraints, threshold, width, hidden_min)
        if rule in ("complementary-guess", "guess-budget"):
            found += disclosure.guessing_audit(table, constraints, threshold, width, hidden_min)
        return any(own_key in f.cells for f in found)
