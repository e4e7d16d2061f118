"""`gate.json`: the one document a run produces; every report and inspection reads it.

Schema (version 1): `run` (tool versions, configuration, seconds per phase), `verdict`
(exit code, status, reasons, per-target verdicts), `overall` and `targets` (counts, the three
scores, line and branch coverage), `mutants` (location, diff, status, killers, covering
tests, the tests that ran under it), `tests` (target lines each test executes, mutants it
kills, its verdict), `functions`, `rejected_tests`, `unmutated` (code mutmut cannot mutate)
and `exclusions` (equivalent mutants and their reasons).
"""

import dataclasses
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from mutation.coverage_map import percent
from mutation.score import score

SCHEMA_VERSION = 1


def build(*, config, targets, locations, outcomes, covered_by, coverage, preflight, exclusions, blind_spots,
          tool_versions):
    target_of = {path: target.path for target in targets for path in target.files}
    mutants = [
        _mutant_entry(location, outcomes[location.mutmut_name], covered_by[location.mutmut_name],
                      target_of[location.file], exclusions.reason_by_name.get(location.mutmut_name))
        for location in locations
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "tool_versions": tool_versions,
            "config": _config_entry(config),
            "preflight_seconds": round(preflight.seconds, 3),
        },
        "overall": _scores_entry([(outcomes[m.mutmut_name], covered_by[m.mutmut_name]) for m in locations]),
        "targets": [_target_entry(target, locations, outcomes, covered_by, coverage) for target in targets],
        "mutants": mutants,
        "tests": _tests_entry(preflight, coverage, mutants),
        "unmutated": [dataclasses.asdict(spot) for spot in blind_spots],
        "exclusions": [dict(entry) for entry in exclusions.entries],
    }


def _config_entry(config):
    entry = dataclasses.asdict(config)
    entry["project_root"] = str(config.project_root)
    entry["config_path"] = str(config.config_path)
    entry["targets"] = [{"path": target.path, "min_score": target.min_score} for target in config.targets]
    return entry


def _scores_entry(pairs):
    scores = score(pairs)
    return {
        **dataclasses.asdict(scores.counts),
        "mutation_score": scores.mutation_score,
        "test_strength": scores.test_strength,
        "assertion_score": scores.assertion_score,
    }


def _target_entry(target, locations, outcomes, covered_by, coverage):
    pairs = [
        (outcomes[location.mutmut_name], covered_by[location.mutmut_name])
        for location in locations if location.file in target.files
    ]
    files = [coverage[path] for path in target.files]
    statements = sum(len(cov.statements) for cov in files)
    branches = sum(cov.num_branches for cov in files)
    return {
        "path": target.path,
        "files": list(target.files),
        "min_score": target.min_score,
        **_scores_entry(pairs),
        "line_coverage": round(percent(sum(len(cov.executed) for cov in files), statements), 2),
        "branch_coverage": round(percent(sum(cov.covered_branches for cov in files), branches), 2),
    }


def _mutant_entry(location, outcome, tests, target, excluded_reason):
    return {
        "id": location.id,
        "mutmut_name": location.mutmut_name,
        "target": target,
        "file": location.file,
        "function": location.function,
        "start_line": location.start_line,
        "start_column": location.start_column,
        "end_line": location.end_line,
        "end_column": location.end_column,
        "diff": location.diff,
        "status": outcome.status,
        "reason": outcome.reason or excluded_reason or "",
        "killed_by": [{"test": kill.test, "kind": kill.kind} for kill in outcome.killed_by],
        "covered_by": list(tests),
        "tests_run": list(outcome.tests_run),
    }


def _tests_entry(preflight, coverage, mutants):
    tests = {test: _empty_test(preflight.durations.get(test, 0.0)) for test in preflight.tests}
    for path, cov in coverage.items():
        for line, line_tests in sorted(cov.tests_by_line.items()):
            for test in line_tests:
                tests.setdefault(test, _empty_test())["target_lines"].setdefault(path, []).append(line)
    for mutant in mutants:
        for kill in mutant["killed_by"]:
            tests.setdefault(kill["test"], _empty_test())["kills"].append({"mutant": mutant["id"], "kind": kill["kind"]})
    return tests


def _empty_test(duration=0.0):
    return {"duration": duration, "target_lines": {}, "kills": []}


def write(document, path):
    """Write atomically, so a reader never sees half a report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gate-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
    os.replace(temporary, path)
