"""Commands that change datasets: suppress, intake, release, withdraw, diff, new, template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tally.cli.common import (
    add_command,
    dataset_folder,
    done,
    failed,
    print_notes,
    print_report,
    record,
    refused,
    report_of,
    staff_settings,
)
from tally.core.errors import TallyError, ValidationFailed
from tally.core.paths import DATASET_NAME, name_problem, quoted, safe_join
from tally.core.report import Problem, Report


def add_commands(commands, common: argparse.ArgumentParser, root: Path) -> None:
    """Add the staff commands to the subcommands."""
    _add_staff_commands(commands, common)
    _add_suppress_command(commands, common)


def _add_suppress_command(commands, common) -> None:
    suppress = add_command(
        commands, common, "suppress", run_suppress,
        help="make a raw table publishable: hide small counts and their complements",
        description="Read a raw table (.csv, .xlsx or .xls, kept outside the repository) with the columns of one "
                    "of the dataset's tables, hide every count below the threshold and enough other cells that "
                    "none can be worked out (primary and complementary suppression), fill in the S codes and "
                    "hide derived values, and write the publishable CSV. It prints which cells it hid and why, "
                    "never a raw count. The result is validated as CI will validate it; a file that fails is "
                    "not written into the repository.",
        epilog="examples:\n  python publish.py suppress ~/raw/identifications.xlsx --dataset "
               "first-responder-identifications\n  python publish.py suppress ~/raw/ops.csv --dataset "
               "trafficking-operations --output ~/ops-publishable.csv")
    suppress.add_argument("raw", metavar="RAW", help="the raw table (.csv, .xlsx or .xls), outside the repository")
    suppress.add_argument("--dataset", required=True, metavar="NAME", help="the dataset whose schema it matches")
    suppress.add_argument("--resource", metavar="TABLE", help="the table, when the dataset has several")
    suppress.add_argument("--sheet", help="the sheet to read from a workbook")
    suppress.add_argument("--output", metavar="FILE",
                          help="where to write the publishable CSV (default: the table's own file in the dataset)")


def run_suppress(args) -> int:
    from tally.core.loading import load_dataset
    from tally.staff.suppress import NotWritten, suppress_raw, write_outcome

    settings = staff_settings(args)
    repository = Path(settings["TALLY_DATASETS_PATH"]).resolve().parent
    dataset, problems = load_dataset(dataset_folder(settings, args.dataset, args))
    if dataset is None:
        raise ValidationFailed(report_of(problems))
    outcome = suppress_raw(args.raw, dataset, settings, resource=args.resource, sheet=args.sheet,
                           repository=repository)
    print_notes(args, outcome.notes)
    for cell in sorted(outcome.hidden, key=lambda c: (c.row, c.measure)):
        print(f"row {cell.row} ({cell.cell}) {cell.measure}: {cell.reason}")
    for measure, hidden in outcome.counts().items():
        print(f"{measure}: {hidden} cell(s) suppressed")
    try:
        report = write_outcome(outcome, dataset, settings, output=args.output, repository=repository)
    except NotWritten as refusal:
        return failed(args, str(refusal), report=refusal.report, result={**outcome.to_dict(), "written": False})
    destination = args.output or str(dataset.resource(outcome.resource).file)
    result = {**outcome.to_dict(), "output": destination, "written": True}
    if not report.valid:
        print_report(report, args)
        print(f"wrote {destination} (outside the repository), but it fails validation", file=sys.stderr)
        record(args, False, f"wrote {destination} (outside the repository), but it fails validation",
               result=result, report=report)
        return 1
    return done(args, f"wrote {destination}; it passes validation", result=result)


def _add_staff_commands(commands, common) -> None:
    intake = add_command(
        commands, common, "intake", run_intake,
        help="add a period to a dataset from a staff spreadsheet",
        description="Read a spreadsheet (.xlsx, .xls or .csv) holding one period's raw figures, map its columns "
                    "to the dataset's schema, suppress small counts and their complements, and write the "
                    "period's publishable rows into the dataset. Nothing is written unless the whole dataset "
                    "then passes validation. Keep the spreadsheet outside the repository.",
        epilog="examples:\n  python publish.py intake ~/q3.xlsx --dataset first-responder-identifications "
               "--period 2024-Q3\n  python publish.py intake ~/q2-revised.xlsx --dataset csec-training "
               "--period 2024-Q2 --replace\n  python publish.py intake ~/backfill.csv --dataset NAME "
               "--period 2023-Q1:2023-Q4")
    intake.add_argument("workbook", metavar="WORKBOOK", help="the spreadsheet (.xlsx, .xls or .csv)")
    intake.add_argument("--dataset", required=True, metavar="NAME", help="dataset folder name")
    intake.add_argument("--period", required=True, help="the period the rows are for, e.g. 2024-Q3 "
                        "(or FIRST:LAST for several)")
    intake.add_argument("--sheet", help='the sheet to read (default: the sheet named "Data", or the only visible one)')
    intake.add_argument("--resource", metavar="TABLE", help="the table to add to, when the dataset has several")
    intake.add_argument("--replace", action="store_true",
                        help="replace a period already in the dataset: shows what would change; add --yes to write")
    intake.add_argument("--yes", action="store_true", help="with --replace: write the replacement shown")
    intake.add_argument("--ignore-column", action="append", default=[], metavar="NAME",
                        help="leave out a column the schema does not have, e.g. Comments (repeat for several)")

    release = add_command(
        commands, common, "release", run_release,
        help="version, date, changelog and archive a dataset's new release",
        description="Compare the dataset with its last archived release, bump its version (minor for a new "
                    "period, patch with --correction), set tally:updated, add a tally:changelog entry (a revision "
                    "of earlier periods is recorded as such), and archive the release in releases/v<version>/ "
                    "so the site serves it at /datasets/<name>/v<version>/ forever.",
        epilog="examples:\n  python publish.py release first-responder-identifications\n"
               "  python publish.py release csec-training --correction --note \"Sheriff figures for 2024-Q1 "
               "were double counted.\"\n  python publish.py release NAME --archive-current   "
               "(once, for a dataset published before Tally archived releases)")
    release.add_argument("name", metavar="NAME", help="dataset folder name")
    release.add_argument("--correction", action="store_true", help="a patch release correcting published figures")
    release.add_argument("--date", help="release date, YYYY-MM-DD (default: today)")
    release.add_argument("--note", help="a sentence added to the changelog entry")
    release.add_argument("--next-update", metavar="DATE", help="set tally:next_update, YYYY-MM-DD")
    release.add_argument("--archive-current", action="store_true",
                         help="only archive the current version as it is (no new version)")

    withdraw = add_command(
        commands, common, "withdraw", run_withdraw,
        help="take an archived release off the site, with a notice saying why",
        description="Withdraw an archived release (for example one that fails the privacy gate): its files are "
                    "deleted from releases/v<VERSION>/ and no longer published, its page becomes a notice with the "
                    "reason and date, and the changelog records the withdrawal. Git history still holds the files: "
                    "see README, \"Withdrawing a release\", to purge them from a public repository.",
        epilog="example:\n  python publish.py withdraw first-responder-identifications 1.0.0 --reason \"A hidden "
               "cell could be worked out with the arrests dataset.\"")
    withdraw.add_argument("name", metavar="NAME", help="dataset folder name")
    withdraw.add_argument("version", metavar="VERSION", help="the archived release, e.g. 1.0.0")
    withdraw.add_argument("--reason", required=True, help="why, in one sentence (published on the notice)")
    withdraw.add_argument("--date", help="withdrawal date, YYYY-MM-DD (default: today)")

    diff = add_command(
        commands, common, "diff", run_diff,
        help="what changed in the published datasets, as Markdown",
        description="For every dataset that differs between BASE and the working tree (or --head), report "
                    "metadata and schema changes, rows added, removed and changed per period (revisions of "
                    "earlier periods called out), suppression changes and the headline figures before and after. "
                    "It reads only committed or published files and never shows a count below the threshold.",
        epilog="examples:\n  python publish.py diff                  (against the merge base with main)\n"
               "  python publish.py diff origin/main --output diff.md --check\n"
               "  python publish.py diff v1.0 --head HEAD")
    diff.add_argument("base", nargs="?", metavar="BASE",
                      help="git revision to compare with (default: merge base with main, else HEAD~1, else nothing)")
    diff.add_argument("--head", metavar="REV", help="compare with this revision instead of the working tree")
    diff.add_argument("--output", metavar="FILE", help="write the Markdown report to FILE")
    diff.add_argument("--check", action="store_true",
                      help="exit 1 if an archived release changed, the data differ from the current version's "
                           "archive, the version or changelog went back, a raw small count is in the files, a "
                           "raw-looking file (spreadsheet, undeclared CSV) is anywhere in the repository, or the "
                           "data changed without `release`")

    new = add_command(
        commands, common, "new", run_new,
        help="start a new dataset from a spreadsheet's columns",
        description="Write datasets/NAME/ with a schema inferred by Frictionless from the spreadsheet and refined "
                    "for Tally's conventions (roles guessed, counts as non-negative integers with an annotation "
                    "field, categories listed), a description template and a default chart. The figures are not "
                    "copied: add them with `intake` once every TODO the command lists is filled in.",
        epilog="example:\n  python publish.py new shelter-placements --from ~/placements-2024-Q2.xlsx")
    new.add_argument("name", metavar="NAME", help="the dataset's folder name and URL, e.g. shelter-placements")
    new.add_argument("--from", dest="source", required=True, metavar="FILE",
                     help="a spreadsheet (.xlsx, .xls, .csv) with the columns the dataset will have")
    new.add_argument("--sheet", help="the sheet to read")

    template = add_command(
        commands, common, "template", run_template,
        help="write an Excel workbook for staff to fill for the next period",
        description="Write an .xlsx workbook for the dataset's schema: a Data sheet with the column headers, "
                    "drop-down lists for categories and note codes, whole-number checks for counts, the rows of "
                    "the next period ready to fill, and a Notes sheet explaining every column.",
        epilog="example:\n  python publish.py template first-responder-identifications --output ~/q3.xlsx")
    template.add_argument("name", metavar="NAME", help="dataset folder name")
    template.add_argument("--output", metavar="FILE", help="where to write it (default: NAME-PERIOD.xlsx in the "
                          "current folder, or in your home folder when you are inside the repository)")
    template.add_argument("--period", help="the period to prefill (default: the one after the latest)")
    template.add_argument("--resource", metavar="TABLE", help="the table, when the dataset has several")

    recover = add_command(
        commands, common, "recover", run_recover,
        help="finish or undo a staff command that was interrupted while writing",
        description="intake, release, suppress and new write a dataset's files as one transaction. If one was "
                    "killed or ran out of disk space, the dataset holds a .tally-transaction folder and validate "
                    "refuses it; recover finishes the change when it had been fully staged, or undoes it. Every "
                    "staff command also does this first.",
        epilog="example:\n  python publish.py recover first-responder-identifications")
    recover.add_argument("names", nargs="*", metavar="NAME", help="dataset folder names (default: all)")


def run_intake(args) -> int:
    from tally.staff.intake import intake
    from tally.staff.sheets import refuse_inside_repository

    settings = staff_settings(args)
    workbook = Path(args.workbook).resolve()
    refuse_inside_repository(workbook, args.root)  # this checkout, wherever --datasets points
    try:
        result = intake(dataset_folder(settings, args.dataset, args), workbook, args.period, settings=settings,
                        sheet=args.sheet, replace=args.replace, resource=args.resource, confirm=args.yes,
                        ignore_columns=args.ignore_column)
    except ValidationFailed as failure:
        return refused(failure, "with these rows the dataset would not pass validation", args)
    print_notes(args, result.notes)
    if result.preview is not None:
        print(f"{', '.join(result.revised)}: {result.preview.sentence()}"
              + (f" (published in release {result.preview.released})" if result.released else
                 " (never released)"))
    if result.status == "preview":
        return failed(args, "nothing was written; if these are the changes you mean, run the same command with "
                      "--yes", result=result.to_dict())
    if result.status == "unchanged":
        return done(args, f"the figures for {', '.join(result.revised or result.added)} are already in "
                    f"{result.dataset} as they are in the sheet; nothing was written", result=result.to_dict())
    hidden = ", ".join(f"{name}: {n} cell(s) suppressed" for name, n in result.hidden.items())
    what = " and ".join(x for x in (("added " + ", ".join(result.added)) if result.added else "",
                                    ("revised " + ", ".join(result.revised)) if result.revised else "") if x)
    revises = [f"this revises figures published in {', '.join(result.released)}: the next release is recorded "
               "as a revision (or run release with --correction)"] if result.released else []
    return done(args, f"{what} in {result.dataset} ({result.rows} rows{'; ' + hidden if hidden else ''})",
                f"wrote: {', '.join(result.files)}", *revises, next_step=f"python publish.py release {result.dataset}",
                result=result.to_dict())


def run_recover(args) -> int:
    from tally.staff.staging import recover

    settings = staff_settings(args)
    root = Path(settings["TALLY_DATASETS_PATH"])
    for name in args.names:  # a name is joined to the datasets folder: it must not lead out of it
        why = name_problem(name, DATASET_NAME)
        if why:
            raise TallyError(f'"{quoted(name)}" is not a dataset name: it {why}')
    folders = [safe_join(root, n) for n in args.names] if args.names else sorted(
        p for p in root.iterdir() if p.is_dir())
    recovered = []
    for folder in folders:
        change = recover(folder) if folder.is_dir() else None
        print(f"{folder.name}: " + (f"the interrupted change was {change}" if change else "nothing to recover"))
        recovered.append({"dataset": folder.name, "change": change})
    changed = sum(1 for r in recovered if r["change"])
    record(args, True, f"{changed} of {len(recovered)} dataset(s) had an interrupted change",
           result={"datasets": recovered})
    return 0


def run_release(args) -> int:
    from tally.staff.release import archive_current, release

    settings = staff_settings(args)
    folder = dataset_folder(settings, args.name, args)
    if args.archive_current:
        archive = archive_current(folder, settings=settings)
        return done(args, f"archived {args.name} as it is in {archive}/",
                    result={"dataset": args.name, "archive": str(archive)})
    try:
        result = release(folder, settings=settings, correction=args.correction, date=args.date, note=args.note,
                         next_update=args.next_update)
    except ValidationFailed as failure:
        return refused(failure, "the released dataset would not pass validation", args)
    was = f"{result.previous} → " if result.previous else "first release "
    return done(args, f"{result.dataset} {was}{result.version} ({result.kind}, {result.date}): {result.note}",
                f"archived in {args.name}/{result.archive}/, served at /datasets/{args.name}/v{result.version}/",
                next_step=f"python publish.py diff, then commit datasets/{args.name} and open a pull request",
                result=result.to_dict())


def run_withdraw(args) -> int:
    from tally.staff.withdraw import withdraw

    settings = staff_settings(args)
    result = withdraw(dataset_folder(settings, args.name, args), args.version, reason=args.reason,
                      settings=settings, date=args.date)
    return done(args, f"withdrew {result.dataset} {result.version} ({result.date}); removed {len(result.removed)} "
                f"file(s) from {args.name}/releases/v{result.version}/",
                next_step=f"commit datasets/{args.name}; git history still holds the files (see README, "
                          "\"Withdrawing a release\")", result=result.to_dict())


def run_diff(args) -> int:
    from tally.staff.diff import diff_repository, render
    from tally.staff.rawfiles import repository_raw_files

    settings = staff_settings(args)
    diffs, label = diff_repository(Path(settings["TALLY_DATASETS_PATH"]), args.base, args.head, settings)
    text = render(diffs, f"{label} → {args.head or 'working tree'}")
    # The Markdown is the one rendering of the figures (each asks Policy); the rest is names and numbers of rows.
    result = {"base": label, "head": args.head or "working tree", "output": args.output,
              "datasets": [d.to_dict() for d in diffs], "markdown": text}
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"ok: wrote the report on {len(diffs)} changed dataset(s) to {args.output}")
    else:
        print(text, end="")
    if not args.check:
        return _diff_done(args, diffs, result)
    raw = repository_raw_files(Path(settings["TALLY_DATASETS_PATH"]))
    for line in raw:
        print(f"error: {line}", file=sys.stderr)
    result["raw_files"] = [line.split(":")[0] for line in raw]
    blocking = [d.name for d in diffs if d.blocking] + result["raw_files"]
    if not blocking:
        return _diff_done(args, diffs, result)
    why = (f"{', '.join(blocking)}: see the warnings in the report (an archived release changed, a raw small "
           "count is in the files, or the data changed without a release)")
    print(f"error: {why}", file=sys.stderr)
    problems = [Problem(rule="diff-check", message=warning, dataset=d.name)
                for d in diffs if d.blocking for warning in d.warnings]
    problems += [Problem(rule="raw-file", message=line, dataset="", file=line.split(":")[0]) for line in raw]
    record(args, False, why, result=result, report=Report(datasets=[d.name for d in diffs], problems=problems))
    return 1


def _diff_done(args, diffs, result: dict) -> int:
    """diff has printed its report (or said where it wrote it): the Outcome, without another line."""
    record(args, True, f"{len(diffs)} changed dataset(s)", result=result)
    return 0


def run_new(args) -> int:
    from tally.staff.scaffold import scaffold

    settings = staff_settings(args)
    result = scaffold(Path(settings["TALLY_DATASETS_PATH"]), args.name, Path(args.source), sheet=args.sheet)
    fields = [f"  {result.wide}"] if result.wide else []  # how a wide sheet was read as a long table
    for f in result.fields:
        what = f["tally:role"] + (f" ({f['tally:kind']})" if f.get("tally:kind") else "")
        what += f" (period: {f['tally:period']})" if f.get("tally:period") else ""
        fields.append(f"  {f['name']:<28} {what}   \"{f['title']}\"")
    return done(args, f"created {result.folder}", *fields,
                f"fill in these {len(result.todos)} TODO(s) in {result.folder / 'datapackage.json'} "
                "(validate refuses the dataset until none is left):",
                *(f"  {where}: {text}" for where, text in result.todos),
                f"then add each period: python publish.py intake FILE --dataset {args.name} --period PERIOD",
                result=result.to_dict())


def run_template(args) -> int:
    from tally.staff.workbook import default_output, write_template

    settings = staff_settings(args)
    output = args.output or default_output(args.root)
    result = write_template(dataset_folder(settings, args.name, args), period=args.period, output=output,
                            resource=args.resource)
    return done(args, f"wrote {result.path} ({result.rows} rows of {result.period} to fill)",
                next_step=f"fill it in, then python publish.py intake {result.path} --dataset {args.name} "
                          f"--period {result.period}", result=result.to_dict())
