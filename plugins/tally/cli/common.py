"""What every command shares: the common options, settings, and how reports and progress are printed.

Library code returns Reports and raises TallyError; only this package prints, and only
here do problems' dataset-relative paths become paths the user would type.

Every command ends in done() or failed() (or raises), which print its text and record its
`Outcome`; with `--json`, tally.cli.main prints that Outcome as the one JSON document on
stdout and sends every other line to stderr (docs/cli.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from tally.core.errors import TallyError
from tally.core.loading import descriptor_file
from tally.core.paths import DATASET_NAME, name_problem, quoted, safe_join
from tally.core.report import Outcome, Report, clipped

REPEATS_SHOWN = 5  # after this many of one rule in one file, print a count instead


def add_common_options(root: Path) -> argparse.ArgumentParser:
    """The options every command takes (argparse parent parser); `root` is the site's folder."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", default=str(root / "pelicanconf.py"),
                        help="Pelican settings file (default: pelicanconf.py)")
    common.add_argument("--datasets", metavar="DIR", help="folder of data packages (default: datasets/)")
    common.add_argument("--profile", choices=("sensitive", "open"),
                        help="rule set: 'sensitive' (default; counts about people) or 'open' "
                             "(packages about things, written without Tally's conventions)")
    common.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true",
                        help="print one JSON document on stdout: the result, or the problems that stopped the "
                             "command (docs/cli.md); every other line goes to stderr")
    return common


def add_command(commands, common: argparse.ArgumentParser, name: str, run, help: str, description: str,
                epilog: str) -> argparse.ArgumentParser:
    """One command: its help, its description and examples (printed as written), the common options, its runner."""
    parser = commands.add_parser(name, parents=[common], help=help, description=description, epilog=epilog,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=run, command=name)
    return parser


def site_settings(args) -> dict:
    from tally.site.build import load_settings

    overrides = {}
    if args.datasets:
        overrides["TALLY_DATASETS_PATH"] = str(Path(args.datasets).resolve())
    overrides["TALLY_PROGRESS"] = progress_printer(overrides.get("TALLY_DATASETS_PATH", args.root / "datasets"))
    if args.profile:
        overrides["TALLY_PROFILE"] = args.profile
    settings = load_settings(args.settings, **overrides)
    args.datasets_folder = settings.get("TALLY_DATASETS_PATH", "datasets")
    return settings


def staff_settings(args) -> dict:
    """Tally settings for the staff commands (no progress display: they print their own lines)."""
    from tally.core.settings import tally_settings
    from tally.site.build import load_settings

    overrides = {"TALLY_PROGRESS": None}
    if args.datasets:
        overrides["TALLY_DATASETS_PATH"] = str(Path(args.datasets).resolve())
    if args.profile:
        overrides["TALLY_PROFILE"] = args.profile
    settings = tally_settings(load_settings(args.settings, **overrides))
    args.datasets_folder = settings["TALLY_DATASETS_PATH"]
    return settings


def dataset_folder(settings, name, args) -> Path:
    """The folder of the dataset called `name`; TallyError when there is none or the name could leave the folder."""
    from tally.staff.staging import recover

    why = name_problem(name, DATASET_NAME)
    if why:
        raise TallyError(f'"{quoted(name)}" is not a dataset name: it {why}')
    folder = safe_join(settings["TALLY_DATASETS_PATH"], name)
    if folder.is_dir():
        change = recover(folder)  # every staff command first finishes or undoes an interrupted one
        if change:
            print_notes(args, [f"an interrupted command had left {name} half-written; its change was {change}"])
    if descriptor_file(folder) is None:
        raise TallyError(f'there is no dataset "{name}" in {settings["TALLY_DATASETS_PATH"]} '
                         "(the name is the dataset's folder name)")
    return folder


