"""The scope of a run: filters set mutants aside with an outcome, in order; the rest are measured."""

from mutation.collect.exclusions import Exclusions
from mutation.collect.scope import Scope, decide_scope, excluding
from tests.factories import mutant, outcome

M1, M2, M3 = (mutant(f"pkg.mod.x_f__mutmut_{n}") for n in (1, 2, 3))


def test_without_filters_every_mutant_is_measured():
    assert decide_scope([M1, M2], []) == Scope((M1, M2), {})


def test_excluded_mutants_are_set_aside_with_their_reason():
    exclusions = Exclusions((), {M2.engine_name: "equivalent: x is never negative"})

    assert decide_scope([M1, M2, M3], [excluding(exclusions)]) == Scope(
        (M1, M3), {M2.engine_name: outcome("excluded", reason="equivalent: x is never negative")},
    )


def test_each_filter_sees_only_what_the_filters_before_it_left():
    seen = []

    def first(mutants):
        return {M1.engine_name: outcome("excluded", reason="first")}

    def second(mutants):
        seen.extend(m.engine_name for m in mutants)
        return {m.engine_name: outcome("excluded", reason="second") for m in mutants if m is M3}

    scope = decide_scope([M1, M2, M3], [first, second])

    assert seen == [M2.engine_name, M3.engine_name]
    assert scope == Scope((M2,), {M1.engine_name: outcome("excluded", reason="first"),
                                  M3.engine_name: outcome("excluded", reason="second")})
