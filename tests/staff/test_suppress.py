"""staff/suppress.py and `publish.py suppress`: a raw table becomes a publishable file (issue 3).

The raw counts stay on the staff member's machine: they are never printed, never
written into the repository, and a result that fails the audit is not written there.
"""

import json

import pytest

from tally.core.errors import SheetError, TallyError
from tally.core.loading import load_dataset
from tally.core.releases import release_folder
from tally.privacy import disclosure
from tally.staff.suppress import HIDDEN, SuppressionError, suppress_raw, write_outcome

from publish import main
from staff_support import RAW
from support import age_total_descriptor, archive_package, get_settings, write_package

PUBLISHABLE = """quarter,age_band,children,children_note
2024-Q1,Under 12,,S
2024-Q1,12-14,,S
2024-Q1,15-17,31,
2024-Q1,All ages,60,
2024-Q2,Under 12,0,
2024-Q2,12-14,14,
2024-Q2,15-17,27,
2024-Q2,All ages,41,
"""


def descriptor():
    return age_total_descriptor()


@pytest.fixture
def repo(tmp_path):
    """A repository with one empty dataset, and a raw file outside it."""
    root = tmp_path / "repo"
    write_package(root / "datasets" / "minimal", descriptor(), "quarter,age_band,children,children_note\n")
    (tmp_path / "raw.csv").write_text(RAW)
    return root


def load(repo):
    dataset, problems = load_dataset(repo / "datasets" / "minimal")
    assert not problems
    return dataset


def test_primary_and_complementary_cells_are_hidden_with_their_code(repo, tmp_path):
    outcome = suppress_raw(tmp_path / "raw.csv", load(repo), get_settings(tmp_path), repository=repo)
    assert outcome.csv_bytes().decode() == PUBLISHABLE
    assert [(c.row, c.reason) for c in outcome.hidden] == [(2, HIDDEN), (3, HIDDEN)]
    assert outcome.hidden[0].cell == "quarter=2024-Q1, age_band=Under 12"


def test_the_result_passes_both_audits_knowing_which_cells_are_small(repo, tmp_path):
    # The strong interval audit (primary cells known to be 1..10) runs inside suppress;
    # check it independently on the written table.
    outcome = suppress_raw(tmp_path / "raw.csv", load(repo), get_settings(tmp_path), repository=repo)
    raw = {tuple(line.split(",")[:2]): int(line.split(",")[2]) for line in RAW.splitlines()[1:]}
    cells = {tuple(row[:2]): (int(row[2]) if row[2] else None) for row in outcome.rows}
    primary = frozenset(k for k, v in raw.items() if 1 <= v < 11)
    table = disclosure.Table(("quarter", "age_band"), {"age_band": "All ages"}, cells, primary)
    assert disclosure.audit(table, 11, 9) == []


def test_the_same_raw_table_gives_the_same_bytes(repo, tmp_path):
    settings = get_settings(tmp_path)
    first = suppress_raw(tmp_path / "raw.csv", load(repo), settings).csv_bytes()
    assert suppress_raw(tmp_path / "raw.csv", load(repo), settings).csv_bytes() == first


def test_a_workbook_is_read_like_a_csv(repo, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for line in RAW.splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in line.split(",")])
    book.save(tmp_path / "raw.xlsx")
    outcome = suppress_raw(tmp_path / "raw.xlsx", load(repo), get_settings(tmp_path))
    assert outcome.csv_bytes().decode() == PUBLISHABLE


def test_written_into_the_dataset_when_it_passes(repo, tmp_path):
    dataset = load(repo)
    settings = get_settings(tmp_path)
    report = write_outcome(suppress_raw(tmp_path / "raw.csv", dataset, settings), dataset, settings,
                           repository=repo)
    assert report.valid
    assert (repo / "datasets" / "minimal" / "data" / "identifications.csv").read_text() == PUBLISHABLE


def released(repo, text):
    """Archive `text` as release v1.0.0 of the dataset, which now holds it too."""
    folder = repo / "datasets" / "minimal"
    (folder / "data" / "identifications.csv").write_text(text)
    archive_package(folder, json.loads((folder / "datapackage.json").read_text()), release_folder(folder, "1.0.0"))
    return folder / "data" / "identifications.csv"


def released_with_a_different_pattern(repo):
    """v1.0.0 published 12-14 for 2024-Q1 and hid 15-17 instead, the other valid choice."""
    return released(repo, PUBLISHABLE.replace("2024-Q1,12-14,,S", "2024-Q1,12-14,25,")
                    .replace("2024-Q1,15-17,31,", "2024-Q1,15-17,,S"))


def released_then_revised_small(repo):
    """v1.0.0 published Under 12 for 2024-Q1 as 0; the raw figure is now 4, which must be hidden,
    and hiding a cell a release published protects nothing: no pattern can pass."""
    return released(repo, PUBLISHABLE.replace("2024-Q1,Under 12,,S", "2024-Q1,Under 12,0,")
                    .replace("2024-Q1,12-14,,S", "2024-Q1,12-14,29,"))


