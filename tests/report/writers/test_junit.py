"""The JUnit XML report: a suite per target, read back with junitparser as a CI test tab would."""

import xml.etree.ElementTree as ET

from junitparser import JUnitXml

from mutation.report.writers import junit
from mutation.verdicts.per_test import HINTS
from tests.factories import A_DIFF, T1, T2, gate_document, mutant_entry, per_test_entry
from tests.report.flaky import FLAKY_ID, flaky_document
from tests.report.hostile import HOSTILE_DIFF, HOSTILE_TEST, MARKERS, hostile_document

T3 = "tests/test_b.py::TestB::test_three"
COVERING_HINT = HINTS["covering"]


def two_targets():
    """pkg/a.py below its minimum (a survivor, an uncovered mutant, an exclusion), pkg/b.py passing;
    T3 executes both targets and kills nothing: rejected as covering."""
    mutants = [
        mutant_entry("pkg.a.f#1", "killed", covered_by=[T1, T3], killed_by=[(T1, "assertion")], line=2),
        mutant_entry("pkg.a.f#2", covered_by=[T1, T2, T3], line=3),
        mutant_entry("pkg.a.g#1", "timeout", function="g", covered_by=[T1], killed_by=[(T1, "timeout")], line=6),
        mutant_entry("pkg.a.g#2", "no_tests", function="g", line=7),
        mutant_entry("pkg.a.g#3", "excluded", function="g", line=7),
        mutant_entry("pkg.b.h#1", "killed", function="h", target="pkg/b.py", covered_by=[T2],
                     killed_by=[(T2, "assertion")]),
    ]
    tests = {
        T1: per_test_entry({"pkg/a.py": [2, 3, 6]}, kills=[("pkg.a.f#1", "assertion"), ("pkg.a.g#1", "timeout")]),
        T2: per_test_entry({"pkg/a.py": [3], "pkg/b.py": [2]}, kills=[("pkg.b.h#1", "assertion")]),
        T3: per_test_entry({"pkg/a.py": [1, 2, 3], "pkg/b.py": [1]}),
    }
    return gate_document(mutants, tests=tests)


def parse(document):
    return JUnitXml.fromstring(junit.render(document))


def cases(suite):
    """Each testcase as (classname, name, outcome, message, type); outcome None when it passed."""
    rows = []
    for case in suite:
        result = case.result[0] if case.result else None
        rows.append((case.classname, case.name, type(result).__name__.lower() if result else None,
                     result.message if result else None, result.type if result else None))
    return rows


def test_one_suite_per_target_its_counts_those_of_its_cases():
    report = parse(two_targets())

    assert [(suite.name, suite.tests, suite.failures, suite.errors, suite.skipped) for suite in report] == [
        ("pkg/a.py", 7, 4, 0, 1),
        ("pkg/b.py", 3, 1, 0, 0),
    ]
    assert (report.name, report.tests, report.failures, report.errors, report.skipped) == ("mutation-gate", 10, 5,
                                                                                          0, 1)


def test_a_target_suite_holds_its_verdict_survivors_summaries_and_rejected_tests():
    suite_a, suite_b = parse(two_targets())

    assert cases(suite_a) == [
        ("pkg.a", "score verdict", "failure", "below threshold: mutation score 50.00% < minimum 90%",
         "BelowThreshold"),
        ("pkg.a", "pkg.a.f#2 at pkg/a.py:3:14", "failure", "survived: pkg/a.py:3:14 in f", "SurvivedMutant"),
        ("pkg.a", "pkg.a.g#2 at pkg/a.py:7:14", "failure", "no test executes it: pkg/a.py:7:14 in g",
         "UncoveredMutant"),
        ("pkg.a", "f: detected mutants", None, None, None),
        ("pkg.a", "g: detected mutants", None, None, None),
        ("pkg.a", "unscored mutants", "skipped", "not scored: 1 excluded as equivalent, 0 rejected by the type "
                                                 "checker", None),
        ("tests.test_b", T3, "failure", f"rejected covering test: {COVERING_HINT}", "covering"),
    ]
    assert cases(suite_b) == [
        ("pkg.b", "score verdict", None, None, None),
        ("pkg.b", "h: detected mutants", None, None, None),
        ("tests.test_b", T3, "failure", f"rejected covering test: {COVERING_HINT}", "covering"),
    ]


