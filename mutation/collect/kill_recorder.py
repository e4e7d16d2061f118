"""The gate's pytest plugin, in the preflight and in every mutant's session (`-p mutation.collect.kill_recorder`).

Inactive unless MUTATION_GATE_DIR is set. Then it:
- loads a Hypothesis profile fit for mutation (derandomized, no deadline, no example
  database, no shrinking), so runs are reproducible and a failing example is not shrunk;
- in the preflight (MUTATION_GATE_PHASE=preflight), records every test's outcome and duration;
- in a mutant's session (the engine names the active mutant), keeps only the tests that execute
  the mutated statement (from the test plan), bounds each test by its time limit, and
  records every failing test with its kind: `assertion`, `crash` or `timeout`. The session
  stops at the first timeout, and after `stop_after_assertions` tests have failed by assertion
  (0: never), which is all the per-test verdicts need to know (see `credit`).

Records are JSON lines appended with unbuffered writes, so a worker killed mid-run still leaves
what it saw. A crash of this plugin makes pytest exit 3, which the gate never counts as a kill.
"""

import json
import os
import signal
import time
from pathlib import Path

import pytest
from _pytest.compat import ascii_escaped

from mutation.collect.pytest_options import GATE_DIR_ENV, PHASE_ENV, PREFLIGHT
from mutation.collect.records import records_path
from mutation.collect.test_plan import PLAN_FILE
from mutation.engine.protocol import active_mutant
from mutation.model import KillKind

# Failures raised by pytest's own assertion helpers (pytest.fail, pytest.raises, approx via assert).
ASSERTION_LIKE = ("Failed",)

_plan_cache = {}


class MutantTestTimeout(BaseException):
    """Raised inside a test that ran past its time limit under a mutant.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` in a suite or a
    library can take a hang for a wrong value: pytest still records it as the test's failure,
    Hypothesis lets it through without replaying the example, and asyncio hands it to whoever
    awaits the task it interrupted.
    """


def failure_kind(excinfo):
    """`assertion` for AssertionError and pytest's own failures, `timeout`, else `crash`."""
    error = excinfo.value
    if isinstance(error, MutantTestTimeout):
        return KillKind.TIMEOUT
    if _is_assertion(error):
        return KillKind.ASSERTION
    return KillKind.CRASH


def _is_assertion(error):
    if isinstance(error, AssertionError) or type(error).__name__ in ASSERTION_LIKE:
        return True
    if isinstance(error, BaseExceptionGroup):
        return any(_is_assertion(inner) for inner in error.exceptions)
    return False


def load_plan(gate_dir):
    """The per-mutant test plan and per-test time limits, read once per process."""
    if gate_dir not in _plan_cache:
        path = Path(gate_dir) / PLAN_FILE
        _plan_cache[gate_dir] = json.loads(path.read_text()) if path.exists() else None
    return _plan_cache[gate_dir]


