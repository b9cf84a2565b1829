"""complementary-exact: no suppressed cell follows exactly from published totals (issue 3, rule 4).

The DDG's worked examples (CalHHS DDG 4.4.3) as packages; disclosure.py's own
tests cover the mathematics, these cover reading the files and the messages.
"""

import json

from tally.privacy.validation import validate

from rule_support import crosstab_package, found, messages, quarter, rows_csv, run, total_descriptor
from support import get_settings, write_package


def test_a_single_suppressed_cell_beside_its_total(tmp_path):
    report = run(tmp_path, descriptor=total_descriptor(), csv=rows_csv(quarter("2024-Q1", [None, 20, 30, 54])))
    assert found(report, "complementary-exact") == [[2, "children"]]
    message = messages(report, "complementary-exact")[0]
    assert "(quarter=2024-Q1, age_band=Under 12)" in message
    assert 'the age_band total "All ages" for (quarter=2024-Q1)' in message
    assert "54" not in message  # totals are named, never their figures
    assert [p.rule for p in report.problems] == ["complementary-exact"]  # not reported twice


def test_the_fixed_twin_hides_a_second_cell(tmp_path):
    assert run(tmp_path, descriptor=total_descriptor(),
               csv=rows_csv(quarter("2024-Q1", [None, None, 30, 54]))).valid


# DDG: two suppressions in every row and column of a 4x4 table are not enough when
# the pattern does not close: (r2, c3) follows from rows r1, r2 and columns c1, c2.
BRIDGE = [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]
GRID = [[3, 25, 34, 30], [22, 40, 27, 28], [32, 33, 45, 21], [26, 19, 24, 2]]


def test_a_cross_tab_recoverable_by_combining_rows_and_columns(tmp_path):
    descriptor, csv = crosstab_package(GRID, BRIDGE)
    report = run(tmp_path, descriptor=descriptor, csv=csv)
    assert found(report, "complementary-exact") == [[9, "children"]]  # r2 is the second block of five rows
    message = messages(report, "complementary-exact")[0]
    assert "(row=r2, col=c3)" in message
    for total in ('the col total "All" for (row=r1)', 'the col total "All" for (row=r2)',
                  'the row total "All" for (col=c1)', 'the row total "All" for (col=c2)'):
        assert total in message


def test_the_cross_tab_fixed_by_closing_the_cycle(tmp_path):
    descriptor, csv = crosstab_package(GRID, BRIDGE + [(0, 2)])
    # Exactly: no cell can be worked out. (The guessing reader is complementary-guess's, issue 16.)
    assert not found(run(tmp_path, descriptor=descriptor, csv=csv), "complementary-exact")


def two_resources(tmp_path, totals_csv):
    """Counts by age in one resource; the all-ages total per quarter in a second one."""
    descriptor = total_descriptor()
    by_age = descriptor["resources"][0]
    by_age["schema"]["fields"][1]["constraints"]["enum"].remove("All ages")
    totals = json.loads(json.dumps(by_age))
    totals.update(name="totals", path="data/totals.csv")
    totals["schema"]["fields"].pop(1)
    totals["schema"]["primaryKey"] = ["quarter"]
    folder = write_package(tmp_path / "datasets" / "linked", descriptor,
                           rows_csv(quarter("2024-Q1", [None, 20, 30, 0])[:3]))
    descriptor["resources"].append(totals)
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    (folder / "data" / "totals.csv").write_text(totals_csv)
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    return report


def test_tables_of_one_measure_in_two_resources_are_linked(tmp_path):
    # The breakdown hides one cell; the total, published in another file, gives it back.
    report = two_resources(tmp_path, "quarter,children,children_note\n2024-Q1,54,\n")
    assert found(report, "complementary-exact") == [[2, "children"]]
    problem = next(p for p in report.problems if p.rule == "complementary-exact")
    assert problem.file.endswith("identifications.csv")


def test_linked_resources_fixed_by_hiding_the_total_too(tmp_path):
    # Hiding the total alone would leave it at 50 + the hidden cell, so it takes the interval audit too.
    assert two_resources(tmp_path, "quarter,children,children_note\n2024-Q1,,S\n").valid


def test_resources_that_disagree_are_named(tmp_path):
    descriptor = total_descriptor()
    folder = write_package(tmp_path / "datasets" / "twice", descriptor,
                           rows_csv(quarter("2024-Q1", [15, 20, 30, 65])))
    descriptor["resources"].append({**descriptor["resources"][0], "name": "copy", "path": "data/copy.csv"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    (folder / "data" / "copy.csv").write_text(rows_csv(quarter("2024-Q1", [16, 20, 30, 66])))
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert any("different figures for the same cell(s)" in m for m in messages(report, "complementary-exact"))
