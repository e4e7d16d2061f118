"""The pure parts of scripts/bench_incremental.py: the edit of a function body, the choice of what to
change, the verdict differences between two gate.json documents and the bench's reasons to fail."""

import ast
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_incremental.py"
spec = importlib.util.spec_from_file_location("bench_incremental", SCRIPT)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

SOURCE = '''"""A module."""
import functools


def plain(x):
    return x + 1


def documented(x):
    """Its docstring,
    on two lines."""
    return x


class Box:
    def method(self):
        @functools.cache
        def inner():
            return 1
        return inner()

    async def later(self):
        return 2


def one_liner(): return 3
'''


def body_of(source, name):
    return [type(node).__name__ for node in bench.find_function(ast.parse(source), name).body]


@pytest.mark.parametrize(("name", "body"), [
    ("plain", ["Pass", "Return"]),
    ("documented", ["Expr", "Pass", "Return"]),
    ("Box.method", ["Pass", "FunctionDef", "Return"]),
    ("Box.later", ["Pass", "Return"]),
])
def test_the_statement_is_the_bodys_first_after_the_docstring(name, body):
    edited = bench.insert_statement(SOURCE, name)

    assert body_of(edited, name) == body
    assert len(edited.splitlines()) == len(SOURCE.splitlines()) + 1
    assert edited.replace(f"{' ' * 8 if '.' in name else ' ' * 4}{bench.EDIT}\n", "", 1) == SOURCE


def test_a_body_on_the_def_line_or_a_missing_function_is_refused():
    for name in ("one_liner", "missing", "Box.missing", "Box.method.inner"):
        with pytest.raises(ValueError):
            bench.insert_statement(SOURCE, name)


def test_line_ends_are_kept():
    edited = bench.insert_statement("def f():\r\n    return 1\r\n", "f", "pass")

    assert edited == "def f():\r\n    pass\r\n    return 1\r\n"


def test_function_spans_name_methods_by_their_class():
    spans = bench.function_spans(SOURCE)

    assert spans["plain"] == (5, 6)
    assert spans["Box.method"] == (16, 20)
    assert "inner" not in spans and "Box.method.inner" not in spans


def test_the_first_test_function_that_takes_an_edit():
    source = "def helper():\n    pass\n\n\ndef test_a(): assert 1\n\n\nclass TestB:\n    def test_c(self):\n        assert 1\n"

    assert bench.first_test_function(source) == "TestB.test_c"
    assert bench.first_test_function("def helper():\n    pass\n") is None


def mutant(name, status, *, file="pkg/m.py", function="f", line=2, covered_by=()):
    return {"mutmut_name": name, "status": status, "file": file, "function": function, "start_line": line,
            "covered_by": list(covered_by)}


def document(mutants, tests):
    return {"mutants": mutants, "tests": tests}


def test_verdict_differences_count_statuses_classes_and_absent_entries():
    before = document([mutant("a", "killed"), mutant("b", "survived"), mutant("c", "killed")],
                      {"t::x": {"class": "killing"}, "t::y": {"class": "weak"}})
    after = document([mutant("a", "killed"), mutant("b", "killed")],
                     {"t::x": {"class": "killing"}, "t::y": {"class": "killing"}, "t::z": {"class": "killing"}})

    found = bench.verdict_differences(before, after)

    assert [(d["kind"], d["name"], d["before"], d["after"]) for d in found] == [
        ("mutant", "b", "survived", "killed"), ("mutant", "c", "killed", "(absent)"),
        ("test", "t::y", "weak", "killing"), ("test", "t::z", "(absent)", "killing")]
    assert bench.verdict_differences(before, before) == []


