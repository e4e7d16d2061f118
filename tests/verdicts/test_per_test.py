"""Per-test verdicts on small hand-built gate documents: each test's class, kill counts, unique kills,
redundancy, the evidence shown against it, and whether it is rejected."""

from mutation.verdicts.per_test import CHANGED_HINT, HINTS, classify_tests
from tests.factories import mutant_entry

STRONG, CRASHER, RUNNER, BYSTANDER = "t.py::strong", "t.py::crasher", "t.py::runner", "t.py::bystander"


def mutant(mutant_id, status, covered_by, killed_by=(), function="f", line=1):
    return mutant_entry(mutant_id, status, function=function, target="m.py", covered_by=covered_by,
                        killed_by=killed_by, line=line, diff=f"--- m.py\n+++ m.py\n-a\n+diff of {mutant_id}")


def document(mutants):
    tests = {test: {"duration": 0.1, "target_lines": {}, "kills": []} for test in (STRONG, CRASHER, RUNNER, BYSTANDER)}
    tests[STRONG]["target_lines"] = {"m.py": [1, 2]}
    tests[RUNNER]["target_lines"] = {"m.py": [1]}
    for entry in mutants:
        for kill in entry["killed_by"]:
            tests[kill["test"]]["kills"].append({"mutant": entry["id"], "kind": kill["kind"]})
    return {"mutants": mutants, "tests": tests}


MUTANTS = [
    mutant("m.f#1", "killed", [STRONG, CRASHER, RUNNER], [(STRONG, "assertion"), (CRASHER, "crash")], line=1),
    mutant("m.f#2", "killed", [STRONG, CRASHER], [(STRONG, "assertion")], line=2),
    mutant("m.g#1", "timeout", [CRASHER, RUNNER], [(CRASHER, "timeout")], function="g", line=5),
    mutant("m.g#2", "survived", [STRONG, RUNNER], function="g", line=6),
    mutant("m.h#1", "excluded", [RUNNER], function="h", line=9),
]


def test_each_test_gets_its_class_counts_and_rejection():
    verdicts = classify_tests(document(MUTANTS), reject=("covering", "crash-only"), waivers={})

    summary = {
        test: (v["class"], v["mutants_covered"], v["killed_by_assertion"], v["killed_by_crash"], v["killed_by_timeout"],
               v["unique_kills"], v["redundant"], v["rejected"])
        for test, v in verdicts.items()
    }
    assert summary == {
        STRONG: ("killing", 3, 2, 0, 0, 2, False, False),
        CRASHER: ("crash-only", 3, 0, 1, 1, 1, False, False),  # what it let through, another test detects
        RUNNER: ("covering", 3, 0, 0, 0, 0, False, True),
        BYSTANDER: ("not-covering", 0, 0, 0, 0, 0, False, False),
    }
    assert verdicts[RUNNER]["hint"] == HINTS["covering"]
    assert verdicts[BYSTANDER]["hint"] == HINTS["not-covering"]


def test_unnoticed_mutants_list_survivors_first():
    verdicts = classify_tests(document(MUTANTS), reject=(), waivers={})

    assert verdicts[RUNNER]["unnoticed"] == ["m.g#2", "m.f#1", "m.g#1"]
    assert verdicts[CRASHER]["unnoticed"] == ["m.f#2"]
    assert verdicts[STRONG]["unnoticed"] == ["m.g#2"]


def test_an_assertion_kill_stays_unique_when_others_only_crash_on_that_mutant():
    mixed = [mutant("m.f#1", "killed", [STRONG, CRASHER], [(STRONG, "assertion"), (CRASHER, "crash")])]

    verdicts = classify_tests(document(mixed), reject=(), waivers={})

    assert (verdicts[STRONG]["unique_kills"], verdicts[STRONG]["redundant"]) == (1, False)
    assert (verdicts[CRASHER]["unique_kills"], verdicts[CRASHER]["redundant"]) == (0, True)


def test_a_credit_pass_kill_counts_for_the_test_like_a_session_kill():
    late = mutant("m.f#1", "killed", [STRONG, RUNNER], [(STRONG, "assertion")])
    late["credited_by"] = [{"test": RUNNER, "kind": "assertion"}]
    built = document([late])
    built["tests"][RUNNER]["kills"].append({"mutant": "m.f#1", "kind": "assertion"})

    verdicts = classify_tests(built, reject=(), waivers={})

    assert (verdicts[RUNNER]["class"], verdicts[RUNNER]["killed_by_assertion"]) == ("killing", 1)
    assert (verdicts[STRONG]["unique_kills"], verdicts[STRONG]["redundant"]) == (0, True)


def test_a_test_whose_kills_all_have_other_killers_is_redundant():
    shared = [mutant("m.f#1", "killed", [STRONG, CRASHER], [(STRONG, "assertion"), (CRASHER, "assertion")])]

    verdicts = classify_tests(document(shared), reject=(), waivers={})

    assert (verdicts[STRONG]["redundant"], verdicts[STRONG]["unique_kills"]) == (True, 0)
    assert (verdicts[CRASHER]["redundant"], verdicts[CRASHER]["class"]) == (True, "killing")


