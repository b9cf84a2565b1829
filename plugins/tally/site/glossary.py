"""The glossary: the words the site uses in a special sense, and links to them where they first appear.

One list of terms feeds both the /glossary/ page and the linker, so every linked
word has an entry and every entry says what a reader meets on the pages (issue 11).
A term is linked once per page, at its first use, outside links, code and headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

GLOSSARY_PATH = "glossary/"


@dataclass(frozen=True)
class Term:
    slug: str  # the anchor on the glossary page
    name: str
    definition: str
    pattern: str  # what counts as a use of the term in a page's text (case-insensitive)


TERMS = [
    Term("csec", "CSEC",
         "Commercially sexually exploited children: children and youth who are sexually exploited for money, "
         "food, shelter or anything else of value. County departments count the children they identify and the "
         "training their staff receive.",
         r"\bCSEC\b|commercially sexually exploited child(?:ren)?"),
    Term("first-responder-protocol", "First-responder protocol",
         "The county's agreed steps when a child may be commercially sexually exploited: who is called, within "
         "how many hours, and which services are offered. A child counted under the protocol is one for whom "
         "these steps were started.",
         r"first-responder protocol"),
    Term("operation", "Operation",
         "A planned law-enforcement action against sex trafficking, such as a sting aimed at buyers or a "
         "search of a place where exploitation is suspected. Operations are counted as events, not people.",
         r"\boperations?\b"),
    Term("exploiter", "Exploiter or trafficker",
         "An adult who recruits, harbours, transports or profits from a person's commercial sexual exploitation.",
         r"\bexploiters?\b|\btraffickers?\b"),
    Term("buyer", "Buyer",
         "An adult who pays, or offers to pay, for sex with a person who is exploited.",
         r"\bbuyers?\b"),
    Term("complementary-suppression", "Complementary suppression",
         "Hiding a larger figure as well as a small one, so that the small one cannot be worked out by "
         "subtracting the published figures from a published total. Such cells are marked S too, on purpose.",
         r"complementary suppression"),
    Term("suppressed", "Suppressed (S)",
         "A figure hidden to protect the privacy of the people counted. Counts from 1 to 10 are never "
         "published, and some larger ones are hidden too (see complementary suppression). A suppressed figure "
         "is never zero and is never drawn as zero.",
         r"\bsuppress(?:ed|ion)\b"),
    Term("not-available", "Not available (n/a)",
         "No data was collected for this cell: it is not hidden, there is nothing to show.",
         r"\bnot available\b"),
    Term("provisional", "Provisional (P)",
         "A published figure that may still change in the next release, usually because records for the "
         "latest quarter are still being completed.",
         r"\bprovisional\b"),
    Term("revised", "Revised (R)",
         "A published figure that changed since the previous release; the release notes say why.",
         r"\brevised\b|\brevision\b"),
    Term("quarter", "Quarter",
         "Three calendar months, written like 2024-Q1: Q1 is January to March, Q2 April to June, Q3 July to "
         "September, Q4 October to December.",
         r"\bquarters?\b"),
]
_COMPILED = [(term, re.compile(term.pattern, re.IGNORECASE)) for term in TERMS]
_TAG = re.compile(r"(<[^>]+>)")
_SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "script", "style", "summary"}


def link_terms(html: str, seen: set[str], siteurl: str = "") -> Markup:
    """`html` with the first use of each term not in `seen` linked to its glossary entry; `seen` grows.

    `html` must be safe HTML already (sanitised Markdown or escaped text): only text
    between tags is touched, and the link text is that text itself.
    """
    out, skipping = [], []
    for part in _TAG.split(str(html)):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            tag = name.group(1).lower() if name else ""
            if tag in _SKIP and not part.endswith("/>"):
                if part.startswith("</"):
                    if tag in skipping:
                        skipping.remove(tag)
                else:
                    skipping.append(tag)
            out.append(part)
            continue
        if not skipping and part:
            part = _link_text(part, seen, siteurl)
        out.append(part)
    return Markup("".join(out))


def _link_text(text: str, seen: set[str], siteurl: str) -> str:
    spans = []  # (start, end, term) of the links made in this text, never overlapping
    for term, pattern in _COMPILED:
        if term.slug in seen:
            continue
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end, _ in spans):
                continue
            spans.append((match.start(), match.end(), term))
            seen.add(term.slug)
            break
    for start, end, term in sorted(spans, key=lambda s: s[0], reverse=True):
        text = (f'{text[:start]}<a class="term" href="{siteurl}/{GLOSSARY_PATH}#{term.slug}">'
                f"{text[start:end]}</a>{text[end:]}")
    return text


def glossary_filter(siteurl: str = ""):
    """A Jinja filter that links the terms of one piece of page content (its own `seen`)."""
    return lambda html: link_terms(html, set(), siteurl)
