"""Every field says what it is (`tally:role`), and every measure what it counts (`tally:kind`).

Tally protects counts of people; a measure whose kind is unknown could be one,
so in the sensitive profile nothing is left to inference.
"""

from __future__ import annotations

from tally.core.dataset import DERIVED_KINDS
from tally.privacy.checks.base import Audit

ROLES = ("dimension", "measure", "annotation")
KINDS = ("count", "quantity") + DERIVED_KINDS


class FieldRole(Audit):
    type = "field-role"
    title = "Field without a valid role"
    description = ("Every field declares `tally:role` (" + ", ".join(ROLES) + "); every measure declares "
                   "`tally:kind` (" + ", ".join(KINDS) + ").")
    hint = "add the property to the field in the schema (see docs/conventions.md)"
    profiles = ("sensitive",)

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                where = f'resource "{resource.name}": field "{f.name}"'
                role = f.declared_role
                if role is None:
                    yield self.problem(dataset, f"{where} declares no `tally:role`", field=f.name,
                                       hint=f"add `tally:role`: one of {', '.join(ROLES)}")
                elif role not in ROLES:
                    yield self.problem(dataset, f'{where} has `tally:role` "{role}"', field=f.name,
                                       hint=f"use one of {', '.join(ROLES)}")
                elif role == "measure" and f.kind not in KINDS:
                    shown = "no `tally:kind`" if f.kind is None else f'`tally:kind` "{f.kind}"'
                    yield self.problem(dataset, f"{where} is a measure with {shown}", field=f.name,
                                       hint=f"use one of {', '.join(KINDS)}: `count` for a count of people")
