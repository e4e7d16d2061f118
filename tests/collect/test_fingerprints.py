"""Fingerprints of what a mutant's result depends on: each changes with exactly the edits that can
change the result it guards, and with nothing else."""

import dataclasses
import hashlib

import pytest

from mutation.collect import fingerprints
from mutation.collect.coverage_map import FileCoverage
from mutation.collect.fingerprints import (
    MISSING,
    code_under_test,
    dependency_set,
    digest,
    executed_lines,
    file_parts,
    function_fingerprint,
    function_source,
    module_context,
    run_context,
    support_files,
)
from mutation.model import KillMatrix
from tests.factories import gate_config, mutant

SOURCE = ("import os\n\nLIMIT = 3\n\n\ndef f(x):\n    return x + LIMIT\n\n\n"
          "class C:\n    SIZE = 2\n\n    def g(self):\n        return self.SIZE\n")
F = mutant(function="f", function_lines=(6, 7), lines=(7, 7), statement_line=7, mutated_text="return x - LIMIT")
G = mutant("pkg.mod.xǁCǁg__mutmut_1", function="C.g", function_lines=(13, 14), lines=(14, 14), statement_line=14,
           mutated_text="return None")
SPANS = (F.function_lines, G.function_lines)


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def test_digest_is_the_sha256_of_its_length_prefixed_parts():
    assert digest("ab", "c") == sha("2:ab1:c")
    assert digest("a", "bc") != digest("ab", "c")
    assert digest() == sha("")


def test_function_source_is_the_exact_text_of_the_functions_lines():
    assert function_source(SOURCE, F) == "def f(x):\n    return x + LIMIT\n"
    assert function_source(SOURCE, G) == "    def g(self):\n        return self.SIZE\n"


def test_function_source_counts_lines_as_python_does_not_at_form_feeds():
    source = "\x0c\ndef f(x):\n    return x\r\n"
    assert function_source(source, dataclasses.replace(F, function_lines=(2, 3))) == "def f(x):\n    return x\r\n"


def test_module_context_is_the_text_outside_the_mutated_functions_each_a_placeholder():
    assert module_context(SOURCE, SPANS) == ("import os\n\nLIMIT = 3\n\n\n<mutated function>\n\n\nclass C:\n"
                                             "    SIZE = 2\n\n<mutated function>\n")


def test_file_parts_hash_the_context_and_each_function_apart():
    parts = file_parts(SOURCE, [F.function_lines, F.function_lines, G.function_lines])

    assert parts.context == digest(module_context(SOURCE, SPANS))
    assert parts.functions == {(6, 7): digest("def f(x):\n    return x + LIMIT\n"),
                               (13, 14): digest("    def g(self):\n        return self.SIZE\n")}


def fingerprint_of(located, source):
    return function_fingerprint(located, file_parts(source, SPANS))


def test_an_edit_of_the_function_changes_its_fingerprint_and_no_other_functions():
    edited = SOURCE.replace("x + LIMIT", "x * LIMIT")

    assert fingerprint_of(F, edited) != fingerprint_of(F, SOURCE)
    assert fingerprint_of(G, edited) == fingerprint_of(G, SOURCE)


@pytest.mark.parametrize("edit", [("LIMIT = 3", "LIMIT = 4"), ("import os", "import sys"), ("SIZE = 2", "SIZE = 5"),
                                  ("class C:", "class C(dict):"), ("\n\n\ndef f", "\n\n\n\ndef f")],
                         ids=["a-constant", "an-import", "a-class-body", "a-class-header", "a-line-moving-the-code"])
def test_an_edit_of_the_module_context_changes_every_function_fingerprint_of_the_file(edit):
    edited = SOURCE.replace(*edit)
    spans = SPANS if edit[1].count("\n") == edit[0].count("\n") else ((7, 8), (14, 15))

    assert function_fingerprint(F, file_parts(SOURCE, SPANS)) != function_fingerprint(
        dataclasses.replace(F, function_lines=spans[0]), file_parts(edited, spans))
    assert function_fingerprint(G, file_parts(SOURCE, SPANS)) != function_fingerprint(
        dataclasses.replace(G, function_lines=spans[1]), file_parts(edited, spans))


A, B = "tests/test_a.py::test_a", "tests/test_b.py::test_b"
COVERAGE = {"pkg/mod.py": FileCoverage("pkg/mod.py", frozenset(), frozenset(),
                                       {7: frozenset({A, B}), 14: frozenset({B}), 3: frozenset({A})}, 0, 0),
            "pkg/other.py": FileCoverage("pkg/other.py", frozenset(), frozenset(), {2: frozenset({B})}, 0, 0)}
OTHER = "def h():\n    return 1\n"


def test_executed_lines_are_the_coverage_map_by_test():
    assert executed_lines(COVERAGE) == {A: {"pkg/mod.py": {3, 7}}, B: {"pkg/mod.py": {7, 14}, "pkg/other.py": {2}}}


