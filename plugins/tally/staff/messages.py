"""What staff commands say about a spreadsheet: where (row, column) and which rule, never what a cell holds.

A raw spreadsheet holds small counts. A message that quotes a cell ("4" is not
one of ...) prints one to a terminal, a CI log or a pasted support request
(issue 13, problem 3). So intake and suppress build every cell message here:
it names the row as staff see it, the column letter and the field's title,
the rule broken and how to fix it, and takes no cell text at all.

Header labels may be quoted (staff need to see which column is meant), but
only when they cannot be a figure: a label with a digit in it is named by its
column letter alone, because a header row found in the wrong place is a row of
counts.
"""

from __future__ import annotations

import re

DIGIT = re.compile(r"\d")
LONGEST_LABEL = 60  # a header label longer than this is cut: it is a note, not a column name


def where(row: int | None, column: str | None = None, title: str | None = None) -> str:
    """'row 5, column B "Age band"' (the parts that are known)."""
    parts = []
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column {column}" + (f' "{title}"' if title else ""))
    elif title:
        parts.append(f'column "{title}"')
    return ", ".join(parts)


def cell(row: int | None, column: str | None, title: str | None, rule: str, fix: str = "") -> str:
    """One cell's problem: where it is, the rule it breaks, how to fix it. No cell text goes in."""
    text = f"{where(row, column, title)}: {rule}"
    return f"{text}; {fix}" if fix else text


def label(text, column: str | None = None) -> str:
    """A header label as a message may show it: quoted when it holds no digit, else by its column only."""
    shown = " ".join(str(text).split())
    if DIGIT.search(shown):
        return f"the label in column {column}" if column else "a label with figures in it"
    if len(shown) > LONGEST_LABEL:
        shown = shown[:LONGEST_LABEL] + "…"
    quoted = f'"{shown}"'
    return f"{quoted} (column {column})" if column else quoted


def levels(values, most: int = 12) -> str:
    """The levels a column allows, for a fix: the schema's words, never the sheet's."""
    values = [str(v) for v in values]
    shown = ", ".join(values[:most])
    return shown + (f" (and {len(values) - most} more)" if len(values) > most else "")


def fold(problems: list[tuple], after: int = 3) -> list[str]:
    """Cell problems (row, column, title, rule) as lines; one rule broken in more than `after` rows of a
    column is one line naming the rows (a text date in 25 rows was 25 identical lines, issue 13)."""
    groups: dict[tuple, list[int]] = {}
    for row, column, title, rule in problems:
        groups.setdefault((column, title, rule), []).append(row)
    lines = []
    for (column, title, rule), rows in sorted(groups.items(), key=lambda item: min(item[1])):
        if len(rows) > after:
            lines.append(f"{_rows_text(rows)}, {where(None, column, title)}: {rule}")
        else:
            lines.extend(cell(row, column, title, rule) for row in rows)
    return lines


def _rows_text(rows: list[int]) -> str:
    """'rows 2 to 26', or 'rows 2 to 5, 9 and 12 to 14' (ranges of consecutive rows)."""
    spans, start, last = [], None, None
    for row in sorted(set(rows)):
        if start is not None and row == last + 1:
            last = row
            continue
        if start is not None:
            spans.append((start, last))
        start = last = row
    spans.append((start, last))
    parts = [f"{a} to {b}" if b > a else str(a) for a, b in spans]
    return "rows " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])
