"""The verdict: which exit code a scored run ends with, and why.

Precedence, most serious first: incomplete measurement (5) · rejected tests (3) · a target
below its minimum mutation or assertion score, or (a `--diff` run) a mutant in a changed line
that no test detects (it survived, or no test executes it), each named with its diff (2) · a
regression against the ratchet baseline (`verdicts.baseline`: a target lost more detected mutants
than its tolerance, or a function has a new survivor) (6) · under `flaky = fail`, a flaky mutant
(a survivor or timeout that came out otherwise when re-run once) (7) · pass (0). Under
`flaky = warn` (the default) flaky mutants are a note in `verdict.notes`; either way they are in
the score's denominator and never detected. A target with no mutants has nothing to measure and passes with a note; so does one with
a mutant outside a `--diff` scope and without a cached result: its score is over part of it,
and a threshold applies to the whole.
"""

from mutation import exit_codes
from mutation.model import MutantStatus, VerdictStatus

# How a mutant that no test detects in a changed line is named, by status.
UNDETECTED_IN_CHANGED_LINES = {MutantStatus.SURVIVED: "survives", MutantStatus.NO_TESTS: "is executed by no test"}


def judge(document, config):
    target_verdicts = {target["path"]: _target_verdict(target, config) for target in document["targets"]}
    unresolved = [mutant for mutant in document["mutants"] if mutant["status"] == MutantStatus.UNRESOLVED]
    rejected = document.get("rejected_tests", [])
    reasons = []
    if unresolved:
        reasons.append(f"{len(unresolved)} mutants could not be measured, e.g. {unresolved[0]['id']}: "
                       f"{unresolved[0]['reason']}")
        return _verdict(exit_codes.INCOMPLETE, VerdictStatus.INCOMPLETE, reasons, target_verdicts)
    if rejected:
        reasons.append(f"{len(rejected)} tests raise coverage without asserting behaviour")
    below = {path: verdict for path, verdict in target_verdicts.items()
             if verdict["status"] == VerdictStatus.BELOW_THRESHOLD}
    reasons.extend(f"{path}: {problem}" for path, verdict in below.items() for problem in verdict["problems"])
    undetected = undetected_in_changed_lines(document)
    reasons.extend(undetected)
    regressions = (document.get("baseline") or {}).get("regressions", [])
    reasons.extend(f"baseline: {regression}" for regression in regressions)
    flaky = flaky_lines(document)
    failing_flaky = flaky if config.flaky == "fail" else []
    reasons.extend(failing_flaky)
    notes = [] if failing_flaky else flaky
    if rejected:
        return _verdict(exit_codes.REJECTED_TESTS, VerdictStatus.REJECTED_TESTS, reasons, target_verdicts, notes)
    if below:
        return _verdict(exit_codes.BELOW_THRESHOLD, VerdictStatus.BELOW_THRESHOLD, reasons, target_verdicts, notes)
    if undetected:
        return _verdict(exit_codes.BELOW_THRESHOLD, VerdictStatus.CHANGED_LINES_SURVIVE, reasons, target_verdicts,
                        notes)
    if regressions:
        return _verdict(exit_codes.REGRESSED, VerdictStatus.REGRESSED, reasons, target_verdicts, notes)
    if failing_flaky:
        return _verdict(exit_codes.FLAKY, VerdictStatus.FLAKY, reasons, target_verdicts)
    return _verdict(exit_codes.PASS, VerdictStatus.PASS, reasons, target_verdicts, notes)


def flaky_lines(document):
    """One line per flaky mutant: its id, where it is, its two runs and the tests involved."""
    return [f"{mutant['id']} is flaky ({mutant['file']}:{mutant['start_line']}): {flaky_summary(mutant)}"
            for mutant in document["mutants"] if mutant["status"] == MutantStatus.FLAKY]


def flaky_summary(mutant):
    """A flaky mutant's two outcomes and the tests involved: `survived then killed; tests involved: t`
    (its reason, which says as much, when the document has no `flaky` entry for it)."""
    entry = mutant.get("flaky")
    if not entry:
        return mutant["reason"]
    tests = f"; tests involved: {', '.join(entry['tests'])}" if entry["tests"] else ""
    return " then ".join(run["status"] for run in entry["runs"]) + tests


def undetected_in_changed_lines(document):
    """One reason per mutant in a line a `--diff` run's change holds that no test detects, with its diff."""
    in_changed_lines = set(document.get("run", {}).get("diff", {}).get("in_changed_lines", ()))
    return [f"{mutant['id']} {UNDETECTED_IN_CHANGED_LINES[mutant['status']]} in a changed line "
            f"({mutant['file']}:{mutant['start_line']}):\n{mutant['diff']}"
            for mutant in document["mutants"]
            if mutant["id"] in in_changed_lines and mutant["status"] in UNDETECTED_IN_CHANGED_LINES]


def _target_verdict(target, config):
    if target.get("not_measured"):
        return {"status": VerdictStatus.PASS, "problems": [],
                "note": f"thresholds not applied: {target['not_measured']} mutants not measured (outside the "
                        f"--diff scope, no cached result)"}
    if target["mutation_score"] is None:
        return {"status": VerdictStatus.PASS, "problems": [], "note": "no mutants to measure"}
    problems = []
    if target["mutation_score"] < target["min_score"]:
        problems.append(f"mutation score {target['mutation_score']:.2f}% < minimum {target['min_score']:g}%")
    if target["assertion_score"] < config.min_assertion_score:
        problems.append(
            f"assertion score {target['assertion_score']:.2f}% < minimum {config.min_assertion_score:g}%"
        )
    return {"status": VerdictStatus.BELOW_THRESHOLD if problems else VerdictStatus.PASS, "problems": problems}


def _verdict(exit_code, status, reasons, target_verdicts, notes=()):
    verdict = {"exit_code": exit_code, "status": status, "reasons": reasons, "targets": target_verdicts}
    if notes:
        verdict["notes"] = list(notes)
    return verdict