def test_a_survivor_gives_its_diff_and_how_many_tests_executed_it():
    suite_a, _ = parse(two_targets())
    survivor = [case for case in suite_a if case.name == "pkg.a.f#2 at pkg/a.py:3:14"][0]

    assert survivor.result[0].text == f"{A_DIFF}\n\nexecuted by 3 tests, none failed"


def test_a_rejected_test_gives_its_hint_the_lines_it_executes_and_the_mutants_it_passed_under():
    suite_a, suite_b = parse(two_targets())
    texts = [case.result[0].text for suite in (suite_a, suite_b) for case in suite if case.name == T3]

    expected = (f"{COVERING_HINT}\nexecutes pkg/a.py:1-3\nexecutes pkg/b.py:1\n\n"
                f"passed under pkg.a.f#2 (survived, pkg/a.py:3:14):\n{A_DIFF}\n\n"
                f"passed under pkg.a.f#1 (killed, pkg/a.py:2:14):\n{A_DIFF}")
    assert texts == [expected, expected]


def test_the_verdict_case_reports_the_scores_and_counts():
    suite_a, suite_b = parse(two_targets())

    assert [list(suite)[0].system_out for suite in (suite_a, suite_b)] == [
        "mutation score 50.00% (minimum 90%), assertion score 25.00%, test strength 66.67%\n"
        "5 mutants: 1 killed, 1 timeout, 1 survived, 1 no tests, 0 type check, 1 excluded, 0 unresolved",
        "mutation score 100.00% (minimum 90%), assertion score 100.00%, test strength 100.00%\n"
        "1 mutants: 1 killed, 0 timeout, 0 survived, 0 no tests, 0 type check, 0 excluded, 0 unresolved",
    ]
    assert [(prop.name, prop.value) for prop in suite_a.properties()] == [
        ("mutation_score", "50"), ("assertion_score", "25"), ("test_strength", "66.67"), ("min_score", "90"),
        ("line_coverage", "100"), ("branch_coverage", "100"),
    ]


def test_detected_mutants_are_one_passing_case_per_function_with_its_counts():
    suite_a, _ = parse(two_targets())
    summaries = {case.name: case.system_out for case in suite_a if case.name.endswith(": detected mutants")}

    assert summaries == {"f: detected mutants": "1 of 2 mutants detected: 1 killed, 0 timeout",
                         "g: detected mutants": "1 of 3 mutants detected: 0 killed, 1 timeout"}


def test_a_rejected_test_that_reaches_no_target_has_a_suite_of_its_own():
    mutants = [mutant_entry("pkg.a.f#1", "killed", covered_by=[T1], killed_by=[(T1, "assertion")])]
    tests = {T1: per_test_entry({"pkg/a.py": [2]}, kills=[("pkg.a.f#1", "assertion")]), T2: per_test_entry()}
    report = parse(gate_document(mutants, tests=tests, reject=("not-covering",)))

    assert [(suite.name, suite.tests, suite.failures) for suite in report] == [("pkg/a.py", 2, 0),
                                                                              ("(no target)", 1, 1)]
    (case,) = list(report)[1]
    assert cases([case]) == [("tests.test_a", T2, "failure", f"rejected not-covering test: {HINTS['not-covering']}",
                              "not-covering")]
    assert case.result[0].text == HINTS["not-covering"]


def test_an_unresolved_mutant_is_an_error_and_its_target_below_the_minimum():
    mutants = [mutant_entry("pkg.a.f#1", "unresolved", covered_by=[T1], reason="the worker died")]
    tests = {T1: per_test_entry({"pkg/a.py": [2]})}
    (suite,) = parse(gate_document(mutants, tests=tests, reject=()))

    assert (suite.tests, suite.failures, suite.errors) == (2, 1, 1)
    assert cases(suite)[1] == ("pkg.a", "pkg.a.f#1 at pkg/a.py:2:14", "error",
                               "unresolved: pkg/a.py:2:14 in f: the worker died", "UnresolvedMutant")
    assert list(suite)[1].result[0].text == A_DIFF


def test_characters_xml_cannot_hold_are_stripped_and_tab_and_newline_kept():
    assert junit.clean("a\x00b\x08c\td\ne\x0b\x0c\x1bf\x7fg\ud800h\ufffe\uffffi") == "abc\td\nef\x7fghi"


