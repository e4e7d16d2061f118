"""The fail-closed outcome of each mutant: the engine's verdict checked against the kill records.

`classify` only believes a kill with a recorded failing test, a timeout with a test that
started and never ended, and a survivor with a session that finished cleanly; everything
else is `unresolved` with a reason.
"""

import json

import pytest

from mutation.collect.outcomes import UNINTERRUPTIBLE, classify, classify_all
from mutation.collect.records import SessionRecord, records_path
from mutation.model import EngineResult, EngineVerdict
from tests.factories import T1, T2, outcome, session

SURVIVED = EngineResult(EngineVerdict.SURVIVED)
KILLED = EngineResult(EngineVerdict.KILLED)
TIMED_OUT = EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit 255")
CLEAN = session(exit_status=0)
ASSERTION_T1 = (T1, "call", "assertion", "AssertionError")
NOT_CLEAN = "mutmut says survived but the session did not finish cleanly"
NO_FAILURE = "mutmut says killed but no failing test was recorded"


@pytest.mark.parametrize(
    ("result", "record", "expected"),
    [
        pytest.param(EngineResult(EngineVerdict.NOT_RUN, "not checked"), CLEAN, outcome("unresolved", reason="not checked"),
                     id="not-run"),
        pytest.param(SURVIVED, CLEAN, outcome("survived"), id="survived-clean"),
        pytest.param(SURVIVED, session(ASSERTION_T1, exit_status=0), outcome("unresolved", reason=NOT_CLEAN),
                     id="survived-with-failure"),
        pytest.param(SURVIVED, session(exit_status=None), outcome("unresolved", reason=NOT_CLEAN),
                     id="survived-without-finish"),
        pytest.param(SURVIVED, SessionRecord(exists=False), outcome("unresolved", reason=NOT_CLEAN),
                     id="survived-no-records-file"),
        pytest.param(KILLED, session(ASSERTION_T1), outcome("killed", (T1, "assertion")), id="assertion-kill"),
        pytest.param(
            KILLED, session((T1, "call", "crash", "TypeError"), (T2, "call", "assertion", "AssertionError"),
                            (T1, "teardown", "crash", "TypeError")),
            outcome("killed", (T1, "crash"), (T2, "assertion")), id="kills-deduplicated",
        ),
        pytest.param(KILLED, session((T1, "call", "timeout", "MutantTestTimeout")), outcome("timeout", (T1, "timeout")),
                     id="only-timeouts"),
        pytest.param(
            KILLED, session((T1, "call", "timeout", "MutantTestTimeout"), (T2, "call", "assertion", "AssertionError")),
            outcome("killed", (T1, "timeout"), (T2, "assertion")), id="timeout-and-assertion",
        ),
        pytest.param(KILLED, session(), outcome("unresolved", reason=NO_FAILURE), id="killed-no-failure-recorded"),
        pytest.param(KILLED, SessionRecord(exists=False), outcome("unresolved", reason=NO_FAILURE),
                     id="killed-no-records-file"),
        pytest.param(KILLED, session(ASSERTION_T1, exit_status=2), outcome("unresolved", reason=NO_FAILURE),
                     id="killed-but-session-interrupted"),
        pytest.param(
            EngineResult(EngineVerdict.FAILED, "pytest internal error (exit 3), never counted as a kill"),
            session(ASSERTION_T1, exit_status=3),
            outcome("unresolved", reason="pytest internal error (exit 3), never counted as a kill"), id="failed",
        ),
        pytest.param(EngineResult(EngineVerdict.NO_TESTS), session(exit_status=5), outcome("no_tests"), id="no-tests"),
        pytest.param(EngineResult(EngineVerdict.TYPE_CHECK), None, outcome("type_check"), id="type-check"),
        pytest.param(KILLED, session(ASSERTION_T1, corrupt=True), outcome("unresolved", reason="unreadable kill records"),
                     id="corrupt-records"),
        pytest.param(SURVIVED, session(exit_status=0, corrupt=True),
                     outcome("unresolved", reason="unreadable kill records"), id="corrupt-records-survivor"),
    ],
)
def test_classify(result, record, expected):
    assert classify(result, record) == expected


