"""The gate's fail-closed outcome logic: mutmut's exit codes checked against the kill records.

`classify` only believes a kill with a recorded failing test, a timeout with a test that
started and never ended, and a survivor with a session that finished cleanly; everything
else is `unresolved` with a reason. Also the readers of mutmut's `.meta` files and of the
kill recorder's JSON-lines records.
"""

import json

import pytest

from mutation.errors import IncompleteMeasurementError
from mutation.kill_recorder import records_path
from mutation.outcome import Kill, MutantOutcome, check_names, classify, classify_all, read_meta_exit_codes
from mutation.records import SessionRecord, read_session

T1 = "tests/test_a.py::test_one"
T2 = "tests/test_a.py::test_two"


def session(*failures, exit_status=1, unfinished=(), tests=None, corrupt=False):
    """A recorded session; `failures` are (test, when, kind, error) tuples."""
    return SessionRecord(
        tests=list(tests if tests is not None else [T1, T2]),
        durations={},
        failures=list(failures),
        unfinished=list(unfinished),
        exit_status=exit_status,
        corrupt=corrupt,
    )


CLEAN = session(exit_status=0)
UNFINISHED_T2 = session(exit_status=None, unfinished=[T2])


@pytest.mark.parametrize(
    ("exit_code", "record", "expected"),
    [
        pytest.param(None, CLEAN, MutantOutcome("unresolved", (), "not checked"), id="not-checked"),
        pytest.param(0, CLEAN, MutantOutcome("survived", ()), id="0-clean-survived"),
        pytest.param(
            0, session((T1, "call", "assertion", "AssertionError"), exit_status=0),
            MutantOutcome("unresolved", (), "mutmut says survived but the session did not finish cleanly"),
            id="0-with-failure",
        ),
        pytest.param(
            0, session(exit_status=None),
            MutantOutcome("unresolved", (), "mutmut says survived but the session did not finish cleanly"),
            id="0-without-finish",
        ),
        pytest.param(
            0, SessionRecord(exists=False),
            MutantOutcome("unresolved", (), "mutmut says survived but the session did not finish cleanly"),
            id="0-no-records-file",
        ),
        pytest.param(
            1, session((T1, "call", "assertion", "AssertionError")),
            MutantOutcome("killed", (Kill(T1, "assertion"),)), id="1-assertion-kill",
        ),
        pytest.param(
            1, session((T1, "call", "crash", "TypeError"), (T2, "call", "assertion", "AssertionError"),
                       (T1, "teardown", "crash", "TypeError")),
            MutantOutcome("killed", (Kill(T1, "crash"), Kill(T2, "assertion"))), id="1-kills-deduplicated",
        ),
        pytest.param(
            1, session((T1, "call", "timeout", "MutantTestTimeout")),
            MutantOutcome("timeout", (Kill(T1, "timeout"),)), id="1-only-timeouts",
        ),
        pytest.param(
            1, session((T1, "call", "timeout", "MutantTestTimeout"), (T2, "call", "assertion", "AssertionError")),
            MutantOutcome("killed", (Kill(T1, "timeout"), Kill(T2, "assertion"))), id="1-timeout-and-assertion",
        ),
        pytest.param(
            1, session(), MutantOutcome("unresolved", (), "mutmut says killed but no failing test was recorded"),
            id="1-no-failure-recorded",
        ),
        pytest.param(
            1, SessionRecord(exists=False),
            MutantOutcome("unresolved", (), "mutmut says killed but no failing test was recorded"),
            id="1-no-records-file",
        ),
        pytest.param(
            1, session((T1, "call", "assertion", "AssertionError"), exit_status=2),
            MutantOutcome("unresolved", (), "mutmut says killed but no failing test was recorded"),
            id="1-but-session-interrupted",
        ),
        pytest.param(
            3, session((T1, "call", "assertion", "AssertionError"), exit_status=3),
            MutantOutcome("unresolved", (), "pytest internal error (exit 3), never counted as a kill"),
            id="3-internal-error",
        ),
        pytest.param(
            2, session(), MutantOutcome("unresolved", (), "test session interrupted or collection failed (pytest exit 2)"),
            id="2-interrupted",
        ),
        pytest.param(4, session(), MutantOutcome("unresolved", (), "pytest usage error (exit 4)"), id="4-usage"),
        pytest.param(-11, session(), MutantOutcome("unresolved", (), "worker crashed (segfault)"), id="segfault"),
        pytest.param(
            -9, UNFINISHED_T2,
            MutantOutcome("unresolved", (), "worker was killed (SIGKILL: CPU hard limit or out of memory)"),
            id="sigkill",
        ),
        pytest.param(99, session(), MutantOutcome("unresolved", (), "suspicious exit code 99"), id="99-suspicious"),
        pytest.param(5, session(exit_status=5), MutantOutcome("no_tests", ()), id="5-no-tests"),
        pytest.param(33, None, MutantOutcome("no_tests", ()), id="33-no-tests"),
        pytest.param(37, None, MutantOutcome("type_check", ()), id="37-type-check"),
        pytest.param(
            1, session((T1, "call", "assertion", "AssertionError"), corrupt=True),
            MutantOutcome("unresolved", (), "unreadable kill records"), id="corrupt-records",
        ),
        pytest.param(
            0, session(exit_status=0, corrupt=True), MutantOutcome("unresolved", (), "unreadable kill records"),
            id="corrupt-records-survivor",
        ),
    ],
)
def test_classify(exit_code, record, expected):
    assert classify(exit_code, record) == expected


