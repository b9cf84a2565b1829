"""No level name looks like another, or like the total, without being it (issue 10).

A total written with a Cyrillic "А", or "15‐17" with a Unicode hyphen beside
"15-17", is a second level that readers take for the first: the audits treat
it as a separate part, so a total or a hidden cell can be published twice.
"""

from __future__ import annotations

import re
import unicodedata

from tally.privacy.checks.base import Audit

# Letters from other scripts that look like Latin ones (Unicode confusables, the common cases).
LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "Ι": "I", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "ι": "i",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
})
SPACE = re.compile(r"\s+")


def skeleton(text: str) -> str:
    """What a reader sees: compatibility forms, look-alike letters and dashes folded, case and spacing ignored."""
    return SPACE.sub(" ", unicodedata.normalize("NFKC", str(text)).translate(LOOKALIKES)).strip().casefold()


class ConfusableLevel(Audit):
    type = "confusable-level"
    title = "Level name that looks like another"
    description = ("No two levels of a dimension (or a level and the declared total) look the same to a reader "
                   "while differing in their characters (another script's letter, a Unicode dash, extra spaces).")
    hint = "write the level exactly as the other one (plain ASCII letters and hyphen), or give it a distinct name"

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                if f.role != "dimension":
                    continue
                names = [str(v) for v in f.levels]
                if f.total is not None and str(f.total) not in names:
                    names.append(str(f.total))
                seen = {}
                for name in names:
                    other = seen.setdefault(skeleton(name), name)
                    if other != name:
                        what = "the declared total" if str(f.total) in (name, other) else "another level"
                        yield self.problem(dataset, f'resource "{resource.name}", dimension "{f.name}": a level '
                                                    f"looks like {what} but is written with other characters",
                                           resource=resource, field=f.name)
                        break
