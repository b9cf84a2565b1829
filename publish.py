#!/usr/bin/env python3
"""Tally's command line: parse, call the library, print, set the exit code.

    python publish.py validate [DATASET ...]      check packages, privacy gate included
    python publish.py build                       validate and build the site into output/
    python publish.py serve                       serve output/ (and rebuild on change)
    python publish.py suppress RAW --dataset NAME make a raw table publishable (privacy gate)

Run `python publish.py COMMAND --help` for each command's options.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import logging
import os
import sys
import threading
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

from tally.core.errors import TallyError, ValidationFailed  # noqa: E402

REPEATS_SHOWN = 5  # after this many of one rule in one file, print a count instead


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.run(args)
    except ValidationFailed as failure:
        _print_report(failure.report, args)
        return 1
    except TallyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # anything else is a bug in Tally: one line unless --debug
        if args.debug:
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publish.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", default=str(HERE / "pelicanconf.py"),
                        help="Pelican settings file (default: pelicanconf.py)")
    common.add_argument("--datasets", metavar="DIR", help="folder of data packages (default: datasets/)")
    common.add_argument("--profile", choices=("sensitive", "open"),
                        help="rule set: 'sensitive' (default; counts about people) or 'open' "
                             "(packages about things, written without Tally's conventions)")
    common.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    validate = commands.add_parser(
        "validate", parents=[common], help="check data packages, privacy gate included",
        description="Validate data packages with Frictionless and every Tally rule. Exit 1 on any problem.",
        epilog="examples:\n  python publish.py validate\n  python publish.py validate first-responder-identifications\n"
               "  python publish.py validate --json > report.json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("names", nargs="*", metavar="DATASET", help="dataset folder names (default: all)")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.set_defaults(run=run_validate)

    build = commands.add_parser(
        "build", parents=[common], help="validate and build the site",
        description="Validate every dataset, then build the site. On any error the existing output "
                    "folder is left exactly as it was.",
        epilog="examples:\n  python publish.py build\n  python publish.py build --settings publishconf.py\n"
               "  python publish.py build --datasets ../other-packages --profile open --output /tmp/site",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--output", default=str(HERE / "output"), metavar="DIR", help="where the site goes (default: output/)")
    build.set_defaults(run=run_build)

    serve = commands.add_parser(
        "serve", parents=[common], help="serve the built site locally",
        description="Serve the output folder over HTTP on localhost. With --autoreload, rebuild when "
                    "datasets, content, theme or plugin files change.",
        epilog="example:\n  python publish.py serve --port 8000 --autoreload",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--output", default=str(HERE / "output"), metavar="DIR", help="folder to serve (default: output/)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--autoreload", action="store_true", help="rebuild on change")
    serve.set_defaults(run=run_serve)
    _add_staff_commands(commands, common)
    _add_suppress_command(commands, common)
    return parser


def _settings(args) -> dict:
    from tally.site.build import load_settings

    overrides = {}
    if args.datasets:
        overrides["TALLY_DATASETS_PATH"] = str(Path(args.datasets).resolve())
    overrides["TALLY_PROGRESS"] = _progress_printer(overrides.get("TALLY_DATASETS_PATH", HERE / "datasets"))
    if args.profile:
        overrides["TALLY_PROFILE"] = args.profile
    settings = load_settings(args.settings, **overrides)
    args.datasets_folder = settings.get("TALLY_DATASETS_PATH", "datasets")
    return settings


def run_validate(args) -> int:
    from tally.core.settings import tally_settings
    from tally.privacy.validation import validate

    settings = tally_settings(_settings(args))
    if args.json:
        settings["TALLY_PROGRESS"] = None
    report, _ = validate(settings["TALLY_DATASETS_PATH"], settings, names=args.names or None,
                         progress=settings["TALLY_PROGRESS"])
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    elif report.valid:
        print(f"ok: {report.summary()}")
    else:
        _print_report(report, args)
    return 0 if report.valid else 1


def run_build(args) -> int:
    from tally.site.build import build_site

    result = build_site(_settings(args), Path(args.output))
    print(f"ok: built {result.datasets} dataset(s), {result.files} files into {result.output}")
    print("view it with: python publish.py serve   (then open http://localhost:8000/)")
    return 0


def run_serve(args) -> int:
    output = Path(args.output)
    if args.autoreload:
        threading.Thread(target=_rebuild_on_change, args=(args,), daemon=True).start()
    if not output.is_dir():
        print(f"error: {output} does not exist; run `python publish.py build` first", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"serving {output} at http://localhost:{args.port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _rebuild_on_change(args) -> None:
    from watchfiles import watch

    from tally.site.build import build_site

    watched = [HERE / name for name in ("datasets", "content", "theme", "plugins")]
    for _changes in watch(*[p for p in watched if p.exists()]):
        try:
            build_site(_settings(args), Path(args.output))
            print("rebuilt")
        except ValidationFailed as failure:
            _print_report(failure.report, args)
        except TallyError as error:
            print(f"error: {error}", file=sys.stderr)


def _shown(path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _print_report(report, args=None) -> None:
    """Print problems grouped by dataset, folding long runs of one rule in one file into a count.

    Problems name files inside their dataset; here they are shown from the datasets folder
    the command read (`args.datasets_folder`, set when the settings were loaded).
    """
    folder = getattr(args, "datasets_folder", None)
    folder = _shown(folder) if folder else None
    shown = Counter()
    folded = Counter()
    for problem in report.problems:
        group = (problem.dataset, problem.file, problem.rule)
        shown[group] += 1
        if shown[group] > REPEATS_SHOWN:
            folded[group] += 1
            continue
        print(f"{problem.location(folder)}: [{problem.rule}] {problem.message}", file=sys.stderr)
        if problem.hint:
            print(f"    how to fix: {problem.hint}", file=sys.stderr)
    for (dataset, file, rule), count in folded.items():
        where = "/".join(part for part in (folder, dataset, file) if part)
        print(f"{where}: ... and {count} more [{rule}] problem(s)", file=sys.stderr)
    print(f"error: {report.summary()}", file=sys.stderr)


def _progress_printer(datasets_path=None):
    """Plain lines in CI and pipes; a progress bar per stage on a terminal. Each step shows once
    (a build validates before Pelican starts, and the generator's own check hits the cache)."""
    seen = set()
    show = _plain_progress if not sys.stderr.isatty() or os.environ.get("CI") else _progress_bar(datasets_path)

    def once(stage, name):
        if (stage, name) not in seen:
            seen.add((stage, name))
            show(stage, name)

    return once


def _progress_bar(datasets_path):
    import atexit

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tally.core.loading import find_dataset_folders

    total = len(find_dataset_folders(Path(datasets_path))) if datasets_path and Path(datasets_path).is_dir() else None
    progress = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[name]}"), transient=False)
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


