"""The Markdown summary of a `gate.json` document, for a pull request or a CI job's step summary.

The verdict with its reasons and notes, a table of the targets (flaky mutants in a column of
their own when there are any) and a bar of each one's mutation score against its minimum, the
rejected tests with their evidence, the survivors executed by the most tests with their diffs,
the flaky mutants with both runs, the tests involved and their diffs, and where the full reports
are. Names and text are escaped by `report.markdown_text`. GitHub takes at most 1 MiB of step
summary: at most SURVIVORS survivors, SURVIVORS flaky mutants and REJECTED rejected tests are
shown (saying how many more there are), diffs are cut at DIFF_LINES lines of LINE_CHARS
characters and test ids at NAME_CHARS.
"""

import math

from mutation.model import MutantStatus, VerdictStatus
from mutation.report import locations, writers
from mutation.report.markdown_text import code, code_block, one_line, text
from mutation.report.writers.terminal import flaky_mutants, worst_survivors

SURVIVORS = 10
REJECTED = 20
DIFF_LINES = 40
LINE_CHARS = 300
NAME_CHARS = 500  # a test id (parameters and all) is cut there
BAR_CELLS = 40
NOT_LISTED = ("markdown", "badge")  # this summary itself, and a badge: not reports to read


def render(document):
    lines = [*_heading(document), *_targets(document), *_rejected(document), *_survivors(document),
             *_flaky(document), *_reports(document)]
    return "\n".join(lines) + "\n"


def _heading(document):
    verdict = document["verdict"]
    if verdict["status"] == VerdictStatus.PASS:
        title = f"## ✅ Mutation gate: PASS (exit {verdict['exit_code']})"
    else:
        title = f"## ❌ Mutation gate: FAIL, {verdict['status']} (exit {verdict['exit_code']})"
    reasons = [f"- {text(reason)}" for reason in verdict["reasons"]]
    reasons += [f"- note: {text(note)}" for note in verdict.get("notes", ())]
    return [title, "", *reasons, *([""] if reasons else [])]


def _percent(score):
    return "n/a" if score is None else f"{score:g}%"


def _targets(document):
    verdicts = document["verdict"]["targets"]
    assertion_minimum = _percent(document["run"]["config"].get("min_assertion_score", 0.0))
    # The flaky column only when a mutant is flaky: every other run's table stays as it was.
    flaky = bool(document["overall"].get("flaky"))
    lines = [f"| target | mutants | survived |{' flaky |' if flaky else ''} mutation score | minimum | assertion score "
             f"| assertion minimum | verdict |",
             f"| --- | ---: | ---: |{' ---: |' if flaky else ''} ---: | ---: | ---: | ---: | --- |"]
    for target in document["targets"]:
        lines.append(_row(text(target["path"]), target, _percent(target["min_score"]), assertion_minimum,
                          _verdict_cell(verdicts[target["path"]]), flaky))
    lines.append(_row("**overall**", document["overall"], "", "", "", flaky))
    if document["overall"].get("not_measured"):
        lines += ["", f"{document['overall']['not_measured']} mutants not measured (outside the `--diff` scope), "
                      f"in no score."]
    return [*lines, "", *_bars(document["targets"])]


def _row(name, scores, minimum, assertion_minimum, verdict, flaky):
    cells = (name, scores["mutants"], scores["survived"], *((scores.get("flaky", 0),) if flaky else ()),
             _percent(scores["mutation_score"]), minimum, _percent(scores["assertion_score"]), assertion_minimum,
             verdict)
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _verdict_cell(verdict):
    mark = "✅" if verdict["status"] == VerdictStatus.PASS else "❌"
    note = f": {text(verdict['note'])}" if verdict.get("note") else ""
    return f"{mark} {verdict['status']}{note}"


def _bars(targets):
    """Each target's mutation score as a bar of BAR_CELLS cells, `|` at its minimum."""
    if not targets:
        return []
    width = max(len(one_line(target["path"])) for target in targets)
    rows = [f"{one_line(target['path']).ljust(width)}  {_bar(target['mutation_score'], target['min_score'])}  "
            f"{_percent(target['mutation_score'])} (minimum {_percent(target['min_score'])})" for target in targets]
    legend = f"_each █ is {100 / BAR_CELLS:g} points of mutation score; `|` marks the target's minimum_"
    return [*code_block("\n".join(rows), "text"), legend, ""]


def _bar(score, minimum):
    if score is None:
        return "·" * BAR_CELLS  # no mutants to measure
    filled = int(score * BAR_CELLS / 100)
    if minimum is None:
        return "█" * filled + "░" * (BAR_CELLS - filled)
    mark = math.ceil(minimum * BAR_CELLS / 100)
    # A cell is 2.5 points wide: the bar reaches the mark exactly when the score reaches the minimum.
    filled = max(filled, mark) if score >= minimum else min(filled, mark - 1)
    cells = "█" * filled + "░" * (BAR_CELLS - filled)
    return f"{cells[:mark]}|{cells[mark:]}"


