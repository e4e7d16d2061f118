"""The three scores, per target and overall.

- mutation score  = (killed + timeout) / (all − caught by type check − excluded)
- test strength   = the same, over mutants with at least one covering test (PIT's definition)
- assertion score = mutants killed by at least one assertion failure / the mutation score's denominator

A score is None when its denominator is 0 (nothing to measure).
"""

from dataclasses import dataclass

from mutation.outcome import EXCLUDED, NO_TESTS, SURVIVED, TIMEOUT, TYPE_CHECK, UNRESOLVED, KILLED


@dataclass(frozen=True)
class Counts:
    mutants: int
    killed: int
    timeout: int
    survived: int
    no_tests: int
    type_check: int
    excluded: int
    unresolved: int
    covered: int
    detected_covered: int
    killed_by_assertion: int


@dataclass(frozen=True)
class Scores:
    counts: Counts
    mutation_score: float | None
    test_strength: float | None
    assertion_score: float | None


def count(mutants):
    """`mutants` are (outcome, covering tests) pairs."""
    statuses = [outcome.status for outcome, _ in mutants]
    scored = [(outcome, tests) for outcome, tests in mutants if outcome.status not in (TYPE_CHECK, EXCLUDED)]
    return Counts(
        mutants=len(mutants),
        killed=statuses.count(KILLED),
        timeout=statuses.count(TIMEOUT),
        survived=statuses.count(SURVIVED),
        no_tests=statuses.count(NO_TESTS),
        type_check=statuses.count(TYPE_CHECK),
        excluded=statuses.count(EXCLUDED),
        unresolved=statuses.count(UNRESOLVED),
        covered=sum(1 for _, tests in scored if tests),
        detected_covered=sum(1 for outcome, tests in scored if tests and outcome.detected),
        killed_by_assertion=sum(1 for outcome, _ in scored if outcome.killed_by_kind("assertion")),
    )


def score(mutants):
    counts = count(mutants)
    detected = counts.killed + counts.timeout
    denominator = counts.mutants - counts.type_check - counts.excluded
    return Scores(
        counts=counts,
        mutation_score=ratio(detected, denominator),
        test_strength=ratio(counts.detected_covered, counts.covered),
        assertion_score=ratio(counts.killed_by_assertion, denominator),
    )


def ratio(part, whole):
    return round(100.0 * part / whole, 2) if whole else None
