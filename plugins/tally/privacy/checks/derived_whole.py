"""A share of a total is published only where the total is (issue 10).

A percentage that names one count in `tally:derivedFrom` is that count's share
of a total of the same table (each band's share of all ages). Where the part is
published and the total hidden, the part over its share gives the total back
(a rounded share pins it to a range narrower than one count), and the total
less the published parts any hidden part. A rounded share is a range, not an
equation, so the site-wide audits cannot model it (docs/conventions.md, "Change
and year-to-date columns"): it is refused instead. The whole of a row is taken
to be, for every dimension with a total level, the row's cell at that level.
"""

from __future__ import annotations

from tally.privacy.checks.complementary import ComplementaryAudit
from tally.privacy.tables import dimension_structure, read_rows


class DerivedWhole(ComplementaryAudit):
    type = "derived-whole"
    title = "Share of a hidden total"
    description = ("A percentage that names one count is a share of the table's total: it is published only where "
                   "that total (the row's cell at each dimension's total level) is published.")
    hint = ("hide the share where its total is hidden (empty, with S), or name both counts it is computed from "
            "in `tally:derivedFrom`")

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            shares = [f for f in resource.fields if f.kind == "percentage" and f.role == "measure"
                      and len(f.derived_from) == 1 and (resource.field(f.derived_from[0]) or f).is_count]
            if not shares:
                continue
            dims = [f for f in resource.fields if f.role == "dimension"]
            totals, _ = dimension_structure(dims)
            if not totals:
                continue
            names = [d.name for d in dims]
            rows = list(read_rows(resource))
            for share in shares:
                count = resource.field(share.derived_from[0])
                published = {}
                for _, row in rows:
                    key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
                    published[key] = row.get(count.name) is not None  # hidden, or N: no whole to divide by
                for number, row in rows:
                    if row.get(share.name) is None:
                        continue
                    key = tuple("" if row.get(n) is None else str(row.get(n)) for n in names)
                    for i, name in enumerate(names):
                        level = totals.get(name)
                        if level is None or key[i] == level:
                            continue
                        whole = key[:i] + (level,) + key[i + 1:]
                        if not published.get(whole, False):
                            yield self.problem(
                                dataset, f'resource "{resource.name}", row {number}: the share "{share.name}" is '
                                         f'published, but its total ("{name}" = "{level}") has no published '
                                         f'"{count.name}"', resource=resource, row=number, field=share.name)
                            break
