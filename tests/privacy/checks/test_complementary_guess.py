"""complementary-guess: a reader who guesses which hidden cells are the small ones learns nothing (issue 16).

DDG 4.4.1 rule 6 worked examples typed by hand ("10-9", "10-10-10 / 74") are refused;
a count too large for exact arithmetic is refused with a message, never rounded.
"""

from rule_support import AGES, found, messages, run, total_descriptor


def five_band_descriptor():
    descriptor = total_descriptor()
    age = descriptor["resources"][0]["schema"]["fields"][1]
    age["constraints"]["enum"] = ["Under 12", "12-14", "15-17", "Unknown", "All ages"]
    return descriptor


def by_hand(values, levels) -> str:
    lines = ["quarter,age_band,children,children_note"]
    for level, v in zip(levels, values):
        lines.append(f"2024-Q1,{level},{'' if v is None else v},{'S' if v is None else ''}")
    return "\n".join(lines) + "\n"


def test_ten_nine_typed_by_hand_is_refused(tmp_path):
    report = run(tmp_path, descriptor=total_descriptor(), csv=by_hand([None, None, 40, 59], AGES))
    assert not report.valid
    assert sorted(found(report, "complementary-guess")) == [[2, "children"], [3, "children"]]
    assert all("guess" in m for m in messages(report, "complementary-guess"))


def test_ten_ten_ten_over_seventy_four_typed_by_hand_is_refused(tmp_path):
    levels = ["Under 12", "12-14", "15-17", "Unknown", "All ages"]
    report = run(tmp_path, descriptor=five_band_descriptor(), csv=by_hand([None, None, None, 44, 74], levels))
    assert not report.valid
    assert sorted(found(report, "complementary-guess")) == [[2, "children"], [3, "children"], [4, "children"]]


def test_a_safe_pattern_typed_by_hand_passes(tmp_path):
    report = run(tmp_path, descriptor=total_descriptor(), csv=by_hand([None, None, 40, 61], AGES))
    assert not found(report, "complementary-guess")


def test_a_huge_count_is_refused_by_the_gate_with_a_message(tmp_path):
    big = 2 ** 53
    report = run(tmp_path, descriptor=total_descriptor(),
                 csv=by_hand([None, None, big, big + 40], AGES))
    assert not report.valid
    texts = " ".join(p.message for p in report.problems)
    assert "too large" in texts and str(big) not in texts
