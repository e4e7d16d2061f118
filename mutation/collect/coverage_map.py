"""Per-file and per-test coverage from the preflight's coverage data (contexts = test ids).

Also decides which tests can kill a mutant: the tests that executed the statement holding it
(a test that never runs the mutated statement behaves exactly as it did unmutated), or, for
a mutant in a function's signature or on a line coverage does not measure, every test that
ran the function.
"""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import coverage

from mutation.errors import IncompleteMeasurementError


@dataclass(frozen=True)
class FileCoverage:
    path: str
    statements: frozenset
    executed: frozenset
    tests_by_line: dict
    num_branches: int
    covered_branches: int

    def tests_at(self, line):
        return self.tests_by_line.get(line, frozenset())

    def tests_between(self, first, last):
        tests = set()
        for line in range(first, last + 1):
            tests |= self.tests_at(line)
        return tests


def read_coverage(coverage_file, work_root, work_paths):
    """FileCoverage for each of `work_paths` (relative to `work_root`), keyed by that path."""
    data_file = Path(coverage_file)
    if not data_file.is_file():
        raise IncompleteMeasurementError(f"coverage data missing: {data_file}")
    # The gate's own rc (written next to the data) so that the project's settings do not apply.
    rc_file = data_file.parent / "coveragerc"
    cov = coverage.Coverage(data_file=str(data_file), config_file=str(rc_file) if rc_file.is_file() else False)
    cov.load()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "coverage.json"
        # Without contexts: the report's per-function regions would read every line's tests once per
        # function (minutes on a large suite); they are read below, once per file.
        cov.json_report(outfile=str(out), show_contexts=False, include=[str(work_root / path) for path in work_paths])
        report = json.loads(out.read_text())["files"]
    data = cov.get_data()
    root = work_root.resolve()
    by_path = {str(Path(name).resolve().relative_to(root)): info for name, info in report.items()}
    measured = {str(Path(name).resolve().relative_to(root)): name for name in data.measured_files()
                if Path(name).resolve().is_relative_to(root)}
    return {path: _file_coverage(path, measured.get(path), by_path.get(path), data) for path in work_paths}


def _file_coverage(path, measured_name, info, data):
    if info is None or measured_name is None:
        return FileCoverage(path, frozenset(), frozenset(), {}, 0, 0)
    executed = frozenset(info["executed_lines"])
    statements = executed | frozenset(info["missing_lines"])
    tests_by_line = {
        int(line): frozenset(_test_id(context) for context in contexts if _test_id(context))
        for line, contexts in data.contexts_by_lineno(measured_name).items()
    }
    summary = info["summary"]
    return FileCoverage(
        path, statements, executed, tests_by_line, summary.get("num_branches", 0), summary.get("covered_branches", 0)
    )


def _test_id(context):
    return context.rpartition("|")[0] if "|" in context else context


def covering_tests(mutant, file_coverage):
    """The tests that can observe this mutant (see the module docstring)."""
    first, last = mutant.function_lines
    if mutant.in_signature or mutant.statement_line not in file_coverage.statements:
        return file_coverage.tests_between(first, last)
    # A statement over several lines may be recorded at a later line than its first (Python 3.11
    # reports `if not (` ... `)` at the line of its condition): every line of the mutated code counts.
    return set(file_coverage.tests_at(mutant.statement_line)) | file_coverage.tests_between(
        mutant.start_line, mutant.end_line)


def arcs_by_test(coverage_file, work_root, work_paths, tests):
    """`{test: {work path: {(from, to), ...}}}`: the arcs each of `tests` executed in each target,
    every phase of the test (setup, call, teardown) together. What the preflight record keeps."""
    data = coverage.CoverageData(basename=str(coverage_file))
    data.read()
    wanted = set(tests)
    files = {path: str(Path(work_root) / path) for path in work_paths}
    arcs = {}
    for context in sorted(data.measured_contexts()):
        test = _test_id(context)
        if test not in wanted:
            continue
        data.set_query_context(context)
        for path, name in files.items():
            pairs = data.arcs(name)
            if pairs:
                arcs.setdefault(test, {}).setdefault(path, set()).update(pairs)
    return {test: arcs.get(test, {}) for test in tests}


def restore_arcs(coverage_file, work_root, arcs_of_tests):
    """Add each reused test's arcs (`{test: {work path: arcs}}`) to the preflight's coverage data, as
    that test's own context: read afterwards, the data is what a preflight running it would leave."""
    data = coverage.CoverageData(basename=str(coverage_file))
    data.read()
    for context, arcs in sorted(arcs_of_tests.items()):
        if any(arcs.values()):
            data.set_context(f"{context}|run" if context else "")  # "": what ran outside every test
            data.add_arcs({str(Path(work_root) / path): pairs for path, pairs in arcs.items() if pairs})
    data.write()


def collection_arcs(coverage_file, work_root, work_paths):
    """`{work path: arcs}` executed outside every test (importing the suite, collecting it)."""
    data = coverage.CoverageData(basename=str(coverage_file))
    data.read()
    data.set_query_context("")
    arcs = {path: data.arcs(str(Path(work_root) / path)) for path in work_paths}
    return {path: set(pairs) for path, pairs in arcs.items() if pairs}

