"""A dataset is not published while any text in its descriptor still starts with TODO.

`publish.py new` leaves a TODO wherever a person must write something (a title, a
description, a unit) or confirm a guess (a count of people or of things); this rule
keeps such a dataset from validating until every one is filled in.
"""

from __future__ import annotations

from ..scaffold import find_todos
from .base import Audit


class TodoMarker(Audit):
    type = "todo-marker"
    title = "Descriptor still has a TODO"
    description = "No text in the datapackage.json starts with TODO: every placeholder `publish.py new` left is filled in."
    hint = "replace the TODO text with the real value (see docs/conventions.md for what each property means)"

    def audit(self, dataset):
        for where, text in find_todos(dataset.descriptor):
            shown = text if len(text) <= 100 else text[:99] + "…"
            yield self.problem(dataset, f'"{where}" still says: {shown}')
