"""A dimension that names a shared code list uses its levels and its total (issue 10).

The lists in `codelists/` (docs/conventions.md, "Code lists") say which levels
exist and how they add up; the privacy gate links tables through them. A level
the list does not have, or a total other than the list's, cannot be linked.
"""

from __future__ import annotations

from tally.core.codelists import load_codelists
from tally.privacy.checks.base import Audit
from tally.privacy.small_numbers import has_small_count


class CodeListLevels(Audit):
    type = "codelist"
    title = "Dimension does not match its code list"
    description = ("A dimension with `tally:codelist` names a list in codelists/, uses only that list's levels, "
                   "and its `tally:total`, if any, is the list's total.")
    hint = "use the level names of the list exactly (see codelists/<name>.json), or add the level to the list"
    declarative = True

    def audit(self, dataset):
        lists = load_codelists()
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                name = f.get("tally:codelist")
                if f.role != "dimension" or name is None:
                    continue
                code_list = lists.get(name) if isinstance(name, str) else None
                where = f'resource "{resource.name}", dimension "{f.name}"'
                if code_list is None:
                    yield self.problem(dataset, f'{where} names code list "{name}", which codelists/ does not have '
                                                f"(lists: {', '.join(sorted(lists))})", resource=resource,
                                       field=f.name)
                    continue
                unknown = [level for level in f.levels if level not in code_list.levels]
                if unknown:
                    yield self.problem(dataset, f'{where}: level(s) {", ".join(_shown(u) for u in unknown)} are not '
                                                f'in code list "{name}"', resource=resource, field=f.name)
                if f.total is not None and f.total != code_list.total:
                    yield self.problem(dataset, f'{where}: `tally:total` is "{f.total}" but the total of code list '
                                                f'"{name}" is "{code_list.total}"', resource=resource, field=f.name)


def _shown(level: str) -> str:
    # A level name that writes a count is text-small-number's to report; never repeat it.
    return "(one level)" if has_small_count(level, 1000) else repr(level)
