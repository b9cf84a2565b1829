"""Find a count of people from 1 to threshold - 1 written into text (issue 10, "outside the tables").

A title, description, note, keyword, level label, chart description or release
reason reaches pages, feeds, data.json, the search index, downloads and images,
none of which pass through the table audits. "7 children", "only three girls",
"youth: 6" are refused; "2023-Q1", "Service Area 2", "ages 12-14" and
"45 children" are not. Callers report the field, never the match.
"""

from __future__ import annotations

import re

SPELLED = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
           "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
PEOPLE = (r"child(?:ren)?|kids?|girls?|boys?|youths?|young\s+people|minors?|teens?|teenagers?|victims?|"
          r"survivors?|people|persons?|individuals?|adults?|parents?|caregivers?|famil(?:y|ies)|women|men|"
          r"students?|clients?|participants?|buyers?|exploiters?|traffickers?|offenders?|arrests?|"
          r"arrestees?|referrals?|identifications?|placements?|cases?|patients?|residents?|juveniles?|"
          r"adolescents?|youngsters?|infants?|toddlers?|babies|daughters?|sons|siblings?|(?:\d+-)?year-olds?")
_NUMBER = r"(\d+|" + "|".join(SPELLED) + r")"
# A word between a number and the people it counts: "young", "CSEC-involved", "LGBTQ+", "at-risk".
_WORD = r"[a-z]+(?:[\u2010-\u2015'-][a-z]+)*\+?\s+"
# A number not glued to a range, date, decimal or code ("12-14", "2023-Q1", "1.5"), up to three words before a
# people word ("3 young girls", "7 commercially sexually exploited children": the site's own subject), or a
# people word followed by a number ("children: 6", "youth were 4").
_BEFORE = re.compile(r"(?<![\w.,/\u2010-\u2015-])(\d+)(?![\w/]|[.,\u2010-\u2015-]\d)"
                     r"\s+(?:" + _WORD + r"){0,3}?(?:" + PEOPLE + r")\b", re.I)
# "one person arrested twice counts twice" is how rules are written, not a count: "one" before
# a generic singular (person, individual) is left alone; "one child" is not.
# "one" is also how prose says "a" ("one chart shows children"): one word at most after it; other numbers, three.
_SPELLED = re.compile(r"\b(one\s+(?:" + _WORD + r")?|(?:" + "|".join(SPELLED[1:]) + r")\s+(?:" + _WORD + r"){0,3}?)"
                      r"(?:" + PEOPLE + r")\b(?<!\bone person)(?<!\bone individual)", re.I)
_AFTER = re.compile(r"\b(?:" + PEOPLE + r")\s*(?::|=|\bwas\b|\bwere\b|\bnumbered\b|\btotall?ed\b)\s*" + _NUMBER
                    + r"(?![\w.,\u2010-\u2015-]\d|\w)", re.I)


def _value(token: str) -> int:
    token = token.split()[0].lower()
    return SPELLED.index(token) + 1 if token in SPELLED else int(token)


def has_small_count(text, threshold: int) -> bool:
    """True when `text` writes a number from 1 to threshold - 1 next to a word for people."""
    if not isinstance(text, str) or not text:
        return False
    for pattern in (_BEFORE, _SPELLED, _AFTER):
        for match in pattern.finditer(text):
            if 1 <= _value(match.group(1)) < threshold:
                return True
    return False


def texts(value, path: str = ""):
    """(path, text) for every string inside a JSON value, e.g. ("views[0].spec.description", "...")."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}[{index}]")
