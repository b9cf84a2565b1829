"""Each archived release passes every rule on its own (issue 10).

An archive is audited together with the current data (linked-releases and the
site-wide system), but it is also published on its own at
/datasets/<name>/v<version>/: an archive that publishes a small count, or hides
a cell its own totals give back, leaks whatever the current data says. Rules
about declarations an archive made before they existed (`declarative`, such as
a count's population) take the current descriptor's word and are not re-run.
An archive that fails is never edited: it is withdrawn.
"""

from __future__ import annotations

from tally.core.loading import load_dataset
from tally.core.releases import archived_releases
from tally.privacy.checks.base import Audit


class ArchivedRelease(Audit):
    type = "archived-release"
    title = "Archived release fails a rule"
    description = ("Every archived release in releases/v<version>/ passes every rule on its own, as it is "
                   "published on its own page.")
    hint = "withdraw it"

    def audit(self, dataset):
        from tally.privacy import checks
        from tally.privacy.validation import check_dataset

        skipped = {rule.type for rule in checks.ROW_CHECKS + checks.AUDITS if getattr(rule, "declarative", False)}
        skipped |= {self.type, "linked-releases"}
        for release in archived_releases(dataset.folder):
            archived, problems = load_dataset(release.folder)
            if archived is not None:
                problems = check_dataset(archived, self.settings, skip=skipped)
            for p in problems:
                if p.rule in skipped:
                    continue
                where = f"row {p.row}, " if p.row else ""
                yield self.problem(
                    dataset, f"archived release {release.version} breaks [{p.rule}] ({where}{p.file}): {p.message}",
                    field=p.field,
                    hint=(f"an archive is never edited: withdraw it with `publish.py withdraw {dataset.slug} "
                          f'{release.version} --reason "..."` (README, "Withdrawing a release"), and fix the current '
                          f"data if it has the same problem ({p.hint})"))
