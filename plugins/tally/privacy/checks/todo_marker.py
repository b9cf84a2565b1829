"""A dataset is not published while any text in its descriptor still starts with TODO.

`publish.py new` leaves a TODO wherever a person must write something (a title, a
description, a unit) or confirm a guess (a count of people or of things); this rule
keeps such a dataset from validating until every one is filled in.
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit

TODO = "TODO"


def find_todos(value, where: str = "") -> list[tuple[str, str]]:
    """Every string in a descriptor that still starts with TODO, with its JSON path (e.g. `resources[0].title`)."""
    found = []
    if isinstance(value, str):
        if value.lstrip().startswith(TODO):
            found.append((where or "(descriptor)", value))
    elif isinstance(value, dict):
        for key, item in value.items():
            found += find_todos(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += find_todos(item, f"{where}[{index}]")
    return found


class TodoMarker(Audit):
    type = "todo-marker"
    title = "Descriptor still has a TODO"
    description = "No text in the datapackage.json starts with TODO: every placeholder `publish.py new` left is filled in."
    hint = "replace the TODO text with the real value (see docs/conventions.md for what each property means)"
    profiles = ("sensitive",)  # packages from elsewhere may say TODO in their own words

    def audit(self, dataset):
        for where, text in find_todos(dataset.descriptor):
            shown = text if len(text) <= 100 else text[:99] + "…"
            yield self.problem(dataset, f'"{where}" still says: {shown}')
