"""The human-readable summary of a `gate.json` document, as printed at the end of a run."""

WORST_SURVIVORS = 5


def render(document):
    lines = ["", *_target_table(document), ""]
    lines += _survivors_section(document)
    lines += _unmutated_section(document)
    lines += _verdict_section(document)
    return "\n".join(lines)


def _fmt(score):
    return "n/a" if score is None else f"{score:.1f}%"


def _target_table(document):
    header = ("target", "mutants", "killed", "survived", "timeout", "no tests", "mutation", "assertion",
              "min", "verdict")
    verdicts = document["verdict"]["targets"]
    rows = [
        (target["path"], target["mutants"], target["killed"], target["survived"], target["timeout"],
         target["no_tests"], _fmt(target["mutation_score"]), _fmt(target["assertion_score"]),
         f"{target['min_score']:g}%", verdicts[target["path"]]["status"])
        for target in document["targets"]
    ]
    overall = document["overall"]
    rows.append(("overall", overall["mutants"], overall["killed"], overall["survived"], overall["timeout"],
                 overall["no_tests"], _fmt(overall["mutation_score"]), _fmt(overall["assertion_score"]), "", ""))
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    def line(row):
        return "  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                         for i, (cell, width) in enumerate(zip(row, widths)))
    extra = [f"  {target['path']}: +{len(target['files']) - 1} helper modules, line coverage "
             f"{target['line_coverage']:.1f}%, branch coverage {target['branch_coverage']:.1f}%, "
             f"test strength {_fmt(target['test_strength'])}" for target in document["targets"]]
    return [line(header), *(line(row) for row in rows), "", *extra]


def worst_survivors(document, limit=WORST_SURVIVORS):
    """Survivors executed by the most tests first: the most tests ran that code and none noticed."""
    survivors = [mutant for mutant in document["mutants"] if mutant["status"] == "survived"]
    return sorted(survivors, key=lambda mutant: (-len(mutant["covered_by"]), mutant["id"]))[:limit]


def _survivors_section(document):
    survivors = worst_survivors(document)
    total = sum(1 for mutant in document["mutants"] if mutant["status"] == "survived")
    if not survivors:
        return []
    lines = [f"worst survivors ({len(survivors)} of {total}; `mutation-gate survivors` lists all):"]
    for mutant in survivors:
        lines += ["", f"{mutant['id']}  ({mutant['file']}:{mutant['start_line']}, executed by "
                      f"{len(mutant['covered_by'])} tests)", mutant["diff"]]
    return lines + [""]


def _unmutated_section(document):
    spots = document["unmutated"]
    if not spots:
        return []
    lines = [f"unmutated code mutmut cannot judge ({len(spots)}):"]
    lines += [f"  {spot['file']}:{spot['line']}  {spot['kind']}  {spot['name']}" for spot in spots]
    return lines + [""]


def _verdict_section(document):
    verdict = document["verdict"]
    lines = [f"verdict: {verdict['status'].upper()} (exit {verdict['exit_code']})"]
    lines += [f"  {reason}" for reason in verdict["reasons"]]
    return lines
