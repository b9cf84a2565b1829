"""Names that become paths, and the one join every write goes through.

A dataset folder, a resource name, a view name, a file format and a version all
end up in a file name or a URL. A pull request controls them, so each must match
a strict pattern (issue 14: a resource named "../../../x" wrote outside the
output folder), and every path built from them is joined by `safe_join`, which
refuses anything that would land outside its folder whatever the checks before it
missed: `..`, absolute paths, a NUL byte, a backslash or a symbolic link out.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from tally.core.errors import UnsafePath

__all__ = ["UnsafePath", "checked_parts", "name_problem", "quoted", "safe_join", "safe_relative"]

# A dataset's folder name is its URL, /datasets/<name>/. Upper case is allowed for
# packages published by others (the open profile reads "CT-Data-Collaborative__..." folders).
DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
# Resource and view names become file names (<resource>.csv, charts/<view>.svg).
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
FORMAT = re.compile(r"^[A-Za-z0-9]{1,16}$")  # <resource>.<format> for a file that is not a table
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z+_-]*(\.[0-9A-Za-z+_-]+){0,5}$")  # v<version>/ and the ZIP's folder
# Site pages that live under /datasets/ (the catalog's facets and the list by update,
# site/discovery/facets.py): a dataset folder of one of these names would share its URL.
# "releases" is the archive folder inside a dataset; "search" and "feeds" are kept free
# so a later move of those pages under /datasets/ cannot collide either.
RESERVED_DATASET_NAMES = frozenset({"topic", "frequency", "publisher", "updated", "search", "feeds", "releases",
                                    "charts", "index"})


def safe_join(root, *parts) -> Path:
    """`root` joined with `parts`, resolved; raise UnsafePath unless it stays inside `root`.

    Both are resolved as Path.resolve does (os.path.realpath: every link followed), and
    compared as text: a build joins tens of thousands of paths, and building pathlib
    objects for each one and its parents was a tenth of a rebuild (issue 12).
    """
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, *checked_parts(*parts)))
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        raise UnsafePath(f'"{quoted("/".join(str(p) for p in parts))}" leads outside {base} (through a link)')
    return Path(target)


def safe_relative(*parts) -> str:
    """The parts as one relative POSIX path (a ZIP entry, a URL path); raise UnsafePath if it could escape."""
    return str(PurePosixPath(*checked_parts(*parts)))


def checked_parts(*parts) -> list[str]:
    """Every part as a string, refusing NUL, backslashes, absolute paths and `..` segments."""
    checked = []
    for part in parts:
        text = str(part)
        shown = quoted(text)
        if "\x00" in text:
            raise UnsafePath(f'"{shown}" contains a NUL byte')
        if "\\" in text:
            raise UnsafePath(f'"{shown}" contains a backslash')
        if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
            raise UnsafePath(f'"{shown}" is an absolute path')
        if ".." in PurePosixPath(text).parts:
            raise UnsafePath(f'"{shown}" leaves its folder (..)')
        checked.append(text)
    return checked


def name_problem(value, pattern: re.Pattern = NAME) -> str | None:
    """Why `value` cannot be used as a name in a path or URL, or None when it can."""
    if not isinstance(value, str):
        return f"is {type(value).__name__}, not text"
    if not pattern.match(value):
        return {DATASET_NAME: "must be letters, digits, hyphens and underscores (at most 100), starting with a "
                              "letter or digit",
                NAME: "must be lower-case letters, digits, hyphens and underscores (at most 100), starting with a "
                      "letter or digit",
                FORMAT: "must be 1 to 16 letters or digits",
                VERSION: "must be written like 1.2.0 (letters, digits, dots, hyphens)"}[pattern]
    return None


# Echoed text: a field name or a cell a pull request wrote can be 50 MB long or hold a
# newline that splits the message into a fake second line (issue 14, problem 4).
ECHO_LIMIT = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def quoted(value, limit: int = ECHO_LIMIT) -> str:
    """`value` as text safe to echo in one message line: control characters escaped, cut to `limit`."""
    text = str(value)
    cut = len(text) > limit
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text[:limit])
    return text + ("…" if cut else "")