def test_a_new_quarter_keeps_the_pattern_of_an_earlier_release(repo, tmp_path):
    # Linked releases (DESIGN.md 3): left to itself suppress would hide 12-14 for 2024-Q1
    # (see PUBLISHABLE), contradicting v1.0.0; it keeps v1.0.0's pattern instead.
    released_with_a_different_pattern(repo)
    (tmp_path / "raw.csv").write_text(RAW + "2024-Q3,Under 12,0\n2024-Q3,12-14,16\n2024-Q3,15-17,22\n"
                                            "2024-Q3,All ages,38\n")
    dataset = load(repo)
    settings = get_settings(tmp_path)
    outcome = suppress_raw(tmp_path / "raw.csv", dataset, settings)
    assert outcome.rows[1:3] == [["2024-Q1", "12-14", "25", ""], ["2024-Q1", "15-17", "", "S"]]
    assert outcome.hidden[1].reason == HIDDEN  # the kept pattern shows in the rows, never as "not small"
    report = write_outcome(outcome, dataset, settings, repository=repo)
    assert report.valid, [p.message for p in report.problems]


def test_a_result_that_fails_is_not_written_into_the_repository(repo, tmp_path):
    target = released_then_revised_small(repo)
    before = target.read_bytes()
    dataset = load(repo)
    settings = get_settings(tmp_path)
    outcome = suppress_raw(tmp_path / "raw.csv", dataset, settings)
    with pytest.raises(SuppressionError, match="was not written"):
        write_outcome(outcome, dataset, settings, repository=repo)
    assert target.read_bytes() == before


def test_outside_the_repository_it_is_written_with_the_problems(repo, tmp_path):
    released_then_revised_small(repo)
    dataset = load(repo)
    settings = get_settings(tmp_path)
    report = write_outcome(suppress_raw(tmp_path / "raw.csv", dataset, settings), dataset, settings,
                           output=tmp_path / "out.csv", repository=repo)
    assert not report.valid and {p.rule for p in report.problems} == {"linked-releases"}
    assert (report.problems[0].dataset, report.problems[0].file) == ("minimal", "data/identifications.csv")
    assert (tmp_path / "out.csv").read_text() == PUBLISHABLE


def test_a_raw_file_inside_the_repository_is_refused(repo, tmp_path):
    inside = repo / "raw.csv"
    inside.write_text(RAW)
    with pytest.raises(SheetError, match="inside the repository"):
        suppress_raw(inside, load(repo), get_settings(tmp_path), repository=repo)


@pytest.mark.parametrize("raw, words", [
    (RAW.replace("quarter,age_band,children", "quarter,children"), 'no column "age_band"'),
    (RAW.replace("quarter,age_band,children", "quarter,age_band,children,notes"), 'not in the schema'),
    (RAW.replace("2024-Q1,Under 12,4", "2024-Q1,Under 12,four"), 'row 2, column C "Children identified": is not a whole number'),
    (RAW.replace("2024-Q1,Under 12,4", "2024-Q1,Under 12,"), 'row 2, column C "Children identified": is empty'),
    (RAW.replace("2024-Q1,Under 12,4", "2024-Q1,Under 12,-4"),
     'row 2, column C "Children identified": is not a whole number'),
    (RAW + "2024-Q1,Under 12,9\n", "appear twice"),
    ("", "empty"),
])
def test_bad_raw_tables_are_refused_naming_row_and_column_never_the_value(repo, tmp_path, raw, words):
    (tmp_path / "bad.csv").write_text(raw)
    with pytest.raises(SuppressionError, match=words) as error:
        suppress_raw(tmp_path / "bad.csv", load(repo), get_settings(tmp_path))
    assert " 4" not in str(error.value) and "9" not in str(error.value).replace("raw", "")


def test_a_raw_code_s_is_refused_and_n_is_kept(repo, tmp_path):
    (tmp_path / "s.csv").write_text(RAW.replace("quarter,age_band,children", "quarter,age_band,children,children_note")
                                    .replace("\n2", ",\n2").replace("Under 12,4,", "Under 12,4,S") + "")
    with pytest.raises(SuppressionError, match="already says S"):
        suppress_raw(tmp_path / "s.csv", load(repo), get_settings(tmp_path))


