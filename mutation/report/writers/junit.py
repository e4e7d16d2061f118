"""JUnit XML: the gate's findings as test results, for the test tab of a CI system.

A `<testsuites name="mutation-gate">` root holds one `<testsuite>` per target (named by its
path; its `<properties>` are the target's scores). In each suite, every testcase's classname is
the file it is about as a dotted module name (`backend.core.llm.byok_handler`: Jenkins shows
it as package and class, GitLab and GitHub list it beside the name), and:
- `score verdict`: fails (`BelowThreshold`) when the target is below a minimum score; its
  output gives the scores and the counts;
- one case per surviving mutant (`SurvivedMutant`: the diff and how many tests executed it),
  per mutant no test executes (`UncoveredMutant`) and per mutant that could not be measured (an
  `<error>`, `UnresolvedMutant`: the run is incomplete);
- one case per flaky mutant (its two runs disagree), naming both runs and the tests involved, with
  the diff: a failure (`FlakyMutant`) under `flaky = fail`, skipped under `flaky = warn`;
- one case per rejected test (named by its id, its classname its file), in each target whose
  files it executes (failure type: its class;
  text: the hint, then the mutants it passed under with their diffs); a rejected test that
  executes no target file is in one more suite, `(no target)`;
- one passing case per function with detected mutants (`<function>: detected mutants`, the
  counts as output) — the thousands of killed mutants summarised by where they are, which
  keeps a case's name stable from run to run (a count in the name would make it a new test);
- one skipped case per target for its unscored mutants (type-check failures and exclusions).
Control characters XML 1.0 forbids are stripped from every text (ElementTree escapes the rest).
"""

import re
import xml.etree.ElementTree as ET

from mutation.model import DETECTED, MutantStatus, VerdictStatus
from mutation.report.writers.terminal import flaky_run_lines, line_ranges
from mutation.verdicts.judge import flaky_summary

# Everything outside XML 1.0's Char production (tab, LF and CR are allowed).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NO_TARGET = "(no target)"


def render(document):
    suites = ET.Element("testsuites", name="mutation-gate")
    tests_by_target = _rejected_by_target(document)
    by_id = {mutant["id"]: mutant for mutant in document["mutants"]}
    mutants_by_target = {}
    for mutant in document["mutants"]:
        mutants_by_target.setdefault(mutant["target"], []).append(mutant)
    for target in document["targets"]:
        cases = _target_cases(document, target, mutants_by_target.get(target["path"], []))
        cases += [_rejected_case(document, test, by_id) for test in tests_by_target.get(target["path"], [])]
        suites.append(_suite(target["path"], cases, _properties(target)))
    if tests_by_target.get(NO_TARGET):
        suites.append(_suite(NO_TARGET, [_rejected_case(document, test, by_id) for test in tests_by_target[NO_TARGET]]))
    for name in ("tests", "failures", "errors", "skipped"):
        suites.set(name, str(sum(int(suite.get(name)) for suite in suites)))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def clean(text):
    """`text` without the characters XML 1.0 cannot hold."""
    return FORBIDDEN.sub("", str(text))


def classname(path):
    """`backend/core/llm/byok_handler.py` -> `backend.core.llm.byok_handler`."""
    return path.removesuffix(".py").replace("/", ".")


def _suite(name, cases, properties=None):
    suite = ET.Element("testsuite", name=clean(name))
    if properties is not None:
        suite.append(properties)
    suite.extend(cases)
    suite.set("tests", str(len(cases)))
    for count, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        suite.set(count, str(sum(1 for case in cases if case.find(tag) is not None)))
    return suite


def _properties(target):
    properties = ET.Element("properties")
    for name in ("mutation_score", "assertion_score", "test_strength", "min_score", "line_coverage",
                 "branch_coverage"):
        value = target[name]
        ET.SubElement(properties, "property", name=name, value="n/a" if value is None else f"{value:g}")
    return properties


def _case(path, name, outcome=None, message="", kind="", text="", output=""):
    """A testcase; `outcome` is None (passed), "failure", "error" or "skipped"."""
    case = ET.Element("testcase", classname=clean(classname(path)), name=clean(name))
    if outcome is not None:
        element = ET.SubElement(case, outcome, message=clean(message))
        if kind:
            element.set("type", clean(kind))
        element.text = clean(text) if text else None
    if output:
        ET.SubElement(case, "system-out").text = clean(output)
    return case


def _target_cases(document, target, mutants):
    cases = [_verdict_case(document, target)]
    flaky_fails = document["run"]["config"].get("flaky") == "fail"
    for mutant in mutants:
        if mutant["status"] in (MutantStatus.SURVIVED, MutantStatus.NO_TESTS, MutantStatus.UNRESOLVED):
            cases.append(_mutant_case(mutant))
        elif mutant["status"] == MutantStatus.FLAKY:
            cases.append(_flaky_case(mutant, flaky_fails))
    cases += _detected_cases(mutants)
    unscored = [mutant for mutant in mutants if mutant["status"] in (MutantStatus.TYPE_CHECK, MutantStatus.EXCLUDED)]
    if unscored:
        excluded = sum(1 for mutant in unscored if mutant["status"] == MutantStatus.EXCLUDED)
        cases.append(_case(target["path"], "unscored mutants", "skipped",
                           f"not scored: {excluded} excluded as equivalent, {len(unscored) - excluded} rejected by "
                           f"the type checker"))
    not_measured = sum(1 for mutant in mutants if mutant["status"] == MutantStatus.NOT_MEASURED)
    if not_measured:
        cases.append(_case(target["path"], "mutants not measured", "skipped",
                           f"not measured: {not_measured} mutants outside the --diff scope, no result"))
    return cases