@pytest.mark.parametrize("exit_code", [255, -24, 24, 152, 36])
def test_worker_ended_by_a_limit_while_a_test_ran_is_a_timeout_by_that_test(exit_code):
    record = session(exit_status=None, unfinished=[T2])

    assert classify(exit_code, record) == MutantOutcome("timeout", (Kill(T2, "timeout"),))


def test_timeout_keeps_the_failures_recorded_before_the_worker_ended():
    record = session((T1, "call", "assertion", "AssertionError"), exit_status=None, unfinished=[T2])

    assert classify(255, record) == MutantOutcome("timeout", (Kill(T1, "assertion"), Kill(T2, "timeout")))


def test_timeout_recorded_and_then_worker_killed_lists_the_test_once():
    record = session((T2, "call", "timeout", "MutantTestTimeout"), exit_status=None, unfinished=[T2])

    assert classify(255, record) == MutantOutcome("timeout", (Kill(T2, "timeout"),))


@pytest.mark.parametrize("exit_code", [255, -24, 36])
def test_worker_ended_by_a_limit_with_no_test_running_is_a_crash(exit_code):
    assert classify(exit_code, session(exit_status=None)) == MutantOutcome(
        "unresolved", (), f"worker ended with exit {exit_code} while no test was running (crash)"
    )


@pytest.mark.parametrize("exit_code", [None, 0, 1, 3, 37, 255])
def test_excluded_mutant_is_excluded_whatever_happened(exit_code):
    assert classify(exit_code, session(corrupt=True), excluded=True) == MutantOutcome("excluded", ())


@pytest.mark.parametrize(
    ("status", "detected"),
    [("killed", True), ("timeout", True), ("survived", False), ("no_tests", False), ("unresolved", False)],
)
def test_detected_means_killed_or_timed_out(status, detected):
    assert MutantOutcome(status, ()).detected is detected


