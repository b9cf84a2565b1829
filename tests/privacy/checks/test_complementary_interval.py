"""complementary-interval: no suppressed cell can be narrowed to a too-small range (issue 3, rule 5).

CalHHS DDG 4.4.1 rule 6(b): suppressed cells of a row that sum below the
threshold need one more suppression. A published file does not say which
hidden cells are the small ones, so CI audits what any reader can compute;
`publish.py suppress` also runs the stronger audit that knows them (tested in
tests/test_suppression.py).
"""

from rule_support import field, found, messages, quarter, rows_csv, run, total_descriptor


def test_hidden_cells_summing_below_the_threshold(tmp_path):
    report = run(tmp_path, descriptor=total_descriptor(), csv=rows_csv(quarter("2024-Q1", [None, None, 40, 50])))
    assert sorted(found(report, "complementary-interval")) == [[2, "children"], [3, "children"]]
    message = messages(report, "complementary-interval")[0]
    assert "can be narrowed down to a small number (below 11)" in message
    assert 'the age_band total "All ages" for (quarter=2024-Q1)' in message


def test_the_fixed_twin_hides_a_larger_cell(tmp_path):
    assert run(tmp_path, descriptor=total_descriptor(),
               csv=rows_csv(quarter("2024-Q1", [None, None, None, 50]))).valid


def test_the_width_is_a_setting(tmp_path):
    # Hidden cells summing to 20 are each 1..19: wide enough at 9, not at 19. (A reader who
    # guesses both are small learns each is 10: complementary-guess refuses that, issue 16.)
    csv = rows_csv(quarter("2024-Q1", [None, None, 40, 60]))
    assert not found(run(tmp_path / "a", descriptor=total_descriptor(), csv=csv), "complementary-interval")
    assert found(run(tmp_path / "b", descriptor=total_descriptor(), csv=csv, TALLY_PROTECTION_WIDTH=19),
                 "complementary-interval")


def test_a_raised_threshold_widens_the_protection(tmp_path):
    descriptor = total_descriptor()
    descriptor["tally:disclosure"] = {"threshold": 25}
    csv = rows_csv(quarter("2024-Q1", [None, None, 40, 60]))  # 1..19 is narrower than 25 - 2
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert sorted(found(report, "complementary-interval")) == [[2, "children"], [3, "children"]]


def test_totals_that_do_not_add_up(tmp_path):
    # Two hidden cells of at least 1 each cannot fit in 50 - 49 (a hidden zero, or a wrong total).
    report = run(tmp_path, descriptor=total_descriptor(), csv=rows_csv(quarter("2024-Q1", [None, None, 49, 50])))
    assert any("does not add up with the suppressed cells" in m for m in messages(report, "complementary-interval"))


def test_a_source_that_hides_zeros_may_have_hidden_zeros(tmp_path):
    descriptor = total_descriptor()
    descriptor["tally:disclosure"] = {"zerosSuppressed": True}
    csv = rows_csv(quarter("2024-Q1", [None, None, 50, 50]))
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert not any("does not add up" in m for m in messages(report, "complementary-interval"))


def test_not_available_cells_are_left_out_of_the_sums(tmp_path):
    # An N cell holds no data: it adds nothing to the total, so it hides nothing either.
    descriptor = total_descriptor()
    field(descriptor, "children_note")["constraints"]["enum"] = ["S", "N"]
    rows = quarter("2024-Q1", [None, None, 30, 60], codes=["S", "N", None, None])
    assert found(run(tmp_path, descriptor=descriptor, csv=rows_csv(rows)), "complementary-exact") == [
        [2, "children"]]


def test_a_hidden_cell_shown_to_be_zero_reveals_nothing(tmp_path):
    # Only a source that hides zeros can have one: its row's published cells already reach the total,
    # so both hidden cells are 0. (The CT files have many such rows.)
    descriptor = total_descriptor()
    descriptor["tally:disclosure"] = {"zerosSuppressed": True}
    report = run(tmp_path, descriptor=descriptor, csv=rows_csv(quarter("2024-Q1", [None, None, 50, 50])))
    assert report.valid
