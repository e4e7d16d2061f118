"""The human-readable summary of a `gate.json` document, as printed at the end of a run."""

from mutation.model import FunctionClass, MutantStatus, TestClass
from mutation.verdicts.baseline import RAISE_HINT
from mutation.verdicts.judge import flaky_summary

WORST_SURVIVORS = 5


def render(document):
    lines = ["", *_target_table(document), ""]
    lines += _survivors_section(document)
    lines += _flaky_section(document)
    lines += _tests_section(document)
    lines += _functions_section(document)
    lines += _unmutated_section(document)
    lines += _baseline_section(document)
    lines += _verdict_section(document)
    return "\n".join(lines)


def _files(target):
    """A module target's helper modules, or a package target's modules."""
    if target["path"].endswith(".py"):
        return f"+{len(target['files']) - 1} helper modules"
    return f"{len(target['files'])} modules"


def _fmt(score):
    return "n/a" if score is None else f"{score:.1f}%"


def _target_table(document):
    # The flaky column only when a mutant is flaky: the table of every other run stays as it was.
    flaky = bool(document["overall"].get("flaky"))
    header = ("target", "mutants", "killed", "survived", "timeout", "no tests", *(("flaky",) if flaky else ()),
              "mutation", "assertion", "min", "verdict")
    verdicts = document["verdict"]["targets"]
    rows = [
        (target["path"], *_counts(target, flaky), _fmt(target["mutation_score"]), _fmt(target["assertion_score"]),
         f"{target['min_score']:g}%", verdicts[target["path"]]["status"])
        for target in document["targets"]
    ]
    overall = document["overall"]
    rows.append(("overall", *_counts(overall, flaky), _fmt(overall["mutation_score"]), _fmt(overall["assertion_score"]),
                 "", ""))
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    def line(row):
        return "  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                         for i, (cell, width) in enumerate(zip(row, widths)))
    extra = [f"  {target['path']}: {_files(target)}, line coverage "
             f"{_fmt(target['line_coverage'])}, branch coverage {_fmt(target['branch_coverage'])}, "
             f"test strength {_fmt(target['test_strength'])}" for target in document["targets"]]
    extra += [f"  {target['path']}: {target['not_measured']} mutants not measured (outside the --diff scope), "
              f"in no score" for target in document["targets"] if target.get("not_measured")]
    return [line(header), *(line(row) for row in rows), "", *extra]


def _counts(scores, flaky):
    counts = (scores["mutants"], scores["killed"], scores["survived"], scores["timeout"], scores["no_tests"])
    return (*counts, scores.get("flaky", 0)) if flaky else counts


def worst_survivors(document, limit=WORST_SURVIVORS):
    """Survivors executed by the most tests first: the most tests ran that code and none noticed."""
    survivors = [mutant for mutant in document["mutants"] if mutant["status"] == MutantStatus.SURVIVED]
    return sorted(survivors, key=lambda mutant: (-len(mutant["covered_by"]), mutant["id"]))[:limit]


def _survivors_section(document):
    survivors = worst_survivors(document)
    total = sum(1 for mutant in document["mutants"] if mutant["status"] == MutantStatus.SURVIVED)
    if not survivors:
        return []
    lines = [f"worst survivors ({len(survivors)} of {total}; `mutation-gate survivors` lists all):"]
    for mutant in survivors:
        lines += ["", f"{mutant['id']}  ({mutant['file']}:{mutant['start_line']}, executed by "
                      f"{len(mutant['covered_by'])} tests)", mutant["diff"]]
    return lines + [""]


def flaky_mutants(document):
    return [mutant for mutant in document["mutants"] if mutant["status"] == MutantStatus.FLAKY]


def flaky_run_lines(mutant):
    """One line per run of a flaky mutant: `first run: survived, 2 tests ran, none failed`,
    `re-run: killed by t (assertion)`."""
    runs = mutant.get("flaky", {}).get("runs", ())
    return [f"{label}: {_run_outcome(run)}" for label, run in zip(("first run", "re-run"), runs)]


