"""Two tables whose totals agree period after period declare that they count the same people (issue 10).

Tables of different populations are not linked. When their grand totals are
equal in every period where both are published (three or more), they almost
certainly count the same people, and the link nobody declared is one a reader
can use. So is a total equal, period after period, to the sum of some levels of
another population's table (teens by gender beside ages by band: red team,
session 3).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from tally.privacy.checks.base import SiteAudit
from tally.privacy.checks.site import site_context
from tally.privacy.system import part_series, total_series

MIN_PERIODS = 3


class UndeclaredLink(SiteAudit):
    type = "undeclared-link"
    title = "Totals that agree without a declared link"
    description = ("Two tables of different populations whose totals are equal in every period where both are "
                   "published (at least three), or one's total and the sum of some levels of the other's, are "
                   "taken to count the same people, which must be declared.")
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
