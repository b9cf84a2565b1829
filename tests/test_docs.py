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
