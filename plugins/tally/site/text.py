"""Text from datasets: Markdown rendered and sanitised, numbers and sizes formatted.

Dataset descriptors are written by many hands; Pelican does not escape template
output, so Markdown from a dataset is rendered here and then cleaned by nh3
(Ammonia) to a small allow-list before it is marked safe.
"""

from __future__ import annotations

import decimal
import html
import re

import humanize
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
    """A file size as people read it, one way everywhere (issue 11): 950 Bytes, 5.3 kB, 17 kB, 3.4 MB."""
    return humanize.naturalsize(size, format="%.3g")


def format_value(value) -> str:
    """A cell as shown in a table: thousands separators, no trailing zeros."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, decimal.Decimal) and value.is_finite():
        places = max(0, -value.as_tuple().exponent)  # keep the precision the data was written with
        return f"{value:,.{places}f}"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else str(value)
    if hasattr(value, "isoformat") or (hasattr(value, "year") and hasattr(value, "month")):
        return json_value(value)
    return "" if value is None else str(value)


def percent(part, whole, places: int = 0) -> str:
    """part/whole as a percentage rounded half away from zero, as spreadsheets do: 15/120 -> "13%".

    Python's round() and format() round half to even (12.5 -> 12), which readers
    checking a figure in Excel read as a mistake (issue 11).
    """
    share = decimal.Decimal(str(part)) * 100 / decimal.Decimal(str(whole))
    rounded = share.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return f"{rounded:,.{places}f}%"


def plain_text(markdown_text: str) -> str:
    """Markdown from a dataset as plain text (for README.txt and spreadsheets): paragraphs kept, markup gone."""
    rendered = str(markdown_html(markdown_text))
    paragraphs = []
    for block in re.split(r"</(?:p|li|h3|h4|blockquote)>", rendered):
        text = html.unescape(re.sub(r"<[^>]+>", " ", block))
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def json_value(value):
    """A typed cell as JSON: Decimals as numbers, dates as ISO text, year-months as 2024-07."""
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "year") and hasattr(value, "month"):  # frictionless yearmonth
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


def first_sentence(text: str) -> str:
    """The first sentence of a plain-text paragraph (a summary that fits above the fold)."""
    text = " ".join(str(text or "").split())
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z\"“(])", text)
    return text[:match.start()] if match else text


def absolute_url(site_url: str, path: str) -> str:
    """The absolute address of a site path such as `datasets/x/`: one slash between them, however each is written."""
    return f"{str(site_url or '').rstrip('/')}/{path.lstrip('/')}"
