"""docs/rules.md is generated from the check classes; every rule has a description and a test file.

STYLE.md 10: the docs cannot drift from the code (frictionless-py generates its
error docs the same way; datasette's tests fail on an undocumented hook).
"""

import pytest

from tally.privacy import checks

from support import REPO

RULES = checks.ROW_CHECKS + checks.AUDITS + checks.SITE_AUDITS


def test_rules_page_is_current():
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == checks.rules_markdown(), (
        "docs/rules.md is stale: run `PYTHONPATH=plugins .venv/bin/python -m tally.privacy.checks > docs/rules.md`")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.type)
def test_every_rule_has_a_title_description_hint_and_test_file(rule):
    info = checks.rule_info(rule)
    assert info["title"] and info["description"] and info["hint"] and info["why"], info
    assert (REPO / "tests" / "privacy" / "checks" / f"test_{info['module']}.py").is_file(), info["module"]


def test_rule_types_are_unique_kebab_case():
    types = [r.type for r in RULES]
    assert len(types) == len(set(types))
    assert all(t == t.lower() and " " not in t and "_" not in t for t in types)


def test_every_rule_is_listed_in_the_conventions_page():
    conventions = (REPO / "docs" / "conventions.md").read_text(encoding="utf-8")
    assert "rules.md" in conventions
