"""Shared code lists: the levels a dimension draws from, and how they add up (issue 10).

One JSON file per list in the repository's `codelists/` folder (docs/conventions.md,
"Code lists"). A dimension names its list with `tally:codelist`; every level it
uses must be in the list. A level with `parts` is the sum of those levels
("All ages" = Under 12 + 12-17 + Unknown age; "12-17" = 12-14 + 15-17; County =
its regions = their stations), which is what lets the privacy gate link tables
that break the same people down differently, in any package or release.
`new`, `intake`, the template and the pages read the same lists.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from tally.core.errors import CodeListError

CODELISTS_FOLDER = Path(__file__).resolve().parents[3] / "codelists"


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    description: str
    levels: tuple[str, ...]
    parts: dict = field(default_factory=dict)  # level -> tuple of the levels it is the sum of
    total: str | None = None  # the level that is every other level

    def expand(self, level: str, present) -> tuple[str, ...] | None:
        """The parts of `level` written with levels in `present`: a missing part is replaced by its own parts.

        A missing level without parts is left out (it is taken as 0, as a table that
        does not list a level says it has none). None when `level` has no parts.
        """
        if level not in self.parts:
            return None
        out = []
        for part in self.parts[level]:
            if part in present:
                out.append(part)
            else:
                out.extend(self.expand(part, present) or ())
        return tuple(out)

    def leaves(self, level: str) -> frozenset:
        """The levels without parts that make up `level` (itself when it has none)."""
        if level not in self.parts:
            return frozenset([level])
        return frozenset().union(*(self.leaves(p) for p in self.parts[level]))


def parse(data: dict, source: str = "code list") -> CodeList:
    """A CodeList from its JSON object; CodeListError names what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise CodeListError(f"{source}: needs a \"name\"")
    levels, parts = [], {}
    for entry in data.get("levels") or []:
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, str) or value in levels:
            raise CodeListError(f"{source}: every level needs a distinct string \"value\"")
        levels.append(value)
        if entry.get("parts"):
            parts[value] = tuple(entry["parts"])
    for level, children in parts.items():
        unknown = [c for c in children if c not in levels]
        if unknown:
            raise CodeListError(f'{source}: level "{level}" has parts that are not levels: {unknown}')
    seen = set()

    def walk(level, path):
        if level in path:
            raise CodeListError(f'{source}: level "{level}" is part of itself')
        for child in parts.get(level, ()):
            walk(child, path | {level})
        seen.add(level)

    for level in levels:
        walk(level, frozenset())
    total = data.get("total")
    if total is not None and total not in parts:
        raise CodeListError(f'{source}: the total "{total}" must be a level with parts')
    return CodeList(data["name"], str(data.get("title") or data["name"]), str(data.get("description") or ""),
                    tuple(levels), parts, total)


@functools.lru_cache(maxsize=8)
def _load(folder: str) -> dict:
    lists = {}
    for path in sorted(Path(folder).glob("*.json")):
        code_list = parse(json.loads(path.read_text(encoding="utf-8")), path.name)
        if code_list.name != path.stem:
            raise CodeListError(f'{path.name}: "name" must be the file name ("{path.stem}")')
        lists[code_list.name] = code_list
    return lists


def load_codelists(folder=None) -> dict[str, CodeList]:
    """Every code list in `folder` (the repository's codelists/ by default), by name."""
    return _load(str(folder or CODELISTS_FOLDER))


def codelist_of(field, lists=None) -> CodeList | None:
    """The code list a dimension field names in `tally:codelist`, or None (also when the name is unknown)."""
    name = field.get("tally:codelist")
    return (lists if lists is not None else load_codelists()).get(name) if isinstance(name, str) else None
