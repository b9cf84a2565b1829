"""The site's rules reference, /methodology/rules/: every validation rule, from the check classes.

The same source as docs/rules.md (`checks.rule_info`), so the page the
methodology links to cannot drift from what the validator runs.
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


def rules_html() -> Markup:
    """The page body: an introduction, then one section per rule."""
    parts = [
        "<p>Every dataset is checked with these rules before it is published, and again by every build. "
        "A file that breaks any of them is not published. The methodology page explains them in plain "
        'words; this page lists each one as the checks state it.</p>',
        "<ul>",
    ]
    infos = [checks.rule_info(rule) for rule in checks.ROW_CHECKS + checks.AUDITS]
    for info in infos:
        parts.append(f'<li><a href="#{escape(info["type"])}">{_text(info["title"])}</a></li>')
    parts.append("</ul>")
    for info in infos:
        parts += [
            f'<h2 id="{escape(info["type"])}">{_text(info["title"])} <code>{escape(info["type"])}</code></h2>',
            f"<p>{_text(info['description'])}</p>",
            f"<p><strong>Why:</strong> {_text(info['why'])}</p>",
            f"<p><strong>How to fix:</strong> {_text(info['hint'])}.</p>",
        ]
    return Markup("\n".join(parts))


def write_rules_page(generator, writer):
    """Write /methodology/rules/ with the site's page template."""
    page = SimpleNamespace(title=TITLE, content=rules_html(), url=URL, slug="methodology/rules")
    writer.write_file(f"{URL}index.html", generator.get_template("page"), generator.context,
                      page=page, page_name=URL)
