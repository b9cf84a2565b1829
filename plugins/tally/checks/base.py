"""Base classes for Tally's rules: row checks run inside frictionless, audits run per package.

A rule is one small class in `checks/<rule>.py` (frictionless-py's
`checks/cell/forbidden_value.py` is the model). Its `type` is the kebab-case
slug, `title` and `description` explain the rule in one sentence each, and
`hint` says how to fix it; docs/rules.md is generated from these.
"""

from __future__ import annotations

from typing import ClassVar, Iterable

import attrs
from frictionless import errors

from ..report import Problem, shown_path


class RuleError(errors.CellError):
    """A Tally rule broken at one cell; subclasses set type, title, description, template and hint.

    Row checks are frictionless `Check` subclasses that declare `Errors = [TheirError]`
    and yield `TheirError.from_row(row, note=..., field_name=...)`.
    """

    hint: ClassVar[str] = ""


@attrs.define(kw_only=True)
class Audit:
    """A rule judged over a whole loaded dataset (its schema, views or all its tables)."""

    type: ClassVar[str] = "audit"
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    hint: ClassVar[str] = ""

    settings: dict

    def audit(self, dataset) -> Iterable[Problem]:
        """Yield a Problem for every breach of this rule in `dataset`."""
        return []

    def problem(self, dataset, message: str, *, resource=None, row=None, field=None, hint=None) -> Problem:
        file = resource.file if resource is not None else dataset.descriptor_file
        resource = resource.name if resource is not None else None
        return Problem(rule=self.type, message=message, dataset=dataset.slug, file=shown_path(file),
                       resource=resource, row=row, field=field, hint=hint or self.hint)

