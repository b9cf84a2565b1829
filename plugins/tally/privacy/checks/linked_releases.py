"""A new release cannot reveal a cell that an earlier release hid, nor hide one it published (DESIGN.md 3).

The current tables are linked (disclosure.link_tables) with the same measure in
every archived release (`<dataset>/releases/v<version>/`, core/releases.py), and the
linked table is audited again. Only what the releases add is reported here;
what the current package reveals on its own is complementary-exact's and
complementary-interval's. A figure revised since a release (the current value
differs) is taken as a correction, not as a second equation.
"""

from __future__ import annotations

from tally.privacy import disclosure
from tally.privacy.checks.complementary import FIX, ComplementaryAudit, cell_text, totals_text, where_text
from tally.privacy.tables import Unlinkable, dataset_tables, link, place_release, release_datasets, with_releases


class LinkedReleases(ComplementaryAudit):
    type = "linked-releases"
    title = "Suppressed cell revealed by an earlier release"
    description = ("Read together with every earlier release of the dataset, no suppressed count can be worked "
                   "out or narrowed down, and no cell is published in one release and suppressed in another.")
    hint = FIX.format(where="the same row or column in this release, so that it matches the earlier one")

    def audit(self, dataset):
        releases = []
        for version, old, problems in release_datasets(dataset):
            if old is None:
                reason = problems[0].message if problems else "it cannot be loaded"
                yield self.problem(dataset, f"the archived release {version} cannot be read, so this release "
                                            f"cannot be audited against it: {reason}",
                                   hint=f"restore releases/v{version}/ as it was published (git log shows it)")
                continue
            releases.append((version, dataset_tables(old)))
        if not releases:
            return
        p = self.parameters(dataset)
        for linked in self.measures(dataset):
            if len(linked.tables) != 1:
                continue  # resources that do not link are audited one by one by the other rules
            current = linked.tables[0]
            earlier = []
            for version, tables in releases:
                if linked.measure not in tables:
                    continue
                for old in link(linked.measure, tables[linked.measure]).tables:
                    earlier.append((version, old))
            if earlier:
                yield from self._audit_measure(dataset, current, earlier, p)

    def _audit_measure(self, dataset, current, earlier, p):
        try:
            combined = with_releases(current, [old for _, old in earlier])
        except Unlinkable as error:
            yield self.problem(dataset, f'"{current.measure}" cannot be read together with its earlier releases: '
                                        f"{error}", field=current.measure,
                               hint="keep the table's dimensions and total levels as they were published")
            return
        yield from self._exposed(dataset, current, earlier)
        if combined.table.cells == current.table.cells:
            return  # the releases add no cell and no figure: nothing new to audit
        known = {f.cells for f in self._findings(current.table, p)}
        for finding in self._findings(combined.table, p):
            if finding.cells in known or finding.rule == "linked-exposed":
                continue
            known.add(finding.cells)  # one problem per cell: exact first, then interval
            key = finding.cells[0]
            totals = totals_text(combined, finding.constraints)
            if finding.rule == "complementary-exact":
                how = "worked out exactly"
            elif finding.rule == "complementary-interval":
                how = f"narrowed down to {finding.range_text()}"
            else:
                how = "checked: the figures of the releases do not add up"
            message = (f'"{current.measure}": read with the earlier release(s), the suppressed cell '
                       f"{cell_text(combined, key)} can be {how} from {totals}")
            yield self.at(dataset, combined, key, message,
                          hint=FIX.format(where=where_text(combined, finding.constraints)))

    def _findings(self, table, p):
        return disclosure.exact_audit(table) + disclosure.interval_audit(
            table, threshold=p["threshold"], protection_width=p["protection_width"], hidden_min=p["hidden_min"])

    def _exposed(self, dataset, current, earlier):
        """Cells hidden now and published in a release, or the other way round."""
        reported = set()
        for version, old in earlier:
            placed = place_release(old.table, current.table).cells
            for key, value in sorted(placed.items(), key=lambda kv: [str(v) for v in kv[0]]):
                if key not in current.table.cells or key in reported:
                    continue
                now = current.table.cells[key]
                if (now is None) == (value is None):
                    continue
                reported.add(key)
                if now is None:
                    message = (f'"{current.measure}": the cell {cell_text(current, key)} is suppressed now but was '
                               f"published in release {version}, so hiding it protects nothing")
                    hint = ("publish the figure as it was released; if a correction makes it small, ask the "
                            "privacy lead before going further (README, \"Correcting published figures\")")
                else:
                    message = (f'"{current.measure}": the cell {cell_text(current, key)} is published now but was '
                               f"suppressed in release {version}; with that release's totals it can give away "
                               "the cells it protected")
                    hint = "keep it suppressed (empty, with S) as it was in the earlier release"
                yield self.at(dataset, current, key, message, hint=hint)
