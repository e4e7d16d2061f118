"""Timeouts re-checked: a test that ran past its limit under a mutant gets a second, longer run.

A per-test limit is calibrated on the unmutated suite, where lazy caches were already warm; a
mutant's session starts cold, so a test can pass its limit without hanging. And a session stops
at its first timeout, so a test queued after the hung one never showed whether it would fail by
assertion. The re-check runs, for every mutant with a timeout kill, the covering tests it never
ran first and the hung test last, under `RECHECK_FACTOR` times its limit (at least
`RECHECK_FLOOR` seconds), and only if no other test killed the mutant by then: the mutant is
killed either way, and a real hang would cost the long limit. The hung test's first timeout
stands unless the re-check ran it and it did not hang again.

This module plans the re-checks and merges their results; `measure` runs them.
"""

import dataclasses

from mutation.collect.outcomes import UNINTERRUPTIBLE
from mutation.model import KillKind, MutantStatus

RECHECK_FACTOR = 10.0
RECHECK_FLOOR = 5.0


def timed_out_sessions(outcomes):
    """For each mutant whose session ended at a timeout: the tests that hung."""
    return {
        name: [kill.test for kill in outcome.killed_by if kill.kind == KillKind.TIMEOUT]
        for name, outcome in outcomes.items()
        if any(kill.kind == KillKind.TIMEOUT for kill in outcome.killed_by)
    }


def recheck_tests(outcome, covered, hung):
    """The tests of a re-check: the covering tests that never ran, then the hung ones, unless no
    signal could interrupt them: those hang for good."""
    done = set(outcome.tests_run) | {kill.test for kill in outcome.killed_by}
    return [test for test in covered if test not in done], [] if outcome.reason == UNINTERRUPTIBLE else list(hung)


def recheck_limit(limit):
    return max(RECHECK_FLOOR, RECHECK_FACTOR * limit)


def merge_recheck(outcome, recheck, hung):
    """The outcome once the re-check is known: the hung tests' first timeouts are replaced by what
    they did this time; a re-check that could not be measured leaves the mutant unresolved."""
    if recheck.status not in (MutantStatus.KILLED, MutantStatus.TIMEOUT, MutantStatus.SURVIVED):
        return dataclasses.replace(outcome, status=MutantStatus.UNRESOLVED, killed_by=(),
                                   reason=f"timeout re-check could not be measured: {recheck.reason or recheck.status}")
    rerun = set(recheck.tests_run) | {kill.test for kill in recheck.killed_by}
    kept = [kill for kill in outcome.killed_by
            if not (kill.kind == KillKind.TIMEOUT and kill.test in hung and kill.test in rerun)]
    kills = tuple(dict.fromkeys((*kept, *recheck.killed_by)))
    return dataclasses.replace(outcome, status=status_of(kills), killed_by=kills,
                               tests_run=tuple(dict.fromkeys((*outcome.tests_run, *recheck.tests_run))))


def status_of(kills):
    if any(kill.kind != KillKind.TIMEOUT for kill in kills):
        return MutantStatus.KILLED
    return MutantStatus.TIMEOUT if kills else MutantStatus.SURVIVED
