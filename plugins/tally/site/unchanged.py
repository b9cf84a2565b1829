"""Files a build would write exactly as the published site already has them: kept, not written (issue 12).

A build writes the new site into a temporary folder and swaps it in whole. A file whose
bytes are the published file's is made a hard link to that file instead, so it keeps its
inode and modification time: after the swap a rebuild with nothing changed has written no
file, and a static host or rsync that compares times uploads only what changed.

Two moments do this. The generator, before writing any file of its own (a page, download,
chart or card), compares its bytes with the published file's and links that file when they
match: no write, and nothing for the second pass to read again. After Pelican has run,
`keep_unchanged` does the same for what Pelican wrote itself (the Markdown pages, the
theme's files). Where hard links are not possible (another file system), the new files
simply stand.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

from tally.core.errors import UnsafePath
from tally.core.paths import safe_join


def published_twin(published: Path | None, relative: str) -> Path | None:
    """The published site's file at `relative`, if it is a plain file inside the published folder."""
    if published is None:
        return None
    try:
        path = safe_join(published, relative)
    except UnsafePath:
        return None  # a link planted in the published folder: never followed
    return path if path.is_file() and not path.is_symlink() else None


def link_if_unchanged(path: Path, twin: Path | None, data: bytes | None = None, file: Path | None = None) -> bool:
    """Link `twin` at `path` when it holds exactly `data` (or `file`'s bytes); False if anything differs or fails."""
    if twin is None:
        return False
    try:
        size = len(data) if data is not None else os.stat(file).st_size
        if twin.stat().st_size != size:
            return False
        same = twin.read_bytes() == data if data is not None else filecmp.cmp(twin, file, shallow=False)
        if not same:
            return False
        os.link(twin, path)
        return True
    except OSError:
        return False  # another file system, or a file gone: write it as usual


def keep_unchanged(new: Path, old: Path) -> int:
    """Make each file of the new site that is byte for byte the old site's the old file itself.

    Returns how many files were linked here (those the generator linked already are skipped).
    """
    if not old.is_dir():
        return 0
    kept = 0
    for path in sorted(p for p in new.rglob("*") if p.is_file() and not p.is_symlink()):
        before = old / path.relative_to(new)
        try:
            if not before.is_file() or before.is_symlink():
                continue
            now, then = path.stat(), before.stat()
            if now.st_ino == then.st_ino and now.st_dev == then.st_dev:
                continue  # linked by the generator already
            if now.st_size != then.st_size or not filecmp.cmp(before, path, shallow=False):  # in pieces
                continue
            link = path.with_name(f".{path.name}.kept")
            os.link(before, link)
            os.replace(link, path)
            kept += 1
        except OSError:
            return kept  # another filesystem, or no hard links: the new files stand
    return kept
