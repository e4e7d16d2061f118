"""The SARIF 2.1.0 report: checked against the OASIS schema, findings on their exact regions."""

import hashlib
import json

import pytest

from mutation.report.writers import sarif
from mutation.verdicts.per_test import HINTS
from tests.factories import A_DIFF, T1, T2, gate_document, mutant_entry, per_test_entry
from tests.report.hostile import HOSTILE_DIFF, HOSTILE_TEST, hostile_document
from tests.report.sarif_schema import check_sarif

T3 = "tests/test_b.py::TestB::test_three"
T4 = "tests/test_b.py::test_four"
SOURCE = "def f(x):\n    return x + 1\n"


def located(mutant, start_column=11, end_column=16):
    """`mutant` on `x + 1` of SOURCE's line 2 (libcst columns: 0-based, end exclusive)."""
    return {**mutant, "start_column": start_column, "end_column": end_column}


def findings():
    """pkg/a.py below its minimum with a survivor, pkg/b.py passing with one; T2 never reaches a
    target (warned), T3 is rejected as covering, T4 covering but waived."""
    mutants = [
        mutant_entry("pkg.a.f#1", "killed", covered_by=[T1], killed_by=[(T1, "assertion")]),
        located(mutant_entry("pkg.a.f#2", covered_by=[T3])),
        mutant_entry("pkg.b.h#1", "killed", function="h", target="pkg/b.py", covered_by=[T1],
                     killed_by=[(T1, "assertion")]),
        mutant_entry("pkg.b.h#2", "killed", function="h", target="pkg/b.py", covered_by=[T1],
                     killed_by=[(T1, "assertion")]),
        mutant_entry("pkg.b.h#3", function="h", target="pkg/b.py", covered_by=[T4], line=5),
    ]
    tests = {
        T1: per_test_entry({"pkg/a.py": [2], "pkg/b.py": [2]},
                           kills=[("pkg.a.f#1", "assertion"), ("pkg.b.h#1", "assertion"), ("pkg.b.h#2", "assertion")]),
        T2: {**per_test_entry(), "body": "tests/test_a.py:20"},
        T3: {**per_test_entry({"pkg/a.py": [1, 2, 3, 5]}), "body": "tests/test_b.py:12"},
        T4: per_test_entry({"pkg/b.py": [5]}),
    }
    return gate_document(mutants, tests=tests, min_score=60.0, sources={"pkg/a.py": SOURCE},
                         waivers={T4: "tracked in #12"})


def log_of(document):
    return json.loads(sarif.render(document))


def run_of(document):
    (run,) = log_of(document)["runs"]
    return run


def location(result):
    place = result["locations"][0]["physicalLocation"]
    return place["artifactLocation"]["uri"], place.get("region")


def test_every_log_matches_the_sarif_schema():
    for document in (findings(), hostile_document()):
        check_sarif(sarif.render(document))


def test_the_schema_check_names_the_first_errors_and_where_they_are():
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"ruleId": "x"}]}]}

    with pytest.raises(AssertionError) as error:
        check_sarif(json.dumps(broken))

    assert str(error.value).splitlines()[0] == ("2 SARIF schema errors, first: runs/0/results/0: 'message' is a "
                                               "required property; runs/0/tool/driver: 'name' is a required property")


def test_the_driver_names_the_gate_its_version_and_one_rule_per_kind_of_finding():
    driver = run_of(findings())["tool"]["driver"]

    assert (driver["name"], driver["version"], "informationUri" in driver) == ("mutation-gate", "unknown", False)
    assert [(rule["id"], rule["defaultConfiguration"]["level"]) for rule in driver["rules"]] == [
        ("surviving-mutant", "warning"), ("uncovered-mutant", "warning"), ("unresolved-mutant", "error"),
        ("flaky-mutant", "warning"), ("weak-test/covering", "error"), ("weak-test/crash-only", "error"), ("weak-test/not-covering", "error"),
    ]
    assert [rule["help"]["text"] for rule in driver["rules"][4:]] == [
        HINTS[name].capitalize() + "." for name in ("covering", "crash-only", "not-covering")]


