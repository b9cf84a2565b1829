"""measure-fields: counts and derived measures name real annotation and source fields (issue 3, rule 2)."""

import pytest

from rule_support import field, found, messages, run
from support import minimal_descriptor


def test_a_count_without_an_annotation_field_is_an_error(tmp_path):
    descriptor = minimal_descriptor()
    del field(descriptor, "children")["tally:annotation"]
    report = run(tmp_path, descriptor=descriptor)
    assert found(report, "measure-fields") == [[None, "children"]]
    assert "names no annotation" in messages(report, "measure-fields")[0]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=minimal_descriptor()).valid


@pytest.mark.parametrize("change, words", [
    (lambda d: field(d, "children").update({"tally:annotation": "children_notes"}), "does not have"),
    (lambda d: field(d, "children_note").update({"tally:role": "dimension"}), 'has role "dimension"'),
])
def test_an_annotation_that_is_not_one(tmp_path, change, words):
    descriptor = minimal_descriptor()
    change(descriptor)
    assert any(words in m for m in messages(run(tmp_path, descriptor=descriptor), "measure-fields"))


def rate_descriptor(derived_from):
    descriptor = minimal_descriptor()
    fields = descriptor["resources"][0]["schema"]["fields"]
    fields += [{"name": "share", "type": "number", "tally:role": "measure", "tally:kind": "percentage",
                "tally:annotation": "share_note", "constraints": {"minimum": 0}},
               {"name": "share_note", "type": "string", "tally:role": "annotation",
                "constraints": {"enum": ["S", "N"]}}]
    if derived_from is not None:
        fields[-2]["tally:derivedFrom"] = derived_from
    return descriptor


# Q1's Under 15 share is hidden too: beside the hidden 15-17 it would give the quarter's whole back (derived-whole).
RATE_CSV = """quarter,age_band,children,children_note,share,share_note
2024-Q1,Under 15,12,,,S
2024-Q1,15-17,,S,,S
2024-Q2,Under 15,14,,100.0,
2024-Q2,15-17,0,,0.0,
"""


@pytest.mark.parametrize("derived_from, words", [
    (None, "names no source counts"),
    (["childern"], '"childern", which the resource does not have'),
    (["quarter"], "which is not a count"),
])
def test_a_derived_measure_names_its_source_counts(tmp_path, derived_from, words):
    report = run(tmp_path, descriptor=rate_descriptor(derived_from), csv=RATE_CSV)
    assert any(words in m for m in messages(report, "measure-fields")), report.to_dict()


def test_a_derived_measure_with_its_sources_is_valid(tmp_path):
    assert run(tmp_path, descriptor=rate_descriptor(["children"]), csv=RATE_CSV).valid
