"""derived-suppressed: a rate of a suppressed count is suppressed too (issue 3, rule 3)."""

from test_measure_fields import RATE_CSV, rate_descriptor

from rule_support import found, messages, run


def test_a_percentage_of_a_suppressed_count_is_an_error(tmp_path):
    csv = RATE_CSV.replace("2024-Q1,15-17,,S,,S", "2024-Q1,15-17,,S,37.5,")
    report = run(tmp_path, descriptor=rate_descriptor(["children"]), csv=csv)
    assert found(report, "derived-suppressed") == [[3, "share"]]
    assert '"children", which it is computed from, is suppressed' in messages(report, "derived-suppressed")[0]


def test_an_empty_derived_value_must_say_suppressed(tmp_path):
    csv = RATE_CSV.replace("2024-Q1,15-17,,S,,S", "2024-Q1,15-17,,S,,N")
    report = run(tmp_path, descriptor=rate_descriptor(["children"]), csv=csv)
    assert found(report, "derived-suppressed") == [[3, "share"]]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=rate_descriptor(["children"]), csv=RATE_CSV).valid


def test_a_source_with_no_data_does_not_force_suppression(tmp_path):
    csv = RATE_CSV.replace("2024-Q1,15-17,,S,,S", "2024-Q1,15-17,,N,,N")
    assert run(tmp_path, descriptor=rate_descriptor(["children"]), csv=csv).valid