def test_control_characters_in_a_diff_and_a_test_id_leave_parseable_xml():
    test = "tests/test_a.py::test_esc[\x1b[31m\x00]"
    diff = "--- pkg/a.py\n+++ pkg/a.py\n@@ -1 +1 @@\n-\tx = '\x07'\n+\tx = '\x1b\ud800'"
    mutants = [mutant_entry("pkg.a.f#1", covered_by=[test], diff=diff)]
    text = junit.render(gate_document(mutants, tests={test: per_test_entry({"pkg/a.py": [2]})}))

    root = ET.fromstring(text.encode("utf-8"))
    failures = {case.get("name"): case.find("failure").text for case in root.iter("testcase")
                if case.find("failure") is not None}
    assert list(failures) == ["score verdict", "pkg.a.f#1 at pkg/a.py:2:14", "tests/test_a.py::test_esc[[31m]"]
    assert failures["pkg.a.f#1 at pkg/a.py:2:14"] == ("--- pkg/a.py\n+++ pkg/a.py\n@@ -1 +1 @@\n-\tx = ''\n"
                                                       "+\tx = ''\n\nexecuted by 1 test, none failed")


def test_hostile_names_are_text_the_test_id_once_and_no_markup_unescaped():
    text = junit.render(hostile_document())

    root = ET.fromstring(text)
    values = [value for element in root.iter() for value in (element.text or "", *element.attrib.values())]
    assert sum(value.count(HOSTILE_TEST) for value in values) == 1
    assert [case.get("name") for case in root.iter("testcase") if case.get("classname") == "tests.test_a"] == [
        HOSTILE_TEST]
    assert "<img" not in text
    assert [marker for marker in MARKERS if marker in text] == []
    survivor = [case for case in root.iter("testcase") if case.get("name") == "pkg.a.g#1 at pkg/a.py:7:14"][0]
    assert survivor.find("failure").text == f"{HOSTILE_DIFF}\n\nexecuted by 1 test, none failed"


FLAKY_CASE = f"{FLAKY_ID} at pkg/a.py:4:14"
FLAKY_MESSAGE = f"flaky: pkg/a.py:4:14 in f: survived then killed; tests involved: {T1}"
FLAKY_TEXT = (f"{A_DIFF}\n\nfirst run: survived, 2 tests ran, none failed\nre-run: killed by {T1} (assertion)\n"
              "never counted as detected: make the tests involved deterministic")


def test_under_flaky_warn_a_flaky_mutant_is_a_skipped_case_naming_both_runs_and_the_tests_involved():
    suite_a, _ = parse(flaky_document("warn"))

    assert (suite_a.tests, suite_a.failures, suite_a.skipped) == (4, 1, 1)
    (case,) = [case for case in suite_a if case.name == FLAKY_CASE]
    assert cases([case]) == [("pkg.a", FLAKY_CASE, "skipped", FLAKY_MESSAGE, None)]
    assert case.result[0].text == FLAKY_TEXT


def test_under_flaky_fail_a_flaky_mutant_is_a_failure_of_its_own_type():
    report = parse(flaky_document("fail"))
    suite_a, _ = report

    assert (report.failures, report.skipped, suite_a.failures, suite_a.skipped) == (2, 0, 2, 0)
    (case,) = [case for case in suite_a if case.name == FLAKY_CASE]
    assert cases([case]) == [("pkg.a", FLAKY_CASE, "failure", FLAKY_MESSAGE, "FlakyMutant")]
    assert case.result[0].text == FLAKY_TEXT


def test_a_flaky_mutant_is_counted_apart_in_the_verdict_case_and_not_among_the_detected():
    suite_a, suite_b = parse(flaky_document())
    outputs = {case.name: case.system_out for case in suite_a}

    assert outputs["score verdict"].splitlines()[1] == ("3 mutants: 1 killed, 0 timeout, 1 survived, 0 no tests, "
                                                        "0 type check, 0 excluded, 0 unresolved, 1 flaky")
    assert outputs["f: detected mutants"] == "1 of 3 mutants detected: 1 killed, 0 timeout"
    assert list(suite_b)[0].system_out.endswith(", 0 unresolved")  # no flaky mutant there: no count