# -- suppress: a raw table becomes a publishable file (issue 3) -------------------------

def _add_suppress_command(commands, common) -> None:
    suppress = commands.add_parser(
        "suppress", parents=[common], help="make a raw table publishable: hide small counts and their complements",
        description="Read a raw table (.csv, .xlsx or .xls, kept outside the repository) with the columns of one "
                    "of the dataset's tables, hide every count below the threshold and enough other cells that "
                    "none can be worked out (primary and complementary suppression), fill in the S codes and "
                    "hide derived values, and write the publishable CSV. It prints which cells it hid and why, "
                    "never a raw count. The result is validated as CI will validate it; a file that fails is "
                    "not written into the repository.",
        epilog="examples:\n  python publish.py suppress ~/raw/identifications.xlsx --dataset "
               "first-responder-identifications\n  python publish.py suppress ~/raw/ops.csv --dataset "
               "trafficking-operations --output ~/ops-publishable.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    suppress.add_argument("raw", metavar="RAW", help="the raw table (.csv, .xlsx or .xls), outside the repository")
    suppress.add_argument("--dataset", required=True, metavar="NAME", help="the dataset whose schema it matches")
    suppress.add_argument("--resource", metavar="TABLE", help="the table, when the dataset has several")
    suppress.add_argument("--sheet", help="the sheet to read from a workbook")
    suppress.add_argument("--output", metavar="FILE",
                          help="where to write the publishable CSV (default: the table's own file in the dataset)")
    suppress.set_defaults(run=run_suppress)


def run_suppress(args) -> int:
    from tally.core.loading import load_dataset
    from tally.staff.suppress import NotWritten, suppress_raw, write_outcome

    settings = _staff_settings(args)
    repository = Path(settings["TALLY_DATASETS_PATH"]).resolve().parent
    dataset, problems = load_dataset(_dataset_folder(settings, args.dataset))
    if dataset is None:
        raise ValidationFailed(_report(problems))
    outcome = suppress_raw(args.raw, dataset, settings, resource=args.resource, sheet=args.sheet,
                           repository=repository)
    for note in outcome.notes:
        print(f"note: {note}")
    for cell in sorted(outcome.hidden, key=lambda c: (c.row, c.measure)):
        print(f"row {cell.row} ({cell.cell}) {cell.measure}: {cell.reason}")
    for measure, kinds in outcome.counts().items():
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        print(f"{measure}: {sum(kinds.values())} cell(s) suppressed ({parts})")
    try:
        report = write_outcome(outcome, dataset, settings, output=args.output, repository=repository)
    except NotWritten as refused:
        _print_report(refused.report, args)
        raise
    destination = args.output or str(dataset.resource(outcome.resource).file)
    if not report.valid:
        _print_report(report, args)
        print(f"wrote {destination} (outside the repository), but it fails validation", file=sys.stderr)
        return 1
    print(f"ok: wrote {destination}; it passes validation")
    return 0


def _report(problems):
    from tally.core.report import Report

    return Report(datasets=sorted({p.dataset for p in problems}), problems=list(problems))


# -- staff workflow: intake, new, release, diff, template (issue 4) --------------------

def _add_staff_commands(commands, common) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    intake = commands.add_parser(
        "intake", parents=[common], help="add a period to a dataset from a staff spreadsheet",
        description="Read a spreadsheet (.xlsx, .xls or .csv) holding one period's raw figures, map its columns "
                    "to the dataset's schema, suppress small counts and their complements, and write the "
                    "period's publishable rows into the dataset. Nothing is written unless the whole dataset "
                    "then passes validation. Keep the spreadsheet outside the repository.",
        epilog="examples:\n  python publish.py intake ~/q3.xlsx --dataset first-responder-identifications "
               "--period 2024-Q3\n  python publish.py intake ~/q2-revised.xlsx --dataset csec-training "
               "--period 2024-Q2 --replace\n  python publish.py intake ~/backfill.csv --dataset NAME "
               "--period 2023-Q1:2023-Q4",
        formatter_class=raw)
    intake.add_argument("workbook", metavar="WORKBOOK", help="the spreadsheet (.xlsx, .xls or .csv)")
    intake.add_argument("--dataset", required=True, metavar="NAME", help="dataset folder name")
    intake.add_argument("--period", required=True, help="the period the rows are for, e.g. 2024-Q3 "
                        "(or FIRST:LAST for several)")
    intake.add_argument("--sheet", help='the sheet to read (default: the sheet named "Data", or the only visible one)')
    intake.add_argument("--resource", metavar="TABLE", help="the table to add to, when the dataset has several")
    intake.add_argument("--replace", action="store_true",
                        help="replace a period already published (recorded as a revision)")
    intake.set_defaults(run=run_intake)

    release = commands.add_parser(
        "release", parents=[common], help="version, date, changelog and archive a dataset's new release",
        description="Compare the dataset with its last archived release, bump its version (minor for a new "
                    "period, patch with --correction), set tally:updated, add a tally:changelog entry (a revision "
                    "of earlier periods is recorded as such), and archive the release in releases/v<version>/ "
                    "so the site serves it at /datasets/<name>/v<version>/ forever.",
        epilog="examples:\n  python publish.py release first-responder-identifications\n"
               "  python publish.py release csec-training --correction --note \"Sheriff figures for 2024-Q1 "
               "were double counted.\"\n  python publish.py release NAME --archive-current   "
               "(once, for a dataset published before Tally archived releases)",
        formatter_class=raw)
    release.add_argument("name", metavar="NAME", help="dataset folder name")
    release.add_argument("--correction", action="store_true", help="a patch release correcting published figures")
    release.add_argument("--date", help="release date, YYYY-MM-DD (default: today)")
    release.add_argument("--note", help="a sentence added to the changelog entry")
    release.add_argument("--next-update", metavar="DATE", help="set tally:next_update, YYYY-MM-DD")
    release.add_argument("--archive-current", action="store_true",
                         help="only archive the current version as it is (no new version)")
    release.set_defaults(run=run_release)

    diff = commands.add_parser(
        "diff", parents=[common], help="what changed in the published datasets, as Markdown",
        description="For every dataset that differs between BASE and the working tree (or --head), report "
                    "metadata and schema changes, rows added, removed and changed per period (revisions of "
                    "earlier periods called out), suppression changes and the headline figures before and after. "
                    "It reads only committed or published files and never shows a count below the threshold.",
        epilog="examples:\n  python publish.py diff                  (against the merge base with main)\n"
               "  python publish.py diff origin/main --output diff.md --check\n"
               "  python publish.py diff v1.0 --head HEAD",
        formatter_class=raw)
    diff.add_argument("base", nargs="?", metavar="BASE",
                      help="git revision to compare with (default: merge base with main, else HEAD~1, else nothing)")
    diff.add_argument("--head", metavar="REV", help="compare with this revision instead of the working tree")
    diff.add_argument("--output", metavar="FILE", help="write the Markdown report to FILE")
    diff.add_argument("--check", action="store_true",
                      help="exit 1 if an archived release changed, a raw small count is in the files, or the "
                           "data changed without `release`")
    diff.set_defaults(run=run_diff)

    new = commands.add_parser(
        "new", parents=[common], help="start a new dataset from a spreadsheet's columns",
        description="Write datasets/NAME/ with a schema inferred by Frictionless from the spreadsheet and refined "
                    "for Tally's conventions (roles guessed, counts as non-negative integers with an annotation "
                    "field, categories listed), a description template and a default chart. The figures are not "
                    "copied: add them with `intake` once every TODO the command lists is filled in.",
        epilog="example:\n  python publish.py new shelter-placements --from ~/placements-2024-Q2.xlsx",
        formatter_class=raw)
    new.add_argument("name", metavar="NAME", help="the dataset's folder name and URL, e.g. shelter-placements")
    new.add_argument("--from", dest="source", required=True, metavar="FILE",
                     help="a spreadsheet (.xlsx, .xls, .csv) with the columns the dataset will have")
    new.add_argument("--sheet", help="the sheet to read")
    new.set_defaults(run=run_new)

    template = commands.add_parser(
        "template", parents=[common], help="write an Excel workbook for staff to fill for the next period",
        description="Write an .xlsx workbook for the dataset's schema: a Data sheet with the column headers, "
                    "drop-down lists for categories and note codes, whole-number checks for counts, the rows of "
                    "the next period ready to fill, and a Notes sheet explaining every column.",
        epilog="example:\n  python publish.py template first-responder-identifications --output ~/q3.xlsx",
        formatter_class=raw)
    template.add_argument("name", metavar="NAME", help="dataset folder name")
    template.add_argument("--output", metavar="FILE", help="where to write it (default: NAME-PERIOD.xlsx in the "
                          "current folder, or in your home folder when you are inside the repository)")
    template.add_argument("--period", help="the period to prefill (default: the one after the latest)")
    template.add_argument("--resource", metavar="TABLE", help="the table, when the dataset has several")
    template.set_defaults(run=run_template)


def _staff_settings(args) -> dict:
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


def _dataset_folder(settings, name) -> Path:
    folder = Path(settings["TALLY_DATASETS_PATH"]) / name
    if not (folder / "datapackage.json").is_file() and not (folder / "datapackage.yaml").is_file():
        raise TallyError(f'there is no dataset "{name}" in {settings["TALLY_DATASETS_PATH"]} '
                         "(the name is the dataset's folder name)")
    return folder


def run_intake(args) -> int:
    from tally.staff.intake import intake
    from tally.staff.sheets import refuse_inside_repository

    settings = _staff_settings(args)
    workbook = Path(args.workbook).resolve()
    refuse_inside_repository(workbook, HERE)  # this checkout, wherever --datasets points
    try:
        result = intake(_dataset_folder(settings, args.dataset), workbook, args.period, settings=settings,
                        sheet=args.sheet, replace=args.replace, resource=args.resource)
    except ValidationFailed as failure:
        return _refused(failure, "with these rows the dataset would not pass validation", args)
    for note in result.notes:
        print(f"note: {note}")
    hidden = ", ".join(f"{name}: {n} cell(s) suppressed" for name, n in result.hidden.items())
    what = " and ".join(x for x in (("added " + ", ".join(result.added)) if result.added else "",
                                    ("revised " + ", ".join(result.revised)) if result.revised else "") if x)
    print(f"ok: {what} in {result.dataset} ({result.rows} rows{'; ' + hidden if hidden else ''})")
    print(f"wrote: {', '.join(result.files)}")
    if result.revised:
        print("this revises published figures: the next release is recorded as a revision")
    print(f"next: python publish.py release {result.dataset}")
    return 0



def _refused(failure, why: str, args) -> int:
    """A staff command whose result failed validation: the problems, and that nothing was written."""
    _print_report(failure.report, args)
    print(f"error: {why}; nothing was written", file=sys.stderr)
    return 1


def run_release(args) -> int:
    from tally.staff.release import archive_current, release

    settings = _staff_settings(args)
    folder = _dataset_folder(settings, args.name)
    if args.archive_current:
        print(f"ok: archived {args.name} as it is in {archive_current(folder, settings=settings)}/")
        return 0
    try:
        result = release(folder, settings=settings, correction=args.correction, date=args.date, note=args.note,
                         next_update=args.next_update)
    except ValidationFailed as failure:
        return _refused(failure, "the released dataset would not pass validation", args)
    was = f"{result.previous} → " if result.previous else "first release "
    print(f"ok: {result.dataset} {was}{result.version} ({result.kind}, {result.date}): {result.note}")
    print(f"archived in {args.name}/{result.archive}/, served at /datasets/{args.name}/v{result.version}/")
    print(f"next: python publish.py diff, then commit datasets/{args.name} and open a pull request")
    return 0


def run_diff(args) -> int:
    from tally.staff.diff import DiffError, default_base, diff_packages, git, render

    settings = _staff_settings(args)
    datasets = Path(settings["TALLY_DATASETS_PATH"]).resolve()
    try:
        repo = Path(git(datasets, "rev-parse", "--show-toplevel").strip())
        base, label = (args.base, args.base) if args.base else default_base(repo)
        git(repo, "rev-parse", "--verify", "--quiet", base + "^{tree}")
        diffs = diff_packages(repo, base, args.head, datasets, settings)
    except DiffError as error:
        raise TallyError(f"git: {error} (diff compares two versions of the repository; is {datasets} in one, "
                         "and does the base revision exist? In CI fetch the history: fetch-depth: 0)") from None
    text = render(diffs, f"{label} → {args.head or 'working tree'}")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"ok: wrote the report on {len(diffs)} changed dataset(s) to {args.output}")
    else:
        print(text, end="")
    blocking = [d.name for d in diffs if d.blocking]
    if args.check and blocking:
        print(f"error: {', '.join(blocking)}: see the warnings in the report (an archived release changed, a raw "
              "small count is in the files, or the data changed without a release)", file=sys.stderr)
        return 1
    return 0



