"""identifiers: no direct identifier by field name, title or format (issue 3, rule 7)."""

import pytest

from tally.privacy.checks.identifiers import identifier

from rule_support import found, messages, run
from support import MINIMAL_CSV, minimal_descriptor


def with_extra(extra):
    descriptor = minimal_descriptor()
    descriptor["resources"][0]["schema"]["fields"][1].update(extra)
    return descriptor


@pytest.mark.parametrize("extra, words", [
    ({"name": "first_name"}, "a name"),
    ({"title": "Date of birth"}, "a date of birth"),
    ({"name": "zip"}, "a postal code"),
    ({"name": "caseNumber"}, "a case or record number"),
    ({"format": "email"}, "an email address"),
])
def test_an_identifying_field_is_an_error(tmp_path, extra, words):
    descriptor = with_extra(extra)
    csv = None
    if "name" in extra:  # a renamed field: rename the CSV column and the key to match
        csv = MINIMAL_CSV.replace("age_band", extra["name"])
        descriptor["resources"][0]["schema"]["primaryKey"] = ["quarter", extra["name"]]
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert len(found(report, "identifiers")) == 1
    assert words in messages(report, "identifiers")[0]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=with_extra({"title": "Age band"})).valid


@pytest.mark.parametrize("text", ["name", "Last name", "DateOfBirth", "birth_date", "Street", "postal_code",
                                  "phone", "E-mail", "SSN", "client_id", "booking no", "docket_number"])
def test_identifying_words(text):
    assert identifier(text)


@pytest.mark.parametrize("text", ["Station name", "service_area", "age_band", "children", "Number of cases",
                                  "Town", "zipper", "case type", "arrest_type"])
def test_categories_are_not_identifiers(text):
    assert identifier(text) is None


def test_the_open_profile_does_not_apply_it(tmp_path):
    assert found(run(tmp_path, descriptor=with_extra({"title": "Home address"}), TALLY_PROFILE="open"),
                 "identifiers") == []