def test_covered_and_affected_mutants():
    doc = document(
        [mutant("own", "killed", line=2, covered_by=["tests/test_a.py::t1"]),
         mutant("caller", "killed", function="g", line=9, covered_by=["tests/test_a.py::t1"]),
         mutant("apart", "survived", function="h", line=20, covered_by=["tests/test_b.py::t2"]),
         mutant("uncovered", "no_tests", line=3),
         mutant("equivalent", "excluded", function="h", line=21, covered_by=["tests/test_b.py::t2"])],
        {"tests/test_a.py::t1": {"target_lines": {"pkg/m.py": [2, 9]}},
         "tests/test_b.py::t2": {"target_lines": {"pkg/m.py": [20, 21]}}})

    assert bench.covered_by_file(doc, "tests/test_a.py") == {"own", "caller"}
    assert bench.covered_by_file(doc, "tests/test_b.py") == {"apart"}
    assert bench.affected_by_function(doc, "pkg/m.py", (1, 4)) == {"own", "caller", "uncovered"}
    assert bench.affected_by_function(doc, "pkg/m.py", (19, 22)) == {"apart"}


def test_pick_prefers_the_most_own_mutants_within_the_share_else_the_fewest_re_measured():
    choices = [bench.Choice("m.py", "small", 2, 2), bench.Choice("m.py", "good", 9, 15),
               bench.Choice("m.py", "hub", 12, 400)]

    assert bench.pick(choices, total=1000).function == "good"
    assert bench.pick(choices, total=10).function == "small"
    assert bench.pick([], total=10) is None


def test_failures_name_every_ratio_difference_and_count_mismatch():
    result = {"ratios": [{"name": "rerun / full", "value": 0.2, "bound": 0.05, "pass": False},
                         {"name": "test changed / full", "value": 0.5, "bound": None, "pass": True}],
              "differences": [{"name": "rerun vs full run", "count": 0}, {"name": "function changed", "count": 2}],
              "test_measured": {"file": "tests/test_a.py", "measured": 3, "covered": 4}}

    assert bench.failures(result) == ["rerun / full 0.200 > 0.05", "function changed: 2 verdict differences",
                                      "test changed: 3 mutants measured, 4 covered by the tests of tests/test_a.py"]
    result["ratios"][0].update(value=0.01, **{"pass": True})
    result["differences"][1]["count"] = 0
    result["test_measured"]["measured"] = 4
    assert bench.failures(result) == []


def test_choices_of_a_document_expect_what_a_change_re_measures():
    source = "def f(x):\n    return x + 1\n\n\ndef g(x):\n    return f(x) * 2\n"
    doc = document(
        [mutant("f1", "killed", line=2, covered_by=["tests/test_a.py::t1"]),
         mutant("g1", "killed", function="g", line=6, covered_by=["tests/test_b.py::t2"]),
         mutant("g2", "killed", function="g", line=6, covered_by=["tests/test_b.py::t2"])],
        {"tests/test_a.py::t1": {"target_lines": {"pkg/m.py": [2]}},
         "tests/test_b.py::t2": {"target_lines": {"pkg/m.py": [2, 6]}}})
    doc["files"] = {"pkg/m.py": {"source": source}}

    assert bench.function_choices(doc) == [bench.Choice("pkg/m.py", "f", 1, 3), bench.Choice("pkg/m.py", "g", 2, 2)]
    sources = {"tests/test_a.py": "def test_one():\n    assert 1\n", "tests/test_b.py": "def helper():\n    pass\n"}
    assert bench.test_choices(doc, sources) == [bench.Choice("tests/test_a.py", "test_one", 1, 1)]


def test_arguments_are_checked_before_anything_runs(tmp_path):
    (tmp_path / "m.py").write_text("def f():\n    return 1\n\n\ndef one(): return 2\n", encoding="utf-8")
    (tmp_path / "test_m.py").write_text("def test_f():\n    assert 1\n", encoding="utf-8")

    assert bench.argument_problem(tmp_path, "m.py::f", "test_m.py") is None
    assert "expected FILE::NAME" in bench.argument_problem(tmp_path, "f", None)
    assert "no function one in m.py" in bench.argument_problem(tmp_path, "m.py::one", None)
    assert "no function f in gone.py" in bench.argument_problem(tmp_path, "gone.py::f", None)
    assert "not a Python file with a test function" in bench.argument_problem(tmp_path, None, "m.py")


def test_a_form_feed_is_no_line_end():
    edited = bench.insert_statement("x = '\f'\n\n\ndef f():\n    return 1\n", "f", "pass")

    assert edited == "x = '\f'\n\n\ndef f():\n    pass\n    return 1\n"
