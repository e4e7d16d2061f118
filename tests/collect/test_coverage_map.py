"""Per-test coverage from the preflight's coverage data, and which tests can observe each mutant."""

import coverage
import pytest

from mutation.collect.coverage_map import FileCoverage, read_coverage, covering_tests
from mutation.errors import IncompleteMeasurementError
from tests.factories import mutant

A, B, C = "t.py::a", "t.py::b", "t.py::c"
FILE = FileCoverage("src/m.py", frozenset({1, 2, 3, 5}), frozenset({1, 2, 3}), {1: {A, B, C}, 2: {A}, 3: {B}}, 4, 3)


@pytest.mark.parametrize(
    ("located", "tests"),
    [
        pytest.param(mutant(statement_line=2, lines=(2, 2), function_lines=(1, 3)), {A}, id="the-statements-tests"),
        pytest.param(mutant(statement_line=5, lines=(5, 5), function_lines=(4, 5)), set(), id="a-statement-nobody-runs"),
        pytest.param(mutant(statement_line=2, lines=(2, 3), function_lines=(1, 3)), {A, B},
                     id="a-statement-over-lines-recorded-at-a-later-one"),
        pytest.param(mutant(statement_line=1, in_signature=True, function_lines=(1, 3)), {A, B, C},
                     id="a-default-value-every-test-of-the-function"),
        pytest.param(mutant(statement_line=4, function_lines=(1, 3)), {A, B, C},
                     id="a-line-coverage-does-not-measure-every-test-of-the-function"),
    ],
)
def test_the_tests_that_can_observe_a_mutant(located, tests):
    assert covering_tests(located, FILE) == tests


def test_read_coverage_maps_each_line_to_the_tests_that_ran_it(tmp_path):
    (tmp_path / "src").mkdir()
    module = tmp_path / "src" / "m.py"
    module.write_text("def f(x):\n    if x:\n        return 1\n    return 2\n", encoding="utf-8")
    data = coverage.CoverageData(basename=str(tmp_path / ".coverage"))
    data.set_context("t.py::a|run")
    data.add_arcs({str(module): {(-1, 1), (1, -1)}})
    data.set_context("t.py::b|run")
    data.add_arcs({str(module): {(-1, 2), (2, 3), (3, -1)}})
    data.write()

    read = read_coverage(tmp_path / ".coverage", tmp_path, ["src/m.py", "src/unrun.py"])

    assert read["src/m.py"].tests_by_line == {1: frozenset({A}), 2: frozenset({B}), 3: frozenset({B})}
    assert (read["src/m.py"].executed, read["src/m.py"].statements) == (frozenset({1, 2, 3}), frozenset({1, 2, 3, 4}))
    assert (read["src/m.py"].num_branches, read["src/m.py"].covered_branches) == (2, 1)
    assert read["src/unrun.py"] == FileCoverage("src/unrun.py", frozenset(), frozenset(), {}, 0, 0)


def test_missing_coverage_data_fails_closed(tmp_path):
    with pytest.raises(IncompleteMeasurementError) as error:
        read_coverage(tmp_path / ".coverage", tmp_path, ["src/m.py"])

    assert str(error.value) == f"coverage data missing: {tmp_path / '.coverage'}"