def test_derived_values_of_hidden_counts_are_hidden(tmp_path):
    d = descriptor()
    fields = d["resources"][0]["schema"]["fields"]
    fields += [{"name": "share", "type": "number", "tally:role": "measure", "tally:kind": "percentage",
                "tally:derivedFrom": ["children"], "tally:annotation": "share_note", "constraints": {"minimum": 0}},
               {"name": "share_note", "type": "string", "tally:role": "annotation", "constraints": {"enum": ["S"]}}]
    repo = tmp_path / "repo"
    write_package(repo / "datasets" / "minimal", d, "quarter,age_band,children,children_note,share,share_note\n")
    raw = "quarter,age_band,children,share\n" + "".join(
        f"{line},{round(100 * int(line.split(',')[2]) / 60, 1)}\n" for line in RAW.splitlines()[1:5])
    (tmp_path / "raw.csv").write_text(raw)
    dataset = load(repo)
    outcome = suppress_raw(tmp_path / "raw.csv", dataset, get_settings(tmp_path))
    assert outcome.rows[0] == ["2024-Q1", "Under 12", "", "S", "", "S"]
    assert outcome.rows[2] == ["2024-Q1", "15-17", "31", "", "51.7", ""]
    assert any(c.measure == "share" and c.reason == "derived: computed from children" for c in outcome.hidden)
    assert write_outcome(outcome, dataset, get_settings(tmp_path), repository=repo).valid


def command(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the settings' relative cache path lands in tmp_path
    return main(["suppress", str(tmp_path / "raw.csv"), "--dataset", "minimal", "--datasets", str(repo / "datasets")])


def test_the_command_prints_what_it_hid_and_why_never_a_value(repo, tmp_path, capsys, monkeypatch):
    code = command(repo, tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"row 2 (quarter=2024-Q1, age_band=Under 12) children: {HIDDEN}" in out
    assert f"row 3 (quarter=2024-Q1, age_band=12-14) children: {HIDDEN}" in out
    assert "children: 2 cell(s) suppressed" in out
    assert " 4" not in out and "25" not in out  # the raw figures of the hidden cells
    assert (repo / "datasets" / "minimal" / "data" / "identifications.csv").read_text() == PUBLISHABLE


def test_the_command_does_not_say_which_hidden_cells_are_small(repo, tmp_path, capsys, monkeypatch):
    # One code for primary and complementary cells (DDG example 4) is what makes the guessing reader guess
    # (issue 16). A line saying "primary: a count from 1 to 10" per cell, pasted into a pull request or a
    # ticket, tells that reader which cells to take as small, and the guess is then always right.
    assert command(repo, tmp_path, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "primary" not in out and "from 1 to" not in out


def test_the_command_refuses_to_write_a_failing_file_into_the_repository(repo, tmp_path, capsys, monkeypatch):
    target = released_then_revised_small(repo)
    before = target.read_bytes()
    code = command(repo, tmp_path, monkeypatch)
    err = capsys.readouterr().err
    assert code == 1
    assert "was not written: the suppressed table fails validation" in err
    assert "[linked-releases]" in err and "how to fix:" in err
    assert target.read_bytes() == before


def test_the_dataset_must_say_which_table(tmp_path):
    d = descriptor()
    d["resources"].append({**d["resources"][0], "name": "other", "path": "data/other.csv"})
    repo = tmp_path / "repo"
    folder = write_package(repo / "datasets" / "minimal", d, "quarter,age_band,children,children_note\n")
    (folder / "data" / "other.csv").write_text("quarter,age_band,children,children_note\n")
    (tmp_path / "raw.csv").write_text(RAW)
    with pytest.raises(TallyError, match="with --resource"):
        suppress_raw(tmp_path / "raw.csv", load(repo), get_settings(tmp_path))
    outcome = suppress_raw(tmp_path / "raw.csv", load(repo), get_settings(tmp_path), resource="other")
    assert outcome.resource == "other"


def test_the_command_has_help_with_examples(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["suppress", "--help"])
    out = capsys.readouterr().out
    assert exit.value.code == 0 and "examples:" in out and "--output FILE" in out


def test_a_change_computed_from_a_hidden_quarter_is_hidden(tmp_path):
    """Issue 10: the change of a published quarter from a hidden one gives the hidden one back."""
    from adversarial import packages
    fields = [packages.quarter(), packages.count("children"), packages._linear("change", "change")]
    packages.write(tmp_path / "repo" / "datasets", packages.package("minimal", [packages.resource(
        "minimal", fields, [])]))
    (tmp_path / "repo" / "datasets" / "minimal" / "data" / "minimal.csv").write_text(
        "quarter,children,children_note,change,change_note\n")
    (tmp_path / "raw.csv").write_text("quarter,children,change,change_note\n2023-Q1,20,,N\n2023-Q2,6,-14,\n"
                                      "2023-Q3,30,24,\n2023-Q4,25,-5,\n")
    dataset = load(tmp_path / "repo")
    outcome = suppress_raw(tmp_path / "raw.csv", dataset, get_settings(tmp_path))
    assert [row[3] for row in outcome.rows] == ["", "", "", "-5"]
    assert any(c.measure == "change" and "hidden period" in c.reason for c in outcome.hidden)
    assert write_outcome(outcome, dataset, get_settings(tmp_path), repository=tmp_path / "repo").valid
