"""The code keeps the shape the README's "What is where" describes (issue 9).

Each library module has a test module named after it, so a newcomer finds a module's
tests without searching; the layer contract is checked by import-linter in `make lint`
(and `test_a_wrong_import_fails_the_contract` shows that it bites).
"""

import shutil
import subprocess
import sys

import pytest

from support import REPO

PACKAGE = REPO / "plugins" / "tally"


def library_modules():
    """Every module of plugins/tally except package files, the rule classes and the rules' shared base."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if path.name.startswith("__") or relative.parts[:2] == ("privacy", "checks"):
            continue  # checks: tests/privacy/checks/test_<rule>.py, enforced by test_rules_doc.py
        found.append(relative)
    return found


def test_every_library_module_has_a_test_module_named_after_it():
    modules = library_modules()
    assert len(modules) > 30
    missing = []
    for relative in modules:
        wing, *inner, name = relative.with_suffix("").parts
        test = REPO / "tests" / wing / ("test_" + "_".join([*inner, name]) + ".py")
        if not test.is_file():
            missing.append(f"{relative} -> {test.relative_to(REPO)}")
    assert missing == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to copy the tree")
def test_a_wrong_import_fails_the_contract(tmp_path):
    # A core module that imports the site layer breaks "imports point one way only".
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", "output", ".cache", ".git", "tests", "datasets"))
    bad = copy / "plugins" / "tally" / "core" / "periods.py"
    bad.write_text(bad.read_text() + "\nfrom tally.site import pages  # noqa: E402,F401\n")
    lint = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())"]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy / "plugins")}
    broken = subprocess.run(lint, cwd=copy, capture_output=True, text=True, env=env)
    assert broken.returncode != 0 and "tally.core.periods -> tally.site.pages" in broken.stdout
    bad.write_text(bad.read_text().replace("from tally.site import pages  # noqa: E402,F401\n", ""))
    kept = subprocess.run(lint, cwd=copy, capture_output=True, text=True, env=env)
    assert kept.returncode == 0, kept.stdout
