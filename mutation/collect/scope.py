"""The scope of a run: which mutants it measures, and the outcome of each one it sets aside.

A scope filter is a pure function from the mutants still in scope to the outcomes it decides
for some of them without measuring (an equivalent mutant is `excluded`); the filters apply in
order, and whatever no filter decides is measured.
"""

from dataclasses import dataclass

from mutation.collect.outcomes import MutantOutcome
from mutation.model import MutantStatus


@dataclass(frozen=True)
class Scope:
    measured: tuple  # the Mutants this run measures
    set_aside: dict  # engine name -> the MutantOutcome a filter gave it


def decide_scope(mutants, filters):
    measured = list(mutants)
    set_aside = {}
    for scope_filter in filters:
        decided = scope_filter(measured)
        set_aside.update(decided)
        measured = [mutant for mutant in measured if mutant.engine_name not in decided]
    return Scope(tuple(measured), set_aside)


def excluding(exclusions):
    """The filter that sets aside every equivalent mutant of `exclusions`, with its reason."""

    def exclude(mutants):
        return {
            mutant.engine_name: MutantOutcome(MutantStatus.EXCLUDED, (), exclusions.reason_by_name[mutant.engine_name])
            for mutant in mutants if mutant.engine_name in exclusions.reason_by_name
        }

    return exclude
