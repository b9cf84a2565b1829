"""A change or year-to-date column is declared so the site-wide system can model it (issue 10).

`tally:kind: change` (this period less the one before) and `tally:kind:
year-to-date` (the periods of the year so far) are exact sums of one count over
periods, so privacy/system.py adds each published figure as an equation and
linked-tables audits what it gives away. That needs the column to name exactly
one count of its resource, the resource to have a period, and every period a
published figure is computed from to be in the system: the change of the first
quarter gives back the quarter before it, which no table holds, so it is
refused (leave it empty with N). And the column must be what it says: wherever
the counts a published figure is computed from are all published, the figure
is their change (or year-to-date). A change of another count was modelled on
the one it named, where no equation reads it, while a reader read it on the
count it really follows (red team, session 3).
"""

from __future__ import annotations

from tally.core.dataset import LINEAR_KINDS
from tally.core.report import Problem
from tally.privacy.checks.base import SiteAudit
from tally.privacy.checks.site import site_context


class DerivedColumns(SiteAudit):
    type = "derived-columns"
    title = "Change or year-to-date column that cannot be modelled"
    description = ("A `change` or `year-to-date` column names exactly one count of its resource in "
                   "`tally:derivedFrom`, its resource has a period dimension, and every period a published figure "
                   "is computed from (the period before, for a change; the year's earlier periods, for a "
                   "year-to-date) has a row in some table of the same population; where those rows are all "
                   "published, the figure is their change or year-to-date.")
    hint = ("name the one count it is computed from in `tally:derivedFrom`; leave a figure whose earlier period "
            "is published nowhere empty, with N in its annotation")
    needs_valid_data = True

    def audit_site(self, datasets, context):
        for dataset in datasets:
            for resource in dataset.tabular_resources:
                has_period = any(f.is_time for f in resource.fields if f.role == "dimension")
                for f in resource.fields:
                    if f.role != "measure" or f.kind not in LINEAR_KINDS:
                        continue
                    sources = [resource.field(n) for n in f.derived_from if isinstance(n, str)]
                    if len(sources) != 1 or sources[0] is None or not sources[0].is_count:
                        yield self.problem(dataset, f'resource "{resource.name}": {f.kind} column "{f.name}" must '
                                                    "name exactly one count of the resource in "
                                                    "`tally:derivedFrom`", resource=resource, field=f.name)
                    elif not has_period:
                        yield self.problem(dataset, f'resource "{resource.name}": {f.kind} column "{f.name}" needs '
                                                    "a period dimension (`tally:period`)", resource=resource,
                                           field=f.name, hint="add the period, or leave the column out")
        site_context(datasets, self.settings, context)
        for _, system in sorted(context["systems"].items()):
            for orphan in system.orphans:
                p = orphan.piece
                column = next(d for d in p.derived if d.name == orphan.column)
                yield Problem(rule=self.type, dataset=p.dataset, file=p.file, resource=p.resource,
                              row=column.rows.get(orphan.key), field=orphan.column, hint=self.hint,
                              message=f'{p.label}: the column "{orphan.column}" publishes a figure computed from '
                                      f"{orphan.period}, which no table of the population holds, so the figure "
                                      "gives that period's count away")
            yield from self._disagreeing(system)

    def _disagreeing(self, system):
        """A published figure that is not what the published counts it names give."""
        cells = system.audit_table.cells
        for equation in system.equations:
            values = [cells.get(k) for k in equation.keys()]
            if any(v is None for v in values) or abs(values[0] - sum(values[1:])) < 1e-9:
                continue
            own = next(k for k in equation.keys() if k in system.known)
            kind, name = equation.dimension.split(":", 1)
            for p, key in system.origins.get(own, [])[:1]:
                column = next(d for d in p.derived if d.name == name)
                yield Problem(rule=self.type, dataset=p.dataset, file=p.file, resource=p.resource,
                              row=column.rows.get(key), field=name, message=(
                                  f'{p.label}: the {kind} column "{name}" is not the {kind} of "{p.measure}", '
                                  "which it names, where both are published"),
                              hint=f'name in `tally:derivedFrom` the count "{name}" is the {kind} of, or correct it')
