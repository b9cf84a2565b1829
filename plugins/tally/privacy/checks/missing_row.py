"""A table with totals has a row for every combination of its levels (issue 10).

A row left out of a table whose totals the audits read is taken as 0 by the
equations (a structural zero), so a total with one hidden part and one missing
row gives the hidden part exactly. Tally refuses the missing row rather than
guess: write the row, with its count (0 if none) or empty with S.
"""

from __future__ import annotations

import itertools

from tally.privacy.checks.complementary import ComplementaryAudit
from tally.privacy.tables import read_rows

SHOWN = 3  # missing combinations named in one message


class MissingRow(ComplementaryAudit):
    type = "missing-row"
    title = "Row missing from a table with totals"
    description = ("A table with a total level (or a code list hierarchy) has one row for every combination of "
                   "the levels it uses; a missing row would be read as 0 by the audits.")
    hint = "add the row: its count (0 if there were none), or an empty count with S if it must be hidden"

    def audit(self, dataset):
        from tally.privacy.tables import dimension_structure

        for resource in dataset.tabular_resources:
            dims = [f for f in resource.fields if f.role == "dimension"]
            if not any(f.is_count for f in resource.fields):
                continue
            totals, hierarchy = dimension_structure(dims)
            if not totals and not hierarchy:
                continue
            keys = {tuple("" if row.get(f.name) is None else str(row.get(f.name)) for f in dims)
                    for _, row in read_rows(resource)}
            levels = [sorted({k[i] for k in keys}) for i in range(len(dims))]
            missing = [k for k in itertools.product(*levels) if k not in keys]
            if missing:
                shown = "; ".join(", ".join(f"{f.name}={v}" for f, v in zip(dims, k)) for k in missing[:SHOWN])
                more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
                yield self.problem(dataset, f'resource "{resource.name}" has no row for ({shown}){more}',
                                   resource=resource)