def test_waived_and_unrejected_classes_are_not_rejected():
    verdicts = classify_tests(document(MUTANTS), reject=("covering", "not-covering"), waivers={RUNNER: "smoke test"})

    assert {test: (v["rejected"], v["waiver"]) for test, v in verdicts.items()} == {
        STRONG: (False, None), CRASHER: (False, None), RUNNER: (False, "smoke test"), BYSTANDER: (True, None),
    }


def test_a_crash_only_test_that_noticed_every_mutant_it_ran_under_is_not_rejected():
    everything_crashes = [
        mutant("m.f#1", "killed", [STRONG, CRASHER], [(STRONG, "assertion"), (CRASHER, "crash")]),
        mutant("m.f#2", "killed", [CRASHER], [(CRASHER, "crash")], line=2),
    ]

    verdict = classify_tests(document(everything_crashes), reject=("covering", "crash-only"), waivers={})[CRASHER]

    assert (verdict["class"], verdict["let_through"], verdict["rejected"], verdict["hint"]) == ("crash-only", 0, False, "")


def test_a_crash_only_test_whose_let_through_mutants_others_detect_is_not_rejected():
    verdict = classify_tests(document(MUTANTS), reject=("crash-only",), waivers={})[CRASHER]

    assert (verdict["let_through"], verdict["unnoticed"], verdict["rejected"]) == (1, ["m.f#2"], False)


def test_a_crash_only_test_that_let_a_survivor_through_is_rejected_with_it_as_evidence():
    mutants = [*MUTANTS[:3], mutant("m.g#2", "survived", [STRONG, RUNNER, CRASHER], function="g", line=6)]

    verdict = classify_tests(document(mutants), reject=("crash-only",), waivers={})[CRASHER]

    assert (verdict["let_through"], verdict["unnoticed"], verdict["rejected"]) == (2, ["m.g#2", "m.f#2"], True)


def test_a_case_of_a_parametrized_test_is_not_rejected_when_another_case_of_its_body_asserts():
    case_a, case_b, other = "t.py::test_p[a]", "t.py::test_p[b]", "t.py::test_q"
    mutants = [mutant("m.f#1", "killed", [case_a, case_b, other], [(case_a, "assertion")])]
    tests = {test: {"duration": 0.1, "body": body, "target_lines": {"m.py": [1]}, "kills": []}
             for test, body in ((case_a, "t.py:4"), (case_b, "t.py:4"), (other, "t.py:9"))}
    tests[case_a]["kills"] = [{"mutant": "m.f#1", "kind": "assertion"}]

    verdicts = classify_tests({"mutants": mutants, "tests": tests}, reject=("covering",), waivers={})

    assert {test: (v["class"], v["body_asserts"], v["rejected"]) for test, v in verdicts.items()} == {
        case_a: ("killing", False, False),
        case_b: ("covering", True, False),
        other: ("covering", False, True),
    }


def test_a_crash_only_test_whose_body_asserts_nothing_is_rejected_on_any_let_through_mutant():
    silent = document(MUTANTS)
    silent["tests"][CRASHER]["asserts"] = False

    verdict = classify_tests(silent, reject=("crash-only",), waivers={})[CRASHER]

    assert (verdict["class"], verdict["unnoticed"], verdict["rejected"]) == ("crash-only", ["m.f#2"], True)


def test_a_changed_test_that_is_not_killing_is_rejected_by_the_diff_rule_unless_waived():
    reject = ("covering",)

    verdicts = classify_tests(document(MUTANTS), reject=(), waivers={}, changed={STRONG: "is new", CRASHER: "is new"})
    waived = classify_tests(document(MUTANTS), reject=reject, waivers={CRASHER: "w"}, changed={CRASHER: "is new"})

    assert (verdicts[STRONG]["rejected"], verdicts[CRASHER]["rejected"], verdicts[RUNNER]["rejected"]) == (
        False, True, False)
    assert verdicts[CRASHER]["hint"] == CHANGED_HINT + HINTS["crash-only"]
    assert waived[CRASHER]["rejected"] is False


def test_a_test_covering_a_mutant_not_measured_is_never_not_covering_and_rejected_only_as_changed():
    partial = [*MUTANTS, mutant("m.k#1", "not_measured", [RUNNER, BYSTANDER], function="k", line=12)]

    verdicts = classify_tests(document(partial), reject=("covering", "not-covering"), waivers={})
    changed = classify_tests(document(partial), reject=(), waivers={}, changed={RUNNER: "changed at line 3"})

    assert {test: (v["class"], v["rejected"]) for test, v in verdicts.items()} == {
        STRONG: ("killing", False), CRASHER: ("crash-only", False), RUNNER: ("covering", False),
        BYSTANDER: ("covering", False),
    }
    assert changed[RUNNER]["rejected"] is True
