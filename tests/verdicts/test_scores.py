"""The three scores: mutation score = (killed + timeout) / (all - type_check - excluded); test
strength = the same over mutants with covering tests; assertion score = mutants with at least
one assertion kill / the mutation score's denominator; rounded to 2 decimals, None over 0.
"""

import pytest

from mutation.verdicts.scores import Counts, Scores, add_scores, count, score
from tests.factories import mutant_entry

T1, T2, T3 = "t.py::one", "t.py::two", "t.py::three"


def killed(*kinds):
    return ("killed", tuple((f"t.py::k{n}", kind) for n, kind in enumerate(kinds)))


ASSERTION_KILL = killed("assertion")
CRASH_KILL = killed("crash")
TIMEOUT = ("timeout", ((T1, "timeout"),))
SURVIVED = ("survived", ())
NO_TESTS = ("no_tests", ())
TYPE_CHECK = ("type_check", ())
EXCLUDED = ("excluded", ())
UNRESOLVED = ("unresolved", ())
NOT_MEASURED = ("not_measured", ())


def entries(pairs):
    """Mutant entries from ((status, kills), covering tests) pairs."""
    return [mutant_entry(f"m.f#{number}", status, covered_by=tests, killed_by=kills)
            for number, ((status, kills), tests) in enumerate(pairs, start=1)]


def test_count_tallies_every_status_and_the_covered_and_assertion_killed_mutants():
    mutants = [
        (ASSERTION_KILL, [T1]),
        (killed("crash", "assertion"), [T1, T2]),
        (CRASH_KILL, [T2]),
        (TIMEOUT, [T3]),
        (SURVIVED, [T1]),
        (SURVIVED, []),
        (NO_TESTS, []),
        (TYPE_CHECK, [T1]),
        (EXCLUDED, [T2]),
        (UNRESOLVED, [T3]),
        (NOT_MEASURED, [T1]),
    ]

    assert count(entries(mutants)) == Counts(
        mutants=11, killed=3, timeout=1, survived=2, no_tests=1, type_check=1, excluded=1, unresolved=1,
        not_measured=1, covered=6, detected_covered=4, killed_by_assertion=2,
    )


def test_the_assertion_score_counts_the_sessions_kills_not_the_credit_passes():
    crashed = entries([(CRASH_KILL, [T1])])
    crashed[0]["credited_by"] = [{"test": T1, "kind": "assertion"}]

    assert count(crashed).killed_by_assertion == 0


def test_score_applies_the_three_formulas():
    mutants = [
        (ASSERTION_KILL, [T1]),
        (killed("crash", "assertion"), [T1, T2]),
        (CRASH_KILL, [T2]),
        (TIMEOUT, [T3]),
        (SURVIVED, [T1]),
        (SURVIVED, [T2]),
        (NO_TESTS, []),
        (NO_TESTS, []),
        (TYPE_CHECK, [T1]),
        (EXCLUDED, [T2]),
    ]

    scores = score(entries(mutants))

    # 8 scored mutants (type_check and excluded left out), 4 detected, 6 covered, 2 with an assertion kill
    assert (scores.mutation_score, scores.test_strength, scores.assertion_score) == (50.0, 66.67, 25.0)


def test_a_mutant_not_measured_is_in_no_score_neither_killed_nor_survived():
    measured = [(ASSERTION_KILL, [T1]), (SURVIVED, [T1])]

    scores = score(entries([*measured, (NOT_MEASURED, [T1]), (NOT_MEASURED, [])]))

    assert (scores.counts.killed, scores.counts.survived, scores.counts.not_measured) == (1, 1, 2)
    assert (scores.mutation_score, scores.test_strength, scores.assertion_score) == (50.0, 50.0, 50.0)


@pytest.mark.parametrize(
    ("mutants", "expected"),
    [
        pytest.param([(ASSERTION_KILL, [T1]), (SURVIVED, [T1]), (SURVIVED, [T1])], (33.33, 33.33, 33.33),
                     id="one-third-rounds-down"),
        pytest.param([(ASSERTION_KILL, [T1]), (TIMEOUT, [T1]), (SURVIVED, [T1])], (66.67, 66.67, 33.33),
                     id="two-thirds-rounds-up"),
        pytest.param([(CRASH_KILL, [T1]), (CRASH_KILL, [T2])], (100.0, 100.0, 0.0), id="crash-only-kills"),
        pytest.param([(TIMEOUT, [T1])], (100.0, 100.0, 0.0), id="timeout-detects-but-asserts-nothing"),
        pytest.param([(ASSERTION_KILL, [T1]), (UNRESOLVED, [T1])], (50.0, 50.0, 50.0), id="unresolved-counts-as-not-detected"),
        pytest.param([(NO_TESTS, []), (SURVIVED, [])], (0.0, None, 0.0), id="nothing-covered"),
        pytest.param([(TYPE_CHECK, [T1]), (EXCLUDED, [T1])], (None, None, None), id="nothing-scored"),
        pytest.param([], (None, None, None), id="no-mutants"),
        pytest.param(
            [(("timeout", ((T1, "assertion"), (T2, "timeout"))), [T1, T2]), (SURVIVED, [T1])],
            (50.0, 50.0, 50.0), id="assertion-kill-before-a-timeout-counts",
        ),
    ],
)
def test_score_table(mutants, expected):
    scores = score(entries(mutants))

    assert (scores.mutation_score, scores.test_strength, scores.assertion_score) == expected


def test_score_returns_the_counts_it_scored():
    mutants = [(ASSERTION_KILL, [T1]), (SURVIVED, [])]

    assert score(entries(mutants)) == Scores(count(entries(mutants)), 50.0, 100.0, 50.0)


def test_test_strength_only_counts_kills_of_covered_mutants():
    mutants = [(ASSERTION_KILL, []), (CRASH_KILL, []), (SURVIVED, [T1])]

    assert score(entries(mutants)).test_strength == 0.0


def test_add_scores_scores_each_target_over_its_own_mutants_and_all_of_them_overall():
    document = {
        "targets": [{"path": "pkg/a.py"}, {"path": "pkg/b.py"}],
        "mutants": [mutant_entry("a.f#1", "killed", killed_by=[(T1, "assertion")], covered_by=[T1]),
                    mutant_entry("a.f#2", "survived", covered_by=[T1]),
                    mutant_entry("b.f#1", "killed", target="pkg/b.py", killed_by=[(T2, "crash")], covered_by=[T2])],
    }

    add_scores(document)

    assert [(t["path"], t["mutants"], t["mutation_score"], t["assertion_score"]) for t in document["targets"]] == [
        ("pkg/a.py", 2, 50.0, 50.0), ("pkg/b.py", 1, 100.0, 0.0),
    ]
    assert (document["overall"]["mutants"], document["overall"]["mutation_score"],
            document["overall"]["assertion_score"]) == (3, 66.67, 33.33)

