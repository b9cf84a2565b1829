"""Fault injection (issue 14, problem 5): intake and release stopped at every write step, or out of disk.

Each staff command writes through one staged transaction (staff/staging.py).
The test hook `staging.fault` is called before every write step; here it stops
the command at step N as a kill would (an exception that no cleanup catches),
for every N, and `write_file` is patched to raise ENOSPC at each file. After
each fault, the next command finds the dataset in the old state or the new
one, with no staging files left in datasets/, and succeeds.
"""

import errno

import pytest

from tally.core.cache import folder_digest
from tally.core.errors import WriteFailed
from tally.core.loading import load_dataset
from tally.privacy.validation import validate
from tally.staff import staging
from tally.staff.intake import intake
from tally.staff.release import release

from staff_support import FIRST_RESPONDER, copy_datasets, cross_tab, publish, quarter_values, write_xlsx
from support import get_settings


class Killed(BaseException):
    """A kill -9: no `except Exception` handler runs, so no cleanup happens."""


def add_quarter(datasets, workbook, settings):
    return intake(datasets / FIRST_RESPONDER, workbook, "2024-Q3", settings=settings)


def release_it(datasets, settings):
    return release(datasets / FIRST_RESPONDER, settings=settings, date="2024-11-15", next_update="2025-02-15")


def steps_of(command, monkeypatch) -> list[str]:
    seen = []
    monkeypatch.setattr(staging, "fault", seen.append)
    command()
    monkeypatch.setattr(staging, "fault", lambda step: None)
    return seen


def kill_at(n):
    calls = iter(range(10_000))

    def hook(step):
        if next(calls) == n:
            raise Killed(step)
    return hook


def leftovers(datasets):
    return [p for p in datasets.rglob("*") if ".tally-transaction" in p.name or ".tmp" in p.name]


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """Digests of the first-responder dataset before intake, after intake, after release (done cleanly)."""
    tmp = tmp_path_factory.mktemp("clean")
    datasets = copy_datasets(tmp)
    settings = get_settings(tmp)
    workbook = write_xlsx(tmp / "q3.xlsx", cross_tab(quarter_values()))
    folder = datasets / FIRST_RESPONDER
    before = folder_digest(folder)
    add_quarter(datasets, workbook, settings)
    added = folder_digest(folder)
    release_it(datasets, settings)
    return before, added, folder_digest(folder)


def intake_steps(tmp_path, monkeypatch):
    datasets = copy_datasets(tmp_path / "count")
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    return steps_of(lambda: add_quarter(datasets, workbook, get_settings(tmp_path)), monkeypatch)


def test_every_write_step_is_reached_by_the_hook(tmp_path, monkeypatch):
    steps = intake_steps(tmp_path, monkeypatch)
    # stage two files (write, keep each), commit, move each, drop: a kill can land between any two.
    assert steps[0] == "staging folder" and "commit" in steps and steps[-1] == "drop"
    assert sum(s.startswith("move ") for s in steps) == 2


def test_intake_killed_at_every_step_leaves_old_or_new_and_the_next_command_succeeds(tmp_path, monkeypatch, states):
    before, added, _ = states
    steps = intake_steps(tmp_path, monkeypatch)
    outcomes = set()
    for n, step in enumerate(steps):
        root = tmp_path / f"kill-{n}"
        datasets = copy_datasets(root)
        settings = get_settings(root)
        workbook = write_xlsx(root / "q3.xlsx", cross_tab(quarter_values()))
        monkeypatch.setattr(staging, "fault", kill_at(n))
        with pytest.raises(Killed):
            add_quarter(datasets, workbook, settings)
        monkeypatch.setattr(staging, "fault", lambda step: None)
        folder = datasets / FIRST_RESPONDER
        if leftovers(datasets):  # half-written until recovered: validate says so and how to fix it
            _, problems = load_dataset(folder)
            assert problems and problems[0].rule == "interrupted-write", step
        staging.recover(folder)  # what the next command does first
        state = folder_digest(folder)
        assert state in (before, added), f"killed before {step!r}: neither the old nor the new state"
        assert not leftovers(datasets), step
        outcomes.add("new" if state == added else "old")
        if state == before:
            add_quarter(datasets, workbook, settings)  # the next command: intake again
        release_it(datasets, settings)
        report, _ = validate(datasets, settings, names=[FIRST_RESPONDER])
        assert report.valid, (step, report.problems)
    assert outcomes == {"old", "new"}  # the commit point is inside the run


