"""One run per project: a second lock is refused naming the holder, a dead holder's lock is taken
over with a note, and the lock file goes away with the run."""

import os
import subprocess
import sys

import pytest

from mutation.errors import ConfigError
from mutation.run_lock import LOCK_NAME, RunLock

HOLD = """
import sys
from mutation.run_lock import RunLock
with RunLock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def holder(tmp_path):
    """Another process holding the project's lock until its stdin closes."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    yield process
    process.stdin.close()
    process.wait()
    process.stdout.close()


def test_the_lock_holds_the_runs_pid_and_is_removed_after(tmp_path):
    with RunLock(tmp_path) as lock:
        assert ((tmp_path / LOCK_NAME).read_text(encoding="ascii"), lock.note) == (f"{os.getpid()}\n", "")

    assert list(tmp_path.iterdir()) == []


def test_a_second_run_is_refused_naming_the_first(tmp_path, holder):
    with pytest.raises(ConfigError) as refused:
        RunLock(tmp_path).__enter__()

    assert str(refused.value) == (f"{tmp_path / LOCK_NAME}: another gate run (pid {holder.pid}) is in progress in "
                                  "this project; wait for it to end or stop it")
    assert (tmp_path / LOCK_NAME).read_text(encoding="ascii") == f"{holder.pid}\n"


def test_after_the_first_run_ends_the_next_one_gets_the_lock(tmp_path, holder):
    holder.stdin.close()
    holder.wait()

    with RunLock(tmp_path) as lock:
        assert lock.note == ""


def test_a_lock_left_by_a_killed_run_is_taken_over_with_a_note(tmp_path, holder):
    holder.kill()
    holder.wait()

    with RunLock(tmp_path) as lock:
        assert lock.note == f"took over {LOCK_NAME} left by run {holder.pid}, which ended without releasing it"
        assert (tmp_path / LOCK_NAME).read_text(encoding="ascii") == f"{os.getpid()}\n"


def test_a_lock_file_that_cannot_be_created_is_one_line(tmp_path):
    missing = tmp_path / "gone"

    with pytest.raises(ConfigError) as refused:
        RunLock(missing).__enter__()

    assert str(refused.value) == f"{missing / LOCK_NAME}: cannot create the run lock: No such file or directory"


def test_a_lock_file_replaced_while_it_was_being_taken_is_taken_again(tmp_path, monkeypatch):
    import mutation.run_lock as run_lock

    answers = [False, True, True]  # replaced at the first try, in place at the second and at the end
    opened = []
    monkeypatch.setattr(run_lock, "_still_at", lambda fd, path: opened.append(fd) or answers.pop(0))

    with RunLock(tmp_path):
        pass

    assert (len(opened), answers, list(tmp_path.iterdir())) == (3, [], [])
