"""The engine's fork server: one pytest session over mutmut's mutated copy that collects the suite
once, then runs each mutant's tests in a forked child.

Started by `server.EngineServer` as `python -m mutation.engine.forkserver JOBS_FD RESULTS_FD
PYTEST_ARGS...` in the `mutants/` directory. It imports the mutated copy first on `sys.path`
(as mutmut does), runs pytest's collection, sends `{"ready": ...}`, then serves batches of jobs
read as JSON lines: each job's child activates its mutant (mutmut's trampolines read it), keeps
only the job's tests as the session's items, calls `pytest_mutant_session_start` so the gate's
plugin can order and watch them, runs them with pytest's own loop, tears the session's fixtures
down, calls `pytest_mutant_session_finish` and exits with pytest's exit status. A child that
outlives its wall limit is killed with its process group. Each result is a JSON line, and so is
each child's PID as it starts, so the gate can kill a child's group itself should the server die
first. On SIGTERM the server kills every child's group and waits until they are gone.

Compared with `mutmut run`, nothing is collected or configured again per mutant, and passes
after the first (second chances, credit passes) reuse the same warm session.
"""

import ctypes
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path

import pytest

from mutation.engine.processes import group_alive

MUTANT_ENV = "MUTANT_UNDER_TEST"
SOURCE_DIRS = (".", "src", "source")  # where mutmut puts the mutated copy first on sys.path
POLL_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)
INTERNAL_ERROR = 3  # pytest's exit status for an internal error
GONE_SECONDS = 5.0  # how long killed children's groups may take to disappear


class HookSpecs:
    """What the fork server tells the plugins of every mutant's session."""

    @pytest.hookspec
    def pytest_mutant_session_start(self, session, mutant, context):
        """In a mutant's child, before its tests run: `session.items` holds them, in the job's order."""

    @pytest.hookspec
    def pytest_mutant_session_finish(self, session, exitstatus):
        """In a mutant's child, after its tests ran and the session's fixtures were torn down."""


class ForkServer:
    def __init__(self, jobs_fd, results_fd):
        self.jobs = os.fdopen(jobs_fd, "r", encoding="utf-8")
        self.results_fd = results_fd
        self.collection_errors = []
        self.gate_pid = os.getppid()
        signal.signal(signal.SIGTERM, _stop_serving)  # the gate stops the server: run_batch kills the children

    def pytest_addhooks(self, pluginmanager):
        pluginmanager.add_hookspecs(HookSpecs)

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(f"{report.nodeid or '(session)'}: {_first_line(report.longreprtext)}")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        items = {item.nodeid: item for item in session.items}
        self.send(ready=not self.collection_errors, tests=len(items), ids=list(items), errors=self.collection_errors)
        if self.collection_errors:
            return True
        for line in self.jobs:
            message = json.loads(line)
            if "stop" in message:
                break
            self.run_batch(session, items, message["jobs"], message["workers"])
            self.send(batch_done=True)
        return True

    def send(self, **message):
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(self.results_fd, data):]

    def run_batch(self, session, items, jobs, workers):
        pending = list(reversed(jobs))
        running = {}
        server_pid = os.getpid()
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        previous = signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(wake_write)
        try:
            while pending or running:
                while pending and len(running) < workers:
                    job = pending.pop()
                    missing = [test for test in job["tests"] if test not in items]
                    if missing:
                        self.send(mutant=job["mutant"], exit_code=None, seconds=0.0, timed_out=False,
                                  error=f"{len(missing)} tests not collected, e.g. {missing[0]}")
                        continue
                    pid = os.fork()
                    if pid == 0:
                        # The child's signals must not be written into an fd number a test may reuse.
                        signal.set_wakeup_fd(-1)
                        os.close(wake_read)
                        os.close(wake_write)
                        _child(session, [items[test] for test in job["tests"]], job, server_pid)
                    running[pid] = (job, time.monotonic())
                    self.send(started=job["mutant"], pid=pid)
                if self._reap(running):
                    continue  # fill the freed slots before waiting again
                self._kill_overdue(running)
                if os.getppid() != self.gate_pid:
                    _orphaned(running)
                if running:
                    select.select([wake_read], [], [], _wait_seconds(running))
                    _drain(wake_read)
        except BaseException:
            _kill_children(running)  # the gate went away (a broken pipe) or the server failed
            raise
        finally:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, previous)
            os.close(wake_read)
            os.close(wake_write)

    def _reap(self, running):
        """Report every child that has ended; how many there were."""
        reaped = 0
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            if pid not in running:
                continue  # a process some test started and left behind
            job, started = running.pop(pid)
            _kill_group(pid)  # what its tests started and left running (the child's own group)
            code = os.waitstatus_to_exitcode(status)
            self.send(mutant=job["mutant"], exit_code=code, seconds=round(time.monotonic() - started, 4),
                      timed_out=job.get("killed", False))
            reaped += 1
        return reaped

    def _kill_overdue(self, running):
        now = time.monotonic()
        for pid, (job, started) in running.items():
            if not job.get("killed") and now - started > job["wall_limit"]:
                job["killed"] = True
                _kill_group(pid)


