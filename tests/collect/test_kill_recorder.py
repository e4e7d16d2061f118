"""The kill recorder: the pytest plugin that records, per mutant's session, which tests failed and how.

A mutant's session is what the gate runs: a job of a real EngineServer over a small suite in
tmp_path, with MUTATION_GATE_DIR set, so the recorder takes its plan from the job's context in
`pytest_mutant_session_start`, bounds each test with SIGALRM in a forked child and is finished by
`pytest_mutant_session_finish`. The preflight and sessions outside a gate run are plain pytest
sessions (pytester subprocesses). What was recorded is read with `records.read_session`; durations
are exact through pytest's own mock clock (`_pytest.timing.MockTiming`), which only advances when a
test calls `timing.sleep`.
"""

import json
import os
from pathlib import Path

import pytest

import mutation
from mutation.collect.pytest_options import (
    GATE_DIR_ENV,
    PHASE_ENV,
    RECORDER_PLUGIN,
    REUSED_ENV,
    STABLE_IDS,
    mutant_session_args,
)
from mutation.collect.records import SessionRecord, read_session
from mutation.collect.test_plan import SAMPLED, SessionPlan, StopRule
from mutation.engine.protocol import MUTANT_ENV
from mutation.engine.server import EngineServer, Job
from mutation.engine.settings import server_args
from tests.factories import gate_config

pytest_plugins = ["pytester"]

MUTANT = "pkg.mod.x_compute__mutmut_3"

MOCK_CLOCK = """\
from _pytest import timing

_clock = timing.MockTiming()
timing.perf_counter = timing.time = _clock.time
timing.sleep = _clock.sleep
"""

KINDS = """\
import unittest.mock

import pytest
from _pytest import timing


@pytest.fixture
def broken():
    raise OSError("no database")


@pytest.fixture
def timed():
    timing.sleep(0.125)
    yield
    timing.sleep(0.0625)


@pytest.fixture
def fails_at_teardown():
    yield
    raise RuntimeError("cannot clean up")


def test_passes(timed):
    timing.sleep(0.25)


def test_plain_assert():
    assert 1 == 2


def test_pytest_fail():
    pytest.fail("wrong total")


def test_did_not_raise():
    with pytest.raises(ValueError):
        pass


def test_approx():
    assert 0.1 + 0.2 == pytest.approx(0.4)


def test_mock():
    unittest.mock.Mock().assert_called_once()


def test_group_with_an_assertion():
    raise ExceptionGroup("many", [ValueError("v"), AssertionError("a")])


def test_group_of_crashes():
    raise ExceptionGroup("many", [ValueError("v"), KeyError("k")])


def test_crash():
    raise TypeError("bad operand")


def test_fixture_error(broken):
    pass


def test_teardown_error(fails_at_teardown):
    pass


def test_also_passes():
    pass
"""

FAILING = [
    ("test_plain_assert", "call", "assertion", "AssertionError"),
    ("test_pytest_fail", "call", "assertion", "Failed"),
    ("test_did_not_raise", "call", "assertion", "Failed"),
    ("test_approx", "call", "assertion", "AssertionError"),
    ("test_mock", "call", "assertion", "AssertionError"),
    ("test_group_with_an_assertion", "call", "assertion", "ExceptionGroup"),
    ("test_group_of_crashes", "call", "crash", "ExceptionGroup"),
    ("test_crash", "call", "crash", "TypeError"),
    ("test_fixture_error", "setup", "crash", "OSError"),
    ("test_teardown_error", "teardown", "crash", "RuntimeError"),
]

SELECTION = """\
import time

import pytest


def test_fast():
    pass


def test_unselected():
    pass


def test_slow():
    time.sleep(5)


def test_after():
    pass


class TestGroup:
    @pytest.mark.parametrize("value", ["a::b", "c"])
    def test_kept(self, value):
        assert value != "c"

    def test_sibling(self):
        pass
"""

