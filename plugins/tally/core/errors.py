"""Tally's exceptions. The core raises these; publish.py turns them into one-line messages."""

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