def write_records(gate_dir, run_name, *lines, records_dir=""):
    path = records_path(gate_dir, run_name, records_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def event(**fields):
    return json.dumps(fields)


def test_classify_all_reads_each_mutants_records_and_exit_code(tmp_path):
    write_records(tmp_path, "m.x_f__mutmut_1", event(event="start", test=T1),
                  event(event="fail", test=T1, when="call", kind="assertion", error="AssertionError"),
                  event(event="end", test=T1, duration=0.1), event(event="finish", exitstatus=1))
    write_records(tmp_path, "m.x_f__mutmut_2", event(event="start", test=T1),
                  event(event="end", test=T1, duration=0.1), event(event="finish", exitstatus=0))
    names = ["m.x_f__mutmut_1", "m.x_f__mutmut_2", "m.x_f__mutmut_3", "m.x_f__mutmut_4"]
    codes = {"m.x_f__mutmut_1": 1, "m.x_f__mutmut_2": 0, "m.x_f__mutmut_3": None, "m.x_f__mutmut_4": 0}

    assert classify_all(names, codes, tmp_path, {"m.x_f__mutmut_4"}) == {
        "m.x_f__mutmut_1": MutantOutcome("killed", (Kill(T1, "assertion"),), tests_run=(T1,)),
        "m.x_f__mutmut_2": MutantOutcome("survived", (), tests_run=(T1,)),
        "m.x_f__mutmut_3": MutantOutcome("unresolved", (), "not checked"),
        "m.x_f__mutmut_4": MutantOutcome("excluded", ()),
    }


# --- mutmut's .meta files -------------------------------------------------------------------------


def write_meta(mutants_dir, work_path, text):
    meta = mutants_dir / f"{work_path}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(text, encoding="utf-8")
    return meta


def test_read_meta_exit_codes_merges_every_file_and_keeps_null_as_none(tmp_path):
    write_meta(tmp_path, "src/pkg/a.py", json.dumps(
        {"exit_code_by_key": {"pkg.a.x_f__mutmut_1": 1, "pkg.a.x_f__mutmut_2": None}, "durations_by_key": {}}
    ))
    write_meta(tmp_path, "src/pkg/b.py", json.dumps({"exit_code_by_key": {"pkg.b.x_g__mutmut_1": 0}}))

    assert read_meta_exit_codes(tmp_path, ["src/pkg/a.py", "src/pkg/b.py", "src/pkg/unmutated.py"]) == {
        "pkg.a.x_f__mutmut_1": 1,
        "pkg.a.x_f__mutmut_2": None,
        "pkg.b.x_g__mutmut_1": 0,
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param('{"exit_code_by_key": {"pkg.a.x_f__mutmut_1": 1', "Expecting ',' delimiter: line 1 column 47 (char 46)",
                     id="truncated-json"),
        pytest.param('{"durations_by_key": {}}', "'exit_code_by_key'", id="missing-exit-code-by-key"),
        pytest.param('{"exit_code_by_key": [1, 0]}', "exit_code_by_key is not an object", id="not-a-dict"),
    ],
)
def test_read_meta_exit_codes_fails_closed_on_an_unreadable_file(tmp_path, text, problem):
    meta = write_meta(tmp_path, "src/pkg/a.py", text)

    with pytest.raises(IncompleteMeasurementError) as error:
        read_meta_exit_codes(tmp_path, ["src/pkg/a.py"])

    assert str(error.value) == f"unreadable mutmut results {meta}: {problem}"
    assert error.value.exit_code == 5


def test_check_names_accepts_the_same_set_in_any_order():
    check_names(["m.x_f__mutmut_2", "m.x_f__mutmut_1"], {"m.x_f__mutmut_1": 0, "m.x_f__mutmut_2": 1})  # no error


@pytest.mark.parametrize(
    ("located", "meta", "message"),
    [
        pytest.param(
            ["m.x_f__mutmut_1"], {"m.x_f__mutmut_1": 0, "m.x_f__mutmut_3": 0, "m.x_f__mutmut_2": 0},
            "mutmut's mutants and the gate's differ (2 unknown to the gate, 0 not run by mutmut, e.g. m.x_f__mutmut_2)",
            id="mutmut-has-more",
        ),
        pytest.param(
            ["m.x_f__mutmut_1", "m.x_g__mutmut_1"], {"m.x_f__mutmut_1": 0},
            "mutmut's mutants and the gate's differ (0 unknown to the gate, 1 not run by mutmut, e.g. m.x_g__mutmut_1)",
            id="gate-has-more",
        ),
        pytest.param(
            ["m.x_f__mutmut_1"], {"m.x_f__mutmut_9": 0},
            "mutmut's mutants and the gate's differ (1 unknown to the gate, 1 not run by mutmut, e.g. m.x_f__mutmut_9)",
            id="both",
        ),
    ],
)
def test_check_names_mismatch_stops_the_run(located, meta, message):
    with pytest.raises(IncompleteMeasurementError) as error:
        check_names(located, meta)

    assert str(error.value) == message


# --- the kill recorder's records ------------------------------------------------------------------


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


def test_classify_all_reads_a_passes_records_from_its_own_directory(tmp_path):
    write_records(tmp_path, "m.x_f__mutmut_1", event(event="start", test=T1), event(event="end", test=T1, duration=0.1),
                  event(event="finish", exitstatus=0))
    write_records(tmp_path, "m.x_f__mutmut_1", event(event="start", test=T2),
                  event(event="fail", test=T2, when="call", kind="crash", error="KeyError"),
                  event(event="end", test=T2, duration=0.1), event(event="finish", exitstatus=1), records_dir="credit-1")

    assert classify_all(["m.x_f__mutmut_1"], {"m.x_f__mutmut_1": 1}, tmp_path, records_dir="credit-1") == {
        "m.x_f__mutmut_1": MutantOutcome("killed", (Kill(T2, "crash"),), tests_run=(T2,)),
    }


def test_a_hung_test_is_a_killer_but_not_among_the_tests_that_ran():
    record = SessionRecord(tests=[T1, T2], durations={T1: 0.1}, unfinished=[T2], exit_status=None)

    assert classify(-24, record) == MutantOutcome("timeout", (Kill(T2, "timeout"),), tests_run=(T1,))
