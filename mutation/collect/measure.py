"""Measuring mutants: the engine makes them and runs each one's tests with the kill recorder
watching; each mutant's outcome is read from the engine's verdict and its records (`outcomes`).

One engine session serves the whole run: a check that the engine's copy behaves, the main
measurement of every mutant the scope keeps, a re-verification of its survivors and timeouts
(`reverify`: each session run once more, in a process of its own), a second chance for unresolved mutants, and the
credit passes (each keeping its records apart). Progress (`progress`) is shown while each one runs.
"""

from mutation.collect.credit import credit_passes, untried_mutants
from mutation.collect.outcomes import NO_TESTS, classify_all
from mutation.collect.progress import Progress
from mutation.collect.pytest_options import gate_environment, mutant_session_args
from mutation.collect.records import read_session
from mutation.collect.reverify import REVERIFY_DIR, combine_all, needs_reverify
from mutation.collect.test_plan import SessionPlan, StopRule, stop_rule
from mutation.collect.timeouts import (
    merge_recheck,
    recheck_limit,
    recheck_tests,
    timed_out_sessions,
)
from mutation.engine import settings as engine_settings
from mutation.engine.protocol import FORCED_FAIL, NO_MUTANT
from mutation.engine.results import (
    check_names,
    job_result,
    read_results,
    record_statuses,
)
from mutation.engine.server import EngineServer
from mutation.errors import IncompleteMeasurementError, SuiteFailsError
from mutation.model import EngineResult, EngineVerdict, MutantStatus

NOT_RUN = EngineResult(EngineVerdict.NOT_RUN, "the engine gave no result")
RECHECK_DIR = "timeout-recheck"


def measure_run(workspace, config, mutants, scope, covered_by, preflight, order, work_paths, lap, out):
    """The outcome of every mutant, once the engine's mutants exist; `lap(phase)` is called as each phase ends."""
    check_names([mutant.engine_name for mutant in mutants], read_results(workspace.root, work_paths))
    plan = SessionPlan(config, order, preflight.durations, stop_rule(config.kill_matrix))
    measured = {m.engine_name: covered_by[m.engine_name] for m in scope.measured if covered_by[m.engine_name]}
    untested = {m.engine_name: NO_TESTS for m in scope.measured if not covered_by[m.engine_name]}
    if not measured and not untried_mutants({**scope.set_aside, **untested}, covered_by):
        # Nothing to run (every result reused or decided): no engine session at all.
        outcomes = {**scope.set_aside, **untested}
        for phase in ("mutation", "rerun"):
            lap(phase)
    else:
        outcomes = _measure_with_engine(workspace, config, scope, covered_by, preflight, order, lap, out, plan,
                                        measured, untested)
    record_statuses(workspace.root, work_paths, {name: outcome.status for name, outcome in outcomes.items()})
    lap("credit")
    return outcomes


def _measure_with_engine(workspace, config, scope, covered_by, preflight, order, lap, out, plan, measured, untested):
    server_args = engine_settings.server_args(mutant_session_args(config), workspace.suite, workspace.rootdir)
    with EngineServer(workspace.root, server_args, gate_environment(workspace.gate_dir, workspace.bytecode_dir),
                      workspace.gate_dir / "engine.log") as engine:
        session = Measurement(engine, config.workers, workspace.gate_dir, out)
        tests, measured, lost = runnable(preflight.tests, measured, engine.test_ids, out)
        untested.update({name: NO_TESTS for name in lost})
        engine_durations = check_mutated_copy(session, plan, tests, measured)
        plan.calibrate(engine_durations)
        fresh = {**untested, **session.measure(plan, measured, "mutants")}
        # Only this run's timeouts are re-checked: a set-aside (reused) one was re-checked when measured.
        fresh.update(session.recheck_timeouts(plan, fresh, measured))
        # Then each of this run's survivors and timeouts is re-run once: two runs that disagree make it flaky.
        fresh.update(session.reverify(plan, fresh, measured))
        outcomes = {**scope.set_aside, **fresh}
        lap("mutation")
        unresolved = sorted(name for name, outcome in outcomes.items() if outcome.status == MutantStatus.UNRESOLVED)
        if unresolved:
            outcomes.update(session.measure(plan, {name: measured[name] for name in unresolved}, "second chance",
                                            records_dir="second-chance"))
        lap("rerun")
        credit_plan = SessionPlan(config, order, preflight.durations)
        credit_plan.calibrate(engine_durations)
        outcomes = credit_passes(
            outcomes, covered_by,
            lambda jobs, number: session.measure(credit_plan, jobs, f"credit pass {number}", f"credit-{number}"),
        )
    return outcomes


def runnable(tests, measured, engine_ids, out):
    """The preflight's tests the engine also collected, each mutant's among them, and the mutants
    left without any. A test whose id changes from one session to the next (a parameter's repr
    holding an address, a random id) cannot be named to the engine: it is left out, with a note."""
    unknown = [test for test in tests if test not in engine_ids]
    if not unknown:
        return tests, measured, []
    print(f"  note: {len(unknown)} tests have ids that change between sessions and are left out of mutant "
          f"sessions, e.g. {unknown[0]}", file=out, flush=True)
    left_out = set(unknown)
    kept = {name: [test for test in covering if test not in left_out] for name, covering in measured.items()}
    measurable = {name: covering for name, covering in kept.items() if covering}
    return ([test for test in tests if test not in left_out], measurable, sorted(set(kept) - set(measurable)))


