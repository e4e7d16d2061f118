"""The kill recorder: the pytest plugin that records, per mutant, which tests failed and how.

Each test runs a small pytest session in a subprocess with `-p mutation.collect.kill_recorder` (so
environment variables and SIGALRM behave as under mutmut) and reads what it recorded with
`mutation.collect.records.read_session`. Durations are made exact by pytest's own mock clock
(`_pytest.timing.MockTiming`), which only advances when a test calls `timing.sleep`.
"""

import json

import pytest

from mutation.collect.pytest_options import RECORDER_PLUGIN, STABLE_IDS as STABLE
from mutation.collect.records import SessionRecord, read_session
from mutation.collect.test_plan import PLAN_FILE

pytest_plugins = ["pytester"]

MUTANT = "pkg.mod.x_compute__mutmut_3"

MOCK_CLOCK = """\
from _pytest import timing

_clock = timing.MockTiming()
timing.perf_counter = timing.time = _clock.time
timing.sleep = _clock.sleep
"""


@pytest.fixture(autouse=True)
def only_the_recorder(monkeypatch):
    """Keep the subprocess sessions fast: load no installed plugin but the one under test."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def gate_dir(tmp_path, monkeypatch):
    """The gate directory of a mutant's run: MUTATION_GATE_DIR and MUTANT_UNDER_TEST are set."""
    monkeypatch.setenv("MUTATION_GATE_DIR", str(tmp_path / "gate"))
    monkeypatch.setenv("MUTANT_UNDER_TEST", MUTANT)
    monkeypatch.delenv("MUTATION_GATE_PHASE", raising=False)
    return tmp_path / "gate"


def run(pytester, **files):
    pytester.makepyfile(**files)
    return pytester.runpytest_subprocess("-p", RECORDER_PLUGIN, "-p", "no:cacheprovider")


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
]


def test_each_failing_test_is_recorded_with_its_kind(pytester, gate_dir):
    pytester.makeconftest(MOCK_CLOCK)

    result = run(pytester, test_kinds=KINDS)

    assert result.parseoutcomes() == {"passed": 2, "failed": 8, "errors": 1}
    nodeids = ["test_passes", *(name for name, *_ in FAILING), "test_also_passes"]
    assert read_session(gate_dir, MUTANT) == SessionRecord(
        tests=[f"test_kinds.py::{name}" for name in nodeids],
        durations={f"test_kinds.py::{name}": 0.4375 if name == "test_passes" else 0.0 for name in nodeids},
        failures=[(f"test_kinds.py::{name}", when, kind, error) for name, when, kind, error in FAILING],
        unfinished=[],
        exit_status=1,
        corrupt=False,
        exists=True,
    )


def test_records_are_start_fail_end_events_and_a_finish(pytester, gate_dir):
    run(pytester, test_two="def test_ok():\n    pass\n\ndef test_bad():\n    assert False\n")

    events = [json.loads(line) for line in (gate_dir / "records" / f"{MUTANT}.jsonl").read_text().splitlines()]

    assert [(event["event"], event.get("test")) for event in events] == [
        ("session", None),
        ("start", "test_two.py::test_ok"), ("end", "test_two.py::test_ok"),
        ("start", "test_two.py::test_bad"), ("fail", "test_two.py::test_bad"), ("end", "test_two.py::test_bad"),
        ("finish", None),
    ]
    assert events[4] == {"event": "fail", "test": "test_two.py::test_bad", "when": "call", "kind": "assertion",
                         "error": "AssertionError"}
    assert {key: value for key, value in events[-1].items() if key != "time"} == {"event": "finish", "exitstatus": 1}
    assert events[-1]["time"] >= events[0]["time"]