STOPPING = """\
def test_crashes():
    raise KeyError("k")


def test_first_assertion():
    assert 1 == 2


def test_passes():
    pass


def test_second_assertion():
    assert "a" == "b"


def test_crashes_too():
    raise ValueError("v")


def test_never_reached_by_a_stop():
    assert False
"""

ORDERED = """\
from hypothesis import given, strategies as st


@given(st.integers())
def test_property(number):
    assert number == number


def test_wide():
    pass


def test_narrow():
    pass
"""

SWALLOWING = """\
import asyncio
import time

from hypothesis import given, strategies as st


def test_catches_every_exception():
    try:
        time.sleep(5)
    except Exception:
        pass


def test_catches_every_exception_in_a_task():
    async def hang():
        while True:
            time.sleep(0.01)
            await asyncio.sleep(0)

    async def main():
        try:
            await asyncio.gather(hang())
        except Exception:
            pass

    asyncio.run(main())


@given(st.integers())
def test_property(number):
    try:
        time.sleep(5)
    except Exception:
        pass
"""

PROFILE = """\
from hypothesis import HealthCheck, Phase, settings


def test_the_gates_hypothesis_profile_is_loaded():
    current = settings.default
    assert (settings.get_current_profile_name(), current.deadline, current.derandomize, current.database,
            tuple(current.phases)) == ("mutation-gate", None, True, None, (Phase.explicit, Phase.reuse, Phase.generate))
    assert {HealthCheck.too_slow, HealthCheck.differing_executors} <= set(current.suppress_health_check)
"""

HOLDING_FILES = """\
import time


def test_holds_files_past_its_limit():
    handles = [open(f"held-{number}.bin", "wb", buffering=0) for number in range(8)]
    time.sleep(5)
"""

SUITE = {
    "tests/conftest.py": MOCK_CLOCK,
    "tests/test_kinds.py": KINDS,
    "tests/test_two.py": "def test_ok():\n    pass\n\ndef test_bad():\n    assert False\n",
    "tests/test_sel.py": SELECTION,
    "tests/test_xpass.py": "import pytest\n\n@pytest.mark.xfail(strict=True)\ndef test_flips():\n    pass\n",
    "tests/test_stop.py": STOPPING,
    "tests/test_order.py": ORDERED,
    "tests/test_swallow.py": SWALLOWING,
    "tests/test_profile.py": PROFILE,
    "tests/test_held.py": HOLDING_FILES,
    "tests/test_doc_wrong.txt": ">>> 1 + 1\n3\n",
    "tests/test_doc_raises.txt": ">>> {}['missing']\n1\n",
    "tests/test_doc_hangs.txt": ">>> import time\n>>> time.sleep(5)\n",
}


# --- a mutant's session: a job of the fork server ----------------------------------------------------


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    """(engine, gate directory): a fork server over SUITE in a work directory, in a gate run."""
    root = tmp_path_factory.mktemp("recorder")
    for relative, text in SUITE.items():
        path = root / "mutants" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in (PHASE_ENV, MUTANT_ENV, "PYTEST_DISABLE_PLUGIN_AUTOLOAD")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(mutation.__file__).parents[1]), env.get("PYTHONPATH")]))
    env[GATE_DIR_ENV] = str(root / "gate")
    args = server_args(mutant_session_args(gate_config(root)), "tests")
    with EngineServer(root, args, env, root / "engine.log") as engine:
        yield engine, root / "gate"


def job(session_name, tests, limits=None, default_limit=30.0, stop=StopRule(), records_dir=""):
    """A job as `SessionPlan.job` makes it, with the limits given outright."""
    return Job(MUTANT, tuple(tests), 60.0, {
        "session_name": session_name, "limits": dict(limits or {}), "default_limit": default_limit,
        "stop_after_assertions": stop.assertions, "stop_after_failures": stop.failures, "records_dir": records_dir,
    })


