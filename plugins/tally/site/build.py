"""Build the whole site: validate, run Pelican into a temporary folder, swap it in.

The published folder is replaced only when every step succeeded, so a failed
build leaves yesterday's site exactly as it was (DESIGN.md, "Data flow").
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tally.core.errors import BuildError, ValidationFailed
from tally.core.settings import tally_settings
from tally.privacy.validation import validate
from tally.site.generator import load_settings, run_pelican  # noqa: F401 (load_settings: part of the build API)


@dataclass
class BuildResult:
    output: Path
    datasets: int
    files: int


class _ErrorCounter(logging.Handler):
    """Counts errors Pelican logs but survives (a missing template, a bad page): they fail the build."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(settings: dict, output: Path) -> BuildResult:
    """Validate, build into a sibling temporary folder, and swap it in; raise on any failure."""
    output = Path(output).resolve()
    tally = tally_settings(settings)
    report, datasets = validate(tally["TALLY_DATASETS_PATH"], tally, progress=tally["TALLY_PROGRESS"])
    if not report.valid:
        raise ValidationFailed(report)
    temporary = output.parent / f".{output.name}.building-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    counter = _ErrorCounter()
    logging.getLogger("pelican").addHandler(counter)
    try:
        run_pelican(settings, temporary)
        if counter.messages:
            raise BuildError("Pelican reported an error: " + counter.messages[0])
        files = sum(1 for p in temporary.rglob("*") if p.is_file())
        _swap(temporary, output)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    finally:
        logging.getLogger("pelican").removeHandler(counter)
    return BuildResult(output=output, datasets=len(datasets), files=files)


def _swap(new: Path, output: Path) -> None:
    """Replace `output` with `new` by two renames, so there is never a half-written site."""
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        output.rename(old)
    new.rename(output)
    shutil.rmtree(old, ignore_errors=True)