def _verdict_case(document, target):
    verdict = document["verdict"]["targets"][target["path"]]
    output = (f"mutation score {_percent(target['mutation_score'])} (minimum {target['min_score']:g}%), "
              f"assertion score {_percent(target['assertion_score'])}, test strength "
              f"{_percent(target['test_strength'])}\n{target['mutants']} mutants: {target['killed']} killed, "
              f"{target['timeout']} timeout, {target['survived']} survived, {target['no_tests']} no tests, "
              f"{target['type_check']} type check, {target['excluded']} excluded, {target['unresolved']} unresolved")
    if target.get("not_measured"):
        output += f", {target['not_measured']} not measured"
    if target.get("flaky"):
        output += f", {target['flaky']} flaky"
    if verdict.get("note"):
        output += f"\n{verdict['note']}"
    if verdict["status"] == VerdictStatus.BELOW_THRESHOLD:
        return _case(target["path"], "score verdict", "failure", f"below threshold: {'; '.join(verdict['problems'])}",
                     "BelowThreshold", "\n".join(verdict["problems"]), output)
    return _case(target["path"], "score verdict", output=output)


def _percent(score):
    return "n/a" if score is None else f"{score:.2f}%"


def _where(mutant):
    """`file:line:column`, the column 1-based as editors and compilers count it."""
    return f"{mutant['file']}:{mutant['start_line']}:{mutant['start_column'] + 1}"


def _mutant_case(mutant):
    name = f"{mutant['id']} at {_where(mutant)}"
    place = f"{_where(mutant)} in {mutant['function']}"
    if mutant["status"] == MutantStatus.SURVIVED:
        tests = len(mutant["covered_by"])
        return _case(mutant["file"], name, "failure", f"survived: {place}", "SurvivedMutant",
                     f"{mutant['diff']}\n\nexecuted by {tests} test{'' if tests == 1 else 's'}, none failed")
    if mutant["status"] == MutantStatus.NO_TESTS:
        return _case(mutant["file"], name, "failure", f"no test executes it: {place}", "UncoveredMutant",
                     mutant["diff"])
    return _case(mutant["file"], name, "error", f"unresolved: {place}: {mutant['reason']}", "UnresolvedMutant",
                 mutant["diff"])


def _flaky_case(mutant, fails):
    # Under `flaky = fail` the run fails on it (exit 7): a failure, of its own type so that it is no
    # plain survivor. Under `warn` the gate passes it with a note, and a failure would turn the CI
    # test tab red where the configuration asked for a warning; yet it is no pass (it is never
    # detected), and Surefire's `<flakyFailure>` inside a passing case would read as one. Skipped is
    # JUnit's "no settled outcome": shown and counted apart, failing nothing.
    where = f"{_where(mutant)} in {mutant['function']}"
    text = "\n".join([mutant["diff"], "", *flaky_run_lines(mutant), "never counted as detected: make the tests "
                                                                     "involved deterministic"])
    return _case(mutant["file"], f"{mutant['id']} at {_where(mutant)}", "failure" if fails else "skipped",
                 f"flaky: {where}: {flaky_summary(mutant)}", "FlakyMutant" if fails else "", text)


def _detected_cases(mutants):
    by_function = {}
    for mutant in mutants:
        by_function.setdefault((mutant["file"], mutant["function"]), []).append(mutant)
    cases = []
    for (path, function), found in by_function.items():
        statuses = [mutant["status"] for mutant in found]
        detected = sum(1 for status in statuses if status in DETECTED)
        if detected:
            cases.append(_case(path, f"{function}: detected mutants",
                               output=f"{detected} of {len(found)} mutants detected: "
                                      f"{statuses.count(MutantStatus.KILLED)} killed, "
                                      f"{statuses.count(MutantStatus.TIMEOUT)} timeout"))
    return cases


def _rejected_by_target(document):
    """Rejected test ids by the target whose files each executes (NO_TARGET: none)."""
    target_of = {path: target["path"] for target in document["targets"] for path in target["files"]}
    found = {}
    for test in document["rejected_tests"]:
        executed = document["tests"][test]["target_lines"]
        targets = list(dict.fromkeys(target_of[path] for path in executed if path in target_of)) or [NO_TARGET]
        for target in targets:
            found.setdefault(target, []).append(test)
    return found


def _rejected_case(document, test, by_id):
    entry = document["tests"][test]
    lines = [entry["hint"]]
    lines += [f"executes {file}:{line_ranges(executed)}" for file, executed in entry["target_lines"].items()]
    for mutant_id in entry["unnoticed"]:
        mutant = by_id[mutant_id]
        lines += ["", f"passed under {mutant_id} ({mutant['status']}, {_where(mutant)}):", mutant["diff"]]
    return _case(test.split("::", 1)[0], test, "failure", f"rejected {entry['class']} test: {entry['hint']}", entry["class"],
                 "\n".join(lines))
