"""The Markdown summary of a `gate.json` document, for a pull request or a CI job's step summary.

The verdict and its reasons, a table of the targets and a bar of each one's mutation score
against its minimum, the rejected tests with their evidence, the survivors executed by the most
tests with their diffs, and where the full reports are. Names and text are escaped by
`report.markdown_text`. GitHub takes at most 1 MiB of step summary: at most SURVIVORS survivors
and REJECTED rejected tests are shown (saying how many more there are), diffs are cut at
DIFF_LINES lines of LINE_CHARS characters and test ids at NAME_CHARS.
"""

import math

from mutation.model import MutantStatus, VerdictStatus
from mutation.report import locations, writers
from mutation.report.markdown_text import code, code_block, one_line, text
from mutation.report.writers.terminal import worst_survivors

SURVIVORS = 10
REJECTED = 20
DIFF_LINES = 40
LINE_CHARS = 300
NAME_CHARS = 500  # a test id (parameters and all) is cut there
BAR_CELLS = 40
NOT_LISTED = ("markdown", "badge")  # this summary itself, and a badge: not reports to read


def render(document):
    lines = [*_heading(document), *_targets(document), *_rejected(document), *_survivors(document),
             *_reports(document)]
    return "\n".join(lines) + "\n"


def _heading(document):
    verdict = document["verdict"]
    if verdict["status"] == VerdictStatus.PASS:
        title = f"## ✅ Mutation gate: PASS (exit {verdict['exit_code']})"
    else:
        title = f"## ❌ Mutation gate: FAIL, {verdict['status']} (exit {verdict['exit_code']})"
    reasons = [f"- {text(reason)}" for reason in verdict["reasons"]]
    return [title, "", *reasons, *([""] if reasons else [])]


def _percent(score):
    return "n/a" if score is None else f"{score:g}%"


def _targets(document):
    verdicts = document["verdict"]["targets"]
    assertion_minimum = _percent(document["run"]["config"].get("min_assertion_score", 0.0))
    lines = ["| target | mutants | survived | mutation score | minimum | assertion score | assertion minimum | verdict |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for target in document["targets"]:
        lines.append(_row(text(target["path"]), target, _percent(target["min_score"]), assertion_minimum,
                          _verdict_cell(verdicts[target["path"]])))
    lines.append(_row("**overall**", document["overall"], "", "", ""))
    if document["overall"].get("not_measured"):
        lines += ["", f"{document['overall']['not_measured']} mutants not measured (outside the `--diff` scope), "
                      f"in no score."]
    return [*lines, "", *_bars(document["targets"])]


def _row(name, scores, minimum, assertion_minimum, verdict):
    cells = (name, scores["mutants"], scores["survived"], _percent(scores["mutation_score"]), minimum,
             _percent(scores["assertion_score"]), assertion_minimum, verdict)
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
    name = test if len(test) <= NAME_CHARS else f"{test[:NAME_CHARS]} …"
    lines = [f"- {code(name)}: **{entry['class']}**, at {code(path if line is None else f'{path}:{line}')}",
             f"  - {text(entry['hint'])}"]
    if entry["unnoticed"]:
        examples = ", ".join(f"{code(mutant_id)} ({by_id[mutant_id]['status']}, "
                             f"{code(by_id[mutant_id]['file'] + ':' + str(by_id[mutant_id]['start_line']))})"
                             for mutant_id in entry["unnoticed"])
        lines.append(f"  - passed under {entry['let_through']} of the mutants it ran, e.g. {examples}")
    return lines


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
