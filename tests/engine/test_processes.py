"""Process groups: stopping a child stops what it started; a child that ignores SIGTERM is killed
after the grace period; a signal while Popen starts the child leaves no child behind."""

import os
import signal
import subprocess
import sys

import pytest

from mutation.engine import processes
from mutation.engine.processes import run_group, start_group, stop_group
from tests.process_checks import alive

# The child starts a grandchild, prints both PIDs and waits; with IGNORE it shrugs off SIGTERM.
FAMILY = """
import signal, subprocess, sys
if sys.argv[1] == "ignore":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(grandchild.pid, flush=True)
sys.stdin.readline()
"""


def family(mode="obey"):
    child = start_group([sys.executable, "-c", FAMILY, mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        text=True)
    grandchild = int(child.stdout.readline())
    return child, grandchild


@pytest.mark.parametrize("mode", ["obey", "ignore"])
def test_stopping_a_group_ends_the_child_and_its_grandchild(mode):
    child, grandchild = family(mode)

    stop_group(child, grace=0.2)

    assert (os.getpgid(os.getpid()) != child.pid, child.returncode, alive(grandchild)) == (
        True, -signal.SIGTERM if mode == "obey" else -signal.SIGKILL, False)
    child.stdin.close()
    child.stdout.close()


def test_stopping_a_group_twice_is_harmless():
    child, grandchild = family()
    stop_group(child, grace=0.2)

    stop_group(child, grace=0.2)

    assert (child.returncode, alive(grandchild)) == (-signal.SIGTERM, False)
    child.stdin.close()
    child.stdout.close()


def test_run_group_returns_the_exit_code():
    assert run_group([sys.executable, "-c", "raise SystemExit(7)"]) == 7


def test_a_signal_while_the_child_starts_stops_the_child(monkeypatch):
    started = []
    original = subprocess.Popen._execute_child

    def interrupted(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self.pid)
        raise KeyboardInterrupt  # as a SIGINT arriving while Popen reads the exec's result

    monkeypatch.setattr(subprocess.Popen, "_execute_child", interrupted)
    with pytest.raises(KeyboardInterrupt):
        start_group([sys.executable, "-c", "import time; time.sleep(600)"])

    assert (len(started), alive(started[0])) == (1, False)


def test_a_group_already_gone_is_not_an_error():
    child = start_group([sys.executable, "-c", "pass"])
    child.wait()

    stop_group(child, grace=0.2)

    assert (child.returncode, processes.group_alive(child.pid)) == (0, False)
