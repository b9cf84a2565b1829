#!/usr/bin/env python3
"""Tally's command line; the commands live in plugins/tally/cli/ (run `python publish.py --help`)."""

import sys
from pathlib import Path

from tally import cli

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    """Run a command for the site in this folder (its pelicanconf.py, datasets/ and output/)."""
    return cli.main(argv, root=HERE)


if __name__ == "__main__":
    sys.exit(main())
