"""formula-injection: no text cell starts like a spreadsheet formula (issue 3, rule 8; OWASP CSV injection)."""

import pytest

from rule_support import field, found, run
from support import MINIMAL_CSV, minimal_descriptor


def labelled(levels):
    descriptor = minimal_descriptor()
    field(descriptor, "age_band")["constraints"]["enum"] = levels
    return descriptor


@pytest.mark.parametrize("label", ["=HYPERLINK(1)", "+15", "-17", "@SUM(A1)", "\tUnder 15"])
def test_a_text_cell_starting_like_a_formula(tmp_path, label):
    csv = MINIMAL_CSV.replace("Under 15", f'"{label}"')
    report = run(tmp_path, descriptor=labelled([label, "15-17"]), csv=csv)
    assert found(report, "formula-injection") == [[2, "age_band"], [4, "age_band"]]


def test_the_fixed_twin(tmp_path):
    csv = MINIMAL_CSV.replace("Under 15", "Under 17")
    assert run(tmp_path, descriptor=labelled(["Under 17", "15-17"]), csv=csv).valid


def test_a_lone_dash_meaning_not_applicable_is_allowed(tmp_path):
    # Real packages (datasets/currency-codes) write "-" for "none"; a lone sign computes nothing.
    csv = MINIMAL_CSV.replace("Under 15", "-")
    assert found(run(tmp_path, descriptor=labelled(["-", "15-17"]), csv=csv), "formula-injection") == []


def test_a_negative_number_is_a_number_not_text(tmp_path):
    descriptor = minimal_descriptor()
    fields = descriptor["resources"][0]["schema"]["fields"]
    fields.append({"name": "change", "type": "integer", "tally:role": "measure", "tally:kind": "quantity"})
    csv = MINIMAL_CSV.replace("children_note\n", "children_note,change\n").replace(",\n", ",,-3\n").replace(
        ",S\n", ",S,-4\n").replace(",0,,-3", ",0,,5")
    assert found(run(tmp_path, descriptor=descriptor, csv=csv), "formula-injection") == []


def test_it_applies_in_the_open_profile_too(tmp_path):
    csv = MINIMAL_CSV.replace("Under 15", "=1+1")
    report = run(tmp_path, descriptor=labelled(["=1+1", "15-17"]), csv=csv, TALLY_PROFILE="open")
    assert found(report, "formula-injection")
