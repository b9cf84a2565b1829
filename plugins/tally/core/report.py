"""Validation results as data: a Report of Problems, never printed here.

Frictionless errors and Tally's own rule errors both become `Problem`s so that
the command line, the Pelican build and the tests read one shape
(frictionless-py's Report, flattened).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from tally.core.paths import quoted

RELEASES_FOLDER = "releases"  # <dataset>/releases/v<version>/ holds each published release (core/releases.py)

# How to fix the Frictionless errors staff meet most; Tally's own rules carry
# their hint on the error class.
FRICTIONLESS_HINTS = {
    "type-error": "write the value in the field's type (see the data dictionary) or leave it empty",
    "constraint-error": "use a value the field's constraints allow (see constraints in the schema)",
    "missing-label": "add the missing column to the CSV header or remove the field from the schema",
    "extra-label": "add this column to the schema or remove it from the CSV",
    "incorrect-label": "rename the CSV column or the schema field so they match, in the same order",
    "missing-cell": "this row has fewer values than the header: add the missing value (empty is fine)",
    "extra-cell": "this row has more values than the header: remove the extra value or quote a comma",
    "blank-row": "remove the blank row",
    "primary-key": "each row must have a unique, non-empty primary key",
    "foreign-key": "use a value that exists in the referenced resource",
    "duplicate-label": "give every column a distinct name",
    "encoding-error": "save the file as UTF-8",
    "scheme-error": "check that the file exists at the resource's path",
    "byte-count": "update or remove the resource's `bytes` property",
    "hash-count": "update or remove the resource's `hash` property",
    "package-error": "fix the descriptor as the message says (see docs/conventions.md)",
    "resource-error": "fix the resource descriptor as the message says (see docs/conventions.md)",
    "schema-error": "fix the Table Schema as the message says",
    "field-error": "fix the field definition as the message says",
}


def dataset_file(folder, path) -> str:
    """`path` relative to its dataset's folder, as a Problem names it ("data/x.csv").

    An archived release (<dataset>/releases/v1.0.0/) is named from the dataset's own folder,
    so a problem in it reads "releases/v1.0.0/data/x.csv". Problems never carry absolute
    paths: the same package validated from another folder (a staging copy, CI's clone, another
    working folder) gives the same report, and only the command line decides how to show it.
    """
    folder = Path(folder).resolve()
    if folder.parent.name == RELEASES_FOLDER:
        folder = folder.parent.parent
    try:
        return Path(path).resolve().relative_to(folder).as_posix()
    except ValueError:
        return Path(path).name


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one dataset, located as precisely as it can be."""

    rule: str  # kebab-case slug: a Frictionless error type or a Tally rule
    message: str  # one sentence; never contains a raw count below the threshold
    dataset: str  # the dataset's folder name
    file: str | None = None  # relative to the dataset's folder (core.report.dataset_file)
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    hint: str = ""

    def location(self, datasets_folder=None) -> str:
        """Return 'file, row N, field "x"' with whatever parts are known, safe to print on one line.

        With `datasets_folder`, the file is named from there (datasets/<name>/data/x.csv).
        """
        where = f"{self.dataset}/{self.file}" if self.file else self.dataset
        if datasets_folder is not None:
            where = str(Path(datasets_folder) / where)
        parts = [quoted(where, 300)]  # a folder name may hold a newline
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f'field "{quoted(self.field)}"')
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_frictionless(cls, error, *, dataset: str, file: str | None, resource: str | None):
        """Convert a frictionless Error, keeping position but dropping the row's raw cells."""
        hint = getattr(error, "hint", "") or FRICTIONLESS_HINTS.get(error.type, "")
        return cls(
            rule=error.type,
            message=clipped(error.message),
            dataset=dataset,
            file=file,
            resource=resource,
            row=getattr(error, "row_number", None),
            field=quoted(getattr(error, "field_name", None) or getattr(error, "label", None) or "") or None,
            hint=hint,
        )


QUOTED = re.compile(r'"([^"]*)"')


def clipped(message: str) -> str:
    """A message with every quoted value cut to a short prefix and control characters escaped.

    Frictionless quotes the cell and the header it read: a 50 MB cell or a field name
    holding a newline must not become a 50 MB line, or two lines, of a report (issue 14).
    """
    return quoted(QUOTED.sub(lambda m: f'"{quoted(m.group(1))}"', str(message)), 1000)


@dataclass
class Report:
    """Problems found in a set of datasets; `valid` when there are none."""

    datasets: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def for_dataset(self, name: str) -> list[Problem]:
        return [p for p in self.problems if p.dataset == name]

    def flatten(self, keys=("dataset", "row", "field", "rule")) -> list[list]:
        """Return one list of the named attributes per problem (for one-line test assertions)."""
        return [[getattr(p, k) for k in keys] for p in self.problems]

    def summary(self) -> str:
        if self.valid:
            return f"{len(self.datasets)} dataset(s) valid"
        bad = len({p.dataset for p in self.problems})
        return f"{len(self.problems)} problem(s) in {bad} of {len(self.datasets)} dataset(s)"

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "summary": self.summary(),
            "datasets": self.datasets,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class Outcome:
    """What one command did, or what stopped it: the one shape `--json` prints for every outcome.

    A success carries the command's `result` (a dict from its result object's `to_dict`, which
    leaves out every figure) and a failure the `Report` of the problems that stopped it; both
    carry the same keys, so a script reads `ok` first and never guesses the shape. The Report's
    own keys (`valid`, `summary`, `datasets`, `problems`) stay at the top level, as `validate
    --json` printed them before the envelope existed (docs/cli.md).
    """

    command: str
    ok: bool
    summary: str  # the `ok: ...` or `error: ...` line, without its prefix
    result: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the command noticed on the way (`note:` lines)
    next: str = ""  # the next command of the workflow, when there is one
    report: Report = field(default_factory=Report)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "command": self.command,
            "summary": self.summary,
            "result": self.result,
            "notes": list(self.notes),
            "next": self.next,
            "valid": self.report.valid,
            "datasets": self.report.datasets,
            "problems": [p.to_dict() for p in self.report.problems],
        }
