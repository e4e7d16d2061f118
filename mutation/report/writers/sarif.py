"""SARIF 2.1.0: the gate's findings on their exact lines, for code scanning and editor viewers.

One run of the driver `mutation-gate` (its rules: one per kind of finding). Results:
- each surviving mutant, each mutant no test executes (`uncovered-mutant`) and each mutant that
  could not be measured (`unresolved-mutant`), on the exact region libcst gave it: gate.json
  lines are 1-based and columns 0-based with the end exclusive, SARIF's are both 1-based (the
  end column the one after the region), so each column is shifted by one; columns count code
  points (`columnKind`), as libcst does. Level: `error` in a target below a minimum score or
  for an unresolved mutant, else `warning`;
- each test with evidence that it checks nothing (`weak-test/<class>`), at its function's line
  (`locations.of_test`), its related locations the mutants it passed under and the target lines
  it executes. Level: `error` when rejected; `note` when the run only warns (its class is not in
  `[mutation_gate] reject`), or waived (then also an external suppression, the waiver its
  justification).
A rule names the kind of evidence and the level says what the verdict made of it, so a test a
configuration only warns about is the same rule as a rejected one.

Paths are relative to `%SRCROOT%`, the project root (`originalUriBaseIds`). Fingerprints
follow a finding across runs: a mutant's is its file, function and changed lines (never its
line numbers or mutmut's positional number, which shift when code above it changes), a test's
its id.
"""

import hashlib
import json
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from mutation.model import MutantStatus, TestClass, VerdictStatus
from mutation.report.document import gate_version
from mutation.report.locations import of_test
from mutation.report.markdown_text import code, fence_for
from mutation.report.writers.terminal import line_ranges
from mutation.verdicts.per_test import HINTS

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
BASE = "%SRCROOT%"
MUTANT_RULES = {
    MutantStatus.SURVIVED: (
        "surviving-mutant", "warning",
        "A mutant survived: tests execute this code and none fails when it changes",
        "mutmut changed this code (the diff is in the message) and every test that executes it still passed: "
        "the tests run the code but do not check what it computes.",
        "Assert the exact value or effect the change alters (see the diff), in a test that executes this line; "
        "if the change cannot alter behaviour, exclude the mutant as equivalent with a written reason.",
    ),
    MutantStatus.NO_TESTS: (
        "uncovered-mutant", "warning",
        "No test executes this mutated code",
        "mutmut changed this code and no test of the suite executes it, so no test can notice the change.",
        "Write a test that executes this code and asserts what it computes.",
    ),
    MutantStatus.UNRESOLVED: (
        "unresolved-mutant", "error",
        "This mutant could not be measured: the run is incomplete",
        "The gate could not tell whether the tests notice this mutant (the reason is in the message); "
        "a run with an unmeasured mutant has no verdict on its scores.",
        "Fix the cause given in the message and run the gate again.",
    ),
    MutantStatus.FLAKY: (
        "flaky-mutant", "warning",
        "A mutant's two runs disagree: the tests notice it in one run and not in the other",
        "The gate ran this mutant's tests, then once more in a fresh process, and the outcomes differ (both are in "
        "the message): a test depends on something besides the code, so the mutant is never counted as detected.",
        "Make the tests named in the message deterministic (shared state, order, time, randomness, files), then "
        "run the gate again.",
    ),
}
TEST_DESCRIPTIONS = {
    TestClass.COVERING: ("A test executes target code but no mutant of it makes the test fail",
                         "The test runs mutated code and passed under mutants it ran: it raises coverage without "
                         "checking behaviour."),
    TestClass.CRASH_ONLY: ("A test fails only when the code crashes or hangs, never on a wrong value",
                           "Every mutant this test kills, it kills by an unexpected exception or a timeout, and "
                           "it passed under a mutant it ran: it notices broken code, never a wrong result."),
    TestClass.NOT_COVERING: ("A test never reaches a target",
                             "The test executes no mutated line of any target: it checks only its own data, or the "
                             "code it calls is mocked."),
}


