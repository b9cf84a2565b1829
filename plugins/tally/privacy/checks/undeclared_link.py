"""Two tables whose totals agree period after period declare that they count the same people (issue 10).

Tables of different populations are not linked. When their grand totals are
equal in every period where both are published (three or more), they almost
certainly count the same people, and the link nobody declared is one a reader
can use.
"""

from __future__ import annotations

from collections import defaultdict

from tally.privacy.checks.base import SiteAudit
from tally.privacy.checks.site import site_context
from tally.privacy.system import total_series

MIN_PERIODS = 3


class UndeclaredLink(SiteAudit):
    type = "undeclared-link"
    title = "Totals that agree without a declared link"
    description = ("Two tables of different populations whose totals are equal in every period where both are "
                   "published (at least three) are taken to count the same people, which must be declared.")
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
        for (a, b), agreeing in sorted(pairs.items()):
            first, one = series[a]
            second, other = series[b]
            if first.population == second.population or agreeing < MIN_PERIODS:
                continue
            common = set(one) & set(other)
            if all(one[p] == other[p] for p in common):
                yield self.at_piece(second, f"the totals of {first.label} (population \"{first.population}\") and "
                                            f"{second.label} (population \"{second.population}\") are equal in "
                                            f"every one of the {len(common)} periods both publish")
