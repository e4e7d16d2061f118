"""Measuring mutants on one engine: each batch's jobs, its progress (with an injected clock) and
the outcomes read from their records, the timeout re-check, and the check that the engine's copy
behaves. The engine here is a stand-in that writes the kill recorder's records for each job."""

import functools
import io
import json

import pytest

from mutation.collect import measure
from mutation.collect.measure import (
    RECHECK_DIR,
    Measurement,
    check_mutated_copy,
)
from mutation.collect.outcomes import UNINTERRUPTIBLE
from mutation.collect.progress import Progress
from mutation.collect.records import records_path
from mutation.collect.test_plan import SAMPLED, WALL_LIMIT_MARGIN, SessionPlan
from mutation.engine.protocol import FORCED_FAIL, NO_MUTANT
from mutation.engine.server import JobResult
from mutation.errors import IncompleteMeasurementError, SuiteFailsError
from tests.factories import gate_config, outcome

T1, T2, T3 = "t.py::test_1", "t.py::test_2", "t.py::test_3"
M1, M2, M3, M4 = (f"pkg.mod.x_f__mutmut_{n}" for n in range(1, 5))


# --- a stand-in engine ----------------------------------------------------------------------------


class Engine:
    """Runs each job as `behaviour[mutant][test]` says (`pass`, `assertion`, `crash`, `timeout`: the
    recorder's time limit, `hang`: killed at the wall limit), writing the records the kill recorder
    would and stopping where its stop rule would; a mutant missing from `behaviour` gets no result,
    one in `errors` the server's error."""

    def __init__(self, gate_dir, behaviour, errors=()):
        self.gate_dir, self.behaviour, self.errors = gate_dir, behaviour, dict(errors)
        self.batches = []

    def run(self, jobs, workers, on_result=lambda result: None):
        self.batches.append((list(jobs), workers))
        results = {}
        for job in jobs:
            if job.mutant in self.errors:
                result = JobResult(job.mutant, None, 0.0, False, self.errors[job.mutant])
            elif job.mutant in self.behaviour:
                result = self._run_job(job)
            else:
                continue
            results[job.mutant] = result
            on_result(result)
        return results

    def _run_job(self, job):
        path = records_path(self.gate_dir, job.context["session_name"], job.context["records_dir"])
        path.parent.mkdir(parents=True, exist_ok=True)
        events, failed, assertions = [{"event": "session", "time": 0.0}], 0, 0
        stop_assertions, stop_failures = job.context["stop_after_assertions"], job.context["stop_after_failures"]
        for test in job.tests:
            kind = self.behaviour[job.mutant].get(test, "pass")
            events.append({"event": "start", "test": test})
            if kind == "hang":
                path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
                return JobResult(job.mutant, -9, job.wall_limit, True)
            if kind != "pass":
                failed += 1
                assertions += kind == "assertion"
                events.append({"event": "fail", "test": test, "when": "call", "kind": kind, "error": "E"})
            events.append({"event": "end", "test": test, "duration": 0.01})
            if kind == "timeout" or (stop_assertions and assertions >= stop_assertions) or (
                    stop_failures and failed >= stop_failures):
                break
        events.append({"event": "finish", "exitstatus": int(bool(failed)), "time": 1.0})
        path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
        return JobResult(job.mutant, int(bool(failed)), 0.1, False)


def plan(stop=SAMPLED):
    return SessionPlan(gate_config(test_timeout_factor=10.0, test_timeout_floor=0.5), [T1, T2, T3],
                       {T1: 0.01, T2: 0.1, T3: 0.2}, stop)


@pytest.fixture
def clock(monkeypatch):
    """Every Progress of the module gets a clock at 0 s, then 1 s later on each reading."""
    times = iter(float(n) for n in range(1000))
    monkeypatch.setattr(measure, "Progress", functools.partial(Progress, clock=times.__next__))


# --- one batch ---------------------------------------------------------------------------------


