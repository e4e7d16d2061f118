"""A --diff run's mutant in a changed line that no test executes fails the PR rule: an error in
SARIF whatever its target's standing, like a survivor there; outside the changed lines a warning."""

import json

from mutation.report.writers import sarif
from tests.factories import T1, gate_document, mutant_entry


def test_a_mutant_no_test_executes_in_a_changed_line_is_an_error_in_sarif():
    document = gate_document([mutant_entry("pkg.a.f#1", "no_tests", line=2),
                              mutant_entry("pkg.a.f#2", "no_tests", line=3),
                              mutant_entry("pkg.a.f#3", "killed", covered_by=[T1], killed_by=[(T1, "assertion")],
                                           line=4)], min_score=0.0)
    document["run"]["diff"] = {"base": "HEAD", "measured": 3, "widened": [], "changed_tests": {},
                               "in_changed_lines": ["pkg.a.f#2", "pkg.a.f#3"]}

    log = json.loads(sarif.render(document))

    assert [(result["ruleId"], result["properties"]["mutant"], result["level"]) for result in log["runs"][0]["results"]
            if "mutant" in result.get("properties", {})] == [
        ("uncovered-mutant", "pkg.a.f#1", "warning"), ("uncovered-mutant", "pkg.a.f#2", "error")]