def run(gate, session_job):
    engine, gate_dir = gate
    result = engine.run([session_job], 1)[MUTANT]
    assert (result.timed_out, result.error) == (False, "")
    return result.exit_code, read_session(gate_dir, session_job.context["session_name"],
                                          session_job.context["records_dir"])


def ids(module, *names):
    return [f"tests/{module}::{name}" for name in names]


def test_each_failing_test_is_recorded_with_its_kind(gate):
    names = ["test_passes", *(name for name, *_ in FAILING), "test_also_passes"]

    exit_code, record = run(gate, job("kinds", ids("test_kinds.py", *names)))

    assert (exit_code, record) == (1, SessionRecord(
        tests=ids("test_kinds.py", *names),
        durations={test: 0.4375 if test.endswith("::test_passes") else 0.0 for test in ids("test_kinds.py", *names)},
        failures=[(f"tests/test_kinds.py::{name}", when, kind, error) for name, when, kind, error in FAILING],
        unfinished=[],
        exit_status=1,
    ))


@pytest.mark.parametrize(("test", "kind", "error"), [
    ("tests/test_doc_wrong.txt::test_doc_wrong.txt", "assertion", "DocTestFailure"),
    ("tests/test_doc_raises.txt::test_doc_raises.txt", "crash", "UnexpectedException"),
])
def test_a_doctests_wrong_output_is_an_assertion_and_its_exception_a_crash(gate, test, kind, error):
    exit_code, record = run(gate, job(f"doctest-{kind}", [test]))

    assert (exit_code, record.failures) == (1, [(test, "call", kind, error)])


def test_records_are_start_fail_end_events_between_a_session_and_a_finish(gate):
    gate_dir = gate[1]
    run(gate, job("events", ids("test_two.py", "test_ok", "test_bad")))

    events = [json.loads(line) for line in (gate_dir / "records" / "events.jsonl").read_text().splitlines()]

    assert [(event["event"], event.get("test")) for event in events] == [
        ("session", None),
        ("start", "tests/test_two.py::test_ok"), ("end", "tests/test_two.py::test_ok"),
        ("start", "tests/test_two.py::test_bad"), ("fail", "tests/test_two.py::test_bad"),
        ("end", "tests/test_two.py::test_bad"),
        ("finish", None),
    ]
    assert events[4] == {"event": "fail", "test": "tests/test_two.py::test_bad", "when": "call", "kind": "assertion",
                         "error": "AssertionError"}
    assert {key: value for key, value in events[-1].items() if key != "time"} == {"event": "finish", "exitstatus": 1}
    assert events[-1]["time"] >= events[0]["time"]


def test_a_session_runs_exactly_its_jobs_tests_in_the_jobs_order(gate):
    tests = ids("test_sel.py", "TestGroup::test_kept[c]", "test_after", "TestGroup::test_kept[a::b]", "test_fast")

    exit_code, record = run(gate, job("exactly", tests))

    assert (exit_code, record.tests, record.failures, record.exit_status) == (
        1, tests, [(tests[0], "call", "assertion", "AssertionError")], 1)


def test_a_test_past_its_limit_times_out_and_ends_the_session(gate):
    tests = ids("test_sel.py", "test_fast", "test_slow", "test_after")

    exit_code, record = run(gate, job("limited", tests, limits={tests[1]: 0.1}))

    assert (exit_code, record.tests, sorted(record.durations), record.failures, record.unfinished,
            record.exit_status) == (
        1, tests[:2], tests[:2], [(tests[1], "call", "timeout", "MutantTestTimeout")], [], 1)


def test_a_doctest_example_past_its_limit_is_a_timeout(gate):
    test = "tests/test_doc_hangs.txt::test_doc_hangs.txt"

    exit_code, record = run(gate, job("doctest-hangs", [test], limits={test: 0.1}))

    assert (exit_code, record.failures) == (1, [(test, "call", "timeout", "UnexpectedException")])