def test_preflight_records_every_passing_test_under_the_name_preflight(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("MUTATION_GATE_DIR", str(tmp_path / "gate"))
    monkeypatch.setenv("MUTATION_GATE_PHASE", "preflight")
    monkeypatch.delenv("MUTANT_UNDER_TEST", raising=False)
    pytester.makeconftest(MOCK_CLOCK)
    code = "from _pytest import timing\n\ndef test_a():\n    timing.sleep(0.5)\n\ndef test_b():\n    timing.sleep(1.25)\n"

    run(pytester, test_pre=code)

    assert sorted(path.name for path in (tmp_path / "gate" / "records").iterdir()) == ["preflight.jsonl"]
    assert read_session(tmp_path / "gate", "preflight") == SessionRecord(
        tests=["test_pre.py::test_a", "test_pre.py::test_b"],
        durations={"test_pre.py::test_a": 0.5, "test_pre.py::test_b": 1.25},
        failures=[],
        unfinished=[],
        exit_status=0,
    )


SELECTION = """\
import time


def test_fast():
    pass


def test_unselected():
    pass


def test_slow():
    time.sleep(5)


def test_after():
    pass
"""


def test_the_plan_keeps_the_covering_tests_and_a_test_past_its_limit_times_out_and_ends_the_session(
    pytester, gate_dir
):
    # The plan lists tests in the preflight's order; the recorder runs them in that order.
    tests = ["test_sel.py::test_fast", "test_sel.py::test_unselected", "test_sel.py::test_slow", "test_sel.py::test_after"]
    gate_dir.mkdir()
    (gate_dir / PLAN_FILE).write_text(json.dumps({
        "tests": tests,
        "mutants": {MUTANT: [0, 2, 3], "pkg.mod.x_other__mutmut_1": [1]},
        "limits": {"test_sel.py::test_slow": 0.5},
        "default_limit": 30,
    }))

    result = run(pytester, test_sel=SELECTION)

    assert result.parseoutcomes() == {"passed": 1, "failed": 1}
    record = read_session(gate_dir, MUTANT)
    assert (record.tests, sorted(record.durations), record.failures, record.unfinished, record.exit_status) == (
        ["test_sel.py::test_fast", "test_sel.py::test_slow"],
        ["test_sel.py::test_fast", "test_sel.py::test_slow"],
        [("test_sel.py::test_slow", "call", "timeout", "MutantTestTimeout")],
        [],
        1,
    )


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param({"MUTANT_UNDER_TEST": MUTANT}, id="gate-dir-unset"),
        pytest.param({"MUTATION_GATE_DIR": "{gate}", "MUTANT_UNDER_TEST": "stats"}, id="not-a-mutant-nor-preflight"),
    ],
)
def test_nothing_is_recorded_outside_a_gate_run(pytester, tmp_path, monkeypatch, environment):
    for name in ("MUTATION_GATE_DIR", "MUTANT_UNDER_TEST", "MUTATION_GATE_PHASE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value.format(gate=tmp_path / "gate"))

    result = run(pytester, test_quiet="def test_ok():\n    pass\n\ndef test_bad():\n    assert False\n")

    assert result.parseoutcomes() == {"passed": 1, "failed": 1}
    assert (sorted(tmp_path.rglob("*.jsonl")), sorted(pytester.path.rglob("*.jsonl"))) == ([], [])


def test_strict_xfail_that_passes_under_the_mutant_is_recorded_as_failing(pytester, gate_dir):
    code = "import pytest\n\n@pytest.mark.xfail(strict=True)\ndef test_flips():\n    pass\n"

    run(pytester, test_xpass=code)

    assert [(test, when) for test, when, _kind, _error in read_session(gate_dir, MUTANT).failures] == [
        ("test_xpass.py::test_flips", "call"),
    ]


STOPPING = """\
def test_crashes():
    raise KeyError("k")


def test_first_assertion():
    assert 1 == 2


def test_passes():
    pass


def test_second_assertion():
    assert "a" == "b"


def test_never_reached():
    assert False
"""


def test_a_session_stops_after_the_given_number_of_assertion_failures_into_its_own_records_dir(pytester, gate_dir):
    tests = [f"test_stop.py::{name}" for name in
             ("test_crashes", "test_first_assertion", "test_passes", "test_second_assertion", "test_never_reached")]
    gate_dir.mkdir()
    (gate_dir / PLAN_FILE).write_text(json.dumps({
        "tests": tests, "mutants": {MUTANT: [0, 1, 2, 3, 4]}, "limits": {}, "default_limit": 30,
        "stop_after_assertions": 2, "records_dir": "credit-3",
    }))

    result = run(pytester, test_stop=STOPPING)

    assert result.ret == 1
    assert read_session(gate_dir, MUTANT).exists is False
    record = read_session(gate_dir, MUTANT, "credit-3")
    assert ([test for test, *_ in record.failures], sorted(record.durations), record.exit_status) == (
        tests[:2] + tests[3:4],
        sorted(tests[:4]),
        1,
    )


NARROWED = """\
import pytest


@pytest.mark.parametrize("y", [1])  # a collection error, if this were ever collected
def test_broken_if_collected(x):
    pass


class TestGroup:
    @pytest.mark.parametrize("value", ["a::b", "c"])
    def test_kept(self, value):
        assert value != "c"

    def test_sibling(self):
        pass


def test_kept_too():
    pass
"""


def test_only_the_mutants_tests_are_collected_whatever_mutmut_asked_for(pytester, gate_dir):
    tests = ["test_narrow.py::TestGroup::test_kept[a::b]", "test_narrow.py::TestGroup::test_kept[c]",
             "test_narrow.py::test_kept_too", "test_narrow.py::TestGroup::test_sibling"]
    gate_dir.mkdir()
    (gate_dir / PLAN_FILE).write_text(json.dumps({
        "tests": tests, "mutants": {MUTANT: [2, 0, 1]}, "limits": {}, "default_limit": 30,
    }))
    pytester.makepyfile(test_narrow=NARROWED)

    # As mutmut does: every test of the mutated function, by node id.
    result = pytester.runpytest_subprocess("-p", RECORDER_PLUGIN, "-p", "no:cacheprovider",
                                           "test_narrow.py::test_broken_if_collected", *tests)

    assert result.parseoutcomes() == {"passed": 2, "failed": 1}
    assert read_session(gate_dir, MUTANT).tests == tests[:3]


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


def test_tests_run_in_the_plans_order_with_property_based_tests_last(pytester, gate_dir):
    tests = ["test_order.py::test_property", "test_order.py::test_narrow", "test_order.py::test_wide"]
    gate_dir.mkdir()
    (gate_dir / PLAN_FILE).write_text(json.dumps({
        "tests": tests, "mutants": {MUTANT: [2, 1, 0]}, "limits": {}, "default_limit": 30,
    }))

    result = run(pytester, test_order=ORDERED)

    assert result.parseoutcomes() == {"passed": 3}
    assert read_session(gate_dir, MUTANT).tests == [tests[1], tests[2], tests[0]]


def test_bytes_parameters_collect_with_pytests_escaped_ids_when_escaping_is_disabled(pytester, gate_dir):
    code = ('import pytest\n\n@pytest.mark.parametrize("body", [b"data: x\\n", b"\\xc3\\xa9", "é"])\n'
            'def test_body(body):\n    pass\n')
    pytester.makepyfile(test_ids=code)

    result = pytester.runpytest_subprocess("-p", RECORDER_PLUGIN, "-p", "no:cacheprovider", "--collect-only",
                                           "-q", *STABLE)

    assert result.ret == 0
    assert result.outlines[:3] == ["test_ids.py::test_body[data: x\\n]", "test_ids.py::test_body[\\xc3\\xa9]",
                                   "test_ids.py::test_body[é]"]


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


@pytest.mark.parametrize("name", ["test_catches_every_exception", "test_catches_every_exception_in_a_task",
                                  "test_property"])
def test_no_except_exception_in_a_suite_can_hide_a_timeout(pytester, gate_dir, name):
    test = f"test_swallow.py::{name}"
    gate_dir.mkdir()
    (gate_dir / PLAN_FILE).write_text(json.dumps({
        "tests": [test], "mutants": {MUTANT: [0]}, "limits": {test: 0.2}, "default_limit": 30,
    }))
    pytester.makepyfile(test_swallow=SWALLOWING)

    result = pytester.runpytest_subprocess("-p", RECORDER_PLUGIN, "-p", "no:cacheprovider", test)

    assert result.ret == 1
    assert read_session(gate_dir, MUTANT).failures == [(test, "call", "timeout", "MutantTestTimeout")]
