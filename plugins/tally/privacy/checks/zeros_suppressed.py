"""`zerosSuppressed` is only for a table that hides its zeros (issue 10).

With `zerosSuppressed: true` the audits assume a hidden cell may be 0, which is
weaker than Tally's own rule (a hidden cell is at least 1). A package that
publishes a 0 does not hide its zeros, so the weaker assumption hides nothing
but protects less.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit
from tally.privacy.policy import Policy
from tally.privacy.tables import read_rows


class ZerosSuppressed(Audit):
    type = "zeros-suppressed"
    title = "Zeros declared suppressed but published"
    description = ("A dataset that sets `tally:disclosure.zerosSuppressed` publishes no count of 0; "
                   "otherwise the audits' assumption that a hidden cell may be 0 is false and weaker.")
    hint = "remove `zerosSuppressed` (Tally publishes zeros), or hide every zero as the source does"
    needs_valid_data = True

    def audit(self, dataset):
        if not Policy.of(dataset, self.settings).zeros_suppressed:
            return
        for resource in dataset.tabular_resources:
            counts = [f.name for f in resource.fields if f.is_count]
            for number, row in read_rows(resource):
                zero = next((name for name in counts if row.get(name) == 0), None)
                if zero is not None:
                    yield self.problem(dataset, f'"{zero}" publishes a 0 although the dataset declares '
                                                "zerosSuppressed", resource=resource, row=number, field=zero)
                    break