def test_a_batch_runs_each_mutants_job_on_the_engines_workers_and_reads_each_outcome(tmp_path, clock):
    engine = Engine(tmp_path, {M1: {T2: "assertion"}, M2: {}, M3: {T1: "crash", T3: "hang"}},
                    errors={M4: "1 tests not collected, e.g. t.py::test_9"})
    out = io.StringIO()

    outcomes = Measurement(engine, 3, tmp_path, out).measure(
        plan(), {M1: [T2, T1], M2: [T3], M3: [T3, T1], M4: [T1], "pkg.mod.x_g__mutmut_1": [T1]}, "mutants")

    jobs, workers = engine.batches[0]
    assert (workers, [(job.mutant, job.tests) for job in jobs]) == (
        3, [(M1, (T1, T2)), (M2, (T3,)), (M3, (T1, T3)), (M4, (T1,)), ("pkg.mod.x_g__mutmut_1", (T1,))])
    assert outcomes == {
        M1: outcome("killed", (T2, "assertion"), ran=[T1, T2]),
        M2: outcome("survived", ran=[T3]),
        M3: outcome("timeout", (T1, "crash"), (T3, "timeout"), ran=[T1], reason=UNINTERRUPTIBLE),
        M4: outcome("unresolved", reason="1 tests not collected, e.g. t.py::test_9"),
        "pkg.mod.x_g__mutmut_1": outcome("unresolved", reason="the engine gave no result"),
    }
    assert out.getvalue() == "  mutants: 4/5 mutants (80%), 0.8/s, 0:05 elapsed, about 0:01 left\n"


def test_a_pass_keeps_its_records_in_its_own_directory(tmp_path, clock):
    engine = Engine(tmp_path, {M1: {T1: "assertion"}})

    outcomes = Measurement(engine, 1, tmp_path, io.StringIO()).measure(plan(), {M1: [T1]}, "credit pass 1", "credit-1")

    assert (engine.batches[0][0][0].context["records_dir"], sorted(path.relative_to(tmp_path).as_posix()
                                                                    for path in tmp_path.rglob("*.jsonl"))) == (
        "credit-1", [f"records/credit-1/{M1}.jsonl"])
    assert outcomes == {M1: outcome("killed", (T1, "assertion"), ran=[T1])}


# --- the timeout re-check ---------------------------------------------------------------------------


def test_a_timed_out_session_is_rechecked_with_its_unrun_tests_first_and_the_hung_test_last(tmp_path, clock):
    first = {M1: outcome("timeout", (T1, "timeout")), M2: outcome("killed", (T2, "assertion"), ran=[T2]),
             M3: outcome("timeout", (T3, "timeout"), ran=[T1])}
    engine = Engine(tmp_path, {M1: {T2: "assertion"}, M3: {}})
    out = io.StringIO()

    rechecked = Measurement(engine, 2, tmp_path, out).recheck_timeouts(plan(), first, {M1: [T1, T2, T3], M2: [T2],
                                                                                       M3: [T1, T3]})

    jobs = {job.mutant: job for job in engine.batches[0][0]}
    assert sorted(jobs) == [M1, M3]
    # M1: T2 and T3 never ran; T1 hung and runs last under ten times its limit (at least 5 s).
    assert (jobs[M1].tests, jobs[M1].context["limits"], jobs[M1].context["records_dir"], jobs[M1].wall_limit) == (
        (T2, T3, T1), {T2: 1.0, T3: 2.0, T1: 5.0}, RECHECK_DIR, 8.0 + WALL_LIMIT_MARGIN)
    assert jobs[M3].tests == (T3,)
    assert jobs[M1].context["only_while_unkilled"] == [T1]  # a real hang would cost the long limit for nothing
    assert rechecked == {
        # the sampled session stops at T2's assertion; T1 was not run again, so its first timeout stands
        M1: outcome("killed", (T1, "timeout"), (T2, "assertion"), ran=[T2]),
        M3: outcome("survived", ran=[T1, T3]),
    }
    assert out.getvalue() == "  re-checking timeouts: 2/2 mutants (100%), 0.7/s, 0:03 elapsed, about 0:00 left\n"


def test_without_a_timeout_nothing_is_rechecked(tmp_path, clock):
    engine = Engine(tmp_path, {})

    rechecked = Measurement(engine, 2, tmp_path, io.StringIO()).recheck_timeouts(
        plan(), {M1: outcome("killed", (T1, "crash"), ran=[T1]), M2: outcome("survived", ran=[T1])},
        {M1: [T1], M2: [T1]})

    assert (rechecked, engine.batches) == ({}, [])


