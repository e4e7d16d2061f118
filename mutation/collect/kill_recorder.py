"""The gate's pytest plugin, in the preflight and in every mutant's session (`-p mutation.collect.kill_recorder`).

Inactive unless MUTATION_GATE_DIR is set. Then it:
- loads a Hypothesis profile fit for mutation (derandomized, no deadline, no example
  database, no shrinking), so runs are reproducible and a failing example is not shrunk;
- in the preflight (MUTATION_GATE_PHASE=preflight), records the collected order and every test's
  outcome and duration, and deselects the tests the gate reuses (listed in the JSON file
  MUTATION_GATE_PREFLIGHT_REUSED names), recording each as reused;
- in a mutant's session (the engine names the active mutant), keeps only the tests that execute
  the mutated statement (from the test plan), bounds each test by its time limit, and
  records every failing test with its kind: `assertion`, `crash` or `timeout`. The session
  stops at the first timeout, after `stop_after_assertions` tests have failed by assertion,
  and after `stop_after_failures` tests have failed of any kind (0: never). After its first
  failure it skips the tests that would not fit in its `crash_budget` (see `test_plan`); the
  credit passes give the tests a session never reached their chance (see `credit`).
- in the preflight, also records each test's body (the file and line of its function), so
  that the ids of one parametrized test, or one inherited unittest method, are judged together.

Records are JSON lines appended with unbuffered writes, so a worker killed mid-run still leaves
what it saw. A crash of this plugin makes pytest exit 3, which the gate never counts as a kill.
"""

import doctest
import inspect
import json
import os
import signal
import sys
import time

import pytest
from _pytest.compat import ascii_escaped

from mutation.collect.expected_raises import expecting_lines, raised_where_expected
from mutation.collect.test_source import asserts
from mutation.collect.pytest_options import GATE_DIR_ENV, PHASE_ENV, PREFLIGHT, REUSED_ENV
from mutation.collect.records import records_path
from mutation.model import KillKind

# Failures raised by pytest's own assertion helpers (pytest.fail, pytest.raises, approx via assert).
ASSERTION_LIKE = ("Failed",)



class MutantTestTimeout(BaseException):
    """Raised inside a test that ran past its time limit under a mutant.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` in a suite or a
    library can take a hang for a wrong value: pytest still records it as the test's failure,
    Hypothesis lets it through without replaying the example, and asyncio hands it to whoever
    awaits the task it interrupted.
    """


def failure_kind(excinfo):
    """`assertion` for AssertionError, pytest's own failures, a doctest's wrong output and a
    wrong exception where the test expected one (`expected_raises`), `timeout`, else `crash`."""
    return error_kind(excinfo.value)


def error_kind(error):
    if isinstance(error, doctest.UnexpectedException):
        # A doctest catches everything its example raises, a timeout included.
        return error_kind(error.exc_info[1])
    if isinstance(error, MutantTestTimeout):
        return KillKind.TIMEOUT
    if _is_assertion(error):
        return KillKind.ASSERTION
    failures = getattr(error, "failures", None)
    if type(error).__name__ == "MultipleDoctestFailure" and failures:
        return max((error_kind(failure) for failure in failures), key=KIND_STRENGTH.index)
    if raised_where_expected(error):  # the wrong exception where the test expected one
        return KillKind.ASSERTION
    return KillKind.CRASH


KIND_STRENGTH = (KillKind.CRASH, KillKind.TIMEOUT, KillKind.ASSERTION)


def _is_assertion(error):
    if isinstance(error, (AssertionError, doctest.DocTestFailure)) or type(error).__name__ in ASSERTION_LIKE:
        return True
    if isinstance(error, BaseExceptionGroup):
        return any(_is_assertion(inner) for inner in error.exceptions)
    return False


def body_of(item, root):
    """Where a test's code is: `file:line` of its function, else its id without parameters."""
    function = getattr(item, "obj", None)
    try:
        code = inspect.unwrap(function).__code__
    except (AttributeError, TypeError, ValueError):
        code = None
    if code is None:
        return item.nodeid.split("[", 1)[0]
    return f"{os.path.relpath(code.co_filename, root)}:{code.co_firstlineno}"


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


