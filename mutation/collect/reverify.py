"""Re-verification (issue 16, flaky verdicts): before a survivor or a timeout can fail the gate,
its session is run once more in a fresh process; a mutant whose two runs disagree is `flaky`.

Only outcomes measured in this run are re-verified: a reused (cached) one was re-verified when it
was measured. Two runs agree when they end in the same status, and the first outcome stands. When
they disagree the mutant is `flaky`: it carries both outcomes and the tests involved (every test
that failed or hung in either run), is counted apart, is never detected (no killer), and fails
the gate only under `flaky = fail`. A re-run that could not be measured (unresolved) decides
nothing: the first outcome stands. Every re-verification is recorded in the result cache's history
(`history_record`), so a mutant that flips across runs is listed with it.
"""

import dataclasses

from mutation.collect.outcomes import MutantOutcome
from mutation.model import MutantStatus

REVERIFIED = frozenset({MutantStatus.SURVIVED, MutantStatus.TIMEOUT})
REVERIFY_DIR = "reverify"


def needs_reverify(outcomes, measured):
    """The names, in order, of the outcomes to re-run: survivors and timeouts this run measured
    (`measured`: name -> the tests its session may run; a reused or undecided one is not in it)."""
    return sorted(name for name, outcome in outcomes.items()
                  if outcome.status in REVERIFIED and measured.get(name))


def tests_involved(first, second):
    """Every test that failed or hung under the mutant in either run, in order of first appearance."""
    return tuple(dict.fromkeys(kill.test for outcome in (first, second) for kill in outcome.killed_by))


def combine(first, second):
    """The outcome of a mutant measured as `first`, then re-run as `second`; either way its `runs`
    are the two (what the result cache's history records)."""
    if second.status == MutantStatus.UNRESOLVED or second.status == first.status:
        return dataclasses.replace(first, runs=(first, second))
    tests = tests_involved(first, second)
    reason = (f"flaky: {first.status} then {second.status} on a re-run"
              + (f" (tests involved: {', '.join(tests)})" if tests else ""))
    return MutantOutcome(MutantStatus.FLAKY, (), reason, first.tests_run, runs=(first, second))


def history_record(outcome):
    """What the result cache's history keeps of one re-verified outcome: both runs' statuses,
    whether they disagreed, and the tests involved."""
    return {"runs": [str(run.status) for run in outcome.runs], "flaky": outcome.status == MutantStatus.FLAKY,
            "tests": list(tests_involved(*outcome.runs))}


def combine_all(outcomes, reruns):
    """`outcomes` with each re-run (`reruns`: name -> its second outcome) combined into it."""
    return {name: combine(outcomes[name], rerun) for name, rerun in reruns.items()}
