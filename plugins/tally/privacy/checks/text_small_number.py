"""No small count written into any text the site shows (issue 10, "outside the tables").

Titles, descriptions, notes, keywords, sources, level labels, chart descriptions,
changelog notes and a dataset's README reach pages, feeds, data.json, JSON-LD,
the search index, the XLSX notes, the ZIP's README and the social card; none of
them pass through the table audits. A number from 1 to threshold - 1 written as
a count of people is refused: next to a word for people ("7 children", "only
three girls"), a count word or statistic marker ("the 12-14 count is 6",
"n = 6", "a total of 4"), a verb of counting people ("six were identified"),
"4 of them", or a bound tighter than the threshold ("fewer than 5"; red team,
session 4). The message names the field, never the text.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit
from tally.privacy.policy import Policy
from tally.privacy.small_numbers import has_small_count, texts

# Descriptor keys that name or locate things; their text is not shown as prose.
SKIPPED = ("path", "format", "mediatype", "encoding", "pattern", "profile", "$schema")


class TextSmallNumber(Audit):
    type = "text-small-number"
    title = "Small count written in a text"
    description = ("No text of the package (title, description, notes, keywords, sources, field and level "
                   "labels, chart descriptions, changelog notes, README) writes a number from 1 to the threshold "
                   "minus one as a count: next to a word for people, a count word or statistic marker (count, total, "
                   "n =), a verb of counting people (were identified), \"of them\" or a bound (fewer than).")
    hint = ('reword without the figure ("fewer than 11 children", "a small number"), or leave it to the '
            "table, where the suppression rules apply")

    def audit(self, dataset):
        threshold = Policy.of(dataset, self.settings).threshold
        for path, text in texts(dataset.descriptor):
            if path.rsplit(".", 1)[-1] in SKIPPED:
                continue
            if has_small_count(text, threshold):
                yield self.problem(dataset, f"{path} writes a small count of people",
                                   field=path)
        readme = dataset.folder / "README.md"
        if readme.is_file() and has_small_count(readme.read_text(encoding="utf-8", errors="replace"), threshold):
            yield self.problem(dataset, "README.md writes a small count of people",
                               field="README.md")
