"""The judge: exit 5 (unresolved) > 3 (rejected tests) > 2 (below a threshold) > 0."""

from mutation.verdicts.judge import judge
from tests.factories import gate_config

T1, T2 = "t.py::one", "t.py::two"

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


def test_judge_a_target_with_mutants_not_measured_skips_its_thresholds_with_the_reason():
    partial = {**target(mutation_score=10.0, assertion_score=0.0), "not_measured": 3}
    document = {"targets": [partial], "mutants": [mutant("pkg.a.f#1"), mutant("pkg.a.g#1", "not_measured")]}

    assert judge(document, gate_config(min_assertion_score=90)) == {
        "exit_code": 0, "status": "pass", "reasons": [],
        "targets": {"pkg/a.py": {"status": "pass", "problems": [], "note": "thresholds not applied: 3 mutants not "
                                 "measured (outside the --diff scope, no cached result)"}},
    }


def diff_document(*mutants, in_changed_lines=()):
    return {"targets": [target()], "mutants": list(mutants), "run": {"diff": {"in_changed_lines": list(in_changed_lines)}}}


def changed(id, status, line=4, diff="-a\n+b"):
    return {**mutant(id, status), "file": "pkg/a.py", "start_line": line, "diff": diff}


def test_judge_a_survivor_in_a_changed_line_exits_2_named_with_its_diff():
    document = diff_document(changed("pkg.a.f#1", "survived"), changed("pkg.a.f#2", "killed"),
                             changed("pkg.a.g#1", "survived", 9), in_changed_lines=["pkg.a.f#1", "pkg.a.f#2"])

    assert judge(document, gate_config()) == {
        "exit_code": 2, "status": "survivors in changed lines",
        "reasons": ["pkg.a.f#1 survives in a changed line (pkg/a.py:4):\n-a\n+b"],
        "targets": {"pkg/a.py": PASSING},
    }



def test_judge_a_mutant_no_test_executes_in_a_changed_line_exits_2_named_with_its_diff():
    document = diff_document(changed("pkg.a.f#1", "no_tests", diff="-x\n+y"), changed("pkg.a.f#2", "survived", 5),
                             changed("pkg.a.f#3", "timeout"), changed("pkg.a.g#1", "no_tests", 9),
                             in_changed_lines=["pkg.a.f#1", "pkg.a.f#2", "pkg.a.f#3"])

    assert judge(document, gate_config()) == {
        "exit_code": 2, "status": "survivors in changed lines",
        "reasons": ["pkg.a.f#1 is executed by no test in a changed line (pkg/a.py:4):\n-x\n+y",
                    "pkg.a.f#2 survives in a changed line (pkg/a.py:5):\n-a\n+b"],
        "targets": {"pkg/a.py": PASSING},
    }


def test_judge_a_mutant_no_test_executes_outside_the_changed_lines_passes():
    document = diff_document(changed("pkg.a.f#1", "no_tests"), changed("pkg.a.f#2", "killed"),
                             in_changed_lines=["pkg.a.f#2"])

    assert judge(document, gate_config()) == {
        "exit_code": 0, "status": "pass", "reasons": [], "targets": {"pkg/a.py": PASSING}}

def test_judge_rejected_tests_exit_3_before_a_survivor_in_a_changed_line():
    document = {**diff_document(changed("pkg.a.f#1", "survived"), in_changed_lines=["pkg.a.f#1"]),
                "rejected_tests": [T1]}

    assert judge(document, gate_config()) == {
        "exit_code": 3, "status": "rejected tests",
        "reasons": ["1 tests raise coverage without asserting behaviour",
                    "pkg.a.f#1 survives in a changed line (pkg/a.py:4):\n-a\n+b"],
        "targets": {"pkg/a.py": PASSING},
    }


def flaky(id="pkg.a.f#3"):
    return {"id": id, "status": "flaky", "reason": "flaky: survived then killed on a re-run", "file": "pkg/a.py",
            "start_line": 4, "flaky": {"runs": [{"status": "survived"}, {"status": "killed"}], "tests": [T1]}}


FLAKY_LINE = "pkg.a.f#3 is flaky (pkg/a.py:4): survived then killed; tests involved: t.py::one"


def test_judge_a_flaky_mutant_is_a_note_under_flaky_warn_the_default():
    document = {"targets": [target()], "mutants": [mutant("pkg.a.f#1"), flaky()]}

    assert judge(document, gate_config()) == {
        "exit_code": 0, "status": "pass", "reasons": [], "targets": {"pkg/a.py": PASSING}, "notes": [FLAKY_LINE],
    }


def test_judge_a_flaky_mutant_exits_7_under_flaky_fail():
    document = {"targets": [target()], "mutants": [mutant("pkg.a.f#1"), flaky()]}

    assert judge(document, gate_config(flaky="fail")) == {
        "exit_code": 7, "status": "flaky", "reasons": [FLAKY_LINE], "targets": {"pkg/a.py": PASSING},
    }


def test_judge_a_low_score_comes_before_a_flaky_mutant_and_keeps_it_as_a_reason():
    document = {"targets": [target(mutation_score=50.0)], "mutants": [flaky()]}

    verdict = judge(document, gate_config(flaky="fail"))
    assert (verdict["exit_code"], verdict["reasons"][-1]) == (2, FLAKY_LINE)
