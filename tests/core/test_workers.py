"""core/workers.py: tasks run in worker processes, only when there are enough of them; a failed task is left."""

import os

from tally.core.workers import PARALLEL_FROM, portable, warm


def leave_pid(item: str, folder: str) -> None:
    """A task: record which process did `item` (a worker imports this by name)."""
    if item == "broken":
        raise ValueError("a task that fails in a worker")
    with open(os.path.join(folder, item), "w") as handle:
        handle.write(str(os.getpid()))


def test_tasks_run_in_other_processes_and_a_failed_one_is_left_to_the_build(tmp_path):
    items = [f"item-{n}" for n in range(PARALLEL_FROM)] + ["broken"]
    assert warm(leave_pid, items, {"TALLY_WORKERS": 2}, str(tmp_path)) == 2
    done = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert sorted(done) == sorted(items[:-1])
    assert str(os.getpid()) not in set(done.values())


def test_nothing_runs_in_workers_for_one_worker_or_few_tasks(tmp_path):
    many = [f"item-{n}" for n in range(PARALLEL_FROM)]
    assert warm(leave_pid, many, {"TALLY_WORKERS": 1}, str(tmp_path)) == 0
    assert warm(leave_pid, many[:PARALLEL_FROM - 1], {"TALLY_WORKERS": 2}, str(tmp_path)) == 0
    assert list(tmp_path.iterdir()) == []


def test_a_worker_is_sent_the_tally_settings_but_not_the_progress_callback():
    sent = portable({"TALLY_THRESHOLD": 11, "TALLY_PROGRESS": print, "SITENAME": "x"})
    assert sent == {"TALLY_THRESHOLD": 11}
