"""One gate run, stage by stage: collect the evidence → build the document → verdicts → (report).

This module only passes plain values from one stage to the next and times the phases; the
result is the `gate.json` document, from which every report and every later `survivors` /
`show` answer is read.
"""

import dataclasses
import datetime
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

from mutation.collect import machine
from mutation.collect.coverage_map import covering_tests, read_coverage
from mutation.collect.diff_run import body_sources, diff_entry, outside_change, project_bodies, read_changes, scope_lines
from mutation.collect.diff_scope import CONFIG_FILES, scope_of_change
from mutation.collect.exclusions import load_exclusions
from mutation.collect.fingerprints import dependency_set, run_context, support_digest, work_files
from mutation.collect.measure import measure_run
from mutation.collect.preflight import preflight
from mutation.collect.pytest_check import check_pytest_accepts
from mutation.collect.result_cache import ResultCache, load, save
from mutation.collect.reuse import cache_summary, next_cache, reusing, run_fingerprints, test_files
from mutation.collect.scope import decide_scope, excluding
from mutation.collect.suite_files import sources_of_test_files
from mutation.collect.targets import resolve_targets
from mutation.collect.test_plan import cheapest_first
from mutation.collect.workspace import SOURCE_DIR, copied_along, prepare_workspace
from mutation.engine import settings as engine_settings
from mutation.engine.generate import Generation
from mutation.engine.mutants import locate_all
from mutation.engine.unmutable import find_blind_spots
from mutation.model import MutantStatus
from mutation.report.document import Evidence, build
from mutation.verdicts.apply import apply_verdicts
from mutation.verdicts.waivers import check_waived_tests_exist, load_waivers

TOOLS = ("mutation-gate", "mutmut", "pytest", "pytest-cov", "coverage", "hypothesis", "libcst")


class PhaseClock:
    def __init__(self):
        self.seconds = {}
        self._started = time.monotonic()

    def lap(self, phase):
        now = time.monotonic()
        self.seconds[phase] = round(now - self._started, 3)
        self._started = now


