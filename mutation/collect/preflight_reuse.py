"""The incremental preflight: which tests run and which are taken from the preflight record
(`preflight_record` says when a test may be reused), the preflight in one of its three forms,
and the record this run leaves.

- Nothing reusable (no record, another context, a changed support file, a changed target
  context): the whole suite runs, as without a cache.
- Collecting the suite would give the record's tests (`same_collection`): only the files of the
  tests to run are collected, the other tests there deselected; with no test to run, pytest does
  not start at all. The record's order, bodies and collection-time coverage stand for the rest.
- Otherwise the whole suite is collected and every reusable test deselected. Whether a file holds
  tests is known only then: if the support files are not the record's after all (a file the
  record did not know holds no test), every test runs again.

A reused test's arcs are added to this run's coverage data under its own context, so coverage
is read as if the test had run (`coverage_map.restore_arcs`).
"""

from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from mutation.collect.coverage_map import arcs_by_test, collection_arcs, restore_arcs
from mutation.collect.fingerprints import test_dependencies
from mutation.collect.preflight import PreflightResult, preflight, write_coverage_rc
from mutation.collect.preflight_record import make_record, same_collection, support_files
from mutation.collect.reuse import test_files


@dataclass(frozen=True)
class WorkFiles:
    """The work directory as copied: `files` (`fingerprints.work_files`), `conftests`
    (`fingerprints.conftest_files`) and `layouts` (work path -> Layout of each target)."""

    files: dict
    conftests: dict
    layouts: dict


def run_preflight(config, workspace, reuse, record, work, out):
    """`(PreflightResult, support files)`. `reuse`: test -> ReusedTest (`preflight_record.reusable`);
    `record`: the stored record; `work`: WorkFiles of the work directory as copied."""
    collection = same_collection(record, work.files, work.conftests, work.layouts) if reuse else None
    if collection is not None:
        run = _targeted(config, workspace, record, reuse, collection)
        if run is not None:
            return run, support_files(work.files, [*work.layouts, *record["test_files"]])
    run = preflight(config, workspace, reuse)
    support = support_files(work.files, [*work.layouts, *test_files(workspace.rootdir, run.tests)])
    if run.reused and support != record["support_files"]:
        print("preflight: note: the support files changed (a new file holds no test): every test runs",
              file=out, flush=True)
        run = preflight(config, workspace)
        return run, support_files(work.files, [*work.layouts, *test_files(workspace.rootdir, run.tests)])
    if run.reused:
        restore_arcs(run.coverage_file, workspace.root, {test: reuse[test].arcs for test in run.reused})
    return run, support


def _targeted(config, workspace, record, reuse, collection):
    """The preflight over the files of the tests to run only; None if pytest did not collect there
    exactly the record's tests (then the whole suite is collected)."""
    order = record["order"]
    to_run = [test for test in order if test not in reuse]
    files = sorted({_file(test) for test in to_run})
    expected = [test for test in order if _file(test) in files]
    if to_run:
        run = preflight(config, workspace, {test: reuse[test] for test in expected if test in reuse},
                        paths=[PurePosixPath(workspace.rootdir, file).as_posix() for file in files])
        if sorted(run.tests) != sorted(expected):
            return None
    else:
        write_coverage_rc(workspace.gate_dir)
        run = PreflightResult((), {}, str(workspace.gate_dir / ".coverage"), 0.0)
        (workspace.gate_dir / ".coverage").unlink(missing_ok=True)
    ran = set(to_run)
    restored = {test: reuse[test].arcs for test in order if test not in ran}
    if not to_run and not any(arcs for arcs in [*restored.values(), *collection.values()]):
        return None  # no coverage data to read at all: let pytest make it
    restore_arcs(run.coverage_file, workspace.root, {**restored, "": collection})
    tests = record["tests"]
    return replace(
        run,
        tests=tuple(order),
        durations={**{test: reuse[test].duration for test in restored}, **run.durations},
        bodies={**{test: tests[test]["body"] for test in restored if tests[test]["body"] is not None}, **run.bodies},
        silent=frozenset({test for test in restored if not tests[test]["asserts"]} | run.silent),
        reused=frozenset(restored),
    )


def _file(test):
    return test.split("::", 1)[0]


def preflight_line(run, cache):
    """The preflight's line: how many tests passed, and how many of them ran or were reused."""
    seconds = f"{run.seconds:.1f}s"
    if not run.reused:
        return f"preflight: {len(run.tests)} tests passed in {seconds}"
    ran = len(run.tests) - len(run.reused)
    return f"preflight: {len(run.tests)} tests passed: {ran} run in {seconds}, {len(run.reused)} reused from {cache}"


def next_record(context, run, reuse, dependencies, support, workspace, work, work_paths):
    """The record this run leaves for the next one."""
    fresh = [test for test in run.tests if test not in run.reused]
    arcs = arcs_by_test(run.coverage_file, workspace.root, work_paths, fresh)
    arcs.update({test: reuse[test].arcs for test in run.reused})
    tests = {test: (dependencies(test), run.durations.get(test, 0.0), arcs[test], run.bodies.get(test),
                    test not in run.silent) for test in run.tests}
    holding_tests = test_files(workspace.rootdir, run.tests)
    files = {"support_files": support, "conftests": work.conftests,
             "test_files": {path: work.files[path] for path in holding_tests if path in work.files}}
    return make_record(context, tests, work.layouts, files,
                       collection_arcs(run.coverage_file, workspace.root, work_paths))


def test_dependencies_of(workspace):
    """`dependencies(test)`: the test's `test_dependencies` digest, read once per test file."""
    rootdir, by_file = workspace.root / workspace.rootdir, {}

    def dependencies(test):
        file = _file(test)
        if file not in by_file:
            by_file[file] = test_dependencies(rootdir, test, top=workspace.root)
        return by_file[file]

    return dependencies


test_dependencies_of.__test__ = False  # a helper, not a pytest test
