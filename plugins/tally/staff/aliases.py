"""Local names for a dataset's categories, declared once in the descriptor (`tally:aliases`).

Staff sheets say "SA4" or "Countywide" where the schema says "Service Area 4" or
"All areas" (issue 13, problem 6). The dataset declares each local name once:

    "tally:aliases": {"service_area": {"SA4": "Service Area 4", "Countywide": "All areas"}}

(field name -> {local name: the schema's level}). intake reads a local name as its
level, in cells and in a cross-tab's column headers; template lists them in the
workbook's drop-downs and notes. An alias naming no level is refused: it would
turn a typo into a silent mapping.
"""

from __future__ import annotations

import re

from tally.core.dataset import Dataset, Resource
from tally.core.errors import AliasError


def normalized(text) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower()).strip(" :*")


def aliases(dataset: Dataset, resource: Resource) -> dict[str, dict[str, str]]:
    """{field name: {normalized local name: level}} for the resource's dimensions; AliasError when one is wrong."""
    declared = dataset.descriptor.get("tally:aliases") or {}
    if not isinstance(declared, dict):
        raise AliasError(f'{dataset.slug}: "tally:aliases" must map field names to {{local name: category}}')
    found = {}
    for name, mapping in declared.items():
        f = resource.field(name)
        if f is None:
            continue  # another table's field
        if not isinstance(mapping, dict):
            raise AliasError(f'{dataset.slug}: "tally:aliases" of "{name}" must be {{local name: category}}')
        levels = {str(v) for v in f.levels}
        for local, level in mapping.items():
            if str(level) not in levels:
                raise AliasError(f'{dataset.slug}: "tally:aliases" maps "{local}" to "{level}", which is not a '
                                 f'category of "{name}"; use one of: ' + ", ".join(sorted(levels)))
        found[name] = {normalized(local): str(level) for local, level in mapping.items()}
    return found


def local_names(dataset: Dataset, field_name: str) -> dict[str, list[str]]:
    """{level: [local names]} as declared (for the template), in the descriptor's order."""
    mapping = (dataset.descriptor.get("tally:aliases") or {}).get(field_name) or {}
    named: dict[str, list[str]] = {}
    for local, level in mapping.items() if isinstance(mapping, dict) else ():
        named.setdefault(str(level), []).append(str(local))
    return named
