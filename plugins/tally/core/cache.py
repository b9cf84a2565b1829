"""A small content-addressed cache: results keyed by a hash of everything they depend on.

Validation results, chart SVGs and derived downloads are stored under
TALLY_CACHE_PATH, so a rebuild redoes only what changed (DESIGN.md, "Conventions").
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # plugins/tally: every wing, not only core/


def code_version(package_dir: Path = PACKAGE_DIR) -> str:
    """A hash of Tally's own source, so a code change anywhere in it invalidates every cached result."""
    digest = hashlib.sha256()
    for path in sorted(Path(package_dir).rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_CODE_VERSION = code_version()


def key(*parts) -> str:
    """Hash any JSON-serialisable parts, plus Tally's code version, into a cache key."""
    digest = hashlib.sha256(_CODE_VERSION.encode())
    for part in parts:
        if isinstance(part, bytes):
            digest.update(part)
        else:
            digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """Hash every file's relative path and bytes under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with open(path, "rb") as handle:  # in pieces: a data file may be large
            for piece in iter(lambda: handle.read(1 << 20), b""):
                digest.update(piece)
    return digest.hexdigest()


class Cache:
    """Files named by key under one folder; a missing or unreadable entry is a miss."""

    def __init__(self, root, namespace: str):
        self.root = Path(root) / namespace

    def _path(self, k: str) -> Path:
        return self.root / k[:2] / k

    def get_bytes(self, k: str) -> bytes | None:
        try:
            return self._path(k).read_bytes()
        except OSError:
            return None

    def put_bytes(self, k: str, data: bytes) -> None:
        path = self._path(k)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: parallel builds never read half an entry

    def folder(self, k: str) -> Path:
        """Where an entry that is a folder of files is kept (the caller fills it, then renames it there)."""
        return self._path(k).with_suffix(".d")

    def get_json(self, k: str):
        data = self.get_bytes(k)
        return None if data is None else json.loads(data)

    def put_json(self, k: str, value) -> None:
        self.put_bytes(k, json.dumps(value, sort_keys=True).encode())
