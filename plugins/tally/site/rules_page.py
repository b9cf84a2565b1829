"""The site's rules reference, /methodology/rules/: every validation rule, from the check classes.

The same source as docs/rules.md (`checks.rule_info`), so the page the
methodology links to cannot drift from what the validator runs. The HTML is
the `rules.html` template; this module only gathers the rules.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from markupsafe import Markup, escape

from tally.privacy import checks

URL = "methodology/rules/"
TITLE = "Validation rules"


def _text(text: str) -> Markup:
    """Escaped text with `code` spans."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def rule_sections() -> list[dict]:
    """Each rule's type, and its title, description, why and hint as escaped text with code spans."""
    infos = [checks.rule_info(rule) for rule in checks.ROW_CHECKS + checks.AUDITS]
    return [{"type": info["type"], **{k: _text(info[k]) for k in ("title", "description", "why", "hint")}}
            for info in infos]


def write_rules_page(generator, writer):
    """Write /methodology/rules/ with the `rules.html` template."""
    page = SimpleNamespace(title=TITLE, url=URL, slug="methodology/rules")
    generator.write_page(f"{URL}index.html", "rules", page=page, page_name=URL, rules=rule_sections())