def code_of(test, source=SOURCE, other=OTHER):
    parts = {"pkg/mod.py": file_parts(source, SPANS), "pkg/other.py": file_parts(other, [(1, 2)])}
    return code_under_test(executed_lines(COVERAGE)[test], parts)


def test_code_under_test_is_every_targets_context_and_the_functions_the_test_executed():
    mod, other = file_parts(SOURCE, SPANS), file_parts(OTHER, [(1, 2)])

    assert code_of(A) == digest("pkg/mod.py", mod.context, mod.functions[(6, 7)], "pkg/other.py", other.context)
    assert code_of(B) == digest("pkg/mod.py", mod.context, *sorted([mod.functions[(6, 7)], mod.functions[(13, 14)]]),
                                "pkg/other.py", other.context, other.functions[(1, 2)])


def test_code_under_test_changes_with_a_function_the_test_ran_and_not_with_one_it_did_not():
    edited = SOURCE.replace("return self.SIZE", "return -self.SIZE")

    assert code_of(B, edited) != code_of(B)
    assert code_of(A, edited) == code_of(A)
    assert code_of(B, other="def h():\n    return 2\n") != code_of(B)
    assert code_of(A, other="def h():\n    return 2\n") == code_of(A)


def test_code_under_test_changes_with_the_context_of_a_target_the_test_never_ran():
    # A constant of pkg/other.py reaches test A through any function that reads it.
    assert code_of(A, other="LIMIT = 2\n\n\ndef h():\n    return 1\n") != code_of(A)


def test_code_under_test_of_a_test_that_ran_no_target_code_is_the_contexts_alone():
    mod = file_parts(SOURCE, SPANS)
    assert code_under_test({}, {"pkg/mod.py": mod}) == digest("pkg/mod.py", mod.context)
    assert code_under_test({"pkg/gone.py": {1}}, {}) == digest()