def _load_hypothesis_profile():
    try:
        from hypothesis import HealthCheck, Phase, settings
    except ImportError:
        return
    settings.register_profile(
        "mutation-gate",
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    settings.load_profile("mutation-gate")


class KillRecorder:
    """Per-session state: where to write, what to keep, how long each test may take."""

    def __init__(self, gate_dir, session_name, mutant):
        self.mutant = mutant
        self.plan = load_plan(gate_dir) if mutant else None
        path = records_path(gate_dir, session_name, (self.plan or {}).get("records_dir", ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self.timed_out = False
        self.stop_after = (self.plan or {}).get("stop_after_assertions", 0)
        self.collectable = None
        self.assertion_failures = set()
        self.durations = {}
        self.write(event="session", time=time.monotonic())

    def write(self, **event):
        os.write(self.fd, (json.dumps(event) + "\n").encode())

    def selected_tests(self):
        """This mutant's tests in the preflight's order, or None when the plan has no say."""
        if not self.plan or self.mutant not in self.plan["mutants"]:
            return None
        tests = self.plan["tests"]
        return [tests[index] for index in sorted(self.plan["mutants"][self.mutant])]

    def narrow_collection(self, config):
        """Collect only this mutant's tests: building every item of a module costs more than running one test."""
        selected = self.selected_tests()
        if not selected:
            return
        config.args[:] = selected
        self.collectable = {prefix for test in selected for prefix in _node_prefixes(test)}

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makeitem(self, collector, name, obj):
        if self.collectable is None or f"{collector.nodeid}::{name}" in self.collectable:
            return None
        return []

    def time_limit(self, nodeid):
        if not self.plan:
            return None
        return self.plan["limits"].get(nodeid, self.plan["default_limit"])

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        selected = self.selected_tests()
        if selected is None:
            return
        selected = set(selected)
        kept = [item for item in items if item.nodeid in selected]
        dropped = [item for item in items if item.nodeid not in selected]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        # mutmut passes the tests in set order, which changes between processes; a run that
        # stops early must see them in one fixed order to be reproducible. Property-based
        # tests, the slowest, go last.
        rank = {test: position for position, test in enumerate(self.plan["tests"])}
        items[:] = sorted(kept, key=lambda item: (_is_property_based(item), rank.get(item.nodeid, len(rank)), item.nodeid))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.write(event="start", test=item.nodeid)
        limit = self.time_limit(item.nodeid)
        if limit:
            previous = signal.signal(signal.SIGALRM, _raise_timeout)
            # Re-fire every second: a test interrupted mid-call may hang again in its teardown.
            signal.setitimer(signal.ITIMER_REAL, limit, 1.0)
        try:
            yield
        finally:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
                signal.signal(signal.SIGALRM, previous)
        if self.timed_out:
            item.session.shouldfail = "a test timed out under this mutant"
        elif self.stop_after and len(self.assertion_failures) >= self.stop_after:
            item.session.shouldfail = f"{self.stop_after} tests failed by assertion under this mutant"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.failed:
            # A strict xfail that passed fails without an exception: the test's expectation broke.
            kind = failure_kind(call.excinfo) if call.excinfo is not None else "assertion"
            error = call.excinfo.typename if call.excinfo is not None else "XPASS(strict)"
            self.timed_out = self.timed_out or kind == KillKind.TIMEOUT
            if kind == KillKind.ASSERTION:
                self.assertion_failures.add(item.nodeid)
            self.write(event="fail", test=item.nodeid, when=call.when, kind=kind, error=error)

    def pytest_runtest_logreport(self, report):
        duration = self.durations.pop(report.nodeid, 0.0) + report.duration
        if report.when == "teardown":
            self.write(event="end", test=report.nodeid, duration=round(duration, 6))
        else:
            self.durations[report.nodeid] = duration

    def pytest_sessionfinish(self, session, exitstatus):
        self.write(event="finish", exitstatus=int(exitstatus), time=time.monotonic())
        os.close(self.fd)


def _is_property_based(item):
    return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False))


def _node_prefixes(nodeid):
    """`a.py::Cls::test[x]` -> `a.py::Cls`, `a.py::Cls::test`: the collector paths leading to a test."""
    parts = nodeid.split("[", 1)[0].split("::")
    return {"::".join(parts[:end]) for end in range(2, len(parts) + 1)}


def _raise_timeout(signum, frame):
    raise MutantTestTimeout("test ran past its time limit under this mutant")


def pytest_make_parametrize_id(config, val, argname):
    """Bytes parameters get pytest's usual escaped id.

    The gate disables pytest's escaping of ids (so non-ASCII ids match across sessions), and
    pytest then leaves a bytes value's id as bytes, which fails collection.
    """
    if isinstance(val, bytes):
        return ascii_escaped(val)
    return None


def pytest_configure(config):
    gate_dir = os.environ.get(GATE_DIR_ENV)
    if not gate_dir:
        return
    _load_hypothesis_profile()
    # Read here too when no mutant is active (the engine's warm-up), so forked workers inherit it.
    load_plan(gate_dir)
    mutant = active_mutant(os.environ)
    if mutant:
        recorder = KillRecorder(gate_dir, mutant, mutant)
        config.pluginmanager.register(recorder, "mutation-gate-recorder")
        recorder.narrow_collection(config)
    elif os.environ.get(PHASE_ENV) == PREFLIGHT:
        config.pluginmanager.register(KillRecorder(gate_dir, PREFLIGHT, None), "mutation-gate-recorder")