def evaluate(config, out=sys.stderr, today=None, read_cache=True, diff_base=None):
    """Every stage of a run; returns the gate document, or raises a GateError to stop early.

    `read_cache=False` (`--no-cache`) measures every mutant; a finished run saves its results either way.
    `diff_base` (`--diff BASE`) measures only the mutants the change since that revision reaches."""
    clock = PhaseClock()
    changes = read_changes(config, diff_base) if diff_base is not None else None  # a bad BASE stops the run here
    waivers = load_waivers(config, today or datetime.date.today())
    targets = resolve_targets(config)
    files = [path for target in targets for path in target.files]
    project = engine_settings.project_settings(config.project_root, config.config_path)
    if project.pytest_args:
        # A mutmut user's pytest arguments apply to every session the gate runs, as they did under mutmut.
        config = dataclasses.replace(config, pytest_args=(*config.pytest_args, *project.pytest_args))
    workspace = prepare_workspace(config, project.also_copy)
    work_paths = [workspace.work_path(path) for path in files]
    copied = work_files(workspace.root)  # before the engine's settings are written into the copy
    engine_settings.write_settings(workspace.root, engine_settings.mutmut_settings(
        source_dir=SOURCE_DIR, only_mutate=work_paths, test_selection=[workspace.suite],
        also_copy=[*copied_along(workspace), *project.also_copy], do_not_mutate=project.do_not_mutate,
    ))
    check_pytest_accepts(config, workspace)  # a bad argument or conftest.py stops the run before anything is measured
    clock.lap("prepare")

    # The mutants are generated and located from the sources while the preflight runs the suite.
    with (Generation(workspace.root, config.workers, workspace.gate_dir / "generate.log") as generation,
          ThreadPoolExecutor(1) as background):
        located = background.submit(locate_all, workspace.root, list(zip(work_paths, files)))
        _say(out, f"preflight: running {config.suite} unmutated with per-test coverage")
        unmutated_run = preflight(config, workspace)
        mutants = located.result()  # before anything else here: locating changes the working directory
        if unmutated_run.note:
            _say(out, f"preflight: note: {unmutated_run.note}")
        coverage = read_coverage(unmutated_run.coverage_file, workspace.root, work_paths)
        _say(out, f"preflight: {len(unmutated_run.tests)} tests passed in {unmutated_run.seconds:.1f}s")
        check_waived_tests_exist(config, waivers, set(unmutated_run.tests))
        clock.lap("preflight")

        covered_by = {mutant.engine_name: sorted(covering_tests(mutant, coverage[workspace.work_path(mutant.file)]))
                      for mutant in mutants}
        exclusions = load_exclusions(config, mutants)
        fingerprints = run_fingerprints(mutants, {path: _text(workspace.root / path) for path in work_paths}, coverage,
                                        workspace.work_path, workspace.root / workspace.rootdir, workspace.root)
        support = support_digest(copied, skip=[*work_paths, *test_files(workspace.rootdir, unmutated_run.tests)])
        context = run_context(config, dependency_set(_installed()), tool_versions(), support)
        cache_path = config.resolve(config.cache)
        existed = cache_path.is_file()
        cache, note = load(cache_path, context) if read_cache else (ResultCache(context), "")
        if note:
            _say(out, f"mutation-gate: note: {note}")
        bodies = project_bodies(unmutated_run.bodies, workspace)
        change_scope = None if changes is None else scope_of_change(
            changes, mutants, covered_by, bodies, body_sources(config.project_root, bodies), config.suite,
            config_files=(*CONFIG_FILES, config.config_path.name))
        scope = decide_scope(mutants, [excluding(exclusions), reusing(cache, fingerprints, covered_by),
                                       *([] if change_scope is None else [outside_change(change_scope)])])
        reused = sum(1 for name, outcome in scope.set_aside.items()
                     if name not in exclusions.reason_by_name and outcome.status != MutantStatus.NOT_MEASURED)
        _say(out, cache_summary(reused, len(mutants), config.cache, read_cache, existed, note))
        if change_scope is not None:
            for line in scope_lines(diff_base, change_scope, len(scope.measured), len(mutants)):
                _say(out, line)
        order = cheapest_first(unmutated_run.tests, coverage)
        clock.lap("locate")

        _say(out, f"mutation: {len(mutants)} mutants in {len(files)} files, {config.workers} workers")
        generation.wait()
        outcomes = measure_run(workspace, config, mutants, scope, covered_by, unmutated_run, order, work_paths,
                               clock.lap, out)

    sources = {path: (config.project_root / path).read_text(encoding="utf-8") for path in files}
    document = build(Evidence(
        config=config,
        targets=targets,
        mutants=mutants,
        outcomes=outcomes,
        covered_by=covered_by,
        coverage={workspace.project_path(path): cov for path, cov in coverage.items()},
        preflight=unmutated_run,
        exclusions=exclusions,
        unmutated=[spot for path in files for spot in find_blind_spots(path, sources[path])],
        sources=sources,
        test_sources=sources_of_test_files(config.project_root, unmutated_run.tests),
        tool_versions=tool_versions(),
        system=machine.describe(os.environ),
    ))
    if change_scope is not None:
        document["run"]["diff"] = diff_entry(diff_base, change_scope, len(scope.measured),
                                             {mutant.engine_name: mutant.id for mutant in mutants})
    apply_verdicts(document, config, waivers)
    saved = save(cache_path, next_cache(cache, context, mutants, fingerprints, covered_by, outcomes))
    if saved:
        _say(out, f"mutation-gate: note: {saved}")
    document["run"]["cache"] = {"path": config.cache, "reused": reused, "measured": len(scope.measured),
                                "note": "; ".join(filter(None, (note, saved)))}
    clock.lap("score")
    document["run"]["phase_seconds"] = clock.seconds
    return document


def tool_versions():
    versions = {"python": sys.version.split()[0]}
    for package in TOOLS:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def _installed():
    return [(dist.metadata["Name"], dist.version) for dist in metadata.distributions() if dist.metadata["Name"]]


def _text(path):
    with open(path, encoding="utf-8", newline="") as handle:  # line ends as written: a changed one is a change
        return handle.read()


def _say(out, message):
    print(message, file=out, flush=True)
