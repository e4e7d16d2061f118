"""The three scores and the verdict.

`mutation.score`: mutation score = (killed + timeout) / (all - type_check - excluded); test
strength = the same over mutants with covering tests; assertion score = mutants with at least
one assertion kill / the mutation score's denominator; rounded to 2 decimals, None over 0.
`mutation.judge`: exit 5 (unresolved) > 3 (rejected tests) > 2 (below a threshold) > 0.
"""

from pathlib import Path

import pytest

from mutation.config import GateConfig
from mutation.judge import judge
from mutation.outcome import Kill, MutantOutcome
from mutation.score import Counts, Scores, count, score

T1, T2, T3 = "t.py::one", "t.py::two", "t.py::three"


def killed(*kinds):
    return MutantOutcome("killed", tuple(Kill(f"t.py::k{n}", kind) for n, kind in enumerate(kinds)))


ASSERTION_KILL = killed("assertion")
CRASH_KILL = killed("crash")
TIMEOUT = MutantOutcome("timeout", (Kill(T1, "timeout"),))
SURVIVED = MutantOutcome("survived", ())
NO_TESTS = MutantOutcome("no_tests", ())
TYPE_CHECK = MutantOutcome("type_check", ())
EXCLUDED = MutantOutcome("excluded", ())
UNRESOLVED = MutantOutcome("unresolved", (), "not checked")


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
    ]

    assert count(mutants) == Counts(
        mutants=10, killed=3, timeout=1, survived=2, no_tests=1, type_check=1, excluded=1, unresolved=1,
        covered=6, detected_covered=4, killed_by_assertion=2,
    )


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

    scores = score(mutants)

    # 8 scored mutants (type_check and excluded left out), 4 detected, 6 covered, 2 with an assertion kill
    assert (scores.mutation_score, scores.test_strength, scores.assertion_score) == (50.0, 66.67, 25.0)


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
            [(MutantOutcome("timeout", (Kill(T1, "assertion"), Kill(T2, "timeout"))), [T1, T2]), (SURVIVED, [T1])],
            (50.0, 50.0, 50.0), id="assertion-kill-before-a-timeout-counts",
        ),
    ],
)
def test_score_table(mutants, expected):
    scores = score(mutants)

    assert (scores.mutation_score, scores.test_strength, scores.assertion_score) == expected


def test_score_returns_the_counts_it_scored():
    mutants = [(ASSERTION_KILL, [T1]), (SURVIVED, [])]

    assert score(mutants) == Scores(count(mutants), 50.0, 100.0, 50.0)


def test_test_strength_only_counts_kills_of_covered_mutants():
    mutants = [(ASSERTION_KILL, []), (CRASH_KILL, []), (SURVIVED, [T1])]

    assert score(mutants).test_strength == 0.0


# --- judge --------------------------------------------------------------------------------------


def gate_config(min_assertion_score=0.0):
    return GateConfig(project_root=Path("/project"), config_path=Path("/project/setup.cfg"), targets=(),
                      min_assertion_score=min_assertion_score)


def target(path="pkg/a.py", mutation_score=95.0, assertion_score=90.0, min_score=90.0):
    return {"path": path, "mutation_score": mutation_score, "assertion_score": assertion_score, "min_score": min_score}


def mutant(id, status="killed", reason=""):
    return {"id": id, "status": status, "reason": reason}


PASSING = {"status": "pass", "problems": []}


def test_judge_passes_when_every_target_meets_its_thresholds():
    document = {"targets": [target(), target("pkg/b.py", 90.0, 85.0)], "mutants": [mutant("pkg.a.f#1")],
                "rejected_tests": []}

    assert judge(document, gate_config(min_assertion_score=85)) == {
        "exit_code": 0, "status": "pass", "reasons": [], "targets": {"pkg/a.py": PASSING, "pkg/b.py": PASSING},
    }


def test_judge_below_mutation_threshold_exits_2_naming_the_target():
    document = {"targets": [target(mutation_score=89.99), target("pkg/b.py")], "mutants": [mutant("pkg.a.f#1")]}

    assert judge(document, gate_config()) == {
        "exit_code": 2,
        "status": "below threshold",
        "reasons": ["pkg/a.py: mutation score 89.99% < minimum 90%"],
        "targets": {
            "pkg/a.py": {"status": "below threshold", "problems": ["mutation score 89.99% < minimum 90%"]},
            "pkg/b.py": PASSING,
        },
    }


def test_judge_below_min_assertion_score_exits_2():
    document = {"targets": [target(assertion_score=72.5)], "mutants": []}

    assert judge(document, gate_config(min_assertion_score=80)) == {
        "exit_code": 2,
        "status": "below threshold",
        "reasons": ["pkg/a.py: assertion score 72.50% < minimum 80%"],
        "targets": {"pkg/a.py": {"status": "below threshold", "problems": ["assertion score 72.50% < minimum 80%"]}},
    }


def test_judge_reports_both_problems_of_a_target():
    document = {"targets": [target(mutation_score=50.0, assertion_score=40.0, min_score=60.0)], "mutants": []}

    assert judge(document, gate_config(min_assertion_score=50.5))["reasons"] == [
        "pkg/a.py: mutation score 50.00% < minimum 60%",
        "pkg/a.py: assertion score 40.00% < minimum 50.5%",
    ]


def test_judge_scores_exactly_at_the_minimum_pass():
    document = {"targets": [target(mutation_score=90.0, assertion_score=85.0, min_score=90.0)], "mutants": []}

    assert judge(document, gate_config(min_assertion_score=85))["exit_code"] == 0


def test_judge_unresolved_mutant_exits_5_before_anything_else():
    document = {
        "targets": [target(mutation_score=10.0)],
        "mutants": [mutant("pkg.a.f#1"), mutant("pkg.a.f#2", "unresolved", "worker crashed (segfault)"),
                    mutant("pkg.a.g#1", "unresolved", "not checked")],
        "rejected_tests": [{"test": T1}],
    }

    assert judge(document, gate_config()) == {
        "exit_code": 5,
        "status": "incomplete",
        "reasons": ["2 mutants could not be measured, e.g. pkg.a.f#2: worker crashed (segfault)"],
        "targets": {"pkg/a.py": {"status": "below threshold", "problems": ["mutation score 10.00% < minimum 90%"]}},
    }


def test_judge_rejected_tests_exit_3_before_a_low_score():
    document = {"targets": [target(mutation_score=10.0)], "mutants": [],
                "rejected_tests": [{"test": T1}, {"test": T2}]}

    assert judge(document, gate_config()) == {
        "exit_code": 3,
        "status": "rejected tests",
        "reasons": ["2 tests raise coverage without asserting behaviour",
                    "pkg/a.py: mutation score 10.00% < minimum 90%"],
        "targets": {"pkg/a.py": {"status": "below threshold", "problems": ["mutation score 10.00% < minimum 90%"]}},
    }


def test_judge_target_without_mutants_passes_with_a_note():
    document = {"targets": [target(mutation_score=None, assertion_score=None)], "mutants": []}

    assert judge(document, gate_config(min_assertion_score=90)) == {
        "exit_code": 0, "status": "pass", "reasons": [],
        "targets": {"pkg/a.py": {"status": "pass", "problems": [], "note": "no mutants to measure"}},
    }
