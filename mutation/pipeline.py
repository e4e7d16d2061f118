"""One gate run, stage by stage: collect the evidence → build the document → verdicts → (report).

This module only passes plain values from one stage to the next and times the phases; the
result is the `gate.json` document, from which every report and every later `survivors` /
`show` answer is read.
"""

import dataclasses
import datetime
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

from mutation.collect import machine, result_cache
from mutation.collect.coverage_map import covering_tests, read_coverage
from mutation.collect.diff_run import (
    body_sources,
    config_files,
    diff_entry,
    outside_change,
    project_bodies,
    read_changes,
    scope_lines,
)
from mutation.collect.diff_scope import scope_of_change
from mutation.collect.exclusions import load_exclusions
from mutation.collect.fingerprints import conftest_files, dependency_set, run_context, support_digest, work_files
from mutation.collect.measure import measure_run
from mutation.collect.pytest_check import check_pytest_accepts
from mutation.collect.preflight_record import layout, reusable
from mutation.collect.preflight_reuse import WorkFiles, next_record, preflight_line, run_preflight, test_dependencies_of
from mutation.collect.result_cache import ResultCache, save
from mutation.collect.reuse import attach_history, cache_summary, last_runs, next_cache, reusing, run_fingerprints
from mutation.collect.scope import decide_scope, excluding
from mutation.collect.shard_caches import save_shard_cache, shard_cache_path, shard_record
from mutation.collect.shards import expected_seconds, outside_shard, shard_entry, split_digest
from mutation.collect.suite_files import sources_of_test_files
from mutation.collect.targets import resolve_targets
from mutation.collect.test_plan import cheapest_first
from mutation.collect.workspace import SOURCE_DIR, copied_along, prepare_workspace
from mutation.engine import settings as engine_settings
from mutation.engine import generated_cache
from mutation.engine.generate import Generation
from mutation.engine.mutants import locate_all
from mutation.engine.unmutable import find_blind_spots
from mutation.model import MutantStatus
from mutation.report.document import Evidence, build
from mutation.report.merge import shard_verdict
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


