"""The gate's child processes, each in a process group of its own, so that stopping one stops
everything it started (pytest's own subprocesses, mutmut's generation workers, the fork server).

A signal sent to the gate's PID reaches only the gate; the gate then stops its groups with
`stop_group`: SIGTERM first (the fork server answers it by killing its children's groups), SIGKILL
for whatever is still there after a grace period.
"""

import os
import signal
import subprocess
import time

GRACE_SECONDS = 3.0


class _GroupLeader(subprocess.Popen):
    def __init__(self, command, **popen):
        try:
            super().__init__(command, process_group=0, **popen)
        except BaseException:
            # A signal while Popen waits for the exec: the child exists, but no caller will ever see it.
            if self.pid is not None:
                stop_group(self)
            raise


def start_group(command, **popen):
    """`subprocess.Popen(command, **popen)` as the leader of a new process group."""
    return _GroupLeader(command, **popen)


def run_group(command, **popen):
    """Run `command` to its end in a group of its own; its exit code. Interrupted, the group is stopped."""
    process = start_group(command, **popen)
    try:
        return process.wait()
    finally:
        stop_group(process)


def stop_group(process, grace=GRACE_SECONDS):
    """End `process` and its group: SIGTERM, then SIGKILL after `grace` seconds. Safe to call twice."""
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(process.pid, signal.SIGKILL)  # the leader's stragglers, even when the leader has ended
    process.wait()
    _wait_group_gone(process.pid, grace)


def kill_group(pgid, timeout=GRACE_SECONDS):
    """SIGKILL the process group `pgid` and wait (at most `timeout` seconds) until it is gone."""
    _signal_group(pgid, signal.SIGKILL)
    _wait_group_gone(pgid, timeout)


def _signal_group(pgid, signum):
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass  # the group is gone already


def _wait_group_gone(pgid, timeout):
    """A SIGKILLed group may take a moment to be reaped by its own parents; wait for it, briefly."""
    deadline = time.monotonic() + timeout
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.01)


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True
