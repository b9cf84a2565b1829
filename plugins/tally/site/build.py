"""Build the whole site: validate, run Pelican into a temporary folder, swap it in.

The published folder is replaced only when every step succeeded, so a failed
build leaves yesterday's site exactly as it was (DESIGN.md, "Data flow").

The folder replaced must be one a Tally build wrote (it holds MARKER), an empty
folder, or none at all, and never the repository, the datasets, the home folder
or a folder holding any of them: `build --output .` once replaced a whole clone
with the site (issue 14, problem 2).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tally.core.errors import BuildError, ValidationFailed
from tally.core.settings import tally_settings
from tally.privacy.validation import validate
from tally.site import freshness
from tally.site.generator import MARKER, load_settings, run_pelican  # noqa: F401 (load_settings: part of the build API)
from tally.site.unchanged import keep_unchanged

# Sites built before the marker existed: a folder holding both is taken for one.
LEGACY_SITE_FILES = ("datasets/index.html", "sitemap.xml")
RENAME_EXCHANGE = 2  # linux/fs.h


@dataclass
class BuildResult:
    output: Path
    datasets: int
    files: int
    up_to_date: bool = False  # nothing had changed since the last build: no file was written

    def to_dict(self) -> dict:
        return {"output": str(self.output), "datasets": self.datasets, "files": self.files,
                "up_to_date": self.up_to_date}


class _ErrorCounter(logging.Handler):
    """Counts errors Pelican logs but survives (a missing template, a bad page): they fail the build."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(settings: dict, output: Path, force: bool = False) -> BuildResult:
    """Validate, build into a sibling temporary folder, and swap it in; raise on any failure.

    When nothing the build reads has changed since the last build into `output`, and the
    output is as that build left it, nothing is done (freshness.py); `force` builds anyway.
    """
    output = Path(output).resolve()
    tally = tally_settings(settings)
    check_output(output, protected_folders(settings))
    with build_lock(output):
        clean_leftovers(output)
        inputs = freshness.inputs_digest(settings)
        last = None if force else freshness.up_to_date(settings, output, inputs)
        if last is not None:
            return BuildResult(output=output, datasets=last.datasets, files=last.files, up_to_date=True)
        report, datasets = validate(tally["TALLY_DATASETS_PATH"], tally, progress=tally["TALLY_PROGRESS"])
        if not report.valid:
            raise ValidationFailed(report)
        temporary = output.parent / f".{output.name}.building-{os.getpid()}"
        shutil.rmtree(temporary, ignore_errors=True)
        counter = _ErrorCounter()
        logging.getLogger("pelican").addHandler(counter)
        try:
            run_pelican(settings, temporary, validated=datasets, published=output if output.is_dir() else None)
            if counter.messages:
                raise BuildError("Pelican reported an error: " + counter.messages[0])
            if not (temporary / MARKER).is_file():
                raise BuildError(f"the build wrote no {MARKER} marker (is the Tally plugin in the settings' PLUGINS?)")
            files = sum(1 for p in temporary.rglob("*") if p.is_file())
            keep_unchanged(temporary, output)
            swap(temporary, output)
        except OSError as error:  # a full disk, a permission: say where, and that the old site stands
            shutil.rmtree(temporary, ignore_errors=True)
            raise BuildError(f"could not write the site: {error.strerror or error} "
                             f"({error.filename or temporary}); {output} was left as it was") from error
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        finally:
            logging.getLogger("pelican").removeHandler(counter)
        with contextlib.suppress(OSError):  # no record kept (a read-only cache): the next build builds
            freshness.remember(settings, output, inputs, len(datasets))
    return BuildResult(output=output, datasets=len(datasets), files=files)


# -- which folder may be replaced ---------------------------------------------------------

def protected_folders(settings: dict) -> tuple[list[Path], list[Path]]:
    """(folders the output may sit in but never be or contain: home and every repository,
    folders it may not even sit in: datasets, content and theme)."""
    tally = tally_settings(settings)
    data = [Path(tally["TALLY_DATASETS_PATH"])]
    data += [Path(settings[key]) for key in ("PATH", "THEME") if isinstance(settings.get(key), str)]
    code = Path(__file__).resolve().parents[3]  # the clone this Tally runs from
    homes = [Path.home()]
    for start in [*data, Path.cwd(), code]:
        homes += [p for p in [start.resolve(), *start.resolve().parents] if (p / ".git").exists()]
    return sorted({f.resolve() for f in homes}), sorted({f.resolve() for f in data})


def check_output(output: Path, protected: tuple[list[Path], list[Path]]) -> None:
    """Raise BuildError unless `output` is absent, empty, or a site a Tally build wrote, away from data."""
    homes, data = protected
    for folder in [*homes, *data]:
        if output == folder or output in folder.parents:
            raise BuildError(f"--output {output} is or contains {folder}; a build replaces its output folder "
                             "whole: choose a new folder such as output/")
    for folder in data:
        if folder in output.parents:
            raise BuildError(f"--output {output} is inside {folder}, which holds the site's sources; "
                             "choose a folder outside it")
    if not output.exists() and not output.is_symlink():
        return
    if not output.is_dir():
        raise BuildError(f"--output {output} is a file, not a folder; choose a folder")
    if (output / MARKER).is_file() or not any(output.iterdir()):
        return
    if all((output / name).is_file() for name in LEGACY_SITE_FILES):
        return
    raise BuildError(f"--output {output} holds files a Tally build did not write (no {MARKER} file); a build "
                     "replaces its output folder whole: choose an empty or new folder, or empty this one yourself")


# -- one build at a time, and what a killed build left ------------------------------------

@contextlib.contextmanager
def build_lock(output: Path):
    """Hold `.<output>.lock` beside the output for the whole build; raise BuildError if another build has it.

    The lock is an flock, so a killed build releases it; the file is removed at the end
    (after checking it is still the file locked, so a third build cannot slip in).
    """
    path = output.parent / f".{output.name}.lock"
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no flock; concurrent builds are not guarded there
        yield
        return
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise BuildError(f"another build into {output} is running (it holds {path}); wait for it to finish "
                             "and build again") from None
        try:
            same = os.fstat(handle).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(handle)  # the file was removed by the build that just finished: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(handle)


def clean_leftovers(output: Path) -> None:
    """Remove what killed builds left beside the output; restore the old site if a kill took it away."""
    old = sorted(output.parent.glob(f".{output.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if old and not output.exists():
        old.pop().rename(output)  # killed between the fallback swap's two renames
    for leftover in [*old, *output.parent.glob(f".{output.name}.building-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


# -- the swap -------------------------------------------------------------------------------

def swap(new: Path, output: Path) -> None:
    """Put `new` in place of `output` so that no failure leaves no site, or half of one."""
    if not output.exists():
        new.rename(output)
        return
    if exchange(new, output):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    output.rename(old)
    try:
        new.rename(output)
    except BaseException:
        old.rename(output)  # put the previous site back before reporting the failure
        raise
    shutil.rmtree(old, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # glibc before 2.28, or musl
        return False
    at_fdcwd = -100
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the file system cannot exchange: fall back to two renames
    raise OSError(code, f"could not swap the new site into {b}: {os.strerror(code)}")