def test_a_version_recorded_in_the_report_is_the_drivers():
    document = findings()
    document["run"]["tool_versions"]["mutation-gate"] = "9.9.9"

    assert run_of(document)["tool"]["driver"]["version"] == "9.9.9"


def test_results_and_their_levels_follow_the_verdict():
    run = run_of(findings())

    assert [(result["ruleId"], result["ruleIndex"], result["level"], location(result))
            for result in run["results"]] == [
        ("surviving-mutant", 0, "error", ("pkg/a.py", {"startLine": 2, "startColumn": 12, "endLine": 2,
                                                       "endColumn": 17})),
        ("surviving-mutant", 0, "warning", ("pkg/b.py", {"startLine": 5, "startColumn": 14, "endLine": 5,
                                                         "endColumn": 19})),
        ("weak-test/not-covering", 6, "note", ("tests/test_a.py", {"startLine": 20})),
        ("weak-test/covering", 4, "error", ("tests/test_b.py", {"startLine": 12})),
        ("weak-test/covering", 4, "note", ("tests/test_b.py", None)),
    ]
    assert [result.get("suppressions") for result in run["results"]] == [
        None, None, None, None, [{"kind": "external", "status": "accepted", "justification": "tracked in #12"}]]


def test_a_flaky_mutant_is_a_warning_naming_its_two_runs():
    document = findings()
    flaky = next(mutant for mutant in document["mutants"] if mutant["status"] == "survived"
                 and mutant["target"] not in {path for path, verdict in document["verdict"]["targets"].items()
                                              if verdict["status"] == "below threshold"})
    flaky.update(status="flaky", reason="flaky: survived then killed on a re-run (tests involved: t::one)")

    (result,) = [result for result in run_of(document)["results"] if result["ruleId"] == "flaky-mutant"]
    assert (result["ruleIndex"], result["level"]) == (3, "warning")
    assert result["message"]["text"].startswith("flaky: survived then killed on a re-run (tests involved: t::one) (")


def test_a_survivor_region_is_its_libcst_span_made_one_based():
    run = run_of(findings())
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = SOURCE.splitlines()[region["startLine"] - 1]

    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "x + 1"
    assert run["columnKind"] == "unicodeCodePoints"


def test_a_survivor_message_gives_the_covering_test_count_and_the_diff():
    result = run_of(findings())["results"][0]

    assert result["message"] == {
        "text": f"survived: 1 test executes this code and none fails when it changes (mutant pkg.a.f#2 in f)."
                f"\n\n{A_DIFF}",
        "markdown": f"**survived: 1 test executes this code and none fails when it changes** (mutant `pkg.a.f#2` "
                    f"in `f`).\n\n```diff\n{A_DIFF}\n```",
    }
    assert result["locations"][0]["logicalLocations"] == [{"name": "f", "kind": "function",
                                                           "fullyQualifiedName": "pkg.a.f"}]
    assert result["properties"] == {"mutant": "pkg.a.f#2", "status": "survived", "target": "pkg/a.py",
                                    "coveringTests": 1}


def test_a_rejected_test_is_at_its_function_related_to_the_mutants_it_passed_and_lines_it_ran():
    result = run_of(findings())["results"][3]

    assert result["message"]["text"] == (f"covering test (rejected): {HINTS['covering']}\n\n{T3}\n\n"
                                         f"passed under pkg.a.f#2 (survived) at pkg/a.py:2:\n{A_DIFF}")
    assert [(related["id"], related["physicalLocation"]["artifactLocation"]["uri"],
             related["physicalLocation"]["region"], related["message"]["text"])
            for related in result["relatedLocations"]] == [
        (1, "pkg/a.py", {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 17},
         "passed under mutant pkg.a.f#2 (survived)"),
        (2, "pkg/a.py", {"startLine": 1, "endLine": 3}, "executes lines 1-3"),
        (3, "pkg/a.py", {"startLine": 5, "endLine": 5}, "executes lines 5"),
    ]
    assert result["properties"] == {"test": T3, "class": "covering", "rejected": True, "unnoticed": ["pkg.a.f#2"]}