def _rejected(document):
    rejected = document["rejected_tests"]
    if not rejected:
        return []
    by_id = {mutant["id"]: mutant for mutant in document["mutants"]}
    lines = [f"### Rejected tests: {len(rejected)}", "",
             "Each one fails the run (its class is listed in `[mutation_gate] reject`); its hint says what it "
             "lacks.", ""]
    for test in rejected[:REJECTED]:
        lines += _rejected_test(document, test, by_id)
    if len(rejected) > REJECTED:
        lines += ["", f"… and {len(rejected) - REJECTED} more rejected tests (`gate.json` lists them all)."]
    return [*lines, ""]


def _rejected_test(document, test, by_id):
    entry = document["tests"][test]
    path, line = locations.of_test(document, test)
    name = _name(test)
    lines = [f"- {code(name)}: **{entry['class']}**, at {code(path if line is None else f'{path}:{line}')}",
             f"  - {text(entry['hint'])}"]
    if entry["unnoticed"]:
        examples = ", ".join(f"{code(mutant_id)} ({by_id[mutant_id]['status']}, "
                             f"{code(by_id[mutant_id]['file'] + ':' + str(by_id[mutant_id]['start_line']))})"
                             for mutant_id in entry["unnoticed"])
        lines.append(f"  - passed under {entry['let_through']} of the mutants it ran, e.g. {examples}")
    return lines


def _name(test):
    return test if len(test) <= NAME_CHARS else f"{test[:NAME_CHARS]} …"


def _survivors(document):
    total = sum(1 for mutant in document["mutants"] if mutant["status"] == MutantStatus.SURVIVED)
    if not total:
        return []
    shown = worst_survivors(document, SURVIVORS)
    count = f"{total}" if len(shown) == total else f"{len(shown)} of {total}"
    lines = [f"### Surviving mutants: {count}", "",
             "Executed by the most tests first; `mutation-gate survivors` lists them all, "
             "`mutation-gate show ID` shows one.", ""]
    for mutant in shown:
        tests = len(mutant["covered_by"])
        executed = f", executed by {tests} test{'s' if tests != 1 else ''}, none failed" if tests else ""
        lines += [f"#### {code(mutant['id'])}", "",
                  f"{code(mutant['file'] + ':' + str(mutant['start_line']))} in {code(mutant['function'])}{executed}",
                  "", *code_block(cut_diff(mutant["diff"]), "diff"), ""]
    return lines


def _flaky(document):
    flaky = flaky_mutants(document)
    if not flaky:
        return []
    shown = flaky[:SURVIVORS]
    count = f"{len(flaky)}" if len(shown) == len(flaky) else f"{len(shown)} of {len(flaky)}"
    fails = document["run"]["config"].get("flaky") == "fail"
    effect = "fails the gate (`flaky = fail`)" if fails else "is a note, not a failure (`flaky = warn`)"
    lines = [f"### Flaky mutants: {count}", "",
             f"Each came out otherwise when re-run once: it is never counted as detected, and {effect}. Make the "
             f"tests involved deterministic.", ""]
    for mutant in shown:
        lines += [f"#### {code(mutant['id'])}", "",
                  f"{code(mutant['file'] + ':' + str(mutant['start_line']))} in {code(mutant['function'])}"
                  f"{_involved(mutant)}", "", *_runs(mutant), "", *code_block(cut_diff(mutant["diff"]), "diff"), ""]
    if len(flaky) > len(shown):
        lines += [f"… and {len(flaky) - len(shown)} more flaky mutants (`gate.json` lists them all).", ""]
    return lines


def _involved(mutant):
    tests = mutant.get("flaky", {}).get("tests", ())
    return f", tests involved: {', '.join(code(_name(test)) for test in tests)}" if tests else ""


def _runs(mutant):
    """Each run as a list item (the mutant's reason when the document has no runs for it)."""
    runs = mutant.get("flaky", {}).get("runs", ())
    if not runs:
        return [f"- {text(mutant['reason'])}"]
    return [f"- {label}: {_outcome(run)}" for label, run in zip(("first run", "re-run"), runs)]


def _outcome(run):
    if run["killed_by"]:
        return f"**{run['status']}** by " + ", ".join(f"{code(_name(kill['test']))} ({kill['kind']})"
                                                     for kill in run["killed_by"])
    ran = len(run["tests_run"])
    return f"**{run['status']}**, {ran} test{'' if ran == 1 else 's'} ran, none failed"


def cut_diff(diff):
    """`diff` cut to DIFF_LINES lines of at most LINE_CHARS characters, saying how many lines are left out."""
    lines = [line if len(line) <= LINE_CHARS else f"{line[:LINE_CHARS]} …" for line in diff.splitlines()]
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"… {len(lines) - DIFF_LINES} more lines"]
    return "\n".join(lines)


def _reports(document):
    config = document["run"]["config"]
    names = ["gate.json", *(writer.filename for name, writer in writers.WRITERS.items()
                            if name in config["report_formats"] and writer.filename and name not in NOT_LISTED)]
    where = f" in {code(config['report_dir'].rstrip('/') + '/')}" if config.get("report_dir") else ""
    return ["---", "", f"Full reports{where}: {', '.join(code(name) for name in names)}."]
