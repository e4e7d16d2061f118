"""Where each mutant is: `locate_file` must name mutants exactly as mutmut 3.8.1 does and point at
the mutated text; `locate_all` reads mutmut's configuration in the work directory."""

import pytest
from mutmut import configuration as mutmut_configuration
from mutmut.mutation.file_mutation import mutate_file_contents

from mutation.engine.mutants import locate_all, locate_file

CALC = '''\
def scale(value, factor=2):
    result = [
        value * factor,
    ]
    return result


class Meter:
    def read(self, raw):
        if raw > LIMIT:
            return "high"
        return raw


LIMIT = 10
'''


@pytest.fixture
def mutmut_project(tmp_path, monkeypatch):
    """A directory mutmut can read its configuration in; returns a function writing src/<path>."""
    (tmp_path / "setup.cfg").write_text("[mutmut]\nsource_paths = src\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    mutmut_configuration.reset_config()

    def write(relative, code):
        path = tmp_path / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
        return f"src/{relative}"

    yield write
    mutmut_configuration.reset_config()


def locate(write, relative, code):
    work_path = write(relative, code)
    return {mutant.id: mutant for mutant in locate_file(work_path, relative, work_path)}


def test_mutant_names_are_mutmuts_own(mutmut_project):
    work_path = mutmut_project("pkg/calc.py", CALC)

    names = [mutant.engine_name for mutant in locate_file(work_path, "pkg/calc.py", work_path)]

    assert names == [f"pkg.calc.{name}" for name in mutate_file_contents(work_path, CALC).mutant_names]
    assert names == [
        "pkg.calc.x_scale__mutmut_1", "pkg.calc.x_scale__mutmut_2", "pkg.calc.x_scale__mutmut_3",
        "pkg.calc.xǁMeterǁread__mutmut_1", "pkg.calc.xǁMeterǁread__mutmut_2", "pkg.calc.xǁMeterǁread__mutmut_3",
    ]


def test_locations(mutmut_project):
    locations = locate(mutmut_project, "pkg/calc.py", CALC)

    table = {
        id: (loc.engine_name, loc.file, loc.function, (loc.start_line, loc.start_column), (loc.end_line, loc.end_column),
             loc.statement_line, loc.in_signature, loc.mutated_text)
        for id, loc in locations.items()
    }
    assert table == {
        "pkg.calc.scale#1": ("pkg.calc.x_scale__mutmut_1", "pkg/calc.py", "scale", (1, 24), (1, 25), 1, True,
                             "def scale(value, factor=3):"),
        "pkg.calc.scale#2": ("pkg.calc.x_scale__mutmut_2", "pkg/calc.py", "scale", (2, 4), (4, 5), 2, False,
                             "result = None"),
        "pkg.calc.scale#3": ("pkg.calc.x_scale__mutmut_3", "pkg/calc.py", "scale", (3, 8), (3, 22), 2, False,
                             "value / factor,"),
        "pkg.calc.Meter.read#1": ("pkg.calc.xǁMeterǁread__mutmut_1", "pkg/calc.py", "Meter.read", (10, 14), (10, 22),
                                  10, False, "if raw >= LIMIT:"),
        "pkg.calc.Meter.read#2": ("pkg.calc.xǁMeterǁread__mutmut_2", "pkg/calc.py", "Meter.read", (11, 19), (11, 25),
                                  11, False, 'return "XXhighXX"'),
        "pkg.calc.Meter.read#3": ("pkg.calc.xǁMeterǁread__mutmut_3", "pkg/calc.py", "Meter.read", (11, 19), (11, 25),
                                  11, False, 'return "HIGH"'),
    }


def test_spans_cover_the_mutated_text(mutmut_project):
    lines = CALC.splitlines()
    locations = locate(mutmut_project, "pkg/calc.py", CALC)

    spanned = {
        id: lines[loc.start_line - 1][loc.start_column:loc.end_column]
        for id, loc in locations.items() if loc.start_line == loc.end_line
    }
    assert spanned == {
        "pkg.calc.scale#1": "2",
        "pkg.calc.scale#3": "value * factor",
        "pkg.calc.Meter.read#1": " > LIMIT",
        "pkg.calc.Meter.read#2": '"high"',
        "pkg.calc.Meter.read#3": '"high"',
    }


@pytest.mark.parametrize(
    ("mutant_id", "diff"),
    [
        pytest.param("pkg.calc.Meter.read#1", """\
--- pkg/calc.py
+++ pkg/calc.py
@@ -9,3 +9,3 @@
     def read(self, raw):
-        if raw > LIMIT:
+        if raw >= LIMIT:
             return "high"
""", id="one-line"),
        pytest.param("pkg.calc.scale#1", """\
--- pkg/calc.py
+++ pkg/calc.py
@@ -1,2 +1,2 @@
-def scale(value, factor=2):
+def scale(value, factor=3):
     result = [
""", id="first-line-no-context-before"),
        pytest.param("pkg.calc.scale#2", """\
--- pkg/calc.py
+++ pkg/calc.py
@@ -1,5 +1,3 @@
 def scale(value, factor=2):
-    result = [
-        value * factor,
-    ]
+    result = None
     return result
""", id="statement-replaced"),
    ],
)
def test_diff(mutmut_project, mutant_id, diff):
    assert locate(mutmut_project, "pkg/calc.py", CALC)[mutant_id].diff == diff.rstrip("\n")


def test_diff_of_the_last_line_has_no_context_after(mutmut_project):
    code = "def flag(x):\n    return x > 1"

    assert locate(mutmut_project, "flag.py", code)["flag.flag#2"].diff == (
        "--- flag.py\n+++ flag.py\n@@ -1,2 +1,2 @@\n def flag(x):\n-    return x > 1\n+    return x > 2"
    )


def test_diff_of_a_multiline_call_keeps_the_indentation(mutmut_project):
    code = "def total(a, b):\n    return max(\n        a,\n        b,\n    )\n"

    location = locate(mutmut_project, "total.py", code)["total.total#2"]  # max(a, None)

    assert location.diff.splitlines() == [
        "--- total.py", "+++ total.py", "@@ -3,3 +3,3 @@", "         a,", "-        b,", "+        None,", "     )",
    ]


@pytest.mark.parametrize(
    ("code", "mutant_id", "statement_line"),
    [
        ("def f(x):\n    y = 1\n\n    # add\n    return x + y\n", "m.f#3", 5),
        ("A = 1\n\n\ndef f(x=1):\n    return x\n", "m.f#1", 4),
    ],
    ids=["comment-above", "def-after-blank-lines"],
)
def test_statement_line_is_the_statements_own_first_line(mutmut_project, code, mutant_id, statement_line):
    assert locate(mutmut_project, "m.py", code)[mutant_id].statement_line == statement_line


def test_methods_of_top_level_classes_and_init_modules(mutmut_project):
    code = "class Box:\n    @staticmethod\n    def make(n):\n        return n + 1\n"

    locations = locate(mutmut_project, "pkg/shapes/__init__.py", code)

    assert [(id, loc.engine_name, loc.function) for id, loc in locations.items()] == [
        ("pkg.shapes.Box.make#1", "pkg.shapes.xǁBoxǁmake__mutmut_1", "Box.make"),
        ("pkg.shapes.Box.make#2", "pkg.shapes.xǁBoxǁmake__mutmut_2", "Box.make"),
    ]


def test_locate_all_reads_pragmas_in_the_work_directory_and_names_files_as_reported(tmp_path, monkeypatch):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "m.py").write_text(
        "def f(x):\n    return x + 1\n\n\ndef g(x):\n    return x * 2  # pragma: no mutate\n", encoding="utf-8")
    (tmp_path / "setup.cfg").write_text("[mutmut]\nsource_paths = src\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)

    located = locate_all(tmp_path, [("src/pkg/m.py", "backend/pkg/m.py")])

    assert [(m.id, m.engine_name, m.file, m.mutated_text) for m in located] == [
        ("pkg.m.f#1", "pkg.m.x_f__mutmut_1", "backend/pkg/m.py", "return x - 1"),
        ("pkg.m.f#2", "pkg.m.x_f__mutmut_2", "backend/pkg/m.py", "return x + 2"),
    ]
