"""Text from datasets: Markdown rendered and sanitised, numbers and sizes formatted.

Dataset descriptors are written by many hands; Pelican does not escape template
output, so Markdown from a dataset is rendered here and then cleaned by nh3
(Ammonia) to a small allow-list before it is marked safe.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "br", "blockquote", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def markdown_html(text: str) -> Markup:
    """Render Markdown from a dataset to sanitised HTML (no scripts, styles, images or raw HTML)."""
    rendered = markdown.markdown(str(text or ""), extensions=[], output_format="html")
    clean = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean)


def inline_markdown_html(text: str) -> Markup:
    """Markdown for one line (a note, a caption): the same, without the wrapping paragraph."""
    html = str(markdown_html(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def human_size(size: int) -> str:
    """A file size as people read it: 950 bytes, 12 KB, 3.4 MB."""
    if size < 1000:
        return f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if size >= 10 else f"{size:.1f} {unit}"
    return f"{size} bytes"


def format_value(value) -> str:
    """A cell as shown in a table: thousands separators, no trailing zeros."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else str(value)
    return "" if value is None else str(value)
