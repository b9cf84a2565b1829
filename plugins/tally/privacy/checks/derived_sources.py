"""`tally:derivedFrom` names every count a derived value uses (issue 10).

derived-suppressed hides a rate, percentage or mean with the counts it names.
A percentage that names only its denominator is published beside a hidden
numerator, which it gives back. Found from the published rows: a count of the
table that the derived value and the named counts reproduce in every row
where all are published.
"""

from __future__ import annotations

from tally.privacy.checks.complementary import ComplementaryAudit

SCALES = (1, 100, 1000, 10000, 100000)  # ratio, percent, per 1,000, per 10,000, per 100,000
MIN_AGREEING = 2


class DerivedSources(ComplementaryAudit):
    type = "derived-sources"
    title = "Derived value uses a count it does not name"
    description = ("A rate, percentage or mean names in `tally:derivedFrom` every count it is computed from: no "
                   "other count of the table can be worked out from it and the counts it names.")
    hint = "add the count to `tally:derivedFrom`, so the derived value is suppressed with it"

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            rows = resource.rows
            counts = [f.name for f in resource.fields if f.is_count]
            for d in (f for f in resource.fields if f.is_derived):
                named = [n for n in d.derived_from if n in counts]
                for x in counts:
                    if x in d.derived_from:
                        continue
                    for source in named:
                        if _reproduces(rows, d.name, source, x):
                            yield self.problem(dataset, f'resource "{resource.name}": "{d.name}" with "{source}" '
                                                        f'gives back "{x}", which `tally:derivedFrom` does not name',
                                               resource=resource, field=d.name)
                            break


def _reproduces(rows, derived, source, count) -> bool:
    for scale in SCALES:
        for inverse in (False, True):
            agreeing, ok = 0, True
            for row in rows:
                value, base, target = row.get(derived), row.get(source), row.get(count)
                if value is None or base is None or target is None or not target or not base:
                    continue
                half = 0.5 * 10 ** -_decimals(float(value))
                if inverse:  # target = base * scale / value  (a mean's n, a rate's denominator)
                    fits = abs(target * float(value) - base * scale) <= target * half + 1e-9
                else:  # target = value * base / scale  (a percentage's numerator)
                    fits = abs(target * scale - float(value) * base) <= half * base + 1e-9
                if not fits:
                    ok = False
                    break
                agreeing += 1
            if ok and agreeing >= MIN_AGREEING:
                return True
    return False


def _decimals(value: float) -> int:
    for places in range(7):
        if round(value, places) == value:
            return places
    return 7
