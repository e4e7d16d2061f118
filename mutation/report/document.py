"""`gate.json`: the one document a run produces; every verdict, report and inspection reads it.

This module builds the evidence part from what the collect stage measured; the verdicts stage
adds the rest (`verdicts.apply`). Schema (version 2, `gate.schema.json` beside this module):
`state` ("finished"; a run without a verdict writes a `report.run_state` document instead), `run`
(tool versions, the machine, configuration, seconds per phase, the result cache's path, reused
and measured counts and note), `targets` (files, line and branch coverage,
then counts and the three scores), `mutants` (location, diff, status, killers, covering tests,
the tests that ran under it), `tests` (target lines each test executes, mutants it kills, then
its verdict), `unmutated` (code the engine cannot mutate), `exclusions` (equivalent mutants and
their reasons), `files` (each mutated file's target and source), `test_files` (each test file's
source; absent in reports written before it); then `overall`, `functions`,
`rejected_tests` and `verdict`.
"""

import dataclasses
from datetime import datetime, timezone

from mutation.collect.reverify import tests_involved
from mutation.model import MutantStatus, entry_kills, percent

SCHEMA_VERSION = 2


@dataclasses.dataclass(frozen=True)
class Evidence:
    """What the collect stage measured, as plain values."""

    config: object
    targets: list
    mutants: list
    outcomes: dict
    covered_by: dict
    coverage: dict  # project path -> FileCoverage
    preflight: object
    exclusions: object
    unmutated: list
    sources: dict  # project path -> source text
    test_sources: dict  # project path of a test file -> source text
    tool_versions: dict
    system: dict  # the machine, as the Stryker report's `system` says it


def build(evidence):
    """The evidence document, before any verdict."""
    target_of = {path: target.path for target in evidence.targets for path in target.files}
    mutants = [
        _mutant_entry(mutant, evidence.outcomes[mutant.engine_name], evidence.covered_by[mutant.engine_name],
                      target_of[mutant.file])
        for mutant in evidence.mutants
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "state": "finished",
        "run": {
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "tool_versions": evidence.tool_versions,
            "system": evidence.system,
            "config": _config_entry(evidence.config),
            "preflight_seconds": round(evidence.preflight.seconds, 3),
        },
        "targets": [_target_entry(target, evidence.coverage) for target in evidence.targets],
        "mutants": mutants,
        "tests": _tests_entry(evidence.preflight, evidence.coverage, mutants),
        "unmutated": [dataclasses.asdict(spot) for spot in evidence.unmutated],
        "exclusions": [dict(entry) for entry in evidence.exclusions.entries],
        "files": {path: {"target": target_of[path], "source": text} for path, text in evidence.sources.items()},
        "test_files": dict(evidence.test_sources),
    }


def _config_entry(config):
    entry = dataclasses.asdict(config)
    entry["project_root"] = str(config.project_root)
    entry["config_path"] = str(config.config_path)
    entry["targets"] = [{"path": target.path, "min_score": target.min_score} for target in config.targets]
    return entry


def _target_entry(target, coverage):
    files = [coverage[path] for path in target.files]
    return {
        "path": target.path,
        "files": list(target.files),
        "min_score": target.min_score,
        "line_coverage": percent(sum(len(cov.executed) for cov in files), sum(len(cov.statements) for cov in files)),
        "branch_coverage": percent(sum(cov.covered_branches for cov in files), sum(cov.num_branches for cov in files)),
    }


def _mutant_entry(mutant, outcome, tests, target):
    entry = {
        "id": mutant.id,
        "mutmut_name": mutant.engine_name,
        "target": target,
        "file": mutant.file,
        "function": mutant.function,
        "start_line": mutant.start_line,
        "start_column": mutant.start_column,
        "end_line": mutant.end_line,
        "end_column": mutant.end_column,
        "diff": mutant.diff,
        "mutated_text": mutant.mutated_text,
        "status": outcome.status,
        "reason": outcome.reason,
        "killed_by": _kills(outcome.killed_by),
        "credited_by": _kills(outcome.credited_by),
        "covered_by": list(tests),
        "tests_run": list(outcome.tests_run),
    }
    if outcome.status == MutantStatus.FLAKY:
        entry["flaky"] = _flaky_entry(outcome)
    return entry


def _flaky_entry(outcome):
    """A flaky mutant's two runs (the first, then its re-verification) and the tests involved."""
    return {"runs": [{"status": run.status, "reason": run.reason,
                      "killed_by": _kills(run.killed_by),
                      "tests_run": list(run.tests_run)} for run in outcome.runs],
            "tests": list(tests_involved(*outcome.runs))}


def _kills(kills):
    return [{"test": kill.test, "kind": kill.kind} for kill in kills]


def _tests_entry(preflight, coverage, mutants):
    tests = {test: _empty_test(preflight.durations.get(test, 0.0), preflight.bodies.get(test),
                               test not in preflight.silent) for test in preflight.tests}
    for path, cov in coverage.items():
        for line, line_tests in sorted(cov.tests_by_line.items()):
            for test in line_tests:
                tests.setdefault(test, _empty_test())["target_lines"].setdefault(path, []).append(line)
    return add_kills(tests, mutants)


def add_kills(tests, mutants):
    """`tests` (gate.json's, by test id) with each mutant entry's kills added to its killing tests'
    `kills` (a killer `tests` lacks gets an empty entry)."""
    for mutant in mutants:
        for kill in entry_kills(mutant):
            tests.setdefault(kill["test"], _empty_test())["kills"].append({"mutant": mutant["id"], "kind": kill["kind"]})
    return tests


def _empty_test(duration=0.0, body=None, asserts=True):
    return {"duration": duration, "body": body or "", "asserts": asserts, "target_lines": {}, "kills": []}


def gate_version(document):
    """The gate's version that wrote `document` ("unknown" in a report from before it was recorded)."""
    return document["run"]["tool_versions"].get("mutation-gate") or "unknown"
