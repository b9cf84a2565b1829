"""A count from 1 to threshold-1 is never published (primary suppression, CalHHS DDG 4.4.1, 5.6.2).

Zero is published: "a non-event cannot be identified". The message and the
Problem name the row and field only; the value itself never leaves the file.
"""

from __future__ import annotations

import attrs

from tally.core.settings import THRESHOLD_FLOOR
from tally.privacy.checks.base import RowCheck, RuleError
from tally.privacy.policy import Policy


class SmallCellError(RuleError):
    type = "small-cell"
    title = "Small count published"
    description = ("A count of people from 1 to the threshold minus one (10 at the site threshold of 11) "
                   "is never published; zero is.")
    template = 'Row {rowNumber}, field "{fieldName}": {note}'
    hint = ("empty the cell and write S in its annotation field, then hide one more cell in its rows "
            "and columns so it cannot be worked out; `publish.py suppress` does both from the raw table")


@attrs.define(kw_only=True, repr=False)
class SmallCell(RowCheck):
    type = "small-cell"
    Errors = [SmallCellError]

    threshold: int = THRESHOLD_FLOOR
    """Smallest count that may be published: the site's, or the dataset's if higher."""

    @classmethod
    def for_dataset(cls, dataset, settings):
        return cls(threshold=Policy.of(dataset, settings).threshold)

    def start(self):
        self.counts = [f.name for f in self.fields if f.is_count]

    def validate_row(self, row):
        for name in self.counts:
            value = row[name]
            # A value of the wrong type is frictionless's type-error; only numbers are judged here.
            if isinstance(value, (int, float)) or hasattr(value, "is_finite"):
                if 0 < value < self.threshold:
                    yield SmallCellError.from_row(
                        row, note=f"a count between 1 and {self.threshold - 1} is published", field_name=name)