def _warm_hypothesis():
    """Build Hypothesis' lazy tables now, once, after collection: every mutant's session is forked
    from this session, and the first property-based test of each would otherwise rebuild them
    (the unicode tables, and the constants of every imported module, mutated copies included),
    paying a second or more that its time limit takes for a hang."""
    if "hypothesis" not in sys.modules:
        return
    try:
        from hypothesis.internal.charmap import charmap
        from hypothesis.internal.conjecture.providers import _get_local_constants
    except ImportError:  # a Hypothesis without these internals: nothing to warm
        return
    charmap()
    _get_local_constants()


class KillRecorder:
    """One session's state: where to write, how long each test may take, when to stop.

    `plan` (a mutant's session only) holds `limits` (per test), `default_limit`,
    `stop_after_assertions` and `records_dir`.
    """

    def __init__(self, gate_dir, session_name, plan=None):
        self.plan = plan
        path = records_path(gate_dir, session_name, (plan or {}).get("records_dir", ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self.timed_out = False
        self.armed = False
        self.stop_after = (plan or {}).get("stop_after_assertions", 0)
        self.stop_after_failures = (plan or {}).get("stop_after_failures", 0)
        self.assertion_failures = set()
        self.failed = set()
        self.crash_budget = (plan or {}).get("crash_budget", 0.0)
        # The crash budget's clock: the planned durations of the tests run so far, never the wall
        # clock, so a session's kills are the same on any machine under any load.
        self.elapsed = 0.0
        self.first_failure_ended = None
        self.skipping = None
        self.durations = {}
        self.write(event="session", time=time.monotonic())

    def write(self, **event):
        os.write(self.fd, (json.dumps(event) + "\n").encode())

    def time_limit(self, nodeid):
        if not self.plan:
            return None
        return self.plan["limits"].get(nodeid, self.plan["default_limit"])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if self.over_budget(item.nodeid):
            self.skipping = item.nodeid  # `BudgetSkip` below answers for it: nothing runs, nothing is recorded
            yield
            return
        self.write_start(item)
        limit = self.time_limit(item.nodeid)
        if limit:
            previous = signal.signal(signal.SIGALRM, self._on_alarm)
            self.armed = True
            # Re-fire every second: a test interrupted mid-call may hang again in its teardown.
            signal.setitimer(signal.ITIMER_REAL, limit, 1.0)
        try:
            yield
        finally:
            if limit:
                self.armed = False
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
                signal.signal(signal.SIGALRM, previous)
        if self.timed_out:
            item.session.shouldfail = "a test timed out under this mutant"
        elif self.stop_after and len(self.assertion_failures) >= self.stop_after:
            item.session.shouldfail = f"{self.stop_after} tests failed by assertion under this mutant"
        elif self.stop_after_failures and len(self.failed) >= self.stop_after_failures:
            item.session.shouldfail = f"{self.stop_after_failures} tests failed under this mutant"
        if self.crash_budget:
            self.elapsed += self.planned(item.nodeid)
        if self.failed and self.first_failure_ended is None:
            self.first_failure_ended = self.elapsed

    def over_budget(self, nodeid):
        """Whether, past the session's first failure, this test is not to run: it would not fit in
        the crash budget, or the plan runs it only while no test has failed."""
        if not self.plan or self.first_failure_ended is None:
            return False
        if nodeid in self.plan.get("only_while_unkilled", ()):
            return True
        if not self.crash_budget:
            return False
        allowed = max(self.crash_budget, self.first_failure_ended)
        spent = self.elapsed - self.first_failure_ended
        return spent + self.planned(nodeid) > allowed

    def planned(self, nodeid):
        """The test's duration in the plan (the preflight's), what the crash budget counts."""
        return self.plan["durations"].get(nodeid, self.plan["default_limit"])

    def write_start(self, item):
        self.write(event="start", test=item.nodeid)

    def _on_alarm(self, signum, frame):
        if self.armed:  # an alarm that lands after the test's protocol ended is dropped
            raise MutantTestTimeout("test ran past its time limit under this mutant")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.failed:
            # A strict xfail that passed fails without an exception: the test's expectation broke.
            kind = failure_kind(call.excinfo) if call.excinfo is not None else KillKind.ASSERTION
            error = call.excinfo.typename if call.excinfo is not None else "XPASS(strict)"
            self.timed_out = self.timed_out or kind == KillKind.TIMEOUT
            self.failed.add(item.nodeid)
            if kind == KillKind.ASSERTION:
                self.assertion_failures.add(item.nodeid)
            self.write(event="fail", test=item.nodeid, when=call.when, kind=kind, error=error)

    def pytest_runtest_logreport(self, report):
        duration = self.durations.pop(report.nodeid, 0.0) + report.duration
        if report.when == "teardown":
            self.write(event="end", test=report.nodeid, duration=round(duration, 6))
        else:
            self.durations[report.nodeid] = duration

    def finish(self, exitstatus):
        self.write(event="finish", exitstatus=int(exitstatus), time=time.monotonic())
        os.close(self.fd)


class BudgetSkip:
    """Answers pytest's run of a test the recorder skips: its fixtures are torn down as far as
    the next test needs, as pytest's own teardown would have, and the test itself never runs."""

    def __init__(self, recorder):
        self.recorder = recorder

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if self.recorder.skipping != item.nodeid:
            return None
        self.recorder.skipping = None
        item.session._setupstate.teardown_exact(nextitem)
        return True


class PreflightRecorder(KillRecorder):
    def __init__(self, gate_dir, session_name, reused=frozenset()):
        super().__init__(gate_dir, session_name)
        self.reused = reused

    def write_start(self, item):
        self.write(event="start", test=item.nodeid, **self.describe(item))

    @staticmethod
    def describe(item):
        return {"body": body_of(item, item.config.rootpath), "asserts": asserts(getattr(item, "obj", None))}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        """Record the collected order, and deselect the tests the gate reuses (recorded as such)."""
        self.write(event="order", tests=[item.nodeid for item in items])
        if not self.reused:
            return
        kept, skipped = [], []
        for item in items:
            (skipped if item.nodeid in self.reused else kept).append(item)
        for item in skipped:
            self.write(event="reused", test=item.nodeid, **self.describe(item))
        if skipped:
            items[:] = kept
            config.hook.pytest_deselected(items=skipped)

    def pytest_sessionfinish(self, session, exitstatus):
        self.finish(exitstatus)


def _is_property_based(item):
    return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False))


