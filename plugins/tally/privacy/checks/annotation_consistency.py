"""A count is empty exactly when its annotation says why (S or N); a zero is a real zero.

Without this, an empty cell could be read as zero, or a published figure could
carry a "suppressed" code a reader or a chart would trust. Derived measures
(rates, percentages, means) follow the same rule.
"""

from __future__ import annotations

import attrs

from tally.core.annotations import CODES, EMPTY_CODES
from tally.privacy.checks.base import RowCheck, RuleError

EMPTY = "/".join(EMPTY_CODES)


class AnnotationConsistencyError(RuleError):
    type = "annotation-consistency"
    title = "Cell and annotation disagree"
    description = (f"A count or derived cell is empty exactly when its annotation holds {EMPTY} "
                   "(suppressed, not available); a zero is a real zero and a published value never carries S or N.")
    template = 'Row {rowNumber}, field "{fieldName}": {note}'
    hint = (f"either write the figure and clear the {EMPTY} code, or empty the cell and write S "
            "(suppressed) or N (not available) in its annotation field")


@attrs.define(kw_only=True, repr=False)
class AnnotationConsistency(RowCheck):
    type = "annotation-consistency"
    Errors = [AnnotationConsistencyError]

    def start(self):
        # (measure, annotation) pairs whose annotation field exists; measure-fields reports the others.
        self.pairs = []
        for f in self.fields:
            if (f.is_count or f.is_derived) and f.annotation:
                note = self.field(f.annotation)
                if note is not None and note.role == "annotation":
                    self.pairs.append((f.name, note.name))

    def validate_row(self, row):
        for measure, annotation in self.pairs:
            if measure in row.error_cells or annotation in row.error_cells:
                continue  # frictionless reports the type error; an unreadable cell is not "empty"
            value, code = row[measure], row[annotation]
            code = code.strip() if isinstance(code, str) else code
            note = None
            if code and code not in CODES:
                # Not quoted: a count typed into the note column would be repeated (red team, session 3).
                note = f'annotation "{annotation}" holds a value that is not one of the codes {", ".join(CODES)}'
            elif value is None and code not in EMPTY_CODES:
                why = f'"{code}", which does not explain an empty cell' if code else "nothing"  # a code, quoted
                note = f'the cell is empty but its annotation "{annotation}" holds {why}'
            elif value is not None and code in EMPTY_CODES:
                meaning = CODES[code].meaning
                note = f'the cell has a value but its annotation "{annotation}" says {code} ({meaning})'
            if note:
                yield AnnotationConsistencyError.from_row(row, note=note, field_name=measure)
