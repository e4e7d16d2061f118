"""A mutant outside a --diff scope without a cached result (`not_measured`) in every report: never
counted as killed or survived, in no score, and said to be not measured."""

import json

from junitparser import JUnitXml

from mutation.collect.diff_run import NOT_MEASURED_REASON
from mutation.report.writers import junit, markdown, sarif, stryker, terminal
from tests.factories import T1, gate_document, mutant_entry


def partial_run():
    return gate_document([
        mutant_entry("pkg.a.f#1", "killed", covered_by=[T1], killed_by=[(T1, "assertion")], line=2),
        mutant_entry("pkg.a.g#1", "not_measured", function="g", covered_by=[T1], reason=NOT_MEASURED_REASON, line=6),
        mutant_entry("pkg.a.g#2", "not_measured", function="g", reason=NOT_MEASURED_REASON, line=7),
    ])


def test_the_scores_leave_it_out_and_the_target_skips_its_threshold():
    document = partial_run()

    target = document["targets"][0]
    assert (target["mutants"], target["killed"], target["survived"], target["not_measured"],
            target["mutation_score"]) == (3, 1, 0, 2, 100.0)
    assert document["verdict"]["targets"]["pkg/a.py"]["note"] == (
        "thresholds not applied: 2 mutants not measured (outside the --diff scope, no cached result)")


def test_stryker_ignores_it_with_the_reason():
    report = stryker.report(partial_run())

    mutants = {mutant["id"]: mutant for entry in report["files"].values() for mutant in entry["mutants"]}
    assert {mutant_id: (mutant["status"], mutant.get("statusReason")) for mutant_id, mutant in mutants.items()} == {
        "pkg.a.f#1": ("Killed", f"assertion failed in {T1}"),
        "pkg.a.g#1": ("Ignored", "not measured: outside the --diff scope"),
        "pkg.a.g#2": ("Ignored", "not measured: outside the --diff scope"),
    }


def test_junit_skips_it_in_one_case():
    suite = next(iter(JUnitXml.fromstring(junit.render(partial_run()))))

    skipped = [(case.name, case.result[0].message) for case in suite if case.result]
    assert skipped == [("mutants not measured", "not measured: 2 mutants outside the --diff scope, no result")]


def test_sarif_reports_no_result_for_it():
    log = json.loads(sarif.render(partial_run()))

    assert [result["properties"]["mutant"] for result in log["runs"][0]["results"]
            if "mutant" in result.get("properties", {})] == []


def test_terminal_and_markdown_say_how_many_were_not_measured():
    document = partial_run()

    assert "  pkg/a.py: 2 mutants not measured (outside the --diff scope), in no score" in (
        terminal.render(document).split("\n"))
    assert "2 mutants not measured (outside the `--diff` scope), in no score." in markdown.render(document).split("\n")


def test_a_survivor_in_a_changed_line_is_an_error_in_sarif_and_github_annotations():
    from mutation.report import github

    document = gate_document([mutant_entry("pkg.a.f#1", "survived", covered_by=[T1], line=2),
                              mutant_entry("pkg.a.f#2", "survived", covered_by=[T1], line=3)], min_score=0.0)
    document["run"]["diff"] = {"base": "HEAD", "measured": 2, "widened": [], "changed_tests": {},
                               "in_changed_lines": ["pkg.a.f#2"]}

    log = json.loads(sarif.render(document))
    levels = {result["properties"]["mutant"]: result["level"] for result in log["runs"][0]["results"]
              if "mutant" in result.get("properties", {})}
    assert levels == {"pkg.a.f#1": "warning", "pkg.a.f#2": "error"}
    assert [(line.split(" ", 1)[0], line.split("surviving mutant ", 1)[1].split("::", 1)[0])
            for line in github.annotations(document) if "surviving mutant" in line] == [
        ("::warning", "pkg.a.f#1"), ("::error", "pkg.a.f#2")]
    assert "meets its minimum; it survives in a line the --diff change holds" in github.annotations(document)[2]