def _run_outcome(run):
    if run["killed_by"]:
        return f"{run['status']} by " + ", ".join(f"{kill['test']} ({kill['kind']})" for kill in run["killed_by"])
    ran = len(run["tests_run"])
    return f"{run['status']}, {ran} test{'' if ran == 1 else 's'} ran, none failed"


def _flaky_section(document):
    flaky = flaky_mutants(document)
    if not flaky:
        return []
    shown = flaky[:WORST_SURVIVORS]
    count = f"{len(flaky)}" if len(shown) == len(flaky) else f"{len(shown)} of {len(flaky)}; gate.json lists all"
    lines = [f"flaky mutants ({count}): each came out otherwise when re-run once, and is never counted as detected:"]
    for mutant in shown:
        lines += ["", f"{mutant['id']}  ({mutant['file']}:{mutant['start_line']}, {flaky_summary(mutant)})",
                  *(f"  {line}" for line in flaky_run_lines(mutant)), mutant["diff"]]
    return lines + [""]


def _tests_section(document):
    tests = document.get("tests", {})
    classes = [entry.get("class") for entry in tests.values()]
    if not any(classes):
        return []
    counts = ", ".join(f"{classes.count(name)} {name}" for name in TestClass)
    redundant = sum(1 for entry in tests.values() if entry.get("redundant"))
    lines = [f"tests: {counts} ({redundant} redundant: another test kills each of their mutants as strongly)"]
    by_id = {mutant["id"]: mutant for mutant in document["mutants"]}
    for test in document.get("rejected_tests", []):
        entry = tests[test]
        lines += ["", f"REJECTED {entry['class']}: {test}", f"  hint: {entry['hint']}"]
        lines += [f"  executes {path}:{line_ranges(executed)}" for path, executed in entry["target_lines"].items()]
        for mutant_id in entry["unnoticed"]:
            mutant = by_id[mutant_id]
            lines += [f"  passed under {mutant_id} ({mutant['status']}):",
                      *("    " + line for line in mutant["diff"].splitlines())]
    warned = [test for test, entry in tests.items()
              if entry.get("class") == TestClass.NOT_COVERING and not entry["rejected"]]
    if warned:
        lines += ["", f"warning: {len(warned)} tests never reach a target (not-covering):"]
        lines += [f"  {test}" for test in warned]
    return lines + [""]


def _functions_section(document):
    functions = document.get("functions", {})
    classes = [entry["class"] for entry in functions.values()]
    if not classes:
        return []
    counts = ", ".join(f"{classes.count(name)} {name}" for name in FunctionClass)
    lines = [f"functions: {counts}"]
    lines += [f"  pseudo-tested: {key} (executed by tests, all {entry['mutants']} mutants survive)"
              for key, entry in functions.items() if entry["class"] == FunctionClass.PSEUDO_TESTED]
    return lines + [""]


def _unmutated_section(document):
    spots = document["unmutated"]
    if not spots:
        return []
    lines = [f"unmutated code mutmut cannot judge ({len(spots)}):"]
    lines += [f"  {spot['file']}:{spot['line']}  {spot['kind']}  {spot['name']}" for spot in spots]
    return lines + [""]


def _baseline_section(document):
    """The ratchet's improvements and how to raise the baseline (its regressions are the verdict's reasons)."""
    baseline = document.get("baseline")
    if not baseline or not baseline["improvements"]:
        return []
    lines = [f"baseline ({baseline['path']}):"]
    lines += [f"  improved: {line}" for line in baseline["improvements"]]
    return lines + [f"  {RAISE_HINT}", ""]


def _verdict_section(document):
    verdict = document["verdict"]
    lines = [f"verdict: {verdict['status'].upper()} (exit {verdict['exit_code']})"]
    # A reason may hold a mutant's diff: every line of it is indented under the verdict.
    lines += [f"  {line}" for reason in verdict["reasons"] for line in reason.splitlines()]
    lines += [f"  note: {note}" for note in verdict.get("notes", ())]
    return lines


def line_ranges(lines):
    """`[1, 2, 3, 7, 9, 10]` -> `"1-3,7,9-10"`."""
    ranges = []
    for line in sorted(lines):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return ",".join(str(first) if first == last else f"{first}-{last}" for first, last in ranges)
