"""No text cell may start like a spreadsheet formula (OWASP "CSV injection").

Readers open the downloads in Excel; a cell such as `=HYPERLINK(...)` or
`@SUM(...)` would run there. Numbers are typed by the schema and never text, so
a negative number in a number field is fine; a text cell starting with `-` is not.
A cell that is only "-" or "+" (a common "not applicable" mark in published
tables) has nothing to compute and is allowed.
"""

from __future__ import annotations

import attrs

from tally.privacy.checks.base import RowCheck, RuleError

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LONE_SIGNS = ("-", "+")
NAMES = {"\t": "a tab", "\r": "a carriage return"}


class FormulaInjectionError(RuleError):
    type = "formula-injection"
    title = "Text cell starts like a formula"
    description = ("No text cell starts with =, +, -, @, a tab or a carriage return, which a spreadsheet "
                   "would run as a formula (OWASP CSV injection).")
    template = 'Row {rowNumber}, field "{fieldName}": {note}'
    hint = "reword the value so it starts with a letter or digit (e.g. \"15 to 17\" rather than \"-17\")"


@attrs.define(kw_only=True, repr=False)
class FormulaInjection(RowCheck):
    type = "formula-injection"
    Errors = [FormulaInjectionError]

    def start(self):
        self.names = [f.name for f in self.fields if f.type in ("string", "any")]

    def validate_row(self, row):
        for name in self.names:
            value = row[name]
            if isinstance(value, str) and value.startswith(TRIGGERS) and value not in LONE_SIGNS:
                first = NAMES.get(value[0], f'"{value[0]}"')
                yield FormulaInjectionError.from_row(
                    row, note=f"the text starts with {first}, which a spreadsheet reads as a formula",
                    field_name=name)
