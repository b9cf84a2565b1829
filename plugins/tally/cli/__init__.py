"""Tally's command line: parse, call the library, print, set the exit code (publish.py is the entry point).

    python publish.py validate [DATASET ...]      check packages, privacy gate included
    python publish.py build                       validate and build the site into output/
    python publish.py serve                       serve output/ (and rebuild on change)
    python publish.py suppress RAW --dataset NAME make a raw table publishable (privacy gate)

Run `python publish.py COMMAND --help` for each command's options.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sys
from pathlib import Path

from tally.cli import site, staff
from tally.cli.common import add_common_options, emit, print_report, record
from tally.core.errors import TallyError, ValidationFailed
from tally.core.report import Outcome, Problem, Report


def main(argv=None, root=None) -> int:
    """Run one command; `root` is the site's folder (where pelicanconf.py and datasets/ are).

    With `--json`, stdout holds one JSON document, the command's Outcome, whatever happens:
    success, refusal, a bug or a command line not understood; every line the command prints
    otherwise (and whatever a library prints, such as Pelican's summary) goes to stderr.
    """
    root = Path(root or Path.cwd()).resolve()
    parser = build_parser(root)
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    if "--json" in argv:
        args, not_understood = _parse_for_json(parser, argv)
        if not_understood is not None:
            print(json.dumps(not_understood.to_dict(), indent=2))
            return 2
    else:
        args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s: %(message)s")
    args.notes, args.outcome, args.stdout = [], None, sys.stdout
    if not args.json:
        return _run(args)
    code = 1
    try:
        with contextlib.redirect_stdout(sys.stderr):
            code = _run(args)
    finally:
        if args.outcome is None:  # a command that prints no Outcome is a bug: a script must not read success
            code = 1
            record(args, False, f"publish.py {args.command} gave no JSON result (a bug in Tally)",
                   report=Report(problems=[Problem(rule="no-json-result", message="the command gave no result",
                                                   dataset="")]))
        emit(args)
    return code


def _run(args) -> int:
    """The command, with Tally's own refusals turned into messages and exit code 1."""
    try:
        return args.run(args)
    except ValidationFailed as failure:
        print_report(failure.report, args)
        record(args, False, failure.report.summary(), report=failure.report)
        return 1
    except TallyError as error:
        print(f"error: {error}", file=sys.stderr)
        problem = Problem(rule=type(error).__name__, message=str(error), dataset="")
        record(args, False, str(error), report=Report(problems=[problem]))
        return 1
    except Exception as error:  # anything else is a bug in Tally: one line unless --debug
        # The JSON names the type only: a bug's message may quote a cell it choked on.
        record(args, False, f"{type(error).__name__}: a bug in Tally (run with --debug for the traceback)",
               report=Report(problems=[Problem(rule="internal-error", message=type(error).__name__, dataset="")]))
        if args.debug:
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return 1


def _parse_for_json(parser: argparse.ArgumentParser, argv: list[str]) -> tuple:
    """(args, None) as usual; (None, its Outcome) for a command line argparse refuses (exit 2)."""
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            return parser.parse_args(argv), None
    except SystemExit as exit:
        sys.stderr.write(said.getvalue())  # the usage and argparse's message, as without --json
        if not exit.code:
            raise  # --help: help is not a command's outcome
        message = (said.getvalue().strip().splitlines() or ["the command line was not understood"])[-1]
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        command = next((a for a in argv if a in commands), "")
        problem = Problem(rule="usage", message=message, dataset="")
        return None, Outcome(command=command, ok=False, summary=message, report=Report(problems=[problem]))


def build_parser(root: Path) -> argparse.ArgumentParser:
    """The argument parser with every command; options shared by all come from add_common_options."""
    parser = argparse.ArgumentParser(prog="publish.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    parser.set_defaults(root=root)
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    common = add_common_options(root)
    site.add_commands(commands, common, root)
    staff.add_commands(commands, common, root)
    return parser