def test_release_killed_at_every_step_leaves_old_or_new(tmp_path, monkeypatch, states):
    _, added, released = states
    count = copy_datasets(tmp_path / "count")
    settings = get_settings(tmp_path)
    add_quarter(count, write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values())), settings)
    steps = steps_of(lambda: release_it(count, settings), monkeypatch)
    assert sum(s.startswith("move releases/") for s in steps) >= 2  # the archive is part of the transaction
    for n, step in enumerate(steps):
        root = tmp_path / f"kill-{n}"
        datasets = copy_datasets(root)
        add_quarter(datasets, write_xlsx(root / "q3.xlsx", cross_tab(quarter_values())), settings)
        monkeypatch.setattr(staging, "fault", kill_at(n))
        with pytest.raises(Killed):
            release_it(datasets, settings)
        monkeypatch.setattr(staging, "fault", lambda step: None)
        folder = datasets / FIRST_RESPONDER
        staging.recover(folder)
        state = folder_digest(folder)
        assert state in (added, released), f"killed before {step!r}: an archive without its descriptor, or the reverse"
        assert not leftovers(datasets)
        if state == added:
            release_it(datasets, settings)
        assert folder_digest(folder) == released


@pytest.mark.parametrize("command", ["intake", "release"])
def test_a_full_disk_at_each_file_leaves_the_old_state_and_says_so(tmp_path, monkeypatch, states, command):
    before, added, released = states
    real_write = staging.write_file
    written = []
    monkeypatch.setattr(staging, "write_file", lambda path, data: (written.append(path.name), real_write(path, data)))
    count = copy_datasets(tmp_path / "count")
    settings = get_settings(tmp_path)
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    if command == "release":
        add_quarter(count, workbook, settings)
        written.clear()
        release_it(count, settings)
    else:
        add_quarter(count, workbook, settings)
    files = len(written)
    assert files >= 3
    for n in range(files):
        root = tmp_path / f"full-{n}"
        datasets = copy_datasets(root)
        if command == "release":
            monkeypatch.setattr(staging, "write_file", real_write)
            add_quarter(datasets, workbook, settings)
        calls = iter(range(10_000))

        def full(path, data, n=n, calls=calls):
            if next(calls) == n:
                with open(path, "wb") as out:
                    out.write(data[: len(data) // 2])  # a truncated file, as a full disk leaves it
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            real_write(path, data)

        monkeypatch.setattr(staging, "write_file", full)
        expected = folder_digest(datasets / FIRST_RESPONDER)
        with pytest.raises(WriteFailed) as caught:
            add_quarter(datasets, workbook, settings) if command == "intake" else release_it(datasets, settings)
        assert "the disk is full" in str(caught.value) and "nothing was changed" in str(caught.value)
        assert FIRST_RESPONDER in str(caught.value)  # names the dataset's path
        assert folder_digest(datasets / FIRST_RESPONDER) == expected and not leftovers(datasets)
        monkeypatch.setattr(staging, "write_file", real_write)
        add_quarter(datasets, workbook, settings) if command == "intake" else release_it(datasets, settings)
        assert folder_digest(datasets / FIRST_RESPONDER) == (added if command == "intake" else released)


def test_the_cli_recovers_an_interrupted_intake_first(tmp_path, monkeypatch, states):
    before, added, _ = states
    datasets = copy_datasets(tmp_path)
    workbook = write_xlsx(tmp_path / "q3.xlsx", cross_tab(quarter_values()))
    steps = intake_steps(tmp_path, monkeypatch)
    monkeypatch.setattr(staging, "fault", kill_at(steps.index("commit") + 2))  # after the first move
    with pytest.raises(Killed):
        add_quarter(datasets, workbook, get_settings(tmp_path))
    monkeypatch.setattr(staging, "fault", lambda step: None)
    refused = publish("validate", "--datasets", datasets)
    assert refused.returncode == 1 and "publish.py recover first-responder-identifications" in refused.stderr
    done = publish("recover", "--datasets", datasets, FIRST_RESPONDER)
    assert done.returncode == 0 and "completed" in done.stdout
    assert folder_digest(datasets / FIRST_RESPONDER) == added and not leftovers(datasets)
