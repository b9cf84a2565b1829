"""release: version bump for what changed, dated changelog entry, and an archive that is never overwritten."""

import json

import pytest

from tally.core.releases import archived_releases
from tally.staff.intake import intake
from tally.staff.release import ReleaseError, archive_current, release

from staff_support import (
    FIRST_RESPONDER,
    copy_datasets,
    cross_tab,
    csv_rows,
    digest,
    publish,
    quarter_values,
    write_xlsx,
)
from support import get_settings, write_package

TRAINING = "csec-training"


@pytest.fixture
def datasets(tmp_path):
    return copy_datasets(tmp_path)


def descriptor(datasets, name=FIRST_RESPONDER):
    return json.loads((datasets / name / "datapackage.json").read_text())


def add_quarter(datasets, tmp_path, period="2024-Q3"):
    workbook = write_xlsx(tmp_path / f"{period}.xlsx", cross_tab(quarter_values(), period))
    return intake(datasets / FIRST_RESPONDER, workbook, period, settings=get_settings(tmp_path))


def revise_training(datasets, tmp_path, period="2024-Q1", extra=20):
    rows = [[r["quarter"], r["department"], r["classes"], r["people_trained"]]
            for r in csv_rows(datasets / TRAINING / "data" / "training.csv") if r["quarter"] == period]
    rows[0][3] = int(rows[0][3]) + extra
    workbook = write_xlsx(tmp_path / "fix.xlsx", rows, header=["Quarter", "Department", "Classes", "People trained"])
    intake(datasets / TRAINING, workbook, period, settings=get_settings(tmp_path), replace=True, confirm=True)


def test_a_new_quarter_is_a_minor_release_dated_logged_and_archived(datasets, tmp_path):
    add_quarter(datasets, tmp_path)
    result = release(datasets / FIRST_RESPONDER, settings=get_settings(tmp_path), date="2024-11-15",
                     next_update="2025-02-15")
    assert (result.version, result.previous, result.kind) == ("1.1.0", "1.0.2", "release")
    assert result.note == "Added 2024-Q3."
    d = descriptor(datasets)
    assert d["version"] == "1.1.0" and d["tally:updated"] == "2024-11-15" and d["tally:next_update"] == "2025-02-15"
    assert d["tally:changelog"][-1] == {"version": "1.1.0", "date": "2024-11-15", "kind": "release",
                                        "note": "Added 2024-Q3."}
    assert [r.version for r in archived_releases(datasets / FIRST_RESPONDER)] == ["1.0.0", "1.0.1", "1.0.2", "1.1.0"]
    archive = datasets / FIRST_RESPONDER / "releases" / "v1.1.0"
    assert (archive / "data" / "identifications.csv").read_bytes() == \
        (datasets / FIRST_RESPONDER / "data" / "identifications.csv").read_bytes()
    assert json.loads((archive / "datapackage.json").read_text()) == d
    # The earlier archive is untouched: it still ends at 2024-Q2.
    old = datasets / FIRST_RESPONDER / "releases" / "v1.0.0" / "data" / "identifications.csv"
    assert "2024-Q3" not in old.read_text()


def test_a_revised_earlier_period_is_recorded_as_a_revision(datasets, tmp_path):
    revise_training(datasets, tmp_path)
    result = release(datasets / TRAINING, settings=get_settings(tmp_path), date="2024-11-15",
                     note="Probation recounted its classes.")
    assert (result.version, result.kind) == ("1.1.0", "revision")
    assert result.note == "Revised figures for 2024-Q1. Probation recounted its classes."


def test_a_correction_is_a_patch_release(datasets, tmp_path):
    revise_training(datasets, tmp_path)
    result = release(datasets / TRAINING, settings=get_settings(tmp_path), date="2024-09-01", correction=True)
    assert (result.version, result.kind, result.note) == ("1.0.2", "correction", "Corrected figures for 2024-Q1.")
    assert descriptor(datasets, TRAINING)["tally:changelog"][-1]["kind"] == "correction"


def test_a_correction_cannot_add_a_period(datasets, tmp_path):
    add_quarter(datasets, tmp_path)
    before = digest(datasets)
    with pytest.raises(ReleaseError, match="a correction cannot add a period"):
        release(datasets / FIRST_RESPONDER, settings=get_settings(tmp_path), date="2024-11-15", correction=True)
    assert digest(datasets) == before


def test_nothing_to_release(datasets, tmp_path):
    before = digest(datasets)
    with pytest.raises(ReleaseError, match="has not changed since release 1.0.1"):
        release(datasets / TRAINING, settings=get_settings(tmp_path), date="2024-11-15")
    assert digest(datasets) == before


def test_a_hand_edited_version_is_refused(datasets, tmp_path):
    path = datasets / TRAINING / "datapackage.json"
    path.write_text(path.read_text().replace('"version": "1.0.1",', '"version": "1.3.0",', 1))
    with pytest.raises(ReleaseError, match='"version" is 1.3.0 but the last archived release is 1.0.1'):
        release(datasets / TRAINING, settings=get_settings(tmp_path), date="2024-11-15")


@pytest.mark.parametrize("date", ["15/11/2024", "2024-13-01", "tomorrow"])
def test_a_bad_date_is_refused(datasets, tmp_path, date):
    with pytest.raises(ReleaseError, match="is not a date written like 2024-11-15"):
        release(datasets / TRAINING, settings=get_settings(tmp_path), date=date)


def test_the_first_release_of_a_new_dataset_keeps_its_version(tmp_path):
    folder = write_package(tmp_path / "datasets" / "minimal")
    result = release(folder, settings=get_settings(tmp_path), date="2024-05-01")
    assert (result.version, result.previous, result.note) == ("1.0.0", None, "First release, covering 2024-Q1 to 2024-Q2.")
    assert [r.version for r in archived_releases(folder)] == ["1.0.0"]


def test_a_dataset_published_before_archives_is_archived_first(tmp_path):
    from support import minimal_descriptor

    d = minimal_descriptor()
    d["tally:changelog"] = [{"version": "1.0.0", "date": "2024-05-01", "kind": "release", "note": "First."}]
    folder = write_package(tmp_path / "datasets" / "minimal", d)
    with pytest.raises(ReleaseError, match="--archive-current"):
        release(folder, settings=get_settings(tmp_path), date="2024-08-01")
    assert archive_current(folder, settings=get_settings(tmp_path)) == "releases/v1.0.0"
    with pytest.raises(ReleaseError, match="never overwritten"):
        archive_current(folder, settings=get_settings(tmp_path))


def test_cli_release_prints_the_archive_url(datasets, tmp_path):
    add_quarter(datasets, tmp_path)
    result = publish("release", FIRST_RESPONDER, "--date", "2024-11-15", "--datasets", datasets, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ok: first-responder-identifications 1.0.2 → 1.1.0 (release, 2024-11-15): Added 2024-Q3." in result.stdout
    assert "/datasets/first-responder-identifications/v1.1.0/" in result.stdout
    again = publish("release", FIRST_RESPONDER, "--date", "2024-11-15", "--datasets", datasets, cwd=tmp_path)
    assert again.returncode == 1 and "nothing to release" in again.stderr and "Traceback" not in again.stderr
