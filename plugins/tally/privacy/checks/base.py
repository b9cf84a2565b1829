"""Base classes for Tally's rules: row checks run inside frictionless, audits run per package.

A rule is one small class in `checks/<rule>.py` (frictionless-py's
`checks/cell/forbidden_value.py` is the model). Its `type` is the kebab-case
slug, `title` and `description` explain the rule in one sentence each, and
`hint` says how to fix it; docs/rules.md is generated from these.
"""

from __future__ import annotations

from typing import ClassVar, Iterable

import attrs
from frictionless import Check, errors

from tally.core.dataset import Field
from tally.core.report import Problem, dataset_file

PROFILES = ("sensitive", "open")


class RuleError(errors.CellError):
    """A Tally rule broken at one cell; subclasses set type, title, description, template and hint.

    Row checks are frictionless `Check` subclasses that declare `Errors = [TheirError]`
    and yield `TheirError.from_row(row, note=..., field_name=...)`.
    """

    hint: ClassVar[str] = ""

    @classmethod
    def from_row(cls, row, *, note: str, field_name: str):
        """The error at `field_name` of `row`, without the row's values.

        frictionless keeps the cell and the whole row on a CellError; a small count must
        not travel in an error object (DESIGN.md: never in a log), so Tally's rules keep
        only the position.
        """
        number = row.field_names.index(field_name) + 1 if field_name in row.field_names else 0
        return cls(note=note, cells=[], row_number=row.row_number, cell="", field_name=field_name,
                   field_number=number)


@attrs.define(kw_only=True, repr=False)
class RowCheck(Check):
    """A rule judged row by row inside frictionless's single pass over each table.

    `validate_start` resolves the connected resource's fields as Tally reads them
    (`self.fields`, roles inferred as model.Field does) and calls `start()`.
    """

    type: ClassVar[str] = "row-check"
    hint: ClassVar[str] = ""
    profiles: ClassVar[tuple[str, ...]] = PROFILES  # the rule sets this rule belongs to

    @classmethod
    def for_dataset(cls, dataset, settings: dict):
        """An instance configured for `dataset` (validation.py calls this)."""
        return cls()

    def validate_start(self):
        schema = self.resource.schema
        self.fields = [Field(f.to_descriptor()) for f in schema.fields] if schema else []
        return self.start() or []

    def start(self):
        """Prepare per-resource state; may yield errors."""

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)


@attrs.define(kw_only=True)
class Audit:
    """A rule judged over a whole loaded dataset (its schema, views or all its tables)."""

    type: ClassVar[str] = "audit"
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    hint: ClassVar[str] = ""
    profiles: ClassVar[tuple[str, ...]] = PROFILES  # the rule sets this rule belongs to
    needs_valid_data: ClassVar[bool] = False  # True: skipped while the tables do not parse

    settings: dict

    def audit(self, dataset) -> Iterable[Problem]:
        """Yield a Problem for every breach of this rule in `dataset`."""
        return []

    def problem(self, dataset, message: str, *, resource=None, row=None, field=None, hint=None) -> Problem:
        file = resource.file if resource is not None else dataset.descriptor_file
        resource = resource.name if resource is not None else None
        return Problem(rule=self.type, message=message, dataset=dataset.slug, file=dataset_file(dataset.folder, file),
                       resource=resource, row=row, field=field, hint=hint or self.hint)



@attrs.define(kw_only=True)
class SiteAudit(Audit):
    """A rule judged over every dataset of the site at once (issue 10: the site-wide system).

    `context` is shared by the site audits of one validation run, so the system is built once.
    """

    def audit_site(self, datasets, context: dict) -> Iterable[Problem]:
        """Yield a Problem for every breach of this rule across `datasets`."""
        return []

    def at_piece(self, piece, message: str, *, key=None, hint=None) -> Problem:
        """A Problem located at a site-wide table (and the row of `key` in it, when known)."""
        _, row = piece.table.place(key) if key is not None else (None, None)
        return Problem(rule=self.type, message=message, dataset=piece.dataset, file=piece.file,
                       resource=piece.resource, row=row, field=piece.measure, hint=hint or self.hint)