def evaluate(config, out=sys.stderr, today=None, read_cache=True, diff_base=None, shard=None):
    """Every stage of a run; returns the gate document, or raises a GateError to stop early.

    `read_cache=False` (`--no-cache`) measures every mutant; a finished run saves its results either way.
    `diff_base` (`--diff BASE`) measures only the mutants the change since that revision reaches.
    `shard` ((K, N), `--shard K/N`) measures only shard K's mutants, split by the expected time the
    restored cache's preflight record gives (by count without one), and is judged on completeness only."""
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

    targets_text = {path: _text(workspace.root / path) for path in work_paths}
    work = WorkFiles(copied, conftest_files(workspace.root), {path: layout(text) for path, text in targets_text.items()})
    versions = tool_versions()
    context = run_context(config, dependency_set(_installed()), versions)
    cache_path = config.resolve(config.cache)
    existed = cache_path.is_file()
    stored, read_note = result_cache.read(cache_path) if read_cache else (None, "")
    record = (stored or {}).get("preflight") or None
    dependencies = test_dependencies_of(workspace)
    reuse = reusable(record, context, copied, work.layouts, dependencies)

    generated_dir = generated_cache.directory_of(cache_path)
    generated_keys = _generated_keys(work_paths, files, targets_text, project, versions["mutmut"])
    restored = generated_cache.restore(generated_dir, workspace.root, generated_keys) if read_cache else {}

    # The mutants are generated and located from the sources while the preflight runs the suite.
    with (Generation(workspace.root, config.workers, workspace.gate_dir / "generate.log") as generation,
          ThreadPoolExecutor(1) as background):
        located = background.submit(locate_all, workspace.root,
                                    [(work, shown) for work, shown in zip(work_paths, files) if work not in restored])
        _say(out, f"preflight: running {config.suite} unmutated with per-test coverage")
        unmutated_run, support = run_preflight(config, workspace, reuse, record, work, out)
        mutants = _by_file(located.result(), restored, work_paths, files)  # first: locating changes the cwd
        if unmutated_run.note:
            _say(out, f"preflight: note: {unmutated_run.note}")
        coverage = read_coverage(unmutated_run.coverage_file, workspace.root, work_paths)
        _say(out, preflight_line(unmutated_run, config.cache))
        check_waived_tests_exist(config, waivers, set(unmutated_run.tests))
        clock.lap("preflight")

        covered_by = {mutant.engine_name: sorted(covering_tests(mutant, coverage[workspace.work_path(mutant.file)]))
                      for mutant in mutants}
        exclusions = load_exclusions(config, mutants)
        fingerprints = run_fingerprints(mutants, targets_text, coverage, workspace.work_path, dependencies)
        context = {**context, "support": support_digest(support)}
        cache, note = (result_cache.trusted(cache_path, stored, context) if stored is not None
                       else (ResultCache(context), read_note))
        if note:
            _say(out, f"mutation-gate: note: {note}")
        bodies = project_bodies(unmutated_run.bodies, workspace)
        change_scope = None if changes is None else scope_of_change(
            changes, mutants, covered_by, bodies, body_sources(config.project_root, bodies), config.suite,
            config_files=config_files(config))
        estimates = expected_seconds(record, covered_by, last_runs(cache, mutants)) if shard is not None else {}
        in_shard = [] if shard is None else [outside_shard(*shard, mutants, estimates)]
        scope = decide_scope(mutants, [*in_shard, excluding(exclusions), reusing(cache, fingerprints, covered_by),
                                       *([] if change_scope is None else [outside_change(change_scope)])])
        reused = sum(1 for name, outcome in scope.set_aside.items()
                     if name not in exclusions.reason_by_name and outcome.status != MutantStatus.NOT_MEASURED)
        # A shard reads the shared cache but saves to its own file (`shard_caches`): `merge` merges them.
        results_to = config.cache if shard is None else shard_cache_path(config.cache, *shard).as_posix()
        summary = cache_summary(reused, len(mutants), config.cache if read_cache else results_to, read_cache,
                                existed, note)
        if shard is not None and read_cache:
            summary += f"; this shard's results go to {results_to}"
        _say(out, summary)
        if change_scope is not None:
            for line in scope_lines(diff_base, change_scope, len(scope.measured), len(mutants)):
                _say(out, line)
        order = cheapest_first(unmutated_run.tests, coverage)
        clock.lap("locate")

        _say(out, f"mutation: {len(mutants)} mutants in {len(files)} files, {config.workers} workers")
        generation.wait()
        generated_cache.keep(generated_dir, workspace.root, generated_keys, _mutants_by_work_path(mutants, workspace))
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
        tool_versions=versions,
        system=machine.describe(os.environ),
    ))
    if change_scope is not None:
        document["run"]["diff"] = diff_entry(diff_base, change_scope, len(scope.measured),
                                             {mutant.engine_name: mutant.id for mutant in mutants})
    if shard is not None:
        document["run"]["shard"] = {**shard_entry(*shard, mutants, estimates),
                                    "split": split_digest(mutants, estimates)}
        # No test is rejected and no baseline compared over part of the mutants: that is the merge's.
        apply_verdicts(document, dataclasses.replace(config, reject=(), baseline=None), waivers)
        shard_verdict(document)
    else:
        apply_verdicts(document, config, waivers)
    following = next_cache(cache, context, mutants, fingerprints, covered_by, outcomes)
    attach_history(document, mutants, following)
    following.preflight = next_record(context, unmutated_run, reuse, dependencies, support, workspace, work, work_paths)
    saved = (save(cache_path, following) if shard is None else
             save_shard_cache(config.resolve(results_to), following, shard_record(document["run"]["shard"], mutants)))
    if saved:
        _say(out, f"mutation-gate: note: {saved}")
    document["run"]["cache"] = {"path": results_to, "reused": reused, "measured": len(scope.measured),
                                "note": "; ".join(filter(None, (note, saved)))}
    clock.lap("score")
    document["run"]["phase_seconds"] = clock.seconds
    return document


def _generated_keys(work_paths, files, texts, project, mutmut_version):
    settings = json.dumps([mutmut_version, list(project.do_not_mutate)])
    return {work: generated_cache.file_key(work, shown, texts[work], settings) for work, shown in zip(work_paths, files)}


def _by_file(located, restored, work_paths, files):
    """Every mutant in the order of the target files, restored ones with the ones located now."""
    fresh = {}
    for mutant in located:
        fresh.setdefault(mutant.file, []).append(mutant)
    return [mutant for work, shown in zip(work_paths, files) for mutant in restored.get(work, fresh.get(shown, []))]


def _mutants_by_work_path(mutants, workspace):
    by_path = {}
    for mutant in mutants:
        by_path.setdefault(workspace.work_path(mutant.file), []).append(mutant)
    return by_path


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
