"""No field may hold a direct identifier (DDG 3.2; DESIGN.md "Disclosure control" 5).

Judged by the field's name and title, split into words, and by its format. A
dimension such as "station name" is a category, not a person; only the terms
below, or "name" alone or after a word for a person, are identifiers.
"""

from __future__ import annotations

import re

from tally.privacy.checks.base import Audit

PERSON = (r"(first|last|middle|given|family|full|maiden|sur|fore|child|victim|person|client|parent|student|patient"
          r"|suspect|offender|case|youth|mother|father|guardian)")
NUMBER = r"(number|no|num|nbr|id|identifier)"
# (pattern over the words of a name joined by single spaces, what to call it)
TERMS = [
    (rf"^name$|\b{PERSON} ?name\b|\b(surname|forename|firstname|lastname|fullname)\b", "a name"),
    (r"\bdob\b|\bdate of birth\b|\bbirth ?date\b|\bbirthday\b|\bdate born\b", "a date of birth"),
    (r"\be ?mail\b", "an email address"),
    (r"\baddress(es)?\b|\bstreet\b", "an address"),
    (r"\bzip\b|\bzip ?code\b|\bpostal\b|\bpost ?code\b", "a postal code"),
    (r"\bphone\b|\btelephone\b|\bmobile\b|\bfax\b", "a phone number"),
    (r"\bssn\b|\bsocial security\b", "a Social Security number"),
    (rf"\b(case|client|booking|docket|inmate|arrest|incident|medical record|mrn) ?{NUMBER}\b|\bmrn\b",
     "a case or record number"),
]
FORMATS = {"email": "an email address", "uri": "a web address", "uuid": "a unique identifier"}


def words(text: str) -> str:
    """'dateOfBirth' / 'date_of_birth' / 'Date of birth' -> 'date of birth'."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(text))
    return " ".join(re.split(r"[^A-Za-z0-9]+", text.lower())).strip()


def identifier(text: str) -> str | None:
    """What kind of direct identifier `text` names, or None."""
    spaced = words(text)
    for pattern, what in TERMS:
        if re.search(pattern, spaced):
            return what
    return None


class Identifiers(Audit):
    type = "identifiers"
    title = "Field holds a direct identifier"
    description = ("No field is a direct identifier by name, title or format: names, dates of birth, addresses, "
                   "postal codes, phone numbers, email, SSNs, case, client, booking or docket numbers; no "
                   "`email`, `uri` or `uuid` formats.")
    hint = "remove the field: a published table holds counts by category, never a person's details"
    profiles = ("sensitive",)

    def audit(self, dataset):
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                for label, text in (("name", f.name), ("title", f.get("title"))):
                    what = identifier(text) if text else None
                    if what:
                        yield self.problem(dataset, f'resource "{resource.name}": field {label} "{text}" looks like '
                                                    f"{what}", field=f.name)
                        break
                else:
                    fmt = f.get("format")
                    if fmt in FORMATS:
                        yield self.problem(dataset, f'resource "{resource.name}": field "{f.name}" has format '
                                                    f'"{fmt}", which holds {FORMATS[fmt]}', field=f.name)