@pytest.mark.parametrize("name", ["test_catches_every_exception", "test_catches_every_exception_in_a_task",
                                  "test_property"])
def test_no_except_exception_in_a_suite_can_hide_a_timeout(gate, name):
    test = f"tests/test_swallow.py::{name}"

    exit_code, record = run(gate, job(f"swallow-{name}", [test], limits={test: 0.1}))

    assert (exit_code, record.failures) == (1, [(test, "call", "timeout", "MutantTestTimeout")])


def test_a_strict_xfail_that_passes_under_the_mutant_fails_by_assertion(gate):
    test = "tests/test_xpass.py::test_flips"

    exit_code, record = run(gate, job("xpass", [test]))

    assert (exit_code, record.failures) == (1, [(test, "call", "assertion", "XPASS(strict)")])


STOPPING_TESTS = ids("test_stop.py", "test_crashes", "test_first_assertion", "test_passes", "test_second_assertion",
                     "test_crashes_too", "test_never_reached_by_a_stop")


@pytest.mark.parametrize(("stop", "ran"), [
    pytest.param(StopRule(assertions=2), 4, id="after-two-assertion-failures"),
    pytest.param(StopRule(assertions=5, failures=2), 2, id="after-two-failures-of-any-kind"),
    pytest.param(SAMPLED, 2, id="sampled-at-the-first-assertion"),
    pytest.param(StopRule(assertions=3, failures=4), 5, id="after-four-failures"),
    pytest.param(StopRule(), 6, id="never"),
])
def test_a_session_stops_by_its_plans_stop_rule_into_its_own_records_dir(gate, stop, ran):
    plan = SessionPlan(gate_config(test_timeout_floor=30.0), STOPPING_TESTS, dict.fromkeys(STOPPING_TESTS, 0.001), stop)
    session_job = plan.job(MUTANT, reversed(STOPPING_TESTS), records_dir="credit-3",
                           session_name=f"stop-{stop.assertions}-{stop.failures}")

    exit_code, record = run(gate, session_job)

    failing = [test for test in STOPPING_TESTS[:ran] if not test.endswith("::test_passes")]
    assert (exit_code, record.tests, [test for test, *_ in record.failures], record.exit_status) == (
        1, STOPPING_TESTS[:ran], failing, 1)
    assert read_session(gate[1], session_job.context["session_name"]).exists is False


def test_past_its_first_failure_a_session_skips_the_tests_that_do_not_fit_its_crash_budget(gate):
    durations = {**dict.fromkeys(STOPPING_TESTS, 0.001), STOPPING_TESTS[1]: 5.0}
    plan = SessionPlan(gate_config(test_timeout_floor=30.0), STOPPING_TESTS, durations, StopRule(crash_budget=1.0))

    exit_code, record = run(gate, plan.job(MUTANT, STOPPING_TESTS, session_name="budget"))

    # test_first_assertion would take 5 s: skipped, not recorded; the cheap tests after it still run
    assert (exit_code, record.tests, record.unfinished) == (1, [STOPPING_TESTS[0], *STOPPING_TESTS[2:]], [])


def test_the_crash_budget_counts_the_planned_durations_not_the_clock(gate):
    # test_crashes is planned at 2 s (it takes far less): the budget after it is as long again, so
    # test_first_assertion (1.5 s planned) still fits, and test_second_assertion (1 s more) does not.
    durations = {**dict.fromkeys(STOPPING_TESTS, 0.001), STOPPING_TESTS[0]: 2.0, STOPPING_TESTS[1]: 1.5,
                 STOPPING_TESTS[3]: 1.0}
    plan = SessionPlan(gate_config(test_timeout_floor=30.0), STOPPING_TESTS, durations, StopRule(crash_budget=1.0))

    exit_code, record = run(gate, plan.job(MUTANT, STOPPING_TESTS, session_name="planned-budget"))

    assert (exit_code, record.tests) == (1, [*STOPPING_TESTS[:3], *STOPPING_TESTS[4:]])


