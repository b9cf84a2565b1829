"""diff --check against the version's archive and the base's history (staff/consistency.py), and release's
explanation of a conflicted or stale descriptor (issue 13, problem 4: two releases merged served figures that
differ from /v<version>/)."""

import json

import pytest

from tally.core.errors import ReleaseError
from tally.staff.intake import intake
from tally.staff.release import release

from staff_support import FIRST_RESPONDER, copy_datasets, cross_tab, git_repo, publish, quarter_values, write_xlsx
from support import get_settings

CSV = f"datasets/{FIRST_RESPONDER}/data/identifications.csv"


def released_quarter(tmp_path):
    repo, datasets = git_repo(tmp_path)
    settings = get_settings(tmp_path)
    intake(datasets / FIRST_RESPONDER, write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values())), "2024-Q3",
           settings=settings)
    release(datasets / FIRST_RESPONDER, settings=settings, date="2024-11-15")
    return repo, datasets


def test_diff_check_compares_the_data_with_the_versions_archive_byte_for_byte(tmp_path):
    # The merge: version 1.2.0 and its archive, but figures that differ from /v1.2.0/.
    repo, datasets = released_quarter(tmp_path)
    assert publish("diff", "HEAD", "--check", "--datasets", datasets, cwd=repo).returncode == 0
    path = repo / CSV
    path.write_text(path.read_text().replace("2024-Q3,Under 12,Service Area 3,31,", "2024-Q3,Under 12,Service Area 3,32,"))
    result = publish("diff", "HEAD", "--check", "--datasets", datasets, cwd=repo)
    assert result.returncode == 1
    assert "releases/v1.2.0/" in result.stdout and "data/identifications.csv" in result.stdout


def set_descriptor(datasets, change):
    path = datasets / FIRST_RESPONDER / "datapackage.json"
    descriptor = json.loads(path.read_text())
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2) + "\n")


@pytest.mark.parametrize("change, says", [
    (lambda d: d.update({"version": "0.9.0"}), "`version` went back from 1.1.0 to 0.9.0"),
    (lambda d: d.update({"tally:changelog": []}), "`tally:changelog` lost the entries for 1.0.0, 1.0.1, 1.0.2"),
])
def test_diff_check_refuses_a_version_or_changelog_going_back(tmp_path, change, says):
    repo, datasets = git_repo(tmp_path)
    set_descriptor(datasets, change)
    result = publish("diff", "HEAD", "--check", "--datasets", datasets, cwd=repo)
    assert result.returncode == 1 and says in result.stdout


def test_a_withdrawal_naming_an_earlier_release_is_not_history_going_back():
    from tally.staff.consistency import went_backwards

    log = [{"version": "1.0.0", "kind": "release"}, {"version": "1.1.0", "kind": "release"}]
    withdrawn = log + [{"version": "1.0.0", "kind": "withdrawal"}]
    assert went_backwards({"version": "1.1.0", "tally:changelog": log},
                          {"version": "1.1.0", "tally:changelog": withdrawn}) == []
    back = withdrawn + [{"version": "1.0.5", "kind": "release"}]
    assert any("out of order" in p for p in went_backwards({"version": "1.1.0", "tally:changelog": log},
                                                            {"version": "1.1.0", "tally:changelog": back}))


def test_release_explains_a_conflicted_descriptor(tmp_path):
    datasets = copy_datasets(tmp_path)
    path = datasets / FIRST_RESPONDER / "datapackage.json"
    text = path.read_text()
    path.write_text(text.replace('"version": "1.0.0"', '<<<<<<< HEAD\n  "version": "1.2.0",\n=======\n'
                                 '  "version": "1.1.1",\n>>>>>>> correction'))
    with pytest.raises(ReleaseError) as caught:
        release(datasets / FIRST_RESPONDER, settings=get_settings(tmp_path))
    message = str(caught.value)
    assert "merge-conflict markers" in message and "git checkout main -- datasets/" in message
    assert "After a merge conflict" in message


def test_release_explains_a_stale_descriptor(tmp_path):
    repo, datasets = released_quarter(tmp_path)
    # A branch made from 1.0.0 and merged: its descriptor still says 1.0.0 beside the 1.1.0 archive.
    set_descriptor(datasets, lambda d: (d.update({"version": "1.0.0"}), d["tally:changelog"].pop()))
    with pytest.raises(ReleaseError, match="stale"):
        release(datasets / FIRST_RESPONDER, settings=get_settings(tmp_path))


def test_release_explains_an_archive_the_changelog_does_not_list(tmp_path):
    repo, datasets = released_quarter(tmp_path)
    set_descriptor(datasets, lambda d: d["tally:changelog"].pop())
    with pytest.raises(ReleaseError, match="which the changelog does not list"):
        release(datasets / FIRST_RESPONDER, settings=get_settings(tmp_path))
