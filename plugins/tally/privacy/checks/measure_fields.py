"""A count or derived measure names its annotation field, and a derived one its source counts.

Other rules rely on these links: annotation-consistency reads the annotation to
tell a suppressed cell from a missing one, derived-suppressed reads
`tally:derivedFrom` to hide a rate with its count.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit


class MeasureFields(Audit):
    type = "measure-fields"
    title = "Measure names a missing annotation or source field"
    description = ("Every count and derived measure names in `tally:annotation` a field of the same resource with "
                   "role annotation; every derived measure names in `tally:derivedFrom` count fields of that resource.")
    hint = "correct the field name, or add the annotation field (see docs/conventions.md)"

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                if not (f.is_count or f.is_derived):
                    continue
                note = resource.field(f.annotation) if f.annotation else None
                if not f.annotation:
                    yield self._problem(dataset, resource, f, f'{f.kind} measure "{f.name}" names no annotation '
                                        "field in `tally:annotation`",
                                        hint=f'add a string field "{f.name}_flag" with role annotation and '
                                             f'name it in `tally:annotation`')
                elif note is None:
                    yield self._problem(dataset, resource, f, f'"{f.name}" names annotation field "{f.annotation}", '
                                                               "which the resource does not have")
                elif note.role != "annotation":
                    yield self._problem(dataset, resource, f, f'"{f.name}" names "{f.annotation}" as its annotation, '
                                                               f'but that field has role "{note.role}"',
                                        hint=f'give "{f.annotation}" `tally:role: annotation`')
                if f.is_derived:
                    yield from self._sources(dataset, resource, f)

    def _sources(self, dataset, resource, f):
        sources = f.descriptor.get("tally:derivedFrom")
        if not isinstance(sources, list) or not sources:
            yield self._problem(dataset, resource, f, f'{f.kind} "{f.name}" names no source counts in '
                                                       "`tally:derivedFrom`",
                                hint="list the count fields it is computed from, e.g. [\"completed\", \"enrolled\"]")
            return
        for name in sources:
            source = resource.field(name) if isinstance(name, str) else None
            if source is None:
                yield self._problem(dataset, resource, f, f'"{f.name}" is derived from "{name}", which the '
                                                           "resource does not have")
            elif not source.is_count:
                yield self._problem(dataset, resource, f, f'"{f.name}" is derived from "{name}", which is not a '
                                                           "count (`tally:kind: count`)",
                                    hint="name only count fields in `tally:derivedFrom`")

    def _problem(self, dataset, resource, f, message, hint=None):
        return self.problem(dataset, f'resource "{resource.name}": {message}', field=f.name, hint=hint)