def test_property_based_tests_run_last_and_the_others_in_the_jobs_order(gate):
    tests = ids("test_order.py", "test_property", "test_narrow", "test_wide")

    exit_code, record = run(gate, job("ordered", tests))

    assert (exit_code, record.tests) == (0, [tests[1], tests[2], tests[0]])


def test_a_mutants_session_gets_the_gates_hypothesis_profile(gate):
    exit_code, record = run(gate, job("profile", ["tests/test_profile.py::test_the_gates_hypothesis_profile_is_loaded"]))

    assert (exit_code, record.failures, record.exit_status) == (0, [], 0)


def test_a_time_limit_writes_nothing_into_the_tests_own_files(gate):
    test = "tests/test_held.py::test_holds_files_past_its_limit"
    gate_dir = gate[1]

    exit_code, record = run(gate, job("held", [test], limits={test: 0.1}))

    assert (exit_code, record.failures) == (1, [(test, "call", "timeout", "MutantTestTimeout")])
    assert {path.name: path.read_bytes() for path in sorted((gate_dir.parent / "mutants").glob("held-*.bin"))} == {
        f"held-{number}.bin": b"" for number in range(8)}


# --- plain pytest sessions: the preflight, and sessions outside a gate run -------------------------


@pytest.fixture
def plain(monkeypatch):
    """Keep the subprocess sessions fast: load no installed plugin but the one under test."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    for name in (GATE_DIR_ENV, PHASE_ENV, MUTANT_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def run_plain(pytester, *args, **files):
    pytester.makepyfile(**files)
    return pytester.runpytest_subprocess("-p", RECORDER_PLUGIN, "-p", "no:cacheprovider", *args)


PREFLIGHT_SUITE = """\
import pytest
from _pytest import timing


def test_a():
    timing.sleep(0.5)


@pytest.mark.parametrize("n", [1, 2])
def test_b(n):
    timing.sleep(1.25)