class Measurement:
    """Runs batches of sessions on one engine and reads their outcomes."""

    def __init__(self, engine, workers, gate_dir, out):
        self.engine, self.workers, self.gate_dir, self.out = engine, workers, gate_dir, out

    def run(self, jobs, label):
        progress = Progress(self.out, label, len(jobs))
        results = self.engine.run(jobs, self.workers, on_result=progress.advance)
        progress.finish()
        return results

    def measure(self, plan, tests_by_mutant, label, records_dir=""):
        """The outcome of each mutant of `tests_by_mutant` (name -> the tests its session may run)."""
        results = self.run([plan.job(name, tests, records_dir) for name, tests in tests_by_mutant.items()], label)
        engine_results = {name: job_result(results[name]) if name in results else NOT_RUN for name in tests_by_mutant}
        return classify_all(engine_results, self.gate_dir, records_dir)

    def reverify(self, plan, outcomes, measured):
        """Each survivor and timeout of `outcomes` this run measured, combined with its session run
        once more (its own forked worker, records apart): flaky where the two runs disagree."""
        names = needs_reverify(outcomes, measured)
        if not names:
            return {}
        reruns = self.measure(plan, {name: measured[name] for name in names}, "re-verifying survivors and timeouts",
                              records_dir=REVERIFY_DIR)
        return combine_all(outcomes, reruns)

    def recheck_timeouts(self, plan, outcomes, measured):
        """The outcome of every mutant whose session ended at a timeout, once re-checked (see `timeouts`)."""
        hung_by_mutant = timed_out_sessions(outcomes)
        jobs = []
        for name, hung in list(hung_by_mutant.items()):
            first, last = recheck_tests(outcomes[name], measured[name], hung)
            if not first and not last:
                del hung_by_mutant[name]  # nothing left that could change its outcome
                continue
            jobs.append(plan.job(name, first, RECHECK_DIR, last=last, stretch=recheck_limit, last_once_unkilled=True))
        if not jobs:
            return {}
        results = self.run(jobs, "re-checking timeouts")
        rechecks = classify_all({job.mutant: job_result(results[job.mutant]) if job.mutant in results else NOT_RUN
                                 for job in jobs}, self.gate_dir, RECHECK_DIR)
        return {name: merge_recheck(outcomes[name], rechecks[name], hung) for name, hung in hung_by_mutant.items()}


def check_mutated_copy(session, plan, tests, measured):
    """The engine's copy must behave: with no mutant active every test that covers a mutant to
    measure passes, and with every mutant forced to fail a test that runs mutated code fails.
    Otherwise every verdict would lie.

    Returns each test's duration on the engine's copy, to calibrate the time limits."""
    probe = min(measured.values(), key=len, default=())[:1]
    # The tests this run's mutant sessions start from; all of them when every result was reused and
    # only credit passes run (their tests are not known before).
    covering = set().union(*measured.values())
    checked = [test for test in tests if test in covering] or list(tests)
    # Generous limits: this one session runs those tests cold, and any failure here stops the run.
    jobs = [plan.job(NO_MUTANT, (), session_name="clean", last=checked, stretch=recheck_limit, stop=StopRule())]
    if probe:
        jobs.append(plan.job(FORCED_FAIL, probe, session_name="forced-fail", stop=StopRule()))
    results = session.run(jobs, "checking the engine's copy")
    clean = results.get(NO_MUTANT)
    if clean is None or clean.error or clean.timed_out or clean.exit_code not in (0, 1):
        raise IncompleteMeasurementError(f"the engine could not run the suite on its copy with no mutant active: "
                                         f"{_what_happened(clean)}")
    if clean.exit_code != 0:
        failing = sorted({test for test, *_ in read_session(session.gate_dir, "clean").failures})
        raise SuiteFailsError(f"the suite fails on the engine's copy with no mutant active ({len(failing)} failing "
                              f"tests): the mutated code behaves differently from the original",
                              [f"  {test}" for test in failing[:20]])
    forced = results.get(FORCED_FAIL)
    if probe and (forced is None or forced.error or forced.timed_out or forced.exit_code not in (0, 1)):
        raise IncompleteMeasurementError(f"the engine could not run {probe[0]} with every mutant forced to fail: "
                                         f"{_what_happened(forced)}")
    if probe and forced.exit_code != 1:
        raise IncompleteMeasurementError(f"with every mutant forced to fail, {probe[0]} still passed: the tests do "
                                         f"not run the engine's mutated copy")
    return read_session(session.gate_dir, "clean").durations


def _what_happened(result):
    if result is None:
        return "no result came back"
    if result.error:
        return result.error
    if result.timed_out:
        return f"killed at its wall limit after {result.seconds:.0f}s"
    return f"pytest exit {result.exit_code}"
