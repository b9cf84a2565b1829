"""Two tables whose totals agree period after period declare that they count the same people (issue 10).

Tables of different populations are not linked. When their grand totals are
equal in every period where both are published (three or more), they almost
certainly count the same people, and the link nobody declared is one a reader
can use. So is a total equal, period after period, to the sum of some levels of
another population's table (teens by gender beside ages by band: red team,
session 3).

A new dataset of one or two quarters, mislabelled, escaped both (red team,
session 4): two totals agree by chance too often to be evidence (measured on
1,000 generated datasets sharing the age-band code list: one period's totals of
two populations agreed in 0.5% of 351,108 pairs, two periods' in 12 of 263,790).
A whole breakdown is: when two tables share a dimension (the same code list or
field) and agree on every cell of it both publish, totals included, with at
least MIN_CELLS non-zero agreeing cells that are not its total level, they count
the same people however few periods they share (chance agreement never reached
three such cells in 702,216 pair-windows, counts of 11-30 included).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from tally.privacy.checks.base import SiteAudit
from tally.privacy.checks.site import site_context
from tally.privacy.system import level_series, part_series, total_series

MIN_PERIODS = 3
MIN_CELLS = 4  # agreeing non-zero cells of a shared breakdown, its total level left out (implied by the rest)


class UndeclaredLink(SiteAudit):
    type = "undeclared-link"
    title = "Totals that agree without a declared link"
    description = ("Two tables of different populations whose totals are equal in every period where both are "
                   "published (at least three), or one's total and the sum of some levels of the other's, or that "
                   f"agree cell for cell on a dimension they share (at least {MIN_CELLS} non-zero cells besides its "
                   "total, in any number of periods), are taken to count the same people, which must be declared.")
    hint = ("if they count the same people, give both the same `tally:population` (and shared code lists), so "
            "the gate audits them together; if they do not, check the figures")

    def audit_site(self, datasets, context):
        site_context(datasets, self.settings, context)
        series = {}
        buckets = defaultdict(set)
        for piece in context["pieces"]:
            if piece.version is not None:
                continue
            found = {p: v for p, v in total_series(piece).items() if v}
            if len(found) >= MIN_PERIODS:
                series[piece.label] = (piece, found)
                for item in found.items():
                    buckets[item].add(piece.label)
        pairs = defaultdict(int)
        for labels in buckets.values():
            ordered = sorted(labels)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    pairs[(a, b)] += 1
        flagged = set()
        for (a, b), agreeing in sorted(pairs.items()):
            first, one = series[a]
            second, other = series[b]
            if first.population == second.population or agreeing < MIN_PERIODS:
                continue
            common = set(one) & set(other)
            if all(one[p] == other[p] for p in common):
                flagged.add(frozenset((a, b)))
                yield self.at_piece(second, f"the totals of {first.label} (population \"{first.population}\") and "
                                            f"{second.label} (population \"{second.population}\") are equal in "
                                            f"every one of the {len(common)} periods both publish")
        yield from self._parts(context, series, buckets, flagged)
        yield from self._breakdowns(context, flagged)

    def _parts(self, context, series, buckets, seen):
        """A total equal to the sum of some levels of another population's table, in every period both publish."""
        for piece in context["pieces"]:
            if piece.version is not None:
                continue
            for what, found in part_series(piece).items():
                found = {p: v for p, v in found.items() if v}
                if len(found) < MIN_PERIODS:
                    continue
                for label, agreeing in Counter(x for item in found.items() for x in buckets.get(item, ())).items():
                    first, one = series[label]
                    if (first.population == piece.population or agreeing < MIN_PERIODS
                            or frozenset((label, piece.label)) in seen):
                        continue
                    common = set(one) & set(found)
                    if all(one[p] == found[p] for p in common):
                        seen.add(frozenset((label, piece.label)))
                        yield self.at_piece(first, f"the totals of {first.label} (population "
                                                   f"\"{first.population}\") equal the sum of {what} of "
                                                   f"{piece.label} (population \"{piece.population}\") in every one "
                                                   f"of the {len(common)} periods both publish")

    def _breakdowns(self, context, seen):
        """Two tables that agree on every published cell of a dimension they share, MIN_CELLS of them non-zero."""
        margins = {}
        buckets = defaultdict(set)  # (identity, (period, level), figure) -> labels of the tables publishing it
        for piece in context["pieces"]:
            if piece.version is not None:
                continue
            found = level_series(piece)
            margins[piece.label] = (piece, found)
            for identity, cells in found.items():
                total = _total_level(piece, identity)
                for at, value in cells.items():
                    if value and at[1] != total:
                        buckets[(identity, at, value)].add(piece.label)
        agreeing = Counter()
        for (identity, _, _), labels in buckets.items():
            ordered = sorted(labels)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    agreeing[(a, b, identity)] += 1
        for (a, b, identity), count in sorted(agreeing.items()):
            first, one = margins[a]
            second, other = margins[b]
            if count < MIN_CELLS or first.population == second.population or frozenset((a, b)) in seen:
                continue
            cells, theirs = one[identity], other[identity]
            totals, their_totals = total_series(first), total_series(second)
            if any(cells[k] != theirs[k] for k in set(cells) & set(theirs)) or any(
                    totals[p] != their_totals[p] for p in set(totals) & set(their_totals)):
                continue
            seen.add(frozenset((a, b)))
            dimension = first.table.table.dimensions[first.identities.index(identity)]
            periods = {k[0] for k in set(cells) & set(theirs)}
            yield self.at_piece(second, f"{first.label} (population \"{first.population}\") and {second.label} "
                                        f"(population \"{second.population}\") agree on every figure by "
                                        f"{dimension} that both publish, in the {len(periods)} period(s) they share")


def _total_level(piece, identity):
    table = piece.table.table
    return table.totals.get(table.dimensions[piece.identities.index(identity)])
