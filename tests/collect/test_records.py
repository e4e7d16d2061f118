"""Reading the kill recorder's JSON-lines records of one session: every event, and a damaged line
marked corrupt rather than trusted."""

import json

import pytest

from mutation.collect.records import SessionRecord, read_session, records_path
from tests.factories import T1, T2


def write_records(gate_dir, session_name, *lines, records_dir=""):
    path = records_path(gate_dir, session_name, records_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def event(**fields):
    return json.dumps(fields)


def test_read_session_collects_tests_durations_failures_and_exit_status(tmp_path):
    write_records(
        tmp_path, "run",
        event(event="start", test=T1),
        event(event="end", test=T1, duration=0.25),
        event(event="start", test=T2),
        event(event="fail", test=T2, when="call", kind="assertion", error="AssertionError"),
        event(event="fail", test=T2, when="teardown", kind="crash", error="OSError"),
        event(event="end", test=T2, duration=1.5),
        event(event="finish", exitstatus=1),
    )

    assert read_session(tmp_path, "run") == SessionRecord(
        tests=[T1, T2],
        durations={T1: 0.25, T2: 1.5},
        failures=[(T2, "call", "assertion", "AssertionError"), (T2, "teardown", "crash", "OSError")],
        unfinished=[],
        exit_status=1,
        corrupt=False,
        exists=True,
    )


def test_read_session_of_a_worker_killed_mid_test_has_an_unfinished_test_and_no_exit_status(tmp_path):
    write_records(tmp_path, "run", event(event="start", test=T1), event(event="end", test=T1, duration=0.5),
                  event(event="start", test=T2))

    assert read_session(tmp_path, "run") == SessionRecord(
        tests=[T1, T2], durations={T1: 0.5}, failures=[], unfinished=[T2], exit_status=None
    )


@pytest.mark.parametrize(
    "bad_line",
    [
        pytest.param('{"event": "end", "test": "t", "dur', id="half-written"),
        pytest.param('{"event": "launch", "test": "t"}', id="unknown-event"),
        pytest.param('{"event": "fail", "test": "t"}', id="missing-field"),
        pytest.param("[1, 2]", id="not-an-object"),
        pytest.param('{"event": "end", "test": "t", "duration": "slow"}', id="bad-number"),
    ],
)
def test_read_session_marks_an_unreadable_line_corrupt_and_keeps_the_rest(tmp_path, bad_line):
    write_records(tmp_path, "run", event(event="start", test=T1), bad_line,
                  event(event="end", test=T1, duration=0.5), event(event="finish", exitstatus=0))

    assert read_session(tmp_path, "run") == SessionRecord(
        tests=[T1], durations={T1: 0.5}, failures=[], unfinished=[], exit_status=0, corrupt=True
    )


def test_read_session_without_a_records_file_does_not_exist(tmp_path):
    assert read_session(tmp_path, "never_ran") == SessionRecord(exists=False)


def test_records_of_a_credit_pass_are_kept_apart_from_the_main_measurement(tmp_path):
    assert records_path(tmp_path, "m.x_f__mutmut_1", "credit-2") == tmp_path / "records" / "credit-2" / "m.x_f__mutmut_1.jsonl"
    assert records_path(tmp_path, "preflight") == tmp_path / "records" / "preflight.jsonl"
