"""Reusing cached results in a run: this run's fingerprints of each mutant and covering test, the
scope filter that sets aside every mutant with a valid cache entry, and the cache a finished run
leaves behind (`result_cache` keeps the file, `fingerprints` says what each fingerprint covers).
"""

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from mutation.collect import result_cache
from mutation.collect.fingerprints import (
    code_under_test,
    digest,
    executed_lines,
    file_parts,
    function_fingerprint,
)
from mutation.collect.reverify import history_record
from mutation.model import MutantStatus


@dataclass(frozen=True)
class RunFingerprints:
    functions: dict  # engine name -> the fingerprint of the mutant's own code
    tests: dict  # test id -> the fingerprint of the test and the target code it ran


def test_files(rootdir, tests):
    """The work-directory paths of the files holding `tests` (ids relative to pytest's `rootdir`)."""
    return sorted({PurePosixPath(rootdir, test.split("::", 1)[0]).as_posix().removeprefix("./") for test in tests})


test_files.__test__ = False  # a helper, not a pytest test


def run_fingerprints(mutants, sources, coverage, work_path, dependencies):
    """The fingerprints of this run's mutants and preflight tests.

    `sources`: work path -> text of each target file; `coverage`: work path -> FileCoverage;
    `work_path(project path)`; `dependencies(test)`: the test's `fingerprints.test_dependencies`
    (the preflight record reads the same, once per test file: `preflight_reuse.test_dependencies_of`).
    """
    spans = {}
    for mutant in mutants:
        spans.setdefault(work_path(mutant.file), []).append(mutant.function_lines)
    parts = {path: file_parts(sources[path], spans.get(path, ())) for path in sources}
    functions = {mutant.engine_name: function_fingerprint(mutant, parts[work_path(mutant.file)]) for mutant in mutants}
    executed = executed_lines(coverage)
    tests = {test: digest(dependencies(test), code_under_test(executed.get(test, {}), parts))
             for test in sorted({test for file_coverage in coverage.values()
                                 for tests in file_coverage.tests_by_line.values() for test in tests})}
    return RunFingerprints(functions, tests)


def covering(fingerprints, tests):
    """`{test: fingerprint}` of a mutant's covering `tests`; None if one has no fingerprint (no entry)."""
    if not all(test in fingerprints.tests for test in tests):
        return None
    return {test: fingerprints.tests[test] for test in tests}


def reusing(cache, fingerprints, covered_by):
    """The scope filter that sets aside every mutant whose cached outcome is still valid, with it."""

    def reuse(mutants):
        found = {}
        for mutant in mutants:
            tests = covering(fingerprints, covered_by[mutant.engine_name])
            outcome = None if tests is None else result_cache.lookup(
                cache, mutant, fingerprints.functions[mutant.engine_name], tests)
            if outcome is not None:
                found[mutant.engine_name] = outcome
        return found

    return reuse


def last_runs(cache, mutants):
    """engine name -> the tests the cached measurement of each mutant ran (`tests_run`), valid or
    not: what the shard split expects its session to run again (`shards.expected_seconds`)."""
    runs = {}
    for mutant in mutants:
        entry = cache.entries.get(result_cache.entry_key(mutant))
        if entry is not None:
            runs[mutant.engine_name] = entry["outcome"]["tests_run"]
    return runs


def next_cache(previous, context, mutants, fingerprints, covered_by, outcomes):
    """The cache a finished run saves: every final outcome of this run, and the previous entries of
    files this run did not mutate (a lookup checks their fingerprints before any reuse)."""
    files = {mutant.key.file for mutant in mutants}
    kept = {key: entry for key, entry in previous.entries.items() if json.loads(key)[0] not in files}
    cache = result_cache.ResultCache(dict(context), kept)
    for mutant in mutants:
        tests = covering(fingerprints, covered_by[mutant.engine_name])
        if tests is not None:
            result_cache.store(cache, mutant, fingerprints.functions[mutant.engine_name], tests,
                               outcomes[mutant.engine_name])
    cache.history = next_history(previous.history, files, mutants, outcomes)
    return cache


def next_history(previous, files, mutants, outcomes):
    """Each mutant's re-verifications: the previous ones of files this run did not mutate, and for each
    of this run's mutants its previous ones with this run's (when it was re-verified), the latest
    `HISTORY_LIMIT`."""
    history = {key: records for key, records in previous.items() if json.loads(key)[0] not in files}
    for mutant in mutants:
        key = result_cache.entry_key(mutant)
        records = list(previous.get(key, ()))
        outcome = outcomes.get(mutant.engine_name)
        if outcome is not None and len(outcome.runs) == 2:
            records.append(history_record(outcome))
        if records:
            history[key] = records[-result_cache.HISTORY_LIMIT:]
    return history


def attach_history(document, mutants, cache):
    """Each flaky mutant of `document` listed with its re-verifications across runs (this run's last),
    from `cache` (the one `next_cache` made)."""
    by_id = {mutant.id: mutant for mutant in mutants}
    for entry in document["mutants"]:
        if entry["status"] == MutantStatus.FLAKY and entry["id"] in by_id:
            entry["flaky"]["history"] = list(cache.history.get(result_cache.entry_key(by_id[entry["id"]]), ()))


def cache_summary(reused, total, path, read, existed, note):
    """The run's one line about the cache: how many mutants it reused from where, or why none."""
    if not read:
        return f"cache: none of {total} mutants reused (--no-cache); this run's results go to {path}"
    if note:
        return f"cache: none of {total} mutants reused ({path} ignored, see the note above)"
    if not existed:
        return f"cache: none of {total} mutants reused (no cache at {path} yet)"
    return f"cache: {reused} of {total} mutants reused from {path}"
