"""The evidence document: every measured value of a run in the shape of gate.json, before any verdict."""

import dataclasses

from mutation.collect.coverage_map import FileCoverage
from mutation.collect.exclusions import Exclusions
from mutation.collect.outcomes import Kill
from mutation.collect.preflight import PreflightResult
from mutation.collect.targets import Target
from mutation.engine.unmutable import BlindSpot
from mutation.model import KillKind
from mutation.report.document import Evidence, build
from mutation.report.store import problem
from mutation.verdicts.apply import apply_verdicts
from tests.factories import T1, T2, gate_config, killed, mutant, outcome

MUTANTS = [mutant("pkg.mod.x_f__mutmut_1"), mutant("pkg.mod.x_f__mutmut_2", mutated_text="return x + 2")]
CONFIG = gate_config()


def evidence(**changes):
    values = dict(
        config=CONFIG,
        targets=[Target("pkg/mod.py", 90.0, ("pkg/mod.py",))],
        mutants=MUTANTS,
        outcomes={"pkg.mod.x_f__mutmut_1": killed((T1, "assertion"), ran=[T1, T2]),
                  "pkg.mod.x_f__mutmut_2": outcome("survived", ran=[T2])},
        covered_by={"pkg.mod.x_f__mutmut_1": [T1, T2], "pkg.mod.x_f__mutmut_2": [T2]},
        coverage={"pkg/mod.py": FileCoverage("pkg/mod.py", frozenset({1, 2, 3}), frozenset({1, 2}),
                                             {1: {T1, T2}, 2: {T2}}, 4, 1)},
        preflight=PreflightResult((T1, T2), {T1: 0.25, T2: 0.5}, ".coverage", 3.0,
                                  bodies={T1: "tests/test_a.py:3", T2: "tests/test_a.py:7"}, silent=frozenset({T2})),
        exclusions=Exclusions(),
        unmutated=[BlindSpot("pkg/mod.py", 9, "module statement", "TABLE")],
        sources={"pkg/mod.py": "def f(x):\n    return x + 1\n"},
        test_sources={"tests/test_a.py": "def test_one():\n    assert True\n"},
        tool_versions={"python": "3.11.7", "mutmut": "3.8.1"},
        system={"ci": False, "os": {"platform": "linux"}, "cpu": {"logicalCores": 2}},
    )
    return Evidence(**{**values, **changes})


def test_each_mutant_carries_its_location_outcome_and_tests():
    entry = build(evidence())["mutants"][0]

    assert {key: entry[key] for key in ("id", "mutmut_name", "target", "file", "function", "status", "reason",
                                        "killed_by", "covered_by", "tests_run", "mutated_text")} == {
        "id": "pkg.mod.f#1", "mutmut_name": "pkg.mod.x_f__mutmut_1", "target": "pkg/mod.py", "file": "pkg/mod.py",
        "function": "f", "status": "killed", "reason": "", "killed_by": [{"test": T1, "kind": "assertion"}],
        "covered_by": [T1, T2], "tests_run": [T1, T2], "mutated_text": "return x - 1",
    }


def test_credit_pass_kills_are_kept_apart_from_the_sessions_and_count_for_the_test():
    credited = dataclasses.replace(killed((T1, "assertion"), ran=[T1, T2]), credited_by=(Kill(T2, KillKind.CRASH),))
    document = build(evidence(outcomes={**evidence().outcomes, "pkg.mod.x_f__mutmut_1": credited}))

    entry = document["mutants"][0]
    assert (entry["killed_by"], entry["credited_by"]) == ([{"test": T1, "kind": "assertion"}],
                                                          [{"test": T2, "kind": "crash"}])
    assert document["tests"][T2]["kills"] == [{"mutant": "pkg.mod.f#1", "kind": "crash"}]


def test_targets_carry_their_files_and_coverage():
    assert build(evidence())["targets"] == [{
        "path": "pkg/mod.py", "files": ["pkg/mod.py"], "min_score": 90.0, "line_coverage": 66.67, "branch_coverage": 25.0,
    }]


def test_tests_carry_their_duration_target_lines_and_kills():
    assert build(evidence())["tests"] == {
        T1: {"duration": 0.25, "body": "tests/test_a.py:3", "asserts": True, "target_lines": {"pkg/mod.py": [1]}, "kills": [{"mutant": "pkg.mod.f#1", "kind": "assertion"}]},
        T2: {"duration": 0.5, "body": "tests/test_a.py:7", "asserts": False, "target_lines": {"pkg/mod.py": [1, 2]}, "kills": []},
    }


def test_the_run_files_and_unmutated_code_are_recorded():
    document = build(evidence())

    assert (document["schema_version"], document["state"], document["run"]["tool_versions"],
            document["run"]["preflight_seconds"]) == (2, "finished", {"python": "3.11.7", "mutmut": "3.8.1"}, 3.0)
    assert document["run"]["config"]["targets"] == []
    assert document["run"]["system"] == {"ci": False, "os": {"platform": "linux"}, "cpu": {"logicalCores": 2}}
    assert document["files"] == {"pkg/mod.py": {"target": "pkg/mod.py", "source": "def f(x):\n    return x + 1\n"}}
    assert document["test_files"] == {"tests/test_a.py": "def test_one():\n    assert True\n"}
    assert document["unmutated"] == [{"file": "pkg/mod.py", "line": 9, "kind": "module statement", "name": "TABLE"}]


def test_with_its_verdicts_the_document_matches_the_schema():
    assert problem(apply_verdicts(build(evidence()), CONFIG, {})) is None
