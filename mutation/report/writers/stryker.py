"""The Stryker mutation-testing-report-schema JSON (schema version 2, as of 3.8.4): what the
mutation-testing-elements viewer and the Stryker dashboard read.

`report(document)` is the report as a dict (the HTML writer embeds it), `render` its compact
JSON text. Tests get short ids ("0", "1", ... in node-id order): a mutant's `coveredBy` names
every test that executes it, thousands of times over in a real report. Lines and columns are
1-based (gate.json's columns are libcst's, 0-based); a location spans the mutated node, and
`replacement` is the node's mutated text.
"""

import json
import math

from mutation.errors import FormatUnavailable
from mutation.model import MutantStatus
from mutation.report.document import gate_version
from mutation.report.locations import of_test
from mutation.report.mutators import mutator_name
from mutation.report.replacements import change

SCHEMA_VERSION = "2"
STATUS = {
    MutantStatus.KILLED: "Killed",
    MutantStatus.SURVIVED: "Survived",
    MutantStatus.TIMEOUT: "Timeout",
    MutantStatus.NO_TESTS: "NoCoverage",
    MutantStatus.TYPE_CHECK: "CompileError",  # the type checker rejected it: it never ran
    MutantStatus.EXCLUDED: "Ignored",
    MutantStatus.UNRESOLVED: "Pending",  # no result: the viewer counts it in no score, as the gate does
    MutantStatus.NOT_MEASURED: "Ignored",  # outside a --diff scope: its reason says so
    MutantStatus.FLAKY: "Survived",  # never detected, as the gate counts it; its reason names both runs
}
KILL_PHRASES = {"assertion": "assertion failed in", "crash": "crashed (no assertion failed) in",
                "timeout": "timed out in"}
# Stryker's own thresholds, for a report without targets.
DEFAULT_HIGH, DEFAULT_LOW = 80, 60
# The gate's phases, as the schema's three (`performance`, in milliseconds); any other is mutation.
SETUP_PHASES = ("prepare", "locate")
INITIAL_RUN_PHASES = ("preflight",)


def render(document):
    return encode(document, report(document))


def encode(document, built):
    """The JSON text of the report `built` from `document` (the registry builds it once for every format using it)."""
    return json.dumps(built, ensure_ascii=False, separators=(",", ":"))


def report(document):
    """The Stryker report of the finished `document`, as a dict."""
    test_ids = _test_ids(document)
    result = {
        "schemaVersion": SCHEMA_VERSION,
        "thresholds": thresholds(document),
        "files": _files(document, test_ids),
        "testFiles": _test_files(document, test_ids),
        "framework": _framework(document),
        "config": dict(document["run"]["config"]),
    }
    root = document["run"]["config"].get("project_root")
    if root:
        result["projectRoot"] = root
    if "system" in document["run"]:
        result["system"] = document["run"]["system"]
    performance = _performance(document["run"].get("phase_seconds"))
    if performance:
        result["performance"] = performance
    return result


def thresholds(document):
    """`low`: the lowest target's min_score, rounded down, so a score the gate passes is never
    red. `high`: the highest target's min_score, and at least Stryker's usual 80, so green means
    the bar of every target is met and a low bar does not make a weak score look good."""
    bars = [target["min_score"] for target in document["targets"] if target["min_score"] is not None]
    if not bars:
        return {"high": DEFAULT_HIGH, "low": DEFAULT_LOW}
    low = min(100, max(0, math.floor(min(bars))))
    high = min(100, max(low, DEFAULT_HIGH, math.ceil(max(bars))))
    return {"high": high, "low": low}


def _test_ids(document):
    return {name: str(number) for number, name in enumerate(sorted(document["tests"]))}


def _short_ids(names, test_ids):
    """The short ids of the tests `names`; a test the report's tests do not hold (never in a
    report the gate wrote) gets the next free id."""
    try:
        return list(map(test_ids.__getitem__, names))
    except KeyError:
        for name in names:
            test_ids.setdefault(name, str(len(test_ids)))
        return list(map(test_ids.__getitem__, names))


