"""Every exception Tally raises, in one place. publish.py turns them into one-line messages.

Each derives from TallyError, so the command line catches one class; the ones that
were ValueErrors (periods, links) stay ValueErrors too, for the callers that expect that.
"""

from __future__ import annotations


class TallyError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class SettingsError(TallyError):
    """A TALLY_* setting is missing, of the wrong type or below the floor."""


class ValidationFailed(TallyError):
    """Validation found errors; carries the report so callers can render it."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.summary())


class BuildError(TallyError):
    """The site could not be built; the previous output was left untouched."""


class Untranslatable(TallyError):
    """A chart view written for another tool (Observable Plot) that no house chart draws faithfully."""


class NoMap(TallyError):
    """A GeoJSON resource that no map can be drawn from (site/maps.py), with the reason."""


class PeriodError(TallyError, ValueError):
    """A period that cannot be read, with the reason in plain words.

    `rule` says the same without the text that was read, for messages about a
    spreadsheet cell (a cell's text is never echoed: it may be a count).
    """

    def __init__(self, message: str, rule: str | None = None, readings: tuple = ()):
        super().__init__(message)
        self.rule = rule or message
        self.readings = readings


class Unlinkable(TallyError, ValueError):
    """An earlier release's table cannot be placed in the current table's cell space."""


class CodeListError(TallyError, ValueError):
    """A code list file in codelists/ is not written as docs/conventions.md says."""


class TablesUnlinkable(TallyError, ValueError):
    """Two tables of one population cannot be placed in one site-wide system (issue 10); names both."""

    def __init__(self, first, second, reason: str):
        self.first, self.second, self.reason = first, second, reason
        super().__init__(f"{first.label} and {second.label} {reason}")


class LinkConflict(TallyError, ValueError):
    """Linked tables publish different values for the same cell."""

    def __init__(self, keys, shown: str):
        self.keys = keys
        super().__init__(f"linked tables disagree on {len(keys)} cell(s): {shown}")


class MagnitudeError(TallyError, ValueError):
    """A published count is too large for the interval audits to handle exactly (issue 16); names the cell."""

    def __init__(self, key, message: str):
        self.key = key
        super().__init__(message)


class BudgetExceeded(TallyError):
    """The guessing proof needed more search steps than TALLY_AUDIT_MAX_ASSIGNMENTS (caught inside the audit)."""


class SheetError(TallyError):
    """The spreadsheet cannot be read as one table; the message says which file and sheet, and why."""


class IntakeError(TallyError):
    """The spreadsheet cannot become publishable rows; lists every problem found, by row and column."""

    SHOWN = 20  # problems listed before "... and N more"

    def __init__(self, source: str, problems: list[str], hint: str = ""):
        self.source = source
        self.problems = problems
        shown = problems[:self.SHOWN]
        if len(problems) == 1:
            text = f"{source}: {problems[0]}"
        else:
            text = f"{len(problems)} problems in {source}:\n" + "\n".join(f"  - {p}" for p in shown)
            if len(problems) > len(shown):
                text += f"\n  ... and {len(problems) - len(shown)} more"
        if hint:
            text += f"\n  how to fix: {hint}"
        text += "\n  nothing was written"
        super().__init__(text)


class SuppressionError(TallyError):
    """The raw table cannot be made publishable; the message names the file, row and column."""


class NotWritten(SuppressionError):
    """The publishable table fails validation and was not written into the repository; carries the report."""

    def __init__(self, message: str, report):
        self.report = report
        super().__init__(message)


class ReleaseError(TallyError):
    """The dataset cannot be released as asked; the message says why and what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message + (f"\n  how to fix: {hint}" if hint else "") + "\n  nothing was written")


class DiffError(TallyError):
    """git could not answer (not a repository, unknown revision)."""


class TemplateError(TallyError):
    """The template cannot be written; the message says why."""


class ScaffoldError(TallyError):
    """The dataset cannot be scaffolded; the message says why."""


class WriteFailed(TallyError):
    """A staff command's files could not be written (disk full, permissions); says which and what state it left."""


class AliasError(TallyError):
    """`tally:aliases` says something intake cannot use; the message names the field and the alias."""


class UnsafePath(TallyError):
    """A path built from package content would land outside its folder (core/paths.safe_join)."""


class LimitExceeded(TallyError):
    """A file is larger than a TALLY_MAX_* limit allows; `setting` names it, `row` and `field` say where."""

    def __init__(self, message: str, setting: str, row: int | None = None, field: str | None = None):
        super().__init__(message)
        self.setting, self.row, self.field = setting, row, field
