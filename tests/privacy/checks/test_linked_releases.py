"""linked-releases: a new release cannot reveal what an earlier one hid (issue 3, rule 6).

Releases are archived in <dataset>/releases/v<version>/ (core/releases.py); the audit
reads every one of them with the current files.
"""

import json

from tally.core.releases import release_folder
from tally.privacy.validation import validate

from rule_support import found, messages, quarter, rows_csv, total_descriptor
from support import archive_package, get_settings, write_package

Q1_V1 = quarter("2024-Q1", [None, None, 40, 66])          # v1.0.0 hid Under 12 and 12-14
Q1_SAME = Q1_V1
Q1_REVEALED = quarter("2024-Q1", [None, 20, 40, 66])      # now 12-14 is published
Q2 = quarter("2024-Q2", [None, None, None, 70])


def released(tmp_path, first, now):
    """A dataset whose v1.0.0 published `first` and whose current files publish `now`."""
    folder = write_package(tmp_path / "datasets" / "minimal", total_descriptor(), rows_csv(first))
    descriptor = json.loads((folder / "datapackage.json").read_text())
    archive_package(folder, descriptor, release_folder(folder, "1.0.0"))
    descriptor["version"] = "1.1.0"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    (folder / "data" / "identifications.csv").write_text(rows_csv(now))
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    return report


def test_a_cell_hidden_before_and_published_now(tmp_path):
    report = released(tmp_path, Q1_V1, Q1_REVEALED)
    # On its own the new file hides Under 12 with 12-14 published: exact recovery, the other rule's.
    assert found(report, "complementary-exact") == [[2, "children"]]
    assert found(report, "linked-releases") == [[3, "children"]]
    assert "is published now but was suppressed in release 1.0.0" in messages(report, "linked-releases")[0]


def test_cells_published_before_and_hidden_now_and_the_other_way_round(tmp_path):
    before = quarter("2024-Q1", [None, 20, None, 66])
    report = released(tmp_path, before, Q1_V1)
    assert found(report, "linked-releases") == [[3, "children"], [4, "children"], [2, "children"]]
    text = messages(report, "linked-releases")
    assert "12-14) is suppressed now but was published in release 1.0.0" in text[0]
    assert "15-17) is published now but was suppressed in release 1.0.0" in text[1]
    # 12-14 published in 1.0.0 and 15-17 now: Under 12 is the only cell left hidden.
    assert "Under 12) can be worked out exactly" in text[2]


def test_a_new_quarter_with_the_old_one_unchanged(tmp_path):
    assert released(tmp_path, Q1_V1, Q1_SAME + Q2).valid


def test_a_table_split_differently_is_audited_with_the_release(tmp_path):
    # v1 published the total by quarter only; v1.1 adds the age breakdown without that total row.
    # Read together, the old total gives back the one hidden cell.
    first = [("2024-Q1", "All ages", 66, "")]
    now = [r for r in quarter("2024-Q1", [None, 20, 40, 66]) if r[1] != "All ages"]
    report = released(tmp_path, first, now)
    assert found(report, "complementary-exact") == []
    assert found(report, "linked-releases") == [[2, "children"]]
    assert "read with the earlier release(s)" in messages(report, "linked-releases")[0]


def test_a_revised_figure_is_not_a_contradiction(tmp_path):
    revised = quarter("2024-Q1", [None, None, 41, 67])
    assert released(tmp_path, Q1_V1, revised).valid


def test_an_unreadable_release_is_an_error(tmp_path):
    folder = write_package(tmp_path / "datasets" / "minimal")
    archived = release_folder(folder, "1.0.0")
    archived.mkdir(parents=True)
    (archived / "datapackage.json").write_text("{not json")
    report, _ = validate(tmp_path / "datasets", get_settings(tmp_path))
    assert any("archived release 1.0.0 cannot be read" in m for m in messages(report, "linked-releases"))