def pytest_make_parametrize_id(config, val, argname):
    """Bytes parameters get pytest's usual escaped id.

    The gate disables pytest's escaping of ids (so non-ASCII ids match across sessions), and
    pytest then leaves a bytes value's id as bytes, which fails collection.
    """
    if isinstance(val, bytes):
        return ascii_escaped(val)
    return None


def pytest_configure(config):
    if not os.environ.get(GATE_DIR_ENV):
        return
    _load_hypothesis_profile()
    if os.environ.get(PHASE_ENV) == PREFLIGHT:
        recorder = PreflightRecorder(os.environ[GATE_DIR_ENV], PREFLIGHT, _reused_tests())
        config.pluginmanager.register(recorder, "mutation-gate-recorder")


def _reused_tests():
    path = os.environ.get(REUSED_ENV)
    if not path:
        return frozenset()
    with open(path, encoding="utf-8") as handle:
        return frozenset(json.load(handle))


def pytest_collection_finish(session):
    if os.environ.get(GATE_DIR_ENV):
        _warm_hypothesis()
        if os.environ.get(PHASE_ENV) != PREFLIGHT:
            # Forked sessions inherit what the server parsed: the test files' expected-exception blocks.
            for path in {str(item.path) for item in session.items}:
                expecting_lines(path)


@pytest.hookimpl(optionalhook=True)
def pytest_mutant_session_start(session, mutant, context):
    """In a mutant's session (the engine's hook): record it, with its tests in the plan's order and
    property-based tests, the slowest, last."""
    gate_dir = os.environ.get(GATE_DIR_ENV)
    if not gate_dir:
        return
    recorder = KillRecorder(gate_dir, context["session_name"], context)
    session.config.pluginmanager.register(recorder, "mutation-gate-recorder")
    session.config.pluginmanager.register(BudgetSkip(recorder), "mutation-gate-budget")
    session.items.sort(key=_is_property_based)


@pytest.hookimpl(optionalhook=True)
def pytest_mutant_session_finish(session, exitstatus):
    recorder = session.config.pluginmanager.get_plugin("mutation-gate-recorder")
    if recorder is not None:
        recorder.finish(exitstatus)