"""


def test_the_preflight_records_every_test_with_its_duration_and_body_under_the_name_preflight(pytester, tmp_path,
                                                                                             plain):
    plain.setenv(GATE_DIR_ENV, str(tmp_path / "gate"))
    plain.setenv(PHASE_ENV, "preflight")
    pytester.makeconftest(MOCK_CLOCK)

    result = run_plain(pytester, test_pre=PREFLIGHT_SUITE)

    assert result.ret == 0
    assert sorted(path.name for path in (tmp_path / "gate" / "records").iterdir()) == ["preflight.jsonl"]
    tests = ["test_pre.py::test_a", "test_pre.py::test_b[1]", "test_pre.py::test_b[2]"]
    assert read_session(tmp_path / "gate", "preflight") == SessionRecord(
        tests=tests,
        durations=dict(zip(tests, [0.5, 1.25, 1.25])),
        failures=[],
        unfinished=[],
        bodies=dict(zip(tests, ["test_pre.py:5", "test_pre.py:9", "test_pre.py:9"])),
        silent=set(tests),  # none of them asserts anything
        order=tests,
        exit_status=0,
    )


def test_a_preflight_deselects_the_tests_the_gate_reuses_and_records_them_as_reused(pytester, tmp_path, plain):
    reused = tmp_path / "reused.json"
    reused.write_text(json.dumps(["test_pre.py::test_b[1]", "test_pre.py::test_gone"]), encoding="utf-8")
    plain.setenv(GATE_DIR_ENV, str(tmp_path / "gate"))
    plain.setenv(PHASE_ENV, "preflight")
    plain.setenv(REUSED_ENV, str(reused))
    pytester.makeconftest(MOCK_CLOCK)

    result = run_plain(pytester, test_pre=PREFLIGHT_SUITE)

    assert result.ret == 0
    record = read_session(tmp_path / "gate", "preflight")
    tests = ["test_pre.py::test_a", "test_pre.py::test_b[1]", "test_pre.py::test_b[2]"]
    assert (record.order, record.reused, sorted(record.tests)) == (tests, ["test_pre.py::test_b[1]"], tests)
    assert record.durations == {"test_pre.py::test_a": 0.5, "test_pre.py::test_b[2]": 1.25}  # b[1] never ran
    assert record.bodies["test_pre.py::test_b[1]"] == "test_pre.py:9" and "test_pre.py::test_b[1]" in record.silent


def test_the_preflight_records_a_failing_test_and_pytests_exit_status(pytester, tmp_path, plain):
    plain.setenv(GATE_DIR_ENV, str(tmp_path / "gate"))
    plain.setenv(PHASE_ENV, "preflight")

    run_plain(pytester, test_pre="def test_ok():\n    pass\n\ndef test_bad():\n    assert False\n")

    record = read_session(tmp_path / "gate", "preflight")
    assert (record.failures, record.exit_status) == ([("test_pre.py::test_bad", "call", "assertion", "AssertionError")], 1)


@pytest.mark.parametrize("environment", [
    pytest.param({MUTANT_ENV: MUTANT}, id="gate-dir-unset"),
    pytest.param({GATE_DIR_ENV: "{gate}", MUTANT_ENV: MUTANT}, id="gate-dir-set-outside-the-preflight-and-the-engine"),
])
def test_nothing_is_recorded_outside_a_gate_run(pytester, tmp_path, plain, environment):
    for name, value in environment.items():
        plain.setenv(name, value.format(gate=tmp_path / "gate"))

    result = run_plain(pytester, test_quiet="def test_ok():\n    pass\n\ndef test_bad():\n    assert False\n")

    assert result.parseoutcomes() == {"passed": 1, "failed": 1}
    assert (sorted(tmp_path.rglob("*.jsonl")), sorted(pytester.path.rglob("*.jsonl"))) == ([], [])


def test_outside_a_gate_run_hypothesis_keeps_its_own_profile(pytester, plain):
    result = run_plain(pytester, test_profile=PROFILE)
    without_the_gate = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    def profile_line(outcome):
        return [line for line in outcome.outlines if line.startswith("E       AssertionError")]

    # Hypothesis picks "default", or "ci" when it sees a CI environment; the gate must not change that
    assert (result.parseoutcomes(), without_the_gate.parseoutcomes()) == ({"failed": 1}, {"failed": 1})
    assert profile_line(result) == profile_line(without_the_gate)
    assert "mutation-gate" not in profile_line(result)[0].split("==")[0]


def test_bytes_parameters_collect_with_pytests_escaped_ids_when_escaping_is_disabled(pytester, plain):
    code = ('import pytest\n\n@pytest.mark.parametrize("body", [b"data: x\\n", b"\\xc3\\xa9", "é"])\n'
            'def test_body(body):\n    pass\n')

    result = run_plain(pytester, "--collect-only", "-q", *STABLE_IDS, test_ids=code)

    assert result.ret == 0
    assert result.outlines[:3] == ["test_ids.py::test_body[data: x\\n]", "test_ids.py::test_body[\\xc3\\xa9]",
                                   "test_ids.py::test_body[é]"]


def test_a_test_run_only_while_the_mutant_is_unkilled_is_skipped_after_a_failure(gate):
    plan = SessionPlan(gate_config(test_timeout_floor=30.0), STOPPING_TESTS, dict.fromkeys(STOPPING_TESTS, 0.001))
    confirm = STOPPING_TESTS[2]  # test_passes, after test_crashes failed

    exit_code, record = run(gate, plan.job(MUTANT, [STOPPING_TESTS[0]], session_name="confirm", last=[confirm],
                                           last_once_unkilled=True))

    assert (exit_code, record.tests) == (1, [STOPPING_TESTS[0]])
