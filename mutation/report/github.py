"""GitHub Actions output of a finished `gate.json`: the job's step summary and annotations.

With `GITHUB_STEP_SUMMARY` set, the Markdown summary is appended to that file; with
`GITHUB_ACTIONS` "true", workflow commands go to `out`: an `error` annotation at each rejected
test (its function's line when known), then one at each survivor, executed by the most tests
first (`error` when its target is below its minimum, else `warning`), then one at each flaky
mutant (`error` under `flaky = fail`, else `warning`). GitHub shows at most 10
error and 10 warning annotations of a step, so at most ANNOTATIONS of each level are printed
and one `notice` counts the rest. Values are escaped as the runner reads them: `%`, CR and LF
everywhere, `:` and `,` too in properties. Paths are the project's, relative to
`GITHUB_WORKSPACE` when the project lies below it. A summary file that cannot be appended to is
one line on `err` and changes no verdict.
"""

import os
import sys

from mutation.model import MutantStatus, VerdictStatus
from mutation.report import locations
from mutation.report.writers import markdown
from mutation.report.writers.terminal import flaky_mutants, flaky_run_lines, worst_survivors
from mutation.verdicts.judge import flaky_summary

ANNOTATIONS = 10
DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
PROPERTY_ESCAPES = (*DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def publish(document, environ, out, err=None):
    """Write the step summary and print the annotations that `environ` asks for."""
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        _append_summary(document, summary, err or sys.stderr)
    if environ.get("GITHUB_ACTIONS") == "true":
        for line in annotations(document, environ.get("GITHUB_WORKSPACE")):
            print(line, file=out)


def _append_summary(document, path, err):
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(markdown.render(document))
    except OSError as error:
        print(f"mutation-gate: GITHUB_STEP_SUMMARY={path}: summary not written: {error.strerror or error}", file=err)


def annotations(document, workspace=None):
    """The workflow-command lines for `document`, capped per level."""
    prefix = _path_prefix(document, workspace)
    by_id = {mutant["id"]: mutant for mutant in document["mutants"]}
    found = [_rejected_test(document, test, by_id, prefix) for test in document["rejected_tests"]]
    failing = {path for path, verdict in document["verdict"]["targets"].items()
               if verdict["status"] == VerdictStatus.BELOW_THRESHOLD}
    # A survivor in a line a --diff run's change holds fails the run wherever its target stands.
    changed = set(document["run"].get("diff", {}).get("in_changed_lines", ()))
    found += [_survivor(mutant, mutant["target"] in failing, prefix, mutant["id"] in changed)
              for mutant in worst_survivors(document, None)]
    found += [_uncovered(mutant, prefix) for mutant in document["mutants"]
              if mutant["id"] in changed and mutant["status"] == MutantStatus.NO_TESTS]
    failing_flaky = document["run"]["config"].get("flaky") == "fail"
    found += [_flaky(mutant, failing_flaky, prefix) for mutant in flaky_mutants(document)]
    lines, shown, left_out = [], {}, {}
    for level, properties, message in found:
        if shown.get(level, 0) < ANNOTATIONS:
            shown[level] = shown.get(level, 0) + 1
            lines.append(command(level, properties, message))
        else:
            left_out[level] = left_out.get(level, 0) + 1
    if left_out:
        counts = " and ".join(_count(count, f"more {level}") for level, count in left_out.items())
        lines.append(command("notice", {"title": "mutation gate"},
                             f"{counts} not shown as annotations (GitHub shows {ANNOTATIONS} of each per step); "
                             f"gate.json and `mutation-gate survivors` list them all"))
    return lines


def _path_prefix(document, workspace):
    """The project's directory relative to the workspace, with a slash; "" when it is not below it."""
    root = document["run"]["config"].get("project_root")
    if not workspace or not root:
        return ""
    relative = os.path.relpath(root, workspace)
    if relative == "." or relative == ".." or relative.startswith("../"):
        return ""
    return relative.replace(os.sep, "/") + "/"


def _rejected_test(document, test, by_id, prefix):
    entry = document["tests"][test]
    path, line = locations.of_test(document, test)
    properties = {"file": prefix + path, **({"line": line} if line is not None else {}),
                  "title": f"rejected test ({entry['class']}): {test}"}
    message = entry["hint"]
    if entry["unnoticed"]:
        examples = ", ".join(f"{mutant_id} ({by_id[mutant_id]['status']}, {by_id[mutant_id]['file']}:"
                             f"{by_id[mutant_id]['start_line']})" for mutant_id in entry["unnoticed"])
        message += f"\nIt passed under {entry['let_through']} of the mutants it ran, e.g. {examples}"
    return "error", properties, message


def _survivor(mutant, target_fails, prefix, in_changed_line=False):
    properties = {"file": prefix + mutant["file"], "line": mutant["start_line"], "col": mutant["start_column"] + 1,
                  "endLine": mutant["end_line"], "endColumn": mutant["end_column"] + 1,
                  "title": f"surviving mutant {mutant['id']}"}
    standing = "is below its minimum" if target_fails else "meets its minimum"
    if in_changed_line:
        standing += "; it survives in a line the --diff change holds"
    message = (f"In {mutant['function']}, executed by {_count(len(mutant['covered_by']), 'test')}, none failed; "
               f"target {mutant['target']} {standing}\n{markdown.cut_diff(mutant['diff'])}")
    return ("error" if target_fails or in_changed_line else "warning"), properties, message


def _uncovered(mutant, prefix):
    """A mutant no test executes, in a line a --diff run's change holds: it fails the run."""
    properties = {"file": prefix + mutant["file"], "line": mutant["start_line"], "col": mutant["start_column"] + 1,
                  "endLine": mutant["end_line"], "endColumn": mutant["end_column"] + 1,
                  "title": f"uncovered mutant {mutant['id']}"}
    message = (f"In {mutant['function']}, no test executes this mutated code, in a line the --diff change holds\n"
               f"{markdown.cut_diff(mutant['diff'])}")
    return "error", properties, message


def _flaky(mutant, fails, prefix):
    """A mutant whose re-run disagreed with its first run: never counted as detected."""
    properties = {"file": prefix + mutant["file"], "line": mutant["start_line"], "col": mutant["start_column"] + 1,
                  "endLine": mutant["end_line"], "endColumn": mutant["end_column"] + 1,
                  "title": f"flaky mutant {mutant['id']}"}
    message = "\n".join([f"In {mutant['function']}: {flaky_summary(mutant)}", *flaky_run_lines(mutant),
                         markdown.cut_diff(mutant["diff"])])
    return ("error" if fails else "warning"), properties, message


def command(level, properties, message):
    """One workflow command: `::level key=value,...::message`, every part escaped."""
    listed = ",".join(f"{key}={escape(str(value), PROPERTY_ESCAPES)}" for key, value in properties.items())
    return f"::{level}{' ' if listed else ''}{listed}::{escape(message, DATA_ESCAPES)}"


def escape(value, escapes):
    for char, replacement in escapes:
        value = value.replace(char, replacement)
    return value


def _count(number, noun):
    return f"{number} {noun}{'' if number == 1 else 's'}"
