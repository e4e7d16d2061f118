"""One gate run: collect (preflight, mutmut, records) → score → judge → report.

Each stage is a module; this one only passes plain values from one to the next and times
the phases. The result is the `gate.json` document (see `report_json`), from which every
report and every later `survivors` / `show` answer is read.
"""

import datetime
import sys
import time
from importlib import metadata
from pathlib import Path

from mutation import judge, report_json
from mutation.blind_spots import find_blind_spots
from mutation.coverage_map import read_coverage, tests_for_mutant
from mutation.credit import run_credit_passes
from mutation.exclusions import load_exclusions
from mutation.function_verdicts import classify_functions
from mutation.locate import locate_file
from mutation.mutmut_driver import mutmut_settings, run_mutmut
from mutation.outcome import UNRESOLVED, check_names, classify_all, read_meta_exit_codes
from mutation.preflight import run_preflight
from mutation.selection import run_order, write_selection
from mutation.targets import resolve_targets
from mutation.test_verdicts import classify_tests
from mutation.waivers import check_waived_tests_exist, load_waivers
from mutation.workspace import prepare_workspace, write_mutmut_settings

OUTER_TIMEOUT_MARGIN = 15.0
# Under `kill_matrix = sampled`, a mutant's session stops once this many tests failed by assertion:
# two, so that a unique kill (no other test kills as strongly) is still known exactly.
SAMPLED_STOP_AFTER_ASSERTIONS = 2


class PhaseClock:
    def __init__(self):
        self.seconds = {}
        self._started = time.monotonic()

    def lap(self, phase):
        now = time.monotonic()
        self.seconds[phase] = round(now - self._started, 3)
        self._started = now


def run_gate(config, out=sys.stderr, today=None):
    """Run every stage and return the gate document; raises GateError subclasses to stop early."""
    clock = PhaseClock()
    waivers = load_waivers(config, today or datetime.date.today())
    targets = resolve_targets(config)
    files = [path for target in targets for path in target.files]
    workspace = prepare_workspace(config, files, mutmut_settings(config, outer_timeout_seconds=OUTER_TIMEOUT_MARGIN))
    clock.lap("prepare")

    _say(out, f"preflight: running {config.suite} unmutated with per-test coverage")
    preflight = run_preflight(config, workspace)
    work_paths = [workspace.work_path(path) for path in files]
    coverage = read_coverage(preflight.coverage_file, workspace.root, work_paths)
    _say(out, f"preflight: {len(preflight.tests)} tests passed in {preflight.seconds:.1f}s")
    check_waived_tests_exist(config, waivers, set(preflight.tests))
    clock.lap("preflight")

    locations = _locate(workspace, files)
    covered_by = {
        location.mutmut_name: sorted(tests_for_mutant(location, coverage[workspace.work_path(location.file)]))
        for location in locations
    }
    stop_after = SAMPLED_STOP_AFTER_ASSERTIONS if config.kill_matrix == "sampled" else 0
    order = run_order(preflight.tests, coverage)
    limits = write_selection(workspace.gate_dir, covered_by, preflight.durations, config, order, stop_after)
    # mutmut's own wall limit only backs up the kill recorder's per-test limits.
    outer = max(limits.values(), default=config.test_timeout_floor) + OUTER_TIMEOUT_MARGIN
    write_mutmut_settings(config, workspace, files, mutmut_settings(config, outer_timeout_seconds=outer))
    exclusions = load_exclusions(config, locations)
    clock.lap("locate")

    _say(out, f"mutation: {len(locations)} mutants in {len(files)} files, {config.workers} workers")
    run_mutmut(workspace, config.workers, total=len(locations), out=out)
    outcomes = _collect_outcomes(workspace, work_paths, locations, exclusions.excluded_names)
    clock.lap("mutation")

    unresolved = sorted(name for name, outcome in outcomes.items() if outcome.status == UNRESOLVED)
    if unresolved:
        _say(out, f"re-running {len(unresolved)} unresolved mutants once in a fresh process")
        run_mutmut(workspace, config.workers, mutant_names=unresolved, out=out, run_label="rerun")
        outcomes.update(_collect_outcomes(workspace, work_paths, locations, exclusions.excluded_names, unresolved))
    clock.lap("rerun")

    outcomes = run_credit_passes(
        outcomes, covered_by,
        run_pass=lambda jobs, number: _credit_pass(workspace, config, preflight, order, work_paths, jobs, number, out),
        on_pass=lambda number, jobs: _say(out, _credit_message(number, jobs)),
    )
    clock.lap("credit")

    blind_spots = [spot for path in files for spot in find_blind_spots(path, (config.project_root / path).read_text())]
    document = report_json.build(
        config=config,
        targets=targets,
        locations=locations,
        outcomes=outcomes,
        covered_by=covered_by,
        coverage={workspace.project_path(path): cov for path, cov in coverage.items()},
        preflight=preflight,
        exclusions=exclusions,
        blind_spots=blind_spots,
        tool_versions=_tool_versions(),
    )
    _add_verdicts(document, config, waivers, files)
    clock.lap("score")
    document["verdict"] = judge.judge(document, config)
    document["run"]["phase_seconds"] = clock.seconds
    return document


def _add_verdicts(document, config, waivers, files):
    """Per-test and per-function verdicts, and the tests the gate rejects."""
    verdicts = classify_tests(document, config.reject, waivers)
    for test, verdict in verdicts.items():
        document["tests"][test].update(verdict)
    sources = {path: (config.project_root / path).read_text(encoding="utf-8") for path in files}
    document["functions"] = classify_functions(document, sources)
    document["rejected_tests"] = sorted(test for test, verdict in verdicts.items() if verdict["rejected"])


def _credit_pass(workspace, config, preflight, order, work_paths, jobs, number, out):
    records_dir = f"credit-{number}"
    write_selection(workspace.gate_dir, jobs, preflight.durations, config, order, records_dir=records_dir)
    names = sorted(jobs)
    run_mutmut(workspace, config.workers, mutant_names=names, out=out, run_label=records_dir)
    codes = read_meta_exit_codes(workspace.mutants_dir, work_paths)
    return classify_all(names, codes, workspace.gate_dir, records_dir=records_dir)


def _credit_message(number, jobs):
    tests = {test for names in jobs.values() for test in names}
    return (f"credit pass {number}: {len(tests)} tests without an assertion kill yet, "
            f"run under {len(jobs)} mutants they have not run against")


def _locate(workspace, files):
    from mutmut.configuration import reset_config
    from mutmut.utils.file_utils import change_cwd

    reset_config()
    with change_cwd(workspace.root):
        locations = [
            location
            for path in files
            for location in locate_file(workspace.work_path(path), path, workspace.work_path(path))
        ]
    reset_config()
    return locations


def _collect_outcomes(workspace, work_paths, locations, excluded_names, only=None):
    codes = read_meta_exit_codes(workspace.mutants_dir, work_paths)
    check_names([location.mutmut_name for location in locations], codes)
    names = only if only is not None else [location.mutmut_name for location in locations]
    return classify_all(names, codes, workspace.gate_dir, excluded_names)


def _tool_versions():
    versions = {"python": sys.version.split()[0]}
    for package in ("mutmut", "pytest", "pytest-cov", "coverage", "hypothesis", "libcst"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def _say(out, message):
    print(message, file=out, flush=True)


def gate_json_path(config):
    return Path(config.project_root) / config.report_dir / "gate.json"
