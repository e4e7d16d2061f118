"""Diff scope: which mutants a change asks to measure and why, which tests it changes, and which
changed paths widen the run to every mutant."""

from mutation.collect.changes import Changes
from mutation.collect.diff_scope import (
    ChangeScope, function_spans, scope_of_change, touched_tests, widening_reasons,
)
from tests.factories import mutant

# pkg/mod.py: f on lines 1-5 (its mutant on line 3), g on lines 8-10 (its mutant on line 9).
F3 = mutant("pkg.mod.x_f__mutmut_1", function="f", lines=(3, 3), function_lines=(1, 5))
G9 = mutant("pkg.mod.x_g__mutmut_1", function="g", lines=(9, 9), function_lines=(8, 10))
TEST_SOURCE = '''import pytest

LIMIT = 3


@pytest.fixture
def value():
    return 1


def test_f(value):
    assert value == 1


@pytest.mark.parametrize("x", [1, 2])
def test_g(x):
    assert x


class TestH:
    def test_h(self):
        assert True

    def test_i(self):
        assert True
'''
BODIES = {"tests/test_mod.py::test_f": "tests/test_mod.py:11", "tests/test_mod.py::test_g[1]": "tests/test_mod.py:15",
          "tests/test_mod.py::test_g[2]": "tests/test_mod.py:15",
          "tests/test_mod.py::TestH::test_h": "tests/test_mod.py:21",
          "tests/test_mod.py::TestH::test_i": "tests/test_mod.py:24"}
SOURCES = {"tests/test_mod.py": TEST_SOURCE}


def changes(lines=None, removals=None, deleted=()):
    return Changes({path: frozenset(found) for path, found in (lines or {}).items()},
                   {path: frozenset(found) for path, found in (removals or {}).items()}, frozenset(deleted))


def scope(change, covered_by=None, mutants=(F3, G9), bodies=BODIES, sources=SOURCES, suite="tests"):
    return scope_of_change(change, list(mutants), covered_by or {}, bodies, sources, suite)


# --- mutants scoped by their own lines and their function's


def test_a_changed_line_in_a_mutants_span_scopes_it_and_puts_it_in_changed_lines():
    assert scope(changes({"pkg/mod.py": {3}})) == ChangeScope(
        frozenset({F3.engine_name}), (), {F3.engine_name: "changed line 3"}, frozenset({F3.engine_name}), {})


def test_a_changed_line_elsewhere_in_its_function_scopes_it_but_not_as_in_changed_lines():
    result = scope(changes({"pkg/mod.py": {5, 2}}))

    assert result.measured == frozenset({F3.engine_name})
    assert result.reasons == {F3.engine_name: "function f changed at line 2"}
    assert result.in_changed_lines == frozenset()


def test_a_mutant_over_several_lines_is_in_changed_lines_when_any_of_them_changed():
    spanning = mutant("pkg.mod.x_f__mutmut_2", lines=(2, 4), function_lines=(1, 5))

    result = scope(changes({"pkg/mod.py": {4}}), mutants=[spanning])

    assert result.reasons == {spanning.engine_name: "changed line 4"}
    assert result.in_changed_lines == frozenset({spanning.engine_name})


def test_lines_removed_inside_a_function_or_at_its_edges_scope_it():
    assert scope(changes(removals={"pkg/mod.py": {3}})).reasons == {
        F3.engine_name: "function f changed: lines removed after line 3"}
    assert scope(changes(removals={"pkg/mod.py": {5}})).reasons == {  # its last lines removed
        F3.engine_name: "function f changed: lines removed after line 5"}
    assert scope(changes(removals={"pkg/mod.py": {7}})).reasons == {  # a decorator above `def g` removed
        G9.engine_name: "function g changed: lines removed after line 7"}


def test_lines_removed_between_functions_away_from_their_edges_scope_nothing():
    assert scope(changes(removals={"pkg/mod.py": {6}})).measured == frozenset()


def test_a_mutant_outside_every_change_with_no_covering_test_changed_stays_out():
    result = scope(changes({"pkg/mod.py": {9}, "pkg/other.py": {3}}),
                   covered_by={F3.engine_name: ["tests/test_mod.py::test_f"]})

    assert result.measured == frozenset({G9.engine_name})
    assert F3.engine_name not in result.reasons


def test_a_change_to_another_file_at_the_same_lines_scopes_nothing():
    assert scope(changes({"pkg/other.py": {1, 2, 3, 4, 5}})).measured == frozenset()


# --- mutants scoped by their covering tests


def test_a_changed_covering_test_scopes_the_mutants_it_covers():
    result = scope(changes({"tests/test_mod.py": {12}}),
                   covered_by={F3.engine_name: ["tests/test_mod.py::test_g[1]", "tests/test_mod.py::test_f"]})

    assert result.measured == frozenset({F3.engine_name})
    assert result.reasons == {F3.engine_name: "covering test tests/test_mod.py::test_f changed at line 12"}
    assert result.changed_tests == {"tests/test_mod.py::test_f": "changed at line 12"}
    assert result.in_changed_lines == frozenset()


def test_a_new_covering_test_scopes_the_mutants_it_covers():
    result = scope(changes({"tests/test_mod.py": {21, 22}}),
                   covered_by={G9.engine_name: ["tests/test_mod.py::TestH::test_h"]})

    assert result.reasons == {G9.engine_name: "covering test tests/test_mod.py::TestH::test_h is new"}
    assert result.changed_tests == {"tests/test_mod.py::TestH::test_h": "is new"}


def test_a_changed_decorator_changes_every_test_of_that_function():
    result = touched_tests(changes({"tests/test_mod.py": {15}}), BODIES, SOURCES)

    assert result == ({"tests/test_mod.py::test_g[1]": "changed at line 15",
                       "tests/test_mod.py::test_g[2]": "changed at line 15"}, {})