def run_new(args) -> int:
    from tally.staff.scaffold import scaffold

    settings = _staff_settings(args)
    result = scaffold(Path(settings["TALLY_DATASETS_PATH"]), args.name, Path(args.source), sheet=args.sheet)
    print(f"ok: created {result.folder}")
    for f in result.fields:
        what = f["tally:role"] + (f" ({f['tally:kind']})" if f.get("tally:kind") else "")
        what += f" (period: {f['tally:period']})" if f.get("tally:period") else ""
        print(f"  {f['name']:<28} {what}   \"{f['title']}\"")
    print(f"fill in these {len(result.todos)} TODO(s) in {result.folder / 'datapackage.json'} "
          "(validate refuses the dataset until none is left):")
    for where, text in result.todos:
        print(f"  {where}: {text}")
    print(f"then add each period: python publish.py intake FILE --dataset {args.name} --period PERIOD")
    return 0


def run_template(args) -> int:
    from tally.staff.workbook import write_template

    settings = _staff_settings(args)
    here = Path.cwd().resolve()
    # The filled workbook holds raw counts: by default it is written outside the repository.
    output = args.output or (Path.home() if here == HERE or HERE in here.parents else here)
    result = write_template(_dataset_folder(settings, args.name), period=args.period, output=output,
                            resource=args.resource)
    print(f"ok: wrote {result.path} ({result.rows} rows of {result.period} to fill)")
    print(f"next: fill it in, then python publish.py intake {result.path} --dataset {args.name} "
          f"--period {result.period}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
