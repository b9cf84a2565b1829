"""No free text: every text field has a closed list of values (DESIGN.md "Disclosure control" 5).

A free-text column ("notes", "details") is where a name or a story slips into
a published file. A text dimension lists its levels in `constraints.enum` or
`categories`; a period dimension is held by its pattern (period-precision); an
annotation lists the codes it uses.
"""

from __future__ import annotations

from tally.core.annotations import CODES
from tally.privacy.checks.base import Audit


class FreeText(Audit):
    type = "free-text"
    title = "Text field without a closed list of values"
    description = ("A text dimension lists its values in `constraints.enum` or `categories`; an annotation lists "
                   "its codes (a subset of " + ", ".join(CODES) + ") in `constraints.enum`; no other field is text.")
    hint = "list the allowed values in `constraints.enum`, or remove the field"
    profiles = ("sensitive",)

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                if f.type not in ("string", "any"):
                    continue
                message, hint = self._judge(f)
                if message:
                    yield self.problem(dataset, f'resource "{resource.name}": text field "{f.name}" {message}',
                                       field=f.name, hint=hint)

    @staticmethod
    def _judge(f):
        if f.role == "annotation":
            codes = f.constraints.get("enum")
            if not codes:
                return ("lists no codes", "add `constraints.enum` with the codes it uses, e.g. [\"S\"]")
            unknown = [c for c in codes if c not in CODES]
            if unknown:
                return (f"lists unknown code(s) {', '.join(map(str, unknown))}",
                        f"use only the codes {', '.join(CODES)} (docs/conventions.md)")
            return None, None
        if f.role == "dimension":
            if f.period or f.levels:
                return None, None
            return "has no list of values", None
        return (f'has role "{f.role}"; only dimensions and annotations may be text',
                "give a measure a number type, or make the field a dimension with a list of values")