def test_lines_removed_inside_or_at_the_end_of_a_test_change_it():
    assert touched_tests(changes(removals={"tests/test_mod.py": {12}}), BODIES, SOURCES) == (
        {"tests/test_mod.py::test_f": "changed: lines removed after line 12"}, {})


def test_a_test_whose_function_cannot_be_located_is_changed_by_any_change_to_its_file():
    bodies = {"tests/test_mod.py::test_f": "tests/test_mod.py:99", "tests/test_x.py::test_x": "tests/test_x.py::test_x"}
    change = changes({"tests/test_mod.py": {1}, "tests/test_x.py": {40}})

    assert touched_tests(change, bodies, SOURCES) == ({
        "tests/test_mod.py::test_f": "changed: tests/test_mod.py changed and its function is not found there",
        "tests/test_x.py::test_x": "changed: tests/test_x.py changed and its function is not found there",
    }, {})


def test_a_change_to_code_a_test_file_shares_scopes_its_tests_without_changing_them():
    result = scope(changes({"tests/test_mod.py": {8}}),
                   covered_by={F3.engine_name: ["tests/test_mod.py::test_f"]})

    assert result.reasons == {F3.engine_name: "covering test tests/test_mod.py::test_f shares code of "
                                              "tests/test_mod.py that changed at line 8"}
    assert result.changed_tests == {}


def test_blank_lines_between_tests_and_methods_are_no_shared_code():
    # What adding a test at the end of a class or a module also adds.
    assert touched_tests(changes({"tests/test_mod.py": {4, 10, 19, 23}}), BODIES, SOURCES) == ({}, {})


def test_a_changed_test_is_named_rather_than_one_that_only_shares_code():
    covering = ["tests/test_mod.py::TestH::test_h", "tests/test_mod.py::TestH::test_i"]

    result = scope(changes({"tests/test_mod.py": {3, 25}}), covered_by={F3.engine_name: covering})

    assert result.reasons == {F3.engine_name: "covering test tests/test_mod.py::TestH::test_i changed at line 25"}


def test_function_spans_name_methods_by_class_and_start_at_the_first_decorator():
    assert function_spans(TEST_SOURCE) == {"value": (6, 8), "test_f": (11, 12), "test_g": (15, 17),
                                           "TestH.test_h": (21, 22), "TestH.test_i": (24, 25)}
    assert function_spans("def broken(:\n") == {}


# --- widening


def test_a_change_to_a_configuration_file_widens_to_every_mutant_and_says_why():
    result = scope(changes({"setup.cfg": {4}, "pkg/mod.py": {3}}))

    assert result.widened == ("setup.cfg changed (configuration)",)
    assert result.measured == frozenset({F3.engine_name, G9.engine_name})
    assert result.reasons == {F3.engine_name: "changed line 3"}
    assert result.in_changed_lines == frozenset({F3.engine_name})


def test_each_configuration_file_widens_and_a_nested_one_does_not():
    change = changes({name: {1} for name in ("pyproject.toml", "pytest.ini", ".pytest.ini", "tox.ini", "docs/tox.ini")})

    assert widening_reasons(change, "tests") == (
        ".pytest.ini changed (configuration)", "pyproject.toml changed (configuration)",
        "pytest.ini changed (configuration)", "tox.ini changed (configuration)")


def test_the_gates_own_configuration_file_widens_when_named():
    assert widening_reasons(changes({"ci/gate.cfg": {2}}), "tests", config_files=("ci/gate.cfg",)) == (
        "ci/gate.cfg changed (configuration)",)


def test_a_change_to_the_dependency_set_widens():
    names = ("requirements.txt", "requirements-dev.txt", "ci/requirements.txt", "requirements/test.txt",
             "constraints.txt", "requirements.in", "poetry.lock", "Pipfile", "Pipfile.lock", "uv.lock", "pdm.lock",
             "pylock.toml", "setup.py", "vendor/lib/pyproject.toml")
    change = changes({name: set() for name in names})

    assert widening_reasons(change, "tests") == tuple(f"{name} changed (dependencies)" for name in sorted(names))


def test_a_deleted_dependency_or_configuration_file_widens():
    assert widening_reasons(changes(deleted=["requirements.txt", "tox.ini"]), "tests") == (
        "requirements.txt changed (dependencies)", "tox.ini changed (configuration)")


def test_a_conftest_above_or_inside_the_suite_widens_and_one_beside_it_does_not():
    change = changes({"conftest.py": {1}, "tests/conftest.py": {1}, "tests/unit/conftest.py": {1},
                      "docs/conftest.py": {1}, "tests_other/conftest.py": {1}, "tests/helpers.py": {1}})

    assert widening_reasons(change, "tests") == (
        "conftest.py changed (a conftest.py of the suite)", "tests/conftest.py changed (a conftest.py of the suite)",
        "tests/unit/conftest.py changed (a conftest.py of the suite)")


def test_a_conftest_above_a_single_test_file_suite_widens():
    change = changes({"tests/conftest.py": {1}, "tests/unit/conftest.py": {1}})

    assert widening_reasons(change, "tests/test_mod.py") == ("tests/conftest.py changed (a conftest.py of the suite)",)


def test_a_suite_at_the_project_root_is_widened_by_every_conftest():
    assert widening_reasons(changes({"docs/conftest.py": {1}}), ".") == (
        "docs/conftest.py changed (a conftest.py of the suite)",)


def test_nothing_changed_measures_nothing_and_widens_nothing():
    assert scope(changes()) == ChangeScope(frozenset(), (), {}, frozenset(), {})
