"""staging: a dataset changes only when the changed dataset is valid, and never half-written."""

import pytest

from tally.core.cache import folder_digest
from tally.core.errors import ValidationFailed, WriteFailed
from tally.staff.staging import apply_validated, commit, recover

from support import MINIMAL_CSV, get_settings, write_package


def test_an_invalid_change_writes_nothing_and_names_the_real_file(tmp_path):
    folder = write_package(tmp_path / "datasets" / "minimal")
    before = folder_digest(folder)
    with pytest.raises(ValidationFailed) as caught:
        apply_validated(folder, {"data/identifications.csv": MINIMAL_CSV.replace(",12,", ",-5,").encode()},
                        get_settings(tmp_path))
    assert folder_digest(folder) == before
    # Problems name the file inside the dataset, the same whether it was validated in place or staged.
    places = {(p.dataset, p.file) for p in caught.value.report.problems}
    assert places == {("minimal", "data/identifications.csv")}


def test_a_valid_change_is_written_with_its_new_folder(tmp_path):
    folder = write_package(tmp_path / "datasets" / "minimal")
    changed = MINIMAL_CSV + "2024-Q3,Under 15,30,\n"
    apply_validated(folder, {"data/identifications.csv": changed.encode(),
                             "releases/v1.0.0/data/identifications.csv": MINIMAL_CSV.encode()}, get_settings(tmp_path))
    assert (folder / "data" / "identifications.csv").read_text() == changed
    assert (folder / "releases" / "v1.0.0" / "data" / "identifications.csv").read_text() == MINIMAL_CSV
    assert sorted(p.name for p in folder.iterdir()) == ["data", "datapackage.json", "releases"]  # no temporaries


def test_commit_leaves_no_temporary_files(tmp_path):
    (tmp_path / "a.txt").write_text("old")
    commit(tmp_path, {"a.txt": b"new", "new/deep/b.txt": b"b"})
    assert (tmp_path / "a.txt").read_text() == "new" and (tmp_path / "new" / "deep" / "b.txt").read_text() == "b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "new"]
    assert recover(tmp_path) is None


@pytest.mark.parametrize("relative", ["../outside.txt", "/tmp/absolute.txt", "a/../../outside.txt", "nul\0.txt"])
def test_commit_refuses_a_path_outside_the_folder(tmp_path, relative):
    folder = tmp_path / "dataset"
    folder.mkdir()
    with pytest.raises(WriteFailed, match="refusing to write"):
        commit(folder, {relative: b"x"})
    assert list(tmp_path.iterdir()) == [folder] and list(folder.iterdir()) == []


def test_staged_changes_are_audited_with_the_rest_of_the_site(tmp_path):
    # Issue 10: a dataset that leaks only together with another one is refused by intake/release too.
    from adversarial.packages import bad_cross_package_teen_total

    root = tmp_path / "datasets"
    bad_cross_package_teen_total(root)
    with pytest.raises(ValidationFailed) as caught:
        apply_validated(root / "teens", {}, get_settings(tmp_path))
    assert "linked-tables" in {p.rule for p in caught.value.report.problems}