def test_a_recheck_without_a_result_leaves_the_mutant_unresolved(tmp_path, clock):
    engine = Engine(tmp_path, {})

    rechecked = Measurement(engine, 1, tmp_path, io.StringIO()).recheck_timeouts(
        plan(), {M1: outcome("timeout", (T1, "timeout"))}, {M1: [T1]})

    assert rechecked == {M1: outcome(
        "unresolved", reason="timeout re-check could not be measured: the engine gave no result")}


# --- the engine's copy ------------------------------------------------------------------------------


def test_the_copy_is_checked_with_every_test_unmutated_and_one_test_under_a_forced_failure(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {}, FORCED_FAIL: {T2: "crash"}})
    session = Measurement(engine, 2, tmp_path, io.StringIO())

    check_mutated_copy(session, plan(), (T1, T2, T3), {M1: [T1, T3], M2: [T2], M3: [T1, T2, T3]})

    jobs = engine.batches[0][0]
    assert [(job.mutant, job.tests, job.context["session_name"], job.context["stop_after_assertions"])
            for job in jobs] == [(NO_MUTANT, (T1, T2, T3), "clean", 0), (FORCED_FAIL, (T2,), "forced-fail", 0)]
    # The unmutated session runs cold: each test gets a re-check's limit (ten times its own, at least 5 s).
    assert jobs[0].context["limits"] == {T1: 5.0, T2: 10.0, T3: 20.0}


def test_the_copy_is_checked_with_the_tests_of_the_mutants_to_measure_only(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {}, FORCED_FAIL: {T3: "crash"}})

    check_mutated_copy(Measurement(engine, 2, tmp_path, io.StringIO()), plan(), (T1, T2, T3), {M1: [T3, T1]})

    assert [(job.mutant, job.tests) for job in engine.batches[0][0]] == [(NO_MUTANT, (T1, T3)),
                                                                          (FORCED_FAIL, (T3,))]


def test_without_measured_mutants_only_the_unmutated_suite_is_checked(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {}})

    check_mutated_copy(Measurement(engine, 1, tmp_path, io.StringIO()), plan(), (T1,), {})

    assert [job.mutant for job in engine.batches[0][0]] == [NO_MUTANT]


def test_a_suite_failing_on_the_copy_with_no_mutant_stops_the_run_naming_the_failing_tests(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {T3: "assertion", T1: "crash"}, FORCED_FAIL: {T1: "crash"}})

    with pytest.raises(SuiteFailsError) as error:
        check_mutated_copy(Measurement(engine, 2, tmp_path, io.StringIO()), plan(), (T1, T2, T3),
                           {M1: [T1], M2: [T3]})

    assert str(error.value) == ("the suite fails on the engine's copy with no mutant active (2 failing tests): "
                                "the mutated code behaves differently from the original")
    assert error.value.details == [f"  {T1}", f"  {T3}"]


def test_a_copy_whose_tests_pass_with_every_mutant_forced_to_fail_stops_the_run(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {}, FORCED_FAIL: {}})

    with pytest.raises(IncompleteMeasurementError) as error:
        check_mutated_copy(Measurement(engine, 2, tmp_path, io.StringIO()), plan(), (T1, T2), {M1: [T2], M2: [T1, T2]})

    assert str(error.value) == (f"with every mutant forced to fail, {T2} still passed: the tests do not run the "
                                f"engine's mutated copy")


def test_a_forced_failure_without_a_result_stops_the_run_too(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {}})

    with pytest.raises(IncompleteMeasurementError) as error:
        check_mutated_copy(Measurement(engine, 2, tmp_path, io.StringIO()), plan(), (T1,), {M1: [T1]})

    assert str(error.value) == f"the engine could not run {T1} with every mutant forced to fail: no result came back"


def test_a_clean_session_the_engine_could_not_run_is_an_incomplete_measurement_naming_why(tmp_path, clock):
    engine = Engine(tmp_path, {FORCED_FAIL: {T1: "crash"}}, errors={NO_MUTANT: "2 tests not collected, e.g. t.py::x"})

    with pytest.raises(IncompleteMeasurementError) as error:
        check_mutated_copy(Measurement(engine, 2, tmp_path, io.StringIO()), plan(), (T1,), {M1: [T1]})

    assert str(error.value) == ("the engine could not run the suite on its copy with no mutant active: "
                                "2 tests not collected, e.g. t.py::x")


