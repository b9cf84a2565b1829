"""A rate, percentage or mean computed from a suppressed count is suppressed too (DESIGN.md 2).

A percentage of a published total gives back the hidden count it was computed
from (DDG 4.4.1: derived statistics are suppressed with their source).
"""

from __future__ import annotations

import attrs

from tally.core.annotations import SUPPRESSED
from tally.privacy.checks.base import RowCheck, RuleError
from tally.privacy.tables import NOT_AVAILABLE


class DerivedSuppressedError(RuleError):
    type = "derived-suppressed"
    title = "Derived value of a suppressed count published"
    description = ("A rate, percentage or mean whose source count (`tally:derivedFrom`) is suppressed "
                   "in the same row is suppressed too: empty, with S in its annotation.")
    template = 'Row {rowNumber}, field "{fieldName}": {note}'
    hint = "empty the derived cell and write S in its annotation field"


@attrs.define(kw_only=True, repr=False)
class DerivedSuppressed(RowCheck):
    type = "derived-suppressed"
    Errors = [DerivedSuppressedError]

    def start(self):
        # derived measure -> (its annotation field or None, its source count fields and their annotations)
        self.derived = []
        for f in self.fields:
            if not f.is_derived:
                continue
            sources = [(s.name, s.annotation if s.annotation and self.field(s.annotation) else None)
                       for s in (self.field(n) for n in f.derived_from) if s is not None and s.is_count]
            annotation = f.annotation if f.annotation and self.field(f.annotation) else None
            if sources:
                self.derived.append((f.name, annotation, sources))

    def validate_row(self, row):
        for name, annotation, sources in self.derived:
            hidden = [s for s, note in sources if self._suppressed(row, s, note)]
            if not hidden:
                continue
            code = row[annotation] if annotation else None
            if row[name] is not None or name in row.error_cells:
                yield DerivedSuppressedError.from_row(
                    row, note=f'it is published although "{hidden[0]}", which it is computed from, is suppressed',
                    field_name=name)
            elif annotation and code != SUPPRESSED:
                yield DerivedSuppressedError.from_row(
                    row, note=f'it is empty because "{hidden[0]}" is suppressed, so its annotation '
                              f'"{annotation}" must say {SUPPRESSED}', field_name=name)

    @staticmethod
    def _suppressed(row, name, annotation) -> bool:
        # An empty source is taken as suppressed unless it says N (no data): when in doubt, hide.
        if row[name] is not None or name in row.error_cells:
            return False
        return not (annotation and row[annotation] == NOT_AVAILABLE)