def test_a_worker_ended_by_a_limit_while_a_test_ran_is_a_timeout_by_that_test():
    assert classify(TIMED_OUT, session(exit_status=None, unfinished=[T2])) == outcome(
        "timeout", (T2, "timeout"), reason=UNINTERRUPTIBLE)


def test_a_timeout_keeps_the_failures_recorded_before_the_worker_ended():
    record = session(ASSERTION_T1, exit_status=None, unfinished=[T2])

    assert classify(TIMED_OUT, record) == outcome("timeout", (T1, "assertion"), (T2, "timeout"), reason=UNINTERRUPTIBLE)


def test_a_timeout_recorded_and_then_the_worker_killed_lists_the_test_once():
    record = session((T2, "call", "timeout", "MutantTestTimeout"), exit_status=None, unfinished=[T2])

    assert classify(TIMED_OUT, record) == outcome("timeout", (T2, "timeout"), reason=UNINTERRUPTIBLE)


def test_a_worker_ended_by_a_limit_with_no_test_running_is_a_crash():
    assert classify(EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit 36"), session(exit_status=None)) == (
        outcome("unresolved", reason="worker ended with exit 36 while no test was running (crash)")
    )


def test_a_hung_test_is_a_killer_but_not_among_the_tests_that_ran():
    record = session(exit_status=None, unfinished=[T2], durations={T1: 0.1})

    assert classify(TIMED_OUT, record) == outcome("timeout", (T2, "timeout"), ran=[T1], reason=UNINTERRUPTIBLE)


@pytest.mark.parametrize(("status", "detected"),
                         [("killed", True), ("timeout", True), ("survived", False), ("no_tests", False),
                          ("unresolved", False)])
def test_detected_means_killed_or_timed_out(status, detected):
    assert outcome(status).detected is detected


def write_records(gate_dir, name, *events, records_dir=""):
    path = records_path(gate_dir, name, records_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")


def passing(test, exitstatus):
    return [{"event": "start", "test": test}, {"event": "end", "test": test, "duration": 0.1},
            {"event": "finish", "exitstatus": exitstatus}]


def test_classify_all_reads_each_mutants_records(tmp_path):
    write_records(tmp_path, "m.x_f__mutmut_1", {"event": "start", "test": T1},
                  {"event": "fail", "test": T1, "when": "call", "kind": "assertion", "error": "AssertionError"},
                  {"event": "end", "test": T1, "duration": 0.1}, {"event": "finish", "exitstatus": 1})
    write_records(tmp_path, "m.x_f__mutmut_2", *passing(T1, 0))

    assert classify_all({"m.x_f__mutmut_1": KILLED, "m.x_f__mutmut_2": SURVIVED,
                         "m.x_f__mutmut_3": EngineResult(EngineVerdict.NOT_RUN, "not checked")}, tmp_path) == {
        "m.x_f__mutmut_1": outcome("killed", (T1, "assertion"), ran=[T1]),
        "m.x_f__mutmut_2": outcome("survived", ran=[T1]),
        "m.x_f__mutmut_3": outcome("unresolved", reason="not checked"),
    }


def test_classify_all_reads_a_credit_passes_records_from_its_own_directory(tmp_path):
    write_records(tmp_path, "m.x_f__mutmut_1", *passing(T1, 0))
    write_records(tmp_path, "m.x_f__mutmut_1", {"event": "start", "test": T2},
                  {"event": "fail", "test": T2, "when": "call", "kind": "crash", "error": "KeyError"},
                  {"event": "end", "test": T2, "duration": 0.1}, {"event": "finish", "exitstatus": 1},
                  records_dir="credit-1")

    assert classify_all({"m.x_f__mutmut_1": KILLED}, tmp_path, records_dir="credit-1") == {
        "m.x_f__mutmut_1": outcome("killed", (T2, "crash"), ran=[T2]),
    }
