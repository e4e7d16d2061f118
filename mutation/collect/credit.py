"""Credit passes: every test gets its chance to show that it kills a mutant by assertion.

With `kill_matrix = sampled` (the default), a mutant's session stops once two tests have
failed by assertion, so a test queued after them never runs under that mutant. A test left
without an assertion kill may only have missed its turn. The credit passes run each such test
under the detected mutants it covers but has not run against: a few per test at first, more on
each later pass, until it fails by assertion or has run under every one of them. So whether a
test is `killing`, `crash-only` or `covering` is exact, and the evidence shown for a rejected
test is mutants it really ran under.

A credit pass's kills go to `credited_by`, apart from the session's `killed_by`: which tests a pass
tries depends on every mutant measured with it (one shard's, under `--shard`), so only the
session's kills, and the scores counted from them, are the same however the run is split.

This module plans the passes and merges their results; `measure` runs each one.
"""

import dataclasses

from mutation.errors import IncompleteMeasurementError
from mutation.model import DETECTED, KillKind

# Mutants tried per test on each pass; the last size repeats until nothing is left to try.
MUTANTS_PER_TEST = (2, 8, 32, 128, None)


def credit_passes(outcomes, covered_by, measure_pass, on_pass=lambda number, jobs: None):
    """`outcomes` with the kills and runs of every credit pass added.

    `measure_pass(tests_by_mutant, number)` runs one pass and returns each mutant's outcome in it.
    """
    number = 0
    untried = untried_mutants(outcomes, covered_by)
    while untried:
        per_test = MUTANTS_PER_TEST[min(number, len(MUTANTS_PER_TEST) - 1)]
        number += 1
        jobs = plan_pass(untried, outcomes, per_test)
        on_pass(number, jobs)
        outcomes = merge_pass(outcomes, measure_pass(jobs, number), number)
        left = untried_mutants(outcomes, covered_by)
        if _pairs(left) >= _pairs(untried):
            example = min(left)
            raise IncompleteMeasurementError(
                f"credit pass {number}: {example} did not run under the mutants it was given ({left[example][0]})"
            )
        untried = left
    return outcomes


def _pairs(untried):
    return sum(len(names) for names in untried.values())


def untried_mutants(outcomes, covered_by):
    """For each test without an assertion kill, the detected mutants it covers and never ran under."""
    credited = {kill.test for outcome in outcomes.values() for kill in outcome.all_kills
                if kill.kind == KillKind.ASSERTION}
    untried = {}
    for name, tests in covered_by.items():
        outcome = outcomes[name]
        if outcome.status not in DETECTED:
            continue
        seen = set(outcome.tests_run) | {kill.test for kill in outcome.all_kills}
        for test in tests:
            if test not in credited and test not in seen:
                untried.setdefault(test, []).append(name)
    return untried


def plan_pass(untried, outcomes, per_test):
    """Which tests each mutant's session runs in this pass.

    Each test gets `per_test` of its untried mutants (all of them when None), spread over
    the list, preferring mutants other tests already kill by assertion: what an assertion can
    observe there, this test may observe too.
    """
    jobs = {}
    for test in sorted(untried):
        for name in pick(untried[test], outcomes, per_test):
            jobs.setdefault(name, []).append(test)
    return jobs


def pick(names, outcomes, per_test):
    if per_test is None or per_test >= len(names):
        return list(names)
    preferred = [name for name in names if _assertion_killed(outcomes[name])]
    others = [name for name in names if not _assertion_killed(outcomes[name])]
    chosen = spread(preferred, per_test)
    return chosen + spread(others, per_test - len(chosen))


def _assertion_killed(outcome):
    return any(kill.kind == KillKind.ASSERTION for kill in outcome.all_kills)


def spread(items, count):
    """`count` items taken evenly across `items` (all of them if there are no more)."""
    if count >= len(items):
        return list(items)
    return [items[(position * len(items)) // count] for position in range(count)]


def merge_pass(outcomes, results, number):
    """Add a pass's kills (to `credited_by`: the session's own stay apart in `killed_by`) and runs to
    the outcomes; a mutant's status never changes.

    Whatever a credit session ended with (a test that hangs, a worker that died), what it
    recorded counts; what it did not reach is tried again on the next pass (`credit_passes`
    fails the run only when a whole pass makes no progress)."""
    merged = dict(outcomes)
    for name, result in sorted(results.items()):
        outcome = merged[name]
        merged[name] = dataclasses.replace(
            outcome,
            credited_by=tuple(kill for kill in dict.fromkeys((*outcome.credited_by, *result.killed_by))
                              if kill not in outcome.killed_by),
            tests_run=tuple(dict.fromkeys((*outcome.tests_run, *result.tests_run))),
        )
    return merged