def test_the_check_returns_each_tests_duration_on_the_engines_copy(tmp_path, clock):
    engine = Engine(tmp_path, {NO_MUTANT: {}, FORCED_FAIL: {T1: "crash"}})

    durations = check_mutated_copy(Measurement(engine, 2, tmp_path, io.StringIO()), plan(), (T1, T2),
                                   {M1: [T1], M2: [T2]})

    assert durations == {T1: 0.01, T2: 0.01}  # what the clean session recorded


def test_tests_the_engine_did_not_collect_under_the_same_id_are_left_out_with_a_note():
    out = io.StringIO()

    tests, measured, lost = measure.runnable((T1, T2, T3), {M1: [T1, T2], M2: [T2]}, {T1, T3}, out)

    assert (tests, measured, lost) == ([T1, T3], {M1: [T1]}, [M2])
    assert out.getvalue() == (f"  note: 1 tests have ids that change between sessions and are left out of mutant "
                              f"sessions, e.g. {T2}\n")


def test_when_every_id_is_stable_nothing_is_left_out():
    measured = {M1: [T1]}

    assert measure.runnable((T1,), measured, {T1}, io.StringIO()) == ((T1,), measured, [])


def test_a_session_ended_by_an_uninterruptible_hang_with_nothing_left_to_try_is_not_rechecked(tmp_path, clock):
    first = {M1: outcome("timeout", (T1, "timeout"), ran=[T2], reason=UNINTERRUPTIBLE)}
    engine = Engine(tmp_path, {})

    assert Measurement(engine, 2, tmp_path, io.StringIO()).recheck_timeouts(plan(), first, {M1: [T1, T2]}) == {}
    assert engine.batches == []


# --- re-verification of survivors and timeouts -------------------------------------------------------


class FlippingEngine(Engine):
    """As Engine, but a job kept in the `reverify` records behaves as `second[mutant]` says."""

    def __init__(self, gate_dir, behaviour, second):
        super().__init__(gate_dir, behaviour)
        self.first, self.second = behaviour, second

    def _run_job(self, job):
        self.behaviour = self.second if job.context["records_dir"] == "reverify" else self.first
        return super()._run_job(job)


def test_this_runs_survivors_and_timeouts_are_re_run_once_in_their_own_records(tmp_path, clock):
    engine = FlippingEngine(tmp_path, {M1: {}, M2: {}, M3: {T1: "timeout"}, M4: {T1: "assertion"}},
                            {M1: {}, M2: {T2: "assertion"}, M3: {T1: "timeout"}})
    session = Measurement(engine, 2, tmp_path, io.StringIO())
    measured = {M1: [T1], M2: [T2], M3: [T1], M4: [T1]}
    first = session.measure(plan(), measured, "mutants")

    combined = session.reverify(plan(), {**first, "pkg.mod.x_g__mutmut_1": outcome("survived")}, measured)

    jobs, _workers = engine.batches[1]
    assert [(job.mutant, job.context["records_dir"]) for job in jobs] == [(M1, "reverify"), (M2, "reverify"),
                                                                           (M3, "reverify")]
    # The two runs agree: the first outcome stands, with both runs kept for the cache's history.
    assert (combined[M1].status, combined[M3].status, combined[M1].runs[0]) == ("survived", "timeout", first[M1])
    assert combined[M2].status == "flaky"
    assert combined[M2].runs == (first[M2], outcome("killed", (T2, "assertion"), ran=[T2]))
    assert "survived then killed" in combined[M2].reason and T2 in combined[M2].reason
    assert set(combined) == {M1, M2, M3}  # the reused survivor and the killed mutant are not re-run


def test_without_survivors_or_timeouts_nothing_is_re_verified(tmp_path, clock):
    engine = Engine(tmp_path, {M1: {T1: "assertion"}})
    session = Measurement(engine, 1, tmp_path, io.StringIO())

    assert session.reverify(plan(), session.measure(plan(), {M1: [T1]}, "mutants"), {M1: [T1]}) == {}
    assert len(engine.batches) == 1
