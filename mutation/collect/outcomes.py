"""Each mutant's outcome, from the engine's verdict checked against the kill recorder's records.

The gate never takes the engine's word alone: a "kill" needs a recorded failing test, a
"timeout" needs a test that started and never finished, a survivor needs a session that
finished cleanly. Anything else (not run, interrupted, pytest internal error, a crashed
worker, unreadable records) is `unresolved`: measured again once, then the run is incomplete.
"""

from dataclasses import dataclass

from mutation.collect.records import read_session
from mutation.model import DETECTED, EngineVerdict, KillKind, MutantStatus


@dataclass(frozen=True)
class Kill:
    test: str
    kind: KillKind


@dataclass(frozen=True)
class MutantOutcome:
    status: MutantStatus
    killed_by: tuple
    reason: str = ""
    # The tests that ran to their end under this mutant (killers included, a hung test not).
    tests_run: tuple = ()
    # A flaky mutant's two runs (each a MutantOutcome: the first, then its re-verification).
    runs: tuple = ()
    # Kills found by credit passes (`credit`), apart from `killed_by`, the kills of the mutant's own
    # session: which tests a credit pass tries depends on the other mutants measured with it (a
    # shard's), so only the session's kills are the same whatever the run is split into.
    credited_by: tuple = ()

    @property
    def all_kills(self):
        """The session's kills, then the credit passes'."""
        return (*self.killed_by, *self.credited_by)

    @property
    def detected(self):
        return self.status in DETECTED


EXCLUDED = MutantOutcome(MutantStatus.EXCLUDED, ())
NO_TESTS = MutantOutcome(MutantStatus.NO_TESTS, ())  # no test executes the mutated statement


def classify(result, session):
    """The outcome of one mutant from the engine's EngineResult and its recorded pytest session."""
    if result.verdict == EngineVerdict.TYPE_CHECK:
        return MutantOutcome(MutantStatus.TYPE_CHECK, ())
    if result.verdict == EngineVerdict.NO_TESTS:
        return MutantOutcome(MutantStatus.NO_TESTS, ())
    if result.verdict == EngineVerdict.NOT_RUN:
        return MutantOutcome(MutantStatus.UNRESOLVED, (), result.reason)
    if session.corrupt:
        return MutantOutcome(MutantStatus.UNRESOLVED, (), "unreadable kill records")
    if result.verdict == EngineVerdict.SURVIVED:
        return _survived(session)
    if result.verdict == EngineVerdict.KILLED:
        return _killed(session)
    if result.verdict == EngineVerdict.TIMED_OUT:
        return _timed_out(session, result)
    return MutantOutcome(MutantStatus.UNRESOLVED, (), result.reason)


def _survived(session):
    if session.exit_status == 0 and not session.failures:
        return MutantOutcome(MutantStatus.SURVIVED, (), tests_run=tuple(session.durations))
    return MutantOutcome(MutantStatus.UNRESOLVED, (), "mutmut says survived but the session did not finish cleanly")


def _killed(session):
    kills = _kills(session)
    if session.exit_status == 1 and kills:
        timed_out = all(kill.kind == KillKind.TIMEOUT for kill in kills)
        status = MutantStatus.TIMEOUT if timed_out else MutantStatus.KILLED
        return MutantOutcome(status, kills, tests_run=tuple(session.durations))
    return MutantOutcome(MutantStatus.UNRESOLVED, (), "mutmut says killed but no failing test was recorded")


# The reason of a timeout the engine's wall limit ended: the test's own time limit could not
# interrupt it (a loop inside C code), so it hangs for good, however long it is given.
UNINTERRUPTIBLE = "hung past its time limit and the engine's wall limit"


def _timed_out(session, result):
    if session.unfinished:
        hung = Kill(session.unfinished[-1], KillKind.TIMEOUT)
        killers = tuple(dict.fromkeys((*_kills(session), hung)))
        return MutantOutcome(MutantStatus.TIMEOUT, killers, UNINTERRUPTIBLE, tuple(session.durations))
    return MutantOutcome(MutantStatus.UNRESOLVED, (), f"{result.reason} while no test was running (crash)")


def _kills(session):
    seen = {}
    for test, _when, kind, _error in session.failures:
        if kind in set(KillKind):
            seen.setdefault((test, kind), Kill(test, KillKind(kind)))
    return tuple(seen.values())


def classify_all(results, gate_dir, records_dir=""):
    """`results`: the EngineResult of each mutant to classify, by its engine name."""
    return {name: classify(result, read_session(gate_dir, name, records_dir)) for name, result in results.items()}
