"""The annotation codes a dataset may use, and how a cell reads with each (docs/conventions.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # how a table shows an empty cell with this code
    meaning: str
    empty: bool  # True when the measure cell must be empty


CODES = {c.code: c for c in (
    Code("S", "Suppressed", "suppressed to protect privacy", True),
    Code("N", "Not available", "no data was collected for this cell", True),
    Code("P", "Provisional", "provisional: may be revised next release", False),
    Code("R", "Revised", "revised since the previous release", False),
)}
SUPPRESSED = "S"
EMPTY_CODES = tuple(c for c, v in CODES.items() if v.empty)


def cell_label(value, code) -> str | None:
    """What a table shows for an empty measure cell: "Suppressed", "Not available", or None."""
    if value is not None:
        return None
    entry = CODES.get(code or "")
    return entry.label if entry and entry.empty else "Not available"