def shown(path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_report(report, args=None) -> None:
    """Print problems grouped by dataset, folding long runs of one rule in one file into a count.

    Problems name files inside their dataset; here they are shown from the datasets folder
    the command read (`args.datasets_folder`, set when the settings were loaded).
    """
    folder = getattr(args, "datasets_folder", None)
    folder = shown(folder) if folder else None
    seen = Counter()
    folded = Counter()
    for problem in report.problems:
        group = (problem.dataset, problem.file, problem.rule)
        seen[group] += 1
        if seen[group] > REPEATS_SHOWN:
            folded[group] += 1
            continue
        # A field name or value from a package may hold a newline: one problem stays one line.
        print(f"{problem.location(folder)}: [{problem.rule}] {clipped(problem.message)}", file=sys.stderr)
        if problem.hint:
            print(f"    how to fix: {quoted(problem.hint, 500)}", file=sys.stderr)
    for (dataset, file, rule), count in folded.items():
        where = "/".join(part for part in (folder, dataset, file) if part)
        print(f"{quoted(where, 300)}: ... and {count} more [{rule}] problem(s)", file=sys.stderr)
    print(f"error: {report.summary()}", file=sys.stderr)


def print_notes(args, notes) -> None:
    """What a command noticed on the way (a sheet it chose, a column it ignored), one `note:` line each.

    The notes are kept for the command's Outcome too: `--json` gives them as its `notes` list.
    """
    for note in notes:
        print(f"note: {note}")
    args.notes = [*getattr(args, "notes", []), *notes]


def record(args, ok: bool, summary: str, *, result: dict | None = None, next_step: str = "",
           report: Report | None = None) -> Outcome:
    """Keep what the command did (or what stopped it) as its Outcome, the one thing `--json` prints."""
    args.outcome = Outcome(command=args.command, ok=ok, summary=summary, result=result or {},
                           notes=list(getattr(args, "notes", [])), next=next_step, report=report or Report())
    return args.outcome


def done(args, ok: str, *lines: str, next_step: str = "", result: dict | None = None,
         report: Report | None = None) -> int:
    """Print a command's success, `ok: ...`, then its other lines and what to do next; return exit code 0.

    Every command ends here or in failed(), so each says what it did, and then the next command
    of the workflow, the same way (docs: README "Adding a quarter"). `result` is the result
    object's to_dict(): what `--json` gives for the text lines, which it never prints to stdout.
    """
    record(args, True, ok, result=result, next_step=next_step, report=report)
    print(f"ok: {ok}")
    for line in lines:
        print(line)
    if next_step:
        print(f"next: {next_step}")
    return 0


def failed(args, why: str, *, report: Report | None = None, result: dict | None = None) -> int:
    """A command that could not do what was asked: its problems, then `error: why` on stderr; exit code 1."""
    if report is not None and not report.valid:
        print_report(report, args)
    print(f"error: {why}", file=sys.stderr)
    record(args, False, why, result=result, report=report)
    return 1


def emit(args) -> None:
    """With `--json`, print the command's Outcome on the real stdout, once (serve prints it before serving)."""
    if getattr(args, "emitted", False):
        return
    args.emitted = True
    stream = getattr(args, "stdout", None) or sys.stdout
    stream.write(json.dumps(args.outcome.to_dict(), indent=2) + "\n")
    stream.flush()


def report_of(problems) -> Report:
    """A Report of problems found before validation could run (a package that does not load)."""
    return Report(datasets=sorted({p.dataset for p in problems}), problems=list(problems))


def refused(failure, why: str, args) -> int:
    """A staff command whose result failed validation: the problems, and that nothing was written."""
    return failed(args, f"{why}; nothing was written", report=failure.report)


def progress_printer(datasets_path=None):
    """Plain lines in CI and pipes; a progress bar per stage on a terminal."""
    return _plain_progress if not sys.stderr.isatty() or os.environ.get("CI") else _progress_bar(datasets_path)


def _progress_bar(datasets_path):
    import atexit

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tally.core.loading import find_dataset_folders

    total = len(find_dataset_folders(Path(datasets_path))) if datasets_path and Path(datasets_path).is_dir() else None
    progress = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[name]}"), transient=False,
                        console=Console(stderr=True))  # progress is not output: stdout may be --json's
    tasks = {}
    progress.start()
    atexit.register(progress.stop)

    def show(stage, name):
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total, name="")
        progress.update(tasks[stage], advance=1, name=name)

    return show


def _plain_progress(stage, name):
    print(f"{stage} {name}", file=sys.stderr, flush=True)
