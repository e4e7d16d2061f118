"""Credit passes: which tests are given another chance, under which mutants, and how results merge.

`measure_pass` is a stand-in for the engine here: it answers from a fixed kill matrix, the truth a
full run would have measured, and logs every pass it is asked to run.
"""

import pytest

from mutation.collect.credit import credit_passes, plan_pass, spread, untried_mutants
from mutation.collect.outcomes import Kill
from mutation.errors import IncompleteMeasurementError
from tests.factories import killed, outcome

STRONG, LATE, WEAK = "t::strong", "t::late", "t::weak"


def test_untried_lists_covered_detected_mutants_each_uncredited_test_never_ran_under():
    outcomes = {
        "m1": killed((STRONG, "assertion"), ran=[STRONG]),
        "m2": killed((LATE, "crash"), ran=[LATE]),
        "m3": outcome("timeout", (WEAK, "timeout"), ran=[STRONG]),
        "m4": outcome("survived", ran=[STRONG, LATE, WEAK]),
        "m5": killed((STRONG, "assertion"), (LATE, "assertion"), ran=[STRONG, LATE]),
        "m6": outcome("excluded"),
    }
    covered_by = {"m1": [STRONG, LATE, WEAK], "m2": [LATE, WEAK], "m3": [STRONG, WEAK], "m4": [STRONG, LATE, WEAK],
                  "m5": [STRONG, LATE, WEAK], "m6": [WEAK]}

    # STRONG is credited; LATE ran m2 and m5 and has an assertion kill on m5; WEAK hung on m3.
    assert untried_mutants(outcomes, covered_by) == {WEAK: ["m1", "m2", "m5"]}


def test_a_pass_gives_each_test_mutants_spread_over_its_list_preferring_assertion_kills():
    outcomes = {f"m{n}": killed(("other", "assertion" if n % 2 else "crash")) for n in range(10)}
    untried = {LATE: [f"m{n}" for n in range(10)], WEAK: ["m0", "m2"]}

    assert plan_pass(untried, outcomes, per_test=3) == {"m1": [LATE], "m3": [LATE], "m7": [LATE], "m0": [WEAK],
                                                        "m2": [WEAK]}
    assert plan_pass(untried, outcomes, per_test=None) == {f"m{n}": ([LATE, WEAK] if n in (0, 2) else [LATE])
                                                           for n in range(10)}


@pytest.mark.parametrize(("count", "expected"), [(0, []), (2, [0, 2]), (3, [0, 1, 3]), (5, [0, 1, 2, 3, 4])])
def test_spread_takes_evenly_across_the_list(count, expected):
    assert spread([0, 1, 2, 3, 4], count) == expected


def fake_engine(truth, log):
    """A `measure_pass` answering from `truth`: mutant -> {test: kind of failure}."""
    def measure_pass(jobs, number):
        log.append((number, {name: list(tests) for name, tests in jobs.items()}))
        results = {}
        for name, tests in jobs.items():
            kills = [(test, truth[name][test]) for test in tests if test in truth[name]]
            results[name] = outcome("killed" if kills else "survived", *kills, ran=tests)
        return results
    return measure_pass


def test_passes_grow_until_each_test_is_credited_or_has_run_under_everything_it_covers():
    names = [f"m{n}" for n in range(20)]
    # Every mutant was stopped by two assertion kills before LATE and WEAK had their turn.
    outcomes = {name: killed(("a", "assertion"), ("b", "assertion"), ran=["a", "b"]) for name in names}
    covered_by = {name: ["a", "b", LATE, WEAK] for name in names}
    truth = {name: {"a": "assertion", "b": "assertion"} for name in names}
    truth["m19"][LATE] = "assertion"  # LATE notices only the last mutant
    for name in names[:5]:
        truth[name][WEAK] = "crash"  # WEAK only ever crashes
    log = []

    merged = credit_passes(outcomes, covered_by, fake_engine(truth, log))

    assert [(number, sum(len(tests) for tests in jobs.values())) for number, jobs in log] == [(1, 4), (2, 16), (3, 20)]
    assert [kill for kill in merged["m19"].credited_by if kill.test == LATE] == [Kill(LATE, "assertion")]
    assert {name for name in names if Kill(WEAK, "crash") in merged[name].credited_by} == set(names[:5])
    # The sessions' own kills stay as they were: only the credit passes' are added, apart.
    assert all(merged[name].killed_by == outcomes[name].killed_by for name in names)
    assert all(WEAK in merged[name].tests_run for name in names)
    assert all(merged[name].status == "killed" for name in names)


def test_nothing_to_credit_runs_no_pass():
    log = []
    outcomes = {"m1": killed((STRONG, "assertion"), ran=[STRONG])}

    assert credit_passes(outcomes, {"m1": [STRONG]}, fake_engine({}, log)) == outcomes
    assert log == []


def test_what_a_broken_credit_session_recorded_counts_and_the_rest_is_tried_again():
    outcomes = {"m1": killed(("a", "assertion"), ran=["a"])}
    calls = []

    def flaky_pass(jobs, number):
        calls.append(dict(jobs))
        if number == 1:  # the worker died after LATE hung: only that much was recorded
            return {"m1": outcome("timeout", (LATE, "timeout"), ran=[LATE], reason="worker died")}
        return {"m1": outcome("survived", ran=["b"])}

    merged = credit_passes(outcomes, {"m1": ["a", "b", LATE]}, flaky_pass)

    assert calls == [{"m1": ["b", LATE]}, {"m1": ["b"]}]
    assert merged["m1"].status == "killed"
    assert merged["m1"].killed_by == killed(("a", "assertion")).killed_by
    assert merged["m1"].credited_by == (Kill(LATE, "timeout"),)
    assert merged["m1"].tests_run == ("a", LATE, "b")


def test_a_pass_that_runs_none_of_its_tests_fails_the_run_instead_of_looping():
    outcomes = {"m1": killed(("a", "assertion"), ("b", "assertion"), ran=["a", "b"])}

    def deselecting_pass(jobs, number):
        return {"m1": outcome("survived")}

    with pytest.raises(IncompleteMeasurementError, match=r"^credit pass 1: t::late did not run under the mutants it was given \(m1\)$"):
        credit_passes(outcomes, {"m1": ["a", "b", LATE]}, deselecting_pass)
