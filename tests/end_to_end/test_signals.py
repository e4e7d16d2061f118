"""Signals and killed workers on real gate runs: SIGTERM or SIGINT to the gate's PID or to its
process group, in the preflight or while a mutant's test runs, stop every process of the run
(the held test and the child it started included), print one line and exit 5; the earlier pass
is never readable after. A worker killed from outside is never a kill: the mutant is measured
again or the run is incomplete.
"""

import os
import signal

import pytest

from tests.end_to_end.fault_runs import finish, held_pids, holding_project, report_state, start_gate
from tests.fixture_runs import run_gate
from tests.process_checks import alive, processes_in

INTERRUPTED = "mutation-gate: interrupted by {}; every process of the run was stopped and nothing was judged (exit 5)"


@pytest.mark.parametrize(("signum", "phase", "to_group"), [
    pytest.param(signal.SIGTERM, "preflight", False, id="sigterm-to-pid-in-the-preflight"),
    pytest.param(signal.SIGINT, "mutant", False, id="sigint-to-pid-under-a-mutant"),
    pytest.param(signal.SIGTERM, "mutant", False, id="sigterm-to-pid-under-a-mutant"),
    pytest.param(signal.SIGTERM, "mutant", True, id="sigterm-to-the-group-under-a-mutant"),
])
def test_a_signal_stops_every_process_of_the_run_and_nothing_is_judged(tmp_path, signum, phase, to_group):
    root = holding_project(tmp_path)
    gate = start_gate(root, phase, new_session=to_group)
    held = held_pids(root, gate)

    if to_group:
        os.killpg(gate.pid, signum)
    else:
        os.kill(gate.pid, signum)
    code, out, err = finish(gate)

    assert (code, err.splitlines()[-1], "Traceback" in err) == (5, INTERRUPTED.format(signum.name), False)
    assert ([pid for pid in held if alive(pid)], processes_in(root)) == ([], [])
    assert report_state(root) == ("stopped", 5, [f"interrupted by {signum.name}; nothing was judged"])
    survivors = run_gate(root, "survivors")
    assert (survivors.exit_code, survivors.stdout) == (1, "")
    assert survivors.stderr.endswith(f"did not finish (exit 5: interrupted by {signum.name}; nothing was judged)\n")


def test_a_worker_killed_from_outside_is_measured_again_never_counted(tmp_path):
    root = holding_project(tmp_path)
    gate = start_gate(root, "mutant")
    worker, its_child = held_pids(root, gate)

    os.kill(worker, signal.SIGKILL)
    code, out, err = finish(gate, timeout=300)

    run = run_gate(root, "survivors")  # reads the report of the run that just ended
    assert (code, run.exit_code, processes_in(root), alive(its_child)) == (0, 0, [], False), err
    assert report_state(root)[:2] == ("finished", 0)
