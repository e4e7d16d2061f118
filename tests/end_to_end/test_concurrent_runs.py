"""Two runs in one project: the second is refused at once (exit 1, one line naming the first) and
the first finishes unharmed; a run killed outright (SIGKILL, nothing can be cleaned up) leaves a
`running` report that says its process is gone, and the next run takes its lock over with a note.
"""

import os
import signal
import time

from mutation.run_lock import LOCK_NAME
from tests.end_to_end.fault_runs import finish, held_pids, holding_project, report_state, start_gate
from tests.fixture_runs import run_gate
from tests.process_checks import alive, processes_in


def test_a_second_run_is_refused_at_once_and_the_first_finishes(tmp_path):
    root = holding_project(tmp_path)
    first = start_gate(root, "mutant")
    worker, _ = held_pids(root, first)
    work_dir = sorted(path.name for path in (root / ".mutation-gate").iterdir())

    second = run_gate(root, "run", "--workers", "2")

    assert (second.exit_code, second.stdout, second.stderr) == (
        1, "", f"mutation-gate: {root / LOCK_NAME}: another gate run (pid {first.pid}) is in progress in this "
               "project; wait for it to end or stop it\n")
    assert sorted(path.name for path in (root / ".mutation-gate").iterdir()) == work_dir
    assert report_state(root) == ("running", None, [])

    os.kill(worker, signal.SIGKILL)  # release the held test: the first run measures that mutant again
    code, out, err = finish(first, timeout=300)
    assert (code, report_state(root)[:2], (root / LOCK_NAME).exists()) == (0, ("finished", 0), False), err


def test_a_run_killed_outright_is_reported_as_gone_and_its_lock_is_taken_over(tmp_path):
    root = holding_project(tmp_path)
    killed = start_gate(root, "mutant")
    worker, its_child = held_pids(root, killed)

    killed.kill()
    finish(killed)
    deadline = time.monotonic() + 30
    while processes_in(root) and time.monotonic() < deadline:
        time.sleep(0.05)  # the fork server notices within a second that the gate is gone
    survivors = run_gate(root, "survivors")
    assert (processes_in(root), alive(worker), alive(its_child)) == ([], False, False)
    assert (survivors.exit_code, survivors.stderr.endswith(
        f"(pid {killed.pid}) has not finished; that process is gone, so it was killed before it could say why\n")) == (
        1, True), survivors.stderr

    next_run = run_gate(root, "run", "--workers", "2")
    assert (next_run.exit_code, next_run.stderr.splitlines()[0]) == (
        0, f"mutation-gate: note: took over {LOCK_NAME} left by run {killed.pid}, which ended without releasing it")
