"""Each mutant's outcome, from mutmut's `.meta` exit codes and the kill recorder's records.

The gate never takes mutmut's word alone: a "kill" needs a recorded failing test, a
"timeout" needs a test that started and never finished, a survivor needs a session that
finished cleanly. Anything else (not checked, interrupted, pytest internal error, a crashed
worker, unreadable records) is `unresolved`: re-run once, then the run is incomplete.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from mutation.errors import IncompleteMeasurementError
from mutation.records import read_session

KILLED = "killed"
TIMEOUT = "timeout"
SURVIVED = "survived"
NO_TESTS = "no_tests"
TYPE_CHECK = "type_check"
EXCLUDED = "excluded"
UNRESOLVED = "unresolved"

TIMEOUT_EXIT_CODES = {36, -24, 24, 152, 255}
KILLING_KINDS = ("assertion", "crash", "timeout")


@dataclass(frozen=True)
class Kill:
    test: str
    kind: str


@dataclass(frozen=True)
class MutantOutcome:
    status: str
    killed_by: tuple
    reason: str = ""
    # The tests that ran to their end under this mutant (killers included, a hung test not).
    tests_run: tuple = ()

    @property
    def detected(self):
        return self.status in (KILLED, TIMEOUT)

    def killed_by_kind(self, kind):
        return any(kill.kind == kind for kill in self.killed_by)


def read_meta_exit_codes(mutants_dir, work_paths):
    """mutmut's exit code per mutant name, for every mutated file; fails closed on bad files."""
    codes = {}
    for path in work_paths:
        meta = Path(mutants_dir) / f"{path}.meta"
        if not meta.exists():
            continue
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            exit_codes = data["exit_code_by_key"]
            if not isinstance(exit_codes, dict):
                raise TypeError("exit_code_by_key is not an object")
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise IncompleteMeasurementError(f"unreadable mutmut results {meta}: {error}") from None
        codes.update(exit_codes)
    return codes


def check_names(located_names, meta_names):
    """The gate's mutant list and mutmut's must be the same set, or locations would be wrong."""
    missing = sorted(set(meta_names) - set(located_names))
    extra = sorted(set(located_names) - set(meta_names))
    if missing or extra:
        example = (missing or extra)[0]
        raise IncompleteMeasurementError(
            f"mutmut's mutants and the gate's differ ({len(missing)} unknown to the gate, "
            f"{len(extra)} not run by mutmut, e.g. {example})"
        )


def classify(exit_code, session, excluded=False):
    """The outcome of one mutant from its exit code and its recorded pytest session."""
    if excluded:
        return MutantOutcome(EXCLUDED, ())
    if exit_code == 37:
        return MutantOutcome(TYPE_CHECK, ())
    if exit_code in (5, 33):
        return MutantOutcome(NO_TESTS, ())
    if exit_code is None:
        return MutantOutcome(UNRESOLVED, (), "not checked")
    if session.corrupt:
        return MutantOutcome(UNRESOLVED, (), "unreadable kill records")
    if exit_code == 0:
        return _survived(session)
    if exit_code == 1:
        return _killed(session)
    if exit_code in TIMEOUT_EXIT_CODES:
        return _timed_out(session, exit_code)
    return MutantOutcome(UNRESOLVED, (), _unresolved_reason(exit_code))


def _survived(session):
    if session.exit_status == 0 and not session.failures:
        return MutantOutcome(SURVIVED, (), tests_run=tuple(session.durations))
    return MutantOutcome(UNRESOLVED, (), "mutmut says survived but the session did not finish cleanly")


def _killed(session):
    kills = _kills(session)
    if session.exit_status == 1 and kills:
        status = TIMEOUT if all(kill.kind == "timeout" for kill in kills) else KILLED
        return MutantOutcome(status, kills, tests_run=tuple(session.durations))
    return MutantOutcome(UNRESOLVED, (), "mutmut says killed but no failing test was recorded")


def _timed_out(session, exit_code):
    if session.unfinished:
        hung = Kill(session.unfinished[-1], "timeout")
        return MutantOutcome(TIMEOUT, tuple(dict.fromkeys((*_kills(session), hung))), tests_run=tuple(session.durations))
    return MutantOutcome(UNRESOLVED, (), f"worker ended with exit {exit_code} while no test was running (crash)")


def _kills(session):
    seen = {}
    for test, _when, kind, _error in session.failures:
        if kind in KILLING_KINDS:
            seen.setdefault((test, kind), Kill(test, kind))
    return tuple(seen.values())


def _unresolved_reason(exit_code):
    reasons = {
        2: "test session interrupted or collection failed (pytest exit 2)",
        3: "pytest internal error (exit 3), never counted as a kill",
        4: "pytest usage error (exit 4)",
        -11: "worker crashed (segfault)",
        -9: "worker was killed (SIGKILL: CPU hard limit or out of memory)",
    }
    return reasons.get(exit_code, f"suspicious exit code {exit_code}")


def classify_all(names, exit_codes, gate_dir, excluded_names=frozenset(), records_dir=""):
    return {
        name: classify(exit_codes.get(name), read_session(gate_dir, name, records_dir), name in excluded_names)
        for name in names
    }
