"""The documentation cannot drift from the code: every setting and tally: property is documented."""

import re

from tally.core.settings import DEFAULTS

from support import REPO

DOCS = REPO / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text()
    missing = [name for name in DEFAULTS if f"`{name}`" not in text]
    assert missing == []


def test_every_tally_property_the_code_reads_is_in_the_conventions():
    conventions = (DOCS / "conventions.md").read_text()
    used = set()
    for path in (REPO / "plugins" / "tally").rglob("*.py"):
        used |= set(re.findall(r"""["'](tally:[A-Za-z_]+)["']""", path.read_text()))
    for path in (REPO / "datasets").rglob("datapackage.json"):
        used |= set(re.findall(r'"(tally:[A-Za-z_]+)"', path.read_text()))
    assert len(used) > 10  # the scan found the properties at all
    missing = sorted(p for p in used if f"`{p}`" not in conventions)
    assert missing == []


def test_every_annotation_code_is_documented():
    from tally.core.annotations import CODES

    conventions = (DOCS / "conventions.md").read_text()
    assert all(re.search(rf"^\| `{code}` \|", conventions, re.M) for code in CODES)


def test_every_view_key_and_mark_is_documented():
    from tally.privacy.checks.view_fields import FIELD_KEYS, MARKS

    conventions = (DOCS / "conventions.md").read_text()
    for key in FIELD_KEYS + ("filter", "description", "mark"):
        assert f"| `{key}` |" in conventions, key
    for mark in MARKS:
        assert f"`{mark}`" in conventions, mark


def _quick_start() -> str:
    readme = (REPO / "README.md").read_text()
    return readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_readme_quick_start_is_a_prerequisites_line_and_two_commands():
    # A newcomer on bare Debian must learn before the first command what to install
    # and what the install needs (issue 15: python3-venv was missing, the disk unsaid). A fresh
    # Debian container has no package lists, so `apt-get install` alone finds nothing.
    section = _quick_start()
    prerequisites = next(line for line in section.splitlines() if line.startswith("Prerequisites"))
    for needed in ("apt-get update && sudo apt-get install python3-venv make git", "chromium", "800 MB",
                   "package index"):
        assert needed in prerequisites, needed
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    commands = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["make site", "make test"]
    assert len(blocks) == 1, "the quick start has exactly one block of commands"
    targets = re.findall(r"^([a-z]+):", (REPO / "Makefile").read_text(), re.M)
    assert {"site", "test"} <= set(targets)


def test_readme_explains_each_skip_reason_the_tests_give():
    # The README quotes the reasons pytest prints, so a newcomer can match one to the other.
    section = _quick_start()
    for source, quoted in (("support.py", "is not beside this clone"),
                           ("browser_support.py", "Debian's chromium is not installed")):
        assert quoted in (REPO / "tests" / source).read_text()
        assert quoted in section
    assert "../shared/corpus" in section and "Troubleshooting" in section


def test_every_command_has_a_section_in_the_json_docs():
    # docs/cli.md says what each command's --json `result` holds; a new command adds its section.
    import argparse

    from tally.cli import build_parser

    parser = build_parser(REPO)
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    text = (DOCS / "cli.md").read_text()
    assert len(commands) > 5
    missing = sorted(name for name in commands if f"### `{name}`" not in text)
    assert missing == []