def render(document):
    rules = _rules()
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = _mutant_results(document, index) + _test_results(document, index)
    verdict = document["verdict"]
    run = {
        "tool": {
            "driver": {"name": "mutation-gate", "version": gate_version(document),
                       "rules": rules},
            "extensions": [{"name": "mutmut", "version": document["run"]["tool_versions"].get("mutmut") or "unknown",
                            "informationUri": "https://github.com/boxed/mutmut"}],
        },
        "originalUriBaseIds": {BASE: _project_root(document)},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"verdict": verdict["status"], "exitCode": verdict["exit_code"], "reasons": verdict["reasons"],
                       "mutationScore": document["overall"]["mutation_score"],
                       "assertionScore": document["overall"]["assertion_score"]},
    }
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"



def _project_root(document):
    root = document["run"]["config"].get("project_root")
    location = {"description": {"text": "the project root: every path of the report is relative to it"}}
    if root and PurePosixPath(root).is_absolute():
        location["uri"] = PurePosixPath(root).as_uri().rstrip("/") + "/"
    return location


def _rules():
    rules = [_rule(rule_id, level, short, full, help_text)
             for rule_id, level, short, full, help_text in MUTANT_RULES.values()]
    for test_class, (short, full) in TEST_DESCRIPTIONS.items():
        rules.append(_rule(f"weak-test/{test_class}", "error", short, full, HINTS[test_class].capitalize() + "."))
    return rules