def write(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


SUITE = {"conftest.py": "ROOT = 1\n", "tests/conftest.py": "SUITE = 1\n", "tests/unit/conftest.py": "UNIT = 1\n",
         "tests/unit/test_a.py": "def test_a():\n    pass\n", "tests/other/conftest.py": "OTHER = 1\n",
         "tests/other/test_b.py": "def test_b():\n    pass\n", "tests/unit/test_c.py": "def test_c():\n    pass\n"}
UNIT_TEST = "tests/unit/test_a.py::test_a[1]"


def test_dependencies_are_the_test_file_and_every_conftest_above_it(tmp_path):
    write(tmp_path, SUITE)

    assert fingerprints.test_dependencies(tmp_path, UNIT_TEST) == digest(
        "tests/unit/test_a.py", sha(SUITE["tests/unit/test_a.py"]),
        "tests/unit/conftest.py", sha("UNIT = 1\n"), "tests/conftest.py", sha("SUITE = 1\n"),
        "conftest.py", sha("ROOT = 1\n"))


@pytest.mark.parametrize("changed", ["tests/unit/test_a.py", "tests/unit/conftest.py", "tests/conftest.py",
                                     "conftest.py"])
def test_dependencies_change_with_the_test_file_and_each_conftest_above_it(tmp_path, changed):
    write(tmp_path, SUITE)
    before = fingerprints.test_dependencies(tmp_path, UNIT_TEST)
    write(tmp_path, {changed: SUITE[changed] + "# edited\n"})

    assert fingerprints.test_dependencies(tmp_path, UNIT_TEST) != before


@pytest.mark.parametrize("changed", ["tests/other/conftest.py", "tests/other/test_b.py", "tests/unit/test_c.py"])
def test_dependencies_do_not_change_with_a_conftest_elsewhere_or_another_test_file(tmp_path, changed):
    write(tmp_path, SUITE)
    before = fingerprints.test_dependencies(tmp_path, UNIT_TEST)
    write(tmp_path, {changed: SUITE[changed] + "# edited\n"})

    assert fingerprints.test_dependencies(tmp_path, UNIT_TEST) == before


def test_a_new_conftest_above_the_test_changes_its_dependencies(tmp_path):
    write(tmp_path, {"tests/unit/test_a.py": "def test_a():\n    pass\n"})
    before = fingerprints.test_dependencies(tmp_path, UNIT_TEST)
    write(tmp_path, {"tests/conftest.py": "X = 1\n"})

    assert fingerprints.test_dependencies(tmp_path, UNIT_TEST) != before


def test_conftests_are_walked_up_to_the_top_above_a_rootdir_below_it(tmp_path):
    write(tmp_path, {"conftest.py": "ROOT = 1\n", "src/pkg/tests/test_a.py": "def test_a():\n    pass\n"})

    assert fingerprints.test_dependencies(tmp_path / "src", "pkg/tests/test_a.py::test_a", tmp_path) == digest(
        "pkg/tests/test_a.py", sha("def test_a():\n    pass\n"), "conftest.py", sha("ROOT = 1\n"))


def test_a_missing_test_file_is_fingerprinted_as_missing(tmp_path):
    assert fingerprints.test_dependencies(tmp_path, "tests/test_gone.py::test_x") == digest(
        "tests/test_gone.py", MISSING)


WORK = {"src/pkg/__init__.py": "", "src/pkg/mod.py": SOURCE, "src/pkg/helpers.py": "def h():\n    return 1\n",
        "tests/test_a.py": "def test_a():\n    pass\n", "tests/factories.py": "def make():\n    return 1\n",
        "tests/conftest.py": "X = 1\n", "setup.cfg": "[tool:pytest]\naddopts = -q\n", "pytest.ini": "[pytest]\n",
        "data/input.json": "{}\n"}
OWNED_APART = ("src/pkg/mod.py", "tests/test_a.py")


@pytest.mark.parametrize("changed", ["src/pkg/__init__.py", "src/pkg/helpers.py", "tests/factories.py", "setup.cfg",
                                     "pytest.ini", "data/input.json", "tests/new_helper.py"])
def test_support_files_change_with_any_file_no_other_fingerprint_owns(tmp_path, changed):
    write(tmp_path, WORK)
    before = support_files(tmp_path, OWNED_APART)
    write(tmp_path, {changed: WORK.get(changed, "") + "# edited\n"})

    assert support_files(tmp_path, OWNED_APART) != before


@pytest.mark.parametrize("changed", ["src/pkg/mod.py", "tests/test_a.py", "tests/conftest.py", "gate/plan.json",
                                     "mutants/src/pkg/mod.py", ".mutation-gate-workdir",
                                     "src/pkg/__pycache__/mod.cpython-312.pyc", ".pytest_cache/v/cache/nodeids",
                                     "tests/.hypothesis/examples/x"])
def test_support_files_do_not_change_with_owned_files_or_what_runs_leave(tmp_path, changed):
    write(tmp_path, WORK)
    before = support_files(tmp_path, OWNED_APART)
    write(tmp_path, {changed: WORK.get(changed, "") + "# edited\n"})

    assert support_files(tmp_path, OWNED_APART) == before


def test_support_files_are_each_file_by_path_and_content(tmp_path):
    write(tmp_path, {"b.txt": "b", "a/x.py": "x", "tests/conftest.py": "c"})

    assert support_files(tmp_path) == digest("a/x.py", sha("x"), "b.txt", sha("b"))


def test_the_dependency_set_ignores_order_and_name_case():
    assert dependency_set([("Pytest", "8.3.0"), ("mutmut", "3.8.1")]) == dependency_set(
        [("mutmut", "3.8.1"), ("pytest", "8.3.0")]) == digest("mutmut==3.8.1", "pytest==8.3.0")
    assert dependency_set([("pytest", "8.3.1"), ("mutmut", "3.8.1")]) != dependency_set(
        [("pytest", "8.3.0"), ("mutmut", "3.8.1")])


TOOLS = {"mutation-gate": "1.0", "mutmut": "3.8.1", "python": "3.12.3"}


def context(**overrides):
    return run_context(gate_config(**overrides), "deps", TOOLS, "support")


@pytest.mark.parametrize(("key", "value"), [("suite", "test"), ("package_root", "src"), ("pytest_args", ("-x",)),
                                            ("kill_matrix", KillMatrix.FULL), ("test_timeout_factor", 5.0),
                                            ("test_timeout_floor", 1.0)])
def test_each_configuration_key_that_can_change_a_result_is_in_the_run_context(key, value):
    assert context(**{key: value}) == {**context(), "configuration": context(**{key: value})["configuration"]}
    assert context(**{key: value})["configuration"] != context()["configuration"]


@pytest.mark.parametrize(("key", "value"), [("targets", ("pkg/mod.py",)), ("workers", 64), ("work_dir", "w"),
                                            ("report_dir", "r"), ("report_formats", ("html",)),
                                            ("min_assertion_score", 50.0), ("reject", ("covering",)),
                                            ("waivers", "w.toml"), ("exclusions", "e.toml")])
def test_keys_that_only_choose_what_is_judged_written_or_how_fast_are_not(key, value):
    assert context(**{key: value}) == context()


def test_the_run_context_has_the_dependency_set_tool_versions_and_support_files_as_parts():
    config = gate_config()
    base = run_context(config, "deps", TOOLS, "support")

    assert base["dependencies"] == "deps" and base["support"] == "support"
    assert run_context(config, "other deps", TOOLS, "support") == {**base, "dependencies": "other deps"}
    assert run_context(config, "deps", {**TOOLS, "mutmut": "3.9.0"}, "support")["tools"] != base["tools"]
    assert run_context(config, "deps", {**TOOLS, "python": "3.13.0"}, "support")["tools"] != base["tools"]
    assert set(base) == {"configuration", "dependencies", "tools", "support"}
