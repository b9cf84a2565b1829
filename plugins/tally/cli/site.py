"""Commands that check and build the site: validate, build, serve."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from tally.cli.common import add_command, done, emit, failed, print_report, record, site_settings
from tally.core.errors import TallyError, ValidationFailed


def add_commands(commands, common: argparse.ArgumentParser, root: Path) -> None:
    """Add validate, build and serve to the subcommands."""
    validate = add_command(
        commands, common, "validate", run_validate,
        help="check data packages, privacy gate included",
        description="Validate data packages with Frictionless and every Tally rule. Exit 1 on any problem.",
        epilog="examples:\n  python publish.py validate\n  python publish.py validate first-responder-identifications\n"
               "  python publish.py validate --json > report.json")
    validate.add_argument("names", nargs="*", metavar="DATASET", help="dataset folder names (default: all)")

    build = add_command(
        commands, common, "build", run_build,
        help="validate and build the site",
        description="Validate every dataset, then build the site. On any error the existing output "
                    "folder is left exactly as it was.",
        epilog="examples:\n  python publish.py build\n  python publish.py build --settings publishconf.py\n"
               "  python publish.py build --datasets ../other-packages --profile open --output /tmp/site")
    build.add_argument("--output", default=str(root / "output"), metavar="DIR", help="where the site goes (default: output/)")
    build.add_argument("--force", action="store_true",
                       help="build even when nothing changed since the last build into --output")

    serve = add_command(
        commands, common, "serve", run_serve,
        help="serve the built site locally",
        description="Serve the output folder over HTTP on localhost. With --autoreload, rebuild when "
                    "datasets, content, theme or plugin files change.",
        epilog="example:\n  python publish.py serve --port 8000 --autoreload")
    serve.add_argument("--output", default=str(root / "output"), metavar="DIR", help="folder to serve (default: output/)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--autoreload", action="store_true", help="rebuild on change")


def run_validate(args) -> int:
    from tally.core.settings import tally_settings
    from tally.privacy.validation import validate

    settings = tally_settings(site_settings(args))
    if args.json:
        settings["TALLY_PROGRESS"] = None
    report, _ = validate(settings["TALLY_DATASETS_PATH"], settings, names=args.names or None,
                         progress=settings["TALLY_PROGRESS"])
    if report.valid:
        return done(args, report.summary(), report=report)
    print_report(report, args)  # ends with the summary's `error:` line
    # The Report's summary, as `validate --json` gave it before every command had an Outcome.
    record(args, False, report.summary(), report=report)
    return 1


def run_build(args) -> int:
    from tally.site.build import build_site

    result = build_site(site_settings(args), Path(args.output), force=args.force)
    if result.up_to_date:
        return done(args, f"nothing changed since the last build: {result.files} files in {result.output} left as "
                    "they were", "to build anyway: python publish.py build --force", result=result.to_dict())
    return done(args, f"built {result.datasets} dataset(s), {result.files} files into {result.output}",
                "view it with: python publish.py serve   (then open http://localhost:8000/)",
                result=result.to_dict())


def run_serve(args) -> int:
    output = Path(args.output)
    if args.autoreload:
        threading.Thread(target=_rebuild_on_change, args=(args,), daemon=True).start()
    if not output.is_dir():
        return failed(args, f"{output} does not exist; run `python publish.py build` first",
                      result={"output": str(output)})
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:  # the port is taken or not ours to use: the user's to change, not a bug
        return failed(args, f"cannot serve on port {args.port}: {error.strerror}; choose another with --port",
                      result={"output": str(output)})
    url = f"http://localhost:{args.port}/"
    print(f"serving {output} at {url} (Ctrl-C to stop)")
    # Serving never ends by itself: a script reading --json gets the address once the server listens.
    record(args, True, f"serving {output} at {url}", result={"output": str(output), "url": url,
                                                              "autoreload": bool(args.autoreload)})
    if args.json:
        emit(args)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _rebuild_on_change(args) -> None:
    from watchfiles import watch

    from tally.site.build import build_site

    watched = [args.root / name for name in ("datasets", "content", "theme", "plugins")]
    for _changes in watch(*[p for p in watched if p.exists()]):
        try:
            build_site(site_settings(args), Path(args.output))
            print("rebuilt")
        except ValidationFailed as failure:
            print_report(failure.report, args)
        except TallyError as error:
            print(f"error: {error}", file=sys.stderr)