def test_a_test_only_warned_or_waived_says_why_it_was_not_rejected():
    results = run_of(findings())["results"]

    assert [results[2]["message"]["text"], results[4]["message"]["text"].split("\n\n")[0]] == [
        f"not-covering test (not rejected: its class is not in [mutation_gate] reject): {HINTS['not-covering']}"
        f"\n\n{T2}",
        f"covering test (waived: tracked in #12): {HINTS['covering']}",
    ]
    assert "relatedLocations" not in results[2]


def test_a_mutant_fingerprint_is_its_file_function_and_changed_lines_not_its_line_numbers():
    moved_diff = A_DIFF.replace("@@ -1,2 +1,2 @@", "@@ -6,2 +6,2 @@")
    here = run_of(gate_document([mutant_entry("pkg.a.f#2", line=2)]))["results"][0]
    moved = run_of(gate_document([mutant_entry("pkg.a.f#5", line=7, diff=moved_diff)]))["results"][0]
    other = run_of(gate_document([mutant_entry("pkg.a.f#2", diff=A_DIFF.replace("x - 1", "x * 1"))]))["results"][0]

    digest = hashlib.sha256("pkg/a.py\0f\0-    return x + 1\0+    return x - 1".encode()).hexdigest()[:32]
    assert here["partialFingerprints"] == moved["partialFingerprints"] == {"mutantChange/v1": f"{digest}:1"}
    assert other["partialFingerprints"]["mutantChange/v1"] != f"{digest}:1"


def test_two_mutants_making_the_same_change_are_told_apart_by_their_order():
    results = run_of(gate_document([mutant_entry("pkg.a.f#1"), mutant_entry("pkg.a.f#2", line=5)]))["results"]

    assert [result["partialFingerprints"]["mutantChange/v1"][-2:] for result in results] == [":1", ":2"]


def test_a_test_fingerprint_is_a_digest_of_its_id():
    result = run_of(findings())["results"][3]

    assert result["partialFingerprints"] == {"testId/v1": hashlib.sha256(T3.encode()).hexdigest()[:32]}


def test_paths_are_uri_references_under_the_project_root():
    document = gate_document([mutant_entry("pkg.a.f#1", target="pkg/my module%.py")])
    document["run"]["config"]["project_root"] = "/work/my project"
    run = run_of(document)

    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "pkg/my%20module%25.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///work/my%20project/"
    check_sarif(sarif.render(document))


def test_a_report_without_an_absolute_project_root_describes_the_base_without_a_uri():
    assert run_of(findings())["originalUriBaseIds"] == {
        "%SRCROOT%": {"description": {"text": "the project root: every path of the report is relative to it"}}}


def test_a_diff_holding_backtick_fences_gets_a_longer_fence_in_markdown():
    diff = A_DIFF.replace("x - 1", "x  # ```python`")
    result = run_of(gate_document([mutant_entry("pkg.a.f#1", diff=diff)]))["results"][0]

    assert result["message"]["markdown"].split("\n\n", 1)[1] == f"````diff\n{diff}\n````"
    assert sarif.code("a`b") == "``a`b``"
    assert sarif.code("`x") == "`` `x ``"


def test_the_run_gives_the_verdict():
    assert run_of(findings())["properties"] == {
        "verdict": "rejected tests", "exitCode": 3,
        "reasons": ["1 tests raise coverage without asserting behaviour", "pkg/a.py: mutation score 50.00% < minimum 60%"],
        "mutationScore": 60.0, "assertionScore": 60.0,
    }


def test_hostile_names_and_diffs_round_trip_exactly():
    results = run_of(hostile_document())["results"]
    (weak,) = [result for result in results if result["ruleId"] == "weak-test/covering"]
    survivor = [result for result in results if result["properties"].get("mutant") == "pkg.a.g#1"][0]

    assert weak["properties"]["test"] == HOSTILE_TEST
    assert weak["message"]["text"].split("\n\n")[1] == HOSTILE_TEST
    assert weak["message"]["markdown"].split("\n\n")[1] == f"`{HOSTILE_TEST}`"
    assert survivor["message"]["text"].split("\n\n", 1)[1] == HOSTILE_DIFF
