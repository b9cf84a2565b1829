"""Tally's command line: parse, call the library, print, set the exit code (publish.py is the entry point).

    python publish.py validate [DATASET ...]      check packages, privacy gate included
    python publish.py build                       validate and build the site into output/
    python publish.py serve                       serve output/ (and rebuild on change)
    python publish.py suppress RAW --dataset NAME make a raw table publishable (privacy gate)

Run `python publish.py COMMAND --help` for each command's options.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from tally.cli import site, staff
from tally.cli.common import add_common_options, print_report
from tally.core.errors import TallyError, ValidationFailed
from tally.core.report import Problem, Report


def main(argv=None, root=None) -> int:
    """Run one command; `root` is the site's folder (where pelicanconf.py and datasets/ are)."""
    root = Path(root or Path.cwd()).resolve()
    parser = build_parser(root)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.run(args)
    except ValidationFailed as failure:
        if getattr(args, "json", False):
            print(json.dumps(failure.report.to_dict(), indent=2))
        else:
            print_report(failure.report, args)
        return 1
    except TallyError as error:
        if getattr(args, "json", False):
            problem = Problem(rule=type(error).__name__, message=str(error), dataset="")
            print(json.dumps(Report(problems=[problem]).to_dict(), indent=2))
        else:
            print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # anything else is a bug in Tally: one line unless --debug
        if args.debug:
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return 1


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
