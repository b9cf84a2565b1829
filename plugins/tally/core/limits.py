"""Limits on a package's size and shape, checked before anything parses it whole (issue 14, problem 4).

A YAML alias bomb and a 50 MB header line each took 10 GB of memory; 10,000
levels of JSON nesting ended in a RecursionError naming no file. The descriptor's
size is checked before it is read, YAML is read by a loader that refuses aliases,
and each data file is scanned line by line in bounded pieces (never a whole line
longer than the limit in memory) before Frictionless opens it. The limits are
TALLY_* settings (core/settings.py); each refusal names the file and the setting.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import yaml

from tally.core.errors import LimitExceeded
from tally.core.paths import quoted

__all__ = ["LimitExceeded", "NoAliasLoader", "check_size", "nesting", "scan_table"]


class NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: `*name` can expand a few lines into billions of nodes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a descriptor", mark)
        return super().compose_node(parent, index)


def nesting(value) -> int:
    """How deep objects and lists go in `value` (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
    return deepest


def check_size(path: Path, settings: dict) -> None:
    """Raise LimitExceeded when a resource's file is larger than TALLY_MAX_RESOURCE_BYTES.

    Asked of the file system, before a byte is read: the largest table the site accepts is a
    setting, so the memory a build needs is bounded by design (issue 12), not by what a
    pull request happens to hold.
    """
    size, most = Path(path).stat().st_size, settings["TALLY_MAX_RESOURCE_BYTES"]
    if size > most:
        raise LimitExceeded(f"the file is {size:,} bytes, more than {most:,}", "TALLY_MAX_RESOURCE_BYTES")


def scan_table(path: Path, settings: dict, encoding: str = "utf-8", delimiter: str = ",") -> None:
    """Raise LimitExceeded when a delimited file breaks a line, cell, row or column limit."""
    max_line = settings["TALLY_MAX_LINE_BYTES"]
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    except LookupError:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    # csv gathers a quoted cell across lines until its field limit: hold it to the cell limit
    # while scanning, so a 50 MB cell stops at 10,000 characters (the limit is global: restored after).
    previous = csv.field_size_limit(settings["TALLY_MAX_CELL_CHARS"] + 1)
    with open(path, "rb") as handle:
        lines = _bounded_lines(handle, max_line, decoder)
        reader = csv.reader(lines, delimiter=delimiter if len(delimiter) == 1 else ",")
        header, number = None, 1
        try:
            for number, row in enumerate(reader, start=1):
                _check_row(row, number, header, settings)
                header = header or row
        except csv.Error:  # a cell larger than the limit set above
            raise LimitExceeded(f"row {number + 1} has a cell longer than {settings['TALLY_MAX_CELL_CHARS']:,} "
                                "characters", "TALLY_MAX_CELL_CHARS", row=number + 1) from None
        finally:
            csv.field_size_limit(previous)


def _check_row(row: list[str], number: int, header, settings: dict) -> None:
    if number - 1 > settings["TALLY_MAX_ROWS"]:  # the header is not a row of data
        raise LimitExceeded(f"more than {settings['TALLY_MAX_ROWS']:,} rows", "TALLY_MAX_ROWS", row=number)
    if len(row) > settings["TALLY_MAX_COLUMNS"]:
        raise LimitExceeded(f"{len(row):,} columns, more than {settings['TALLY_MAX_COLUMNS']:,}",
                            "TALLY_MAX_COLUMNS", row=number)
    for index, cell in enumerate(row):
        if len(cell) > settings["TALLY_MAX_CELL_CHARS"]:
            name = header[index] if header and index < len(header) else f"column {index + 1}"
            raise LimitExceeded(f'a cell of {len(cell):,} characters (starting "{quoted(cell, 30)}"), more than '
                                f'{settings["TALLY_MAX_CELL_CHARS"]:,}', "TALLY_MAX_CELL_CHARS", row=number,
                                field=quoted(name))


def _bounded_lines(handle: io.BufferedReader, limit: int, decoder):
    """Yield the file's lines decoded; raise LimitExceeded for a line longer than `limit` bytes.

    `readline(limit + 1)` never holds more than limit + 1 bytes, whatever the file holds.
    """
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
            raise LimitExceeded(f"line {number} is longer than {limit:,} bytes", "TALLY_MAX_LINE_BYTES", row=number)
        yield decoder.decode(line)
