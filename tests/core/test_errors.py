"""core/errors.py: every exception Tally raises lives here and derives from TallyError (issue 9)."""

import ast
import inspect

from tally.core import errors

from support import REPO


def test_every_exception_class_is_defined_in_core_errors():
    # publish.py catches TallyError to print one line; an exception defined elsewhere (DiffError
    # once derived from Exception) reached users as a traceback-shaped "bug" message.
    elsewhere = []
    for path in sorted((REPO / "plugins" / "tally").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", "")).endswith(("Error", "Exception", "Failed"))
                    for base in node.bases) and path.name != "errors.py":
                elsewhere.append(f"{path.relative_to(REPO)}: {node.name}")
    # Rule error types (one per check, frictionless-style) are errors of the validated data, not exceptions.
    elsewhere = [e for e in elsewhere if "/checks/" not in e]
    assert elsewhere == []


def test_every_exception_derives_from_tally_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, Exception)]
    assert len(classes) > 10
    assert all(issubclass(c, errors.TallyError) for c in classes)


def test_a_long_list_of_intake_problems_is_cut_and_says_nothing_was_written():
    error = errors.IntakeError("q3.xlsx", [f"row {n}: wrong" for n in range(30)], "fix the rows")
    text = str(error)
    assert text.startswith("30 problems in q3.xlsx") and "... and 10 more" in text
    assert text.endswith("nothing was written") and "how to fix: fix the rows" in text