def _files(document, test_ids):
    files = {path: {"language": "python", "source": entry["source"], "mutants": []}
             for path, entry in document["files"].items()}
    lines = {path: entry["source"].splitlines() for path, entry in document["files"].items()}
    exclusion_reasons = {(entry["file"], entry["function"], entry["mutation"].strip()): entry["reason"]
                         for entry in document["exclusions"]}
    for mutant in document["mutants"]:
        if mutant["file"] not in files:
            raise FormatUnavailable(f"mutant {mutant['id']}: its file {mutant['file']!r} is not among the "
                                    "report's files")
        files[mutant["file"]]["mutants"].append(
            _mutant(mutant, lines[mutant["file"]], test_ids, exclusion_reasons))
    return files


def _mutant(mutant, lines, test_ids, exclusion_reasons):
    found = change(mutant, lines)
    entry = {
        "id": mutant["id"],
        "mutatorName": mutator_name(found.original, found.replacement),
        "replacement": found.replacement,
        "location": {"start": {"line": found.start_line, "column": found.start_column + 1},
                     "end": {"line": found.end_line, "column": found.end_column + 1}},
        "status": STATUS[mutant["status"]],
        "static": False,
        "coveredBy": _short_ids(mutant["covered_by"], test_ids),
        "testsCompleted": len(mutant["tests_run"]),
    }
    if mutant["killed_by"]:
        entry["killedBy"] = _short_ids([kill["test"] for kill in mutant["killed_by"]], test_ids)
    reason = _status_reason(mutant, exclusion_reasons)
    if reason:
        entry["statusReason"] = reason
    return entry


def _status_reason(mutant, exclusion_reasons):
    """How the kill happened (assertion, crash, time limit) for a killed mutant; the gate's
    reason (an exclusion's written reason, why a mutant is unresolved) for the others."""
    kills = "; ".join(f"{KILL_PHRASES[kill['kind']]} {kill['test']}" for kill in mutant["killed_by"])
    reason = mutant["reason"]
    if not reason and mutant["status"] == MutantStatus.EXCLUDED:
        reason = exclusion_reasons.get((mutant["file"], mutant["function"], mutant["mutated_text"].strip()), "")
    return "; ".join(part for part in (kills, reason) if part)


def _test_files(document, test_ids):
    """Each test under its file. The viewer draws a test that has a location only beside its file's
    source, so a test is located only in a file whose source the report holds."""
    sources = document.get("test_files", {})
    test_files = {}
    for name, short in test_ids.items():
        path, separator, rest = name.partition("::")
        test = {"id": short, "name": rest if separator else name}
        where, line = of_test(document, name)
        if line and where == path and path in sources:  # a test defined in another file has no line here
            test["location"] = {"start": {"line": line, "column": 1}}
        entry = test_files.setdefault(path, {"tests": []})
        if path in sources:
            entry["source"] = sources[path]
        entry["tests"].append(test)
    return test_files


def _framework(document):
    versions = document["run"]["tool_versions"]
    return {"name": "mutation-gate", "version": gate_version(document),
            "dependencies": {tool: version for tool, version in versions.items() if isinstance(version, str)}}



def _performance(phase_seconds):
    if not phase_seconds:
        return None
    setup = sum(phase_seconds.get(phase, 0.0) for phase in SETUP_PHASES)
    initial_run = sum(phase_seconds.get(phase, 0.0) for phase in INITIAL_RUN_PHASES)
    mutation = sum(seconds for phase, seconds in phase_seconds.items()
                   if phase not in SETUP_PHASES and phase not in INITIAL_RUN_PHASES)
    return {"setup": round(setup * 1000), "initialRun": round(initial_run * 1000), "mutation": round(mutation * 1000)}