def _stop_serving(signum, frame):
    raise SystemExit(128 + signum)


def _orphaned(running):
    """The gate died (killed, or its machine's job cancelled): stop every child, then the server."""
    _kill_children(running)
    os._exit(1)


def _kill_children(running):
    """Kill every child with its group, and wait until they are gone: the gate reports them stopped."""
    for pid in running:
        _kill_group(pid)
    deadline = time.monotonic() + GONE_SECONDS
    for pid in running:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        while group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.01)


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_seconds(running):
    now = time.monotonic()
    deadlines = [started + job["wall_limit"] - now for job, started in running.values() if not job.get("killed")]
    return max(0.0, min([POLL_SECONDS, *deadlines]))


def _drain(fd):
    os.set_blocking(fd, False)
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(fd, True)


def _child(session, tests, job, server_pid):
    """In the forked child: run one mutant's tests and exit with pytest's status (never returns)."""
    status = 3
    try:
        os.setpgid(0, 0)
        _die_with_parent(server_pid)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _activate(job["mutant"])
        cpu_limit = int(time.process_time()) + max(1, int(job["wall_limit"] * 2))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit + 1))
        status = _run_tests(session, tests, job)
    except BaseException:  # noqa: BLE001 - the gate's own plugin failed: say why in the engine's log, exit 3
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _die_with_parent(server_pid):
    """Linux: the kernel kills this child if the server dies, however it dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the server's own checks remain
        pass
    if os.getppid() != server_pid:  # the server died before the kernel was told: nobody would stop this child
        os._exit(1)


def _activate(mutant):
    from mutmut.mutation.trampoline import set_mutant_under_test

    set_mutant_under_test(mutant)
    os.environ[MUTANT_ENV] = mutant


def _run_tests(session, tests, job):
    from _pytest.main import pytest_runtestloop

    session.items = list(tests)
    session.testsfailed = 0
    session.shouldstop = session.shouldfail = False
    hook = session.config.hook
    hook.pytest_mutant_session_start(session=session, mutant=job["mutant"], context=job.get("context", {}))
    try:
        pytest_runtestloop(session)
    except (session.Failed, session.Interrupted):  # pytest's own stops (shouldfail, shouldstop)
        session.shouldstop = session.shouldstop or "interrupted"
    except BaseException:  # noqa: BLE001 - a plugin or conftest hook crashed: pytest's internal error, never a kill
        traceback.print_exc()
        hook.pytest_mutant_session_finish(session=session, exitstatus=INTERNAL_ERROR)
        return INTERNAL_ERROR
    try:
        session._setupstate.teardown_exact(None)
    except BaseException:  # noqa: BLE001 - a failing teardown is a failing session, never a crash of the server
        session.testsfailed += 1
    status = 1 if session.testsfailed else (2 if session.shouldstop else (0 if session.items else 5))
    hook.pytest_mutant_session_finish(session=session, exitstatus=status)
    return status


def _first_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "collection failed"


def _use_mutated_copy():
    """The mutated copy first on sys.path, the original unreachable (as mutmut's `setup_source_paths`)."""
    for name in SOURCE_DIRS:
        if Path(name).is_dir():
            sys.path.insert(0, str(Path(name).resolve()))
    originals = {(Path("..") / name).resolve() for name in SOURCE_DIRS}
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() not in originals]


def main(argv):
    jobs_fd, results_fd, *pytest_args = argv
    _use_mutated_copy()
    os.environ.pop(MUTANT_ENV, None)
    return pytest.main(pytest_args, plugins=[ForkServer(int(jobs_fd), int(results_fd))])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
