"""The three scores, per target and overall, from the document's mutants.

- mutation score  = (killed + timeout) / (all − caught by type check − excluded − not measured);
  a flaky mutant is in the denominator and never in the numerator
- test strength   = the same, over mutants with at least one covering test (PIT's definition)
- assertion score = mutants killed by at least one assertion failure / the mutation score's denominator

A score is None when its denominator is 0 (nothing to measure).
"""

import dataclasses
from dataclasses import dataclass

from mutation.model import DETECTED, UNSCORED, KillKind, MutantStatus, percent


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
    not_measured: int
    covered: int
    detected_covered: int
    killed_by_assertion: int
    flaky: int = 0  # survived or timed out, then otherwise on its re-run: in the denominator, never detected


@dataclass(frozen=True)
class Scores:
    counts: Counts
    mutation_score: float | None
    test_strength: float | None
    assertion_score: float | None


def count(mutants):
    """Tally of document mutant entries (`status`, `killed_by`, `covered_by`)."""
    statuses = [mutant["status"] for mutant in mutants]
    scored = [mutant for mutant in mutants if mutant["status"] not in UNSCORED]
    return Counts(
        mutants=len(mutants),
        killed=statuses.count(MutantStatus.KILLED),
        timeout=statuses.count(MutantStatus.TIMEOUT),
        survived=statuses.count(MutantStatus.SURVIVED),
        no_tests=statuses.count(MutantStatus.NO_TESTS),
        type_check=statuses.count(MutantStatus.TYPE_CHECK),
        excluded=statuses.count(MutantStatus.EXCLUDED),
        unresolved=statuses.count(MutantStatus.UNRESOLVED),
        not_measured=statuses.count(MutantStatus.NOT_MEASURED),
        flaky=statuses.count(MutantStatus.FLAKY),
        covered=sum(1 for mutant in scored if mutant["covered_by"]),
        detected_covered=sum(1 for mutant in scored if mutant["covered_by"] and mutant["status"] in DETECTED),
        killed_by_assertion=sum(1 for mutant in scored if _killed_by_assertion(mutant)),
    )


def denominator(counts):
    """The mutation score's denominator from counts by status name (a target's entry in gate.json,
    or `Counts` as a dict): every mutant but the UNSCORED ones."""
    return counts["mutants"] - sum(counts[str(status)] for status in UNSCORED)


def score(mutants):
    counts = count(mutants)
    scored = denominator(dataclasses.asdict(counts))
    return Scores(
        counts=counts,
        mutation_score=percent(counts.killed + counts.timeout, scored),
        test_strength=percent(counts.detected_covered, counts.covered),
        assertion_score=percent(counts.killed_by_assertion, scored),
    )


def score_entry(mutants):
    """The counts and scores as `gate.json` writes them."""
    scores = score(mutants)
    return {
        **dataclasses.asdict(scores.counts),
        "mutation_score": scores.mutation_score,
        "test_strength": scores.test_strength,
        "assertion_score": scores.assertion_score,
    }


def add_scores(document):
    """Each target's counts and scores, and the overall ones, added to the document."""
    for target in document["targets"]:
        target.update(score_entry([mutant for mutant in document["mutants"] if mutant["target"] == target["path"]]))
    document["overall"] = score_entry(document["mutants"])


def _killed_by_assertion(mutant):
    # The mutant's own session only: credit-pass kills (`credited_by`) depend on what was measured
    # together, and a score must be the same however the run is sharded.
    return any(kill["kind"] == KillKind.ASSERTION for kill in mutant["killed_by"])
