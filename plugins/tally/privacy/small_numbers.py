"""Find a count of people from 1 to threshold - 1 written into text (issue 10, "outside the tables").

A title, description, note, keyword, level label, chart description or release
reason reaches pages, feeds, data.json, the search index, downloads and images,
none of which pass through the table audits. "7 children", "only three girls",
"youth: 6", "the 12-14 count is 6", "n = 6", "a total of 4", "six were
identified", "4 of them", "fewer than 5" are refused; "2023-Q1", "Service Area
2", "ages 12-14", "45 children", "counts from 1 to 10 are suppressed" and "fewer
than 11" (at the threshold) are not. Callers report the field, never the match.
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
_AFTER = re.compile(r"\b(?:" + PEOPLE + r")\s*(?::|=|\bwas\b|\bwere\b|\bis\b|\bnumbered\b|\btotall?ed\b|\bstood\s+at\b|"
                    r"\breached\b|\bcame\s+to\b|\bequall?(?:s|ed)?\b)\s*" + _NUMBER
                    + r"(?![\w.,\u2010-\u2015-]\d|\w)", re.I)


# -- counts said without a people word next to the number (red team, session 4) -------------------------------
# "The 12-14 count is 6", "count: 6", "n = 6", "a total of 4", "six were identified", "4 of them", "victims (5)",
# "fewer than 5": a count word, a statistic marker or a verb of counting people beside a small number.
_ANY = r"(\d+|" + "|".join(SPELLED) + r")"
_TWO_UP = r"(\d+|" + "|".join(SPELLED[1:]) + r")"  # "one" is how prose says "a": "one of them", "one was"
# Not a count: a range ("1 to 10", "12-14", "10 or fewer"), a decimal, a date, a share, or a number of things.
UNITS = (r"quarters?|years?|months?|weeks?|days?|hours?|periods?|tables?|charts?|areas?|stations?|regions?|"
         r"districts?|sites?|bands?|groups?|categories|columns?|rows?|files?|datasets?|pages?|sections?|steps?|"
         r"percent|per\s?cent|points?|times|classes|sessions|trainings?|operations?|levels?|releases?|versions?|"
         r"january|february|march|april|may|june|july|august|september|october|november|december|"
         r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec")
_END = (r"(?![\w/%]|[.,:]\d|\s*[\u2010-\u2015-]\s*\w|\s*%|\s+(?:to|through|thru|and|or|in)\s+\d"
        r"|\s+or\s+(?:fewer|less|more|under|below|over|above|smaller|larger)\b|\s+(?:[a-z]+\s+)?(?:" + UNITS + r")\b)")
_COUNT_WORD = r"counts?|totals?|number|tally|sum"
_IS = r"(?:[:=]|\(|\bis\b|\bwas\b|\bwere\b|\bof\b|\bstood\s+at\b|\breached\b|\bequall?(?:s|ed)?\b|\bcame\s+to\b)"
_MARKED = re.compile(r"\b(" + _COUNT_WORD + r")\s*" + _IS + r"\s*" + _ANY + _END, re.I)
# "The number of children identified in 2023-Q1 was 6": a count word, people, then the figure, in one sentence.
_NUMBER_OF = re.compile(r"\b(?:number|count|total|tally)\s+of\b[^.;!?]{0,60}?\b(?:" + PEOPLE + r")\b[^.;!?]{0,60}?"
                        r"(?:[:=]|\bis\b|\bwas\b|\bwere\b|\bstood\s+at\b|\breached\b|\btotall?ed\b)\s*" + _ANY + _END,
                        re.I)
_STATISTIC = re.compile(r"(?<![\w.])n\s*[=:]\s*" + _ANY + _END, re.I)
_VERBS = (r"identified|arrested|referred|placed|recovered|rescued|served|enrolled|reported|trafficked|exploited|"
          r"victimi[sz]ed|charged|convicted|detained|removed|located|found|screened|assessed|interviewed|missing|"
          r"involved|confirmed|suspected|sentenced|booked|cited|released|counted|seen|treated|housed|hospitali[sz]ed|"
          r"killed|injured|harmed|abused|sold|recruited|groomed")
_COUNTED = re.compile(r"(?<![\w.,/\u2010-\u2015-])" + _TWO_UP + r"\s+(?:were|was|are|is|have\s+been|had\s+been|"
                      r"has\s+been|got|became)\s+(?:(?:also|all|newly|later|since|then|subsequently|first)\s+)?"
                      r"(?:" + _VERBS + r")\b", re.I)
_OF_THEM = re.compile(r"(?<![\w.,/\u2010-\u2015-])" + _TWO_UP + r"\s+of\s+(?:them|those|these|whom)\b", re.I)
_BRACKETED = re.compile(r"\b(?:" + PEOPLE + r"|" + _COUNT_WORD + r")\s*:?\s*\(\s*" + _ANY + r"\s*\)", re.I)
# "fewer than 5" bounds a hidden count more tightly than "suppressed" does; "counts fewer than 11 are suppressed"
# (the threshold) and "ages less than 5 years" are not counts of people.
_BOUND = re.compile(r"\b(?:fewer\s+than|less\s+than|at\s+most|no\s+more\s+than|not\s+more\s+than)\s+" + _ANY + _END,
                    re.I)
# A bound is a rule, not a count, when the words before it say what it bounds: counts, cells, figures...
_RULE_WORDS = re.compile(r"\b(?:counts?|cells?|figures?|values?|numbers?|totals?|suppress\w*|threshold|round\w*|"
                         r"hidden|hide|withheld|rule)\b[^.;!?]{0,40}$", re.I)
# "version number is 2", "case number: 4": the number of a thing, not a count.
_NAMED_NUMBER = re.compile(r"\b(?:version|section|page|table|phone|case|serial|reference|release|item|step|line|"
                           r"figure|chart|row|column|id|file|account|docket|route|unit|room|lot)\s*$", re.I)


def _value(token: str) -> int:
    token = token.split()[0].lower()
    return SPELLED.index(token) + 1 if token in SPELLED else int(token)


def _counts(text: str):
    """Every number `text` writes as a count of people (what the patterns above match)."""
    for pattern in (_BEFORE, _SPELLED, _AFTER, _NUMBER_OF, _STATISTIC, _COUNTED, _OF_THEM, _BRACKETED):
        for match in pattern.finditer(text):
            yield match.group(match.lastindex)
    for match in _MARKED.finditer(text):
        if not _NAMED_NUMBER.search(text[:match.start()]):
            yield match.group(2)
    for match in _BOUND.finditer(text):
        if not _RULE_WORDS.search(text[max(0, match.start() - 60):match.start()]):
            yield match.group(1)


def has_small_count(text, threshold: int) -> bool:
    """True when `text` writes a number from 1 to threshold - 1 as a count of people."""
    if not isinstance(text, str) or not text:
        return False
    return any(1 <= _value(token) < threshold for token in _counts(text))


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