def _rule(rule_id, level, short, full, help_text):
    return {"id": rule_id, "name": "".join(part.capitalize() for part in re.split("[-/]", rule_id)),
            "shortDescription": {"text": short}, "fullDescription": {"text": full},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": level}, "properties": {"tags": ["mutation-testing"]}}


def uri(path):
    """A project path as a relative URI reference (spaces and `%` escaped, `/` kept)."""
    return quote(path, safe="/")


def region(mutant):
    """The SARIF region of a gate.json mutant (see the module docstring for the shift)."""
    return {"startLine": mutant["start_line"], "startColumn": mutant["start_column"] + 1,
            "endLine": mutant["end_line"], "endColumn": mutant["end_column"] + 1}


def _physical(path, place=None):
    location = {"artifactLocation": {"uri": uri(path), "uriBaseId": BASE}}
    if place:
        location["region"] = place
    return {"physicalLocation": location}


def _mutant_location(mutant):
    location = _physical(mutant["file"], region(mutant))
    location["logicalLocations"] = [{"name": mutant["function"], "kind": "function",
                                     "fullyQualifiedName": mutant["id"].rpartition("#")[0]}]
    return location


def _mutant_results(document, index):
    failing = {path for path, verdict in document["verdict"]["targets"].items()
               if verdict["status"] == VerdictStatus.BELOW_THRESHOLD}
    changed = set(document["run"].get("diff", {}).get("in_changed_lines", ()))
    seen = {}
    results = []
    for mutant in document["mutants"]:
        if mutant["status"] not in MUTANT_RULES:
            continue
        rule_id = MUTANT_RULES[mutant["status"]][0]
        key = change_key(mutant)
        seen[key] = seen.get(key, 0) + 1
        failed = mutant["target"] in failing or mutant["id"] in changed  # a --diff run's survivor or untested mutant in a changed line
        level = "error" if mutant["status"] == MutantStatus.UNRESOLVED or failed else "warning"
        text, markdown = _mutant_message(mutant)
        results.append({
            "ruleId": rule_id, "ruleIndex": index[rule_id], "level": level,
            "message": {"text": text, "markdown": markdown},
            "locations": [_mutant_location(mutant)],
            "partialFingerprints": {"mutantChange/v1": f"{key}:{seen[key]}"},
            "properties": {"mutant": mutant["id"], "status": mutant["status"], "target": mutant["target"],
                           "coveringTests": len(mutant["covered_by"])},
        })
    return results


def change_key(mutant):
    """A digest of the mutant's file, function and changed lines: what stays when code moves."""
    lines = mutant["diff"].splitlines()
    hunk = next((number for number, line in enumerate(lines) if line.startswith("@@")), -1)
    changed = [line for line in lines[hunk + 1:] if line.startswith(("-", "+"))]
    return _digest(mutant["file"], mutant["function"], *changed)


def _digest(*parts):
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _mutant_message(mutant):
    tests = len(mutant["covered_by"])
    if mutant["status"] == MutantStatus.SURVIVED:
        said = (f"survived: {tests} test{'' if tests == 1 else 's'} execute{'s' if tests == 1 else ''} this code "
                f"and none fails when it changes")
    elif mutant["status"] == MutantStatus.NO_TESTS:
        said = "not covered: no test executes this code"
    elif mutant["status"] == MutantStatus.FLAKY:
        said = mutant["reason"]
    else:
        said = f"unresolved: {mutant['reason']}"
    where = f"mutant {mutant['id']} in {mutant['function']}"
    text = f"{said} ({where}).\n\n{mutant['diff']}"
    markdown = f"**{said}** (mutant {code(mutant['id'])} in {code(mutant['function'])}).\n\n{fenced(mutant['diff'])}"
    return text, markdown


def fenced(diff):
    """`diff` as a Markdown ```diff block, fenced past any backtick run inside it (kept as one string:
    SARIF's message holds the diff's lines as they are)."""
    fence = fence_for(diff, shortest=3)
    return f"{fence}diff\n{diff}\n{fence}"


def _test_results(document, index):
    by_id = {mutant["id"]: mutant for mutant in document["mutants"]}
    results = []
    for test, entry in sorted(document["tests"].items()):
        if not entry.get("hint"):
            continue
        rule_id = f"weak-test/{entry['class']}"
        path, line = of_test(document, test)
        location = _physical(path, {"startLine": line} if line else None)
        unnoticed = [by_id[mutant_id] for mutant_id in entry["unnoticed"]]
        text, markdown = _test_message(test, entry, unnoticed)
        result = {
            "ruleId": rule_id, "ruleIndex": index[rule_id], "level": "error" if entry["rejected"] else "note",
            "message": {"text": text, "markdown": markdown},
            "locations": [location],
            "partialFingerprints": {"testId/v1": _digest(test)},
            "properties": {"test": test, "class": entry["class"], "rejected": entry["rejected"],
                           "unnoticed": entry["unnoticed"]},
        }
        related = _related(entry, unnoticed)
        if related:
            result["relatedLocations"] = related
        if entry.get("waiver"):
            result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": entry["waiver"]}]
        results.append(result)
    return results


def _verdict_words(entry):
    if entry["rejected"]:
        return "rejected"
    if entry.get("waiver"):
        return f"waived: {entry['waiver']}"
    return "not rejected: its class is not in [mutation_gate] reject"


def _test_message(test, entry, unnoticed):
    head = f"{entry['class']} test ({_verdict_words(entry)}): {entry['hint']}"
    text = [f"{head}\n\n{test}"]
    markdown = [f"**{entry['class']} test** ({_verdict_words(entry)}): {entry['hint']}\n\n{code(test)}"]
    for mutant in unnoticed:
        said = f"passed under {mutant['id']} ({mutant['status']}) at {mutant['file']}:{mutant['start_line']}"
        text.append(f"{said}:\n{mutant['diff']}")
        markdown.append(f"passed under {code(mutant['id'])} ({mutant['status']}) at "
                        f"{code(mutant['file'] + ':' + str(mutant['start_line']))}:\n\n{fenced(mutant['diff'])}")
    return "\n\n".join(text), "\n\n".join(markdown)


def _related(entry, unnoticed):
    related = [{**_physical(mutant["file"], region(mutant)),
                "message": {"text": f"passed under mutant {mutant['id']} ({mutant['status']})"}}
               for mutant in unnoticed]
    for path, executed in entry["target_lines"].items():
        for span in filter(None, line_ranges(executed).split(",")):
            first, _, last = span.partition("-")
            related.append({**_physical(path, {"startLine": int(first), "endLine": int(last or first)}),
                            "message": {"text": f"executes lines {span}"}})
    for number, location in enumerate(related, start=1):
        location["id"] = number
    return related
