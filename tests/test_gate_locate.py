"""Where each mutant is, which modules each target brings along, and what mutmut never mutates.

`mutation.locate.locate_file` must name mutants exactly as mutmut 3.8.1 does and point at the
mutated text; `mutation.targets` expands targets into their helper modules;
`mutation.blind_spots` lists code mutmut skips.
"""

import textwrap

import pytest
from mutmut import configuration as mutmut_configuration
from mutmut.mutation.file_mutation import mutate_file_contents

from mutation.blind_spots import BlindSpot, find_blind_spots
from mutation.config import GateConfig, TargetSpec
from mutation.locate import locate_file
from mutation.targets import Target, module_name, resolve_targets

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
    return {location.id: location for location in locate_file(work_path, relative, work_path)}


def test_mutant_names_are_mutmuts_own(mutmut_project):
    work_path = mutmut_project("pkg/calc.py", CALC)

    names = [location.mutmut_name for location in locate_file(work_path, "pkg/calc.py", work_path)]

    assert names == [f"pkg.calc.{name}" for name in mutate_file_contents(work_path, CALC).mutant_names]
    assert names == [
        "pkg.calc.x_scale__mutmut_1", "pkg.calc.x_scale__mutmut_2", "pkg.calc.x_scale__mutmut_3",
        "pkg.calc.xǁMeterǁread__mutmut_1", "pkg.calc.xǁMeterǁread__mutmut_2", "pkg.calc.xǁMeterǁread__mutmut_3",
    ]


def test_locations(mutmut_project):
    locations = locate(mutmut_project, "pkg/calc.py", CALC)

    table = {
        id: (loc.mutmut_name, loc.file, loc.function, (loc.start_line, loc.start_column), (loc.end_line, loc.end_column),
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

    assert [(id, loc.mutmut_name, loc.function) for id, loc in locations.items()] == [
        ("pkg.shapes.Box.make#1", "pkg.shapes.xǁBoxǁmake__mutmut_1", "Box.make"),
        ("pkg.shapes.Box.make#2", "pkg.shapes.xǁBoxǁmake__mutmut_2", "Box.make"),
    ]


# --- targets and their helpers -------------------------------------------------------------------


def project(root, files, package_root, *targets):
    for relative, code in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code), encoding="utf-8")
    return GateConfig(project_root=root, config_path=root / "setup.cfg", package_root=package_root,
                      targets=tuple(TargetSpec(path, score) for path, score in targets))


def test_helpers_are_found_through_every_import_form_transitively(tmp_path):
    files = {
        "src/app/main.py": """\
            import os
            import app.db
            from json import dumps
            from app.util import helper
            from . import cfg
            from .fmt import render
        """,
        "src/app/util.py": "from .deep import x\n",
        "src/app/deep.py": "x = 1\n",
        "src/app/db.py": "",
        "src/app/cfg.py": "",
        "src/app/fmt.py": "def render(): pass\n",
        "src/app/unused.py": "",
    }
    config = project(tmp_path, files, "src", ("src/app/main.py", 90))

    assert resolve_targets(config) == [
        Target("src/app/main.py", 90, ("src/app/main.py", "src/app/cfg.py", "src/app/db.py", "src/app/deep.py",
                                       "src/app/fmt.py", "src/app/util.py")),
    ]


def test_a_package_init_imported_from_is_a_helper(tmp_path):
    files = {"pkg/__init__.py": "VERSION = 1\n", "pkg/main.py": "from pkg import VERSION\n"}
    config = project(tmp_path, files, ".", ("pkg/main.py", 80))

    assert resolve_targets(config) == [Target("pkg/main.py", 80, ("pkg/main.py", "pkg/__init__.py"))]


def test_shared_helper_belongs_to_the_first_target_and_targets_are_never_helpers(tmp_path):
    files = {
        "backend/core/a.py": "from core.shared import s\nfrom core import b\n",
        "backend/core/b.py": "from .shared import s\nfrom .own import o\nimport core.a\n",
        "backend/core/shared.py": "s = 1\n",
        "backend/core/own.py": "o = 1\n",
    }
    config = project(tmp_path, files, "backend", ("backend/core/b.py", 70), ("backend/core/a.py", 90))

    assert resolve_targets(config) == [
        Target("backend/core/b.py", 70, ("backend/core/b.py", "backend/core/own.py", "backend/core/shared.py")),
        Target("backend/core/a.py", 90, ("backend/core/a.py",)),
    ]


def test_helper_reached_only_through_another_target_belongs_to_that_target(tmp_path):
    files = {"pkg/a.py": "from pkg import b\n", "pkg/b.py": "from pkg import h\n", "pkg/h.py": ""}
    config = project(tmp_path, files, ".", ("pkg/a.py", 90), ("pkg/b.py", 80))

    assert resolve_targets(config) == [
        Target("pkg/a.py", 90, ("pkg/a.py",)),
        Target("pkg/b.py", 80, ("pkg/b.py", "pkg/h.py")),
    ]


@pytest.mark.parametrize(
    ("path", "package_root", "name"),
    [
        ("pkg/mod.py", ".", "pkg.mod"),
        ("tool.py", ".", "tool"),
        ("src/pkg/sub/mod.py", "src", "pkg.sub.mod"),
        ("src/pkg/__init__.py", "src", "pkg"),
        ("backend/core/workflow_engine.py", "backend", "core.workflow_engine"),
    ],
)
def test_module_name(path, package_root, name):
    assert module_name(path, package_root) == name


# --- blind spots ----------------------------------------------------------------------------------

SKIPPED_BY_MUTMUT = '''\
"""A module."""
import functools
from dataclasses import dataclass, field

LIMIT = 10
NAMES = ("a", "b")
registry = build_registry()
TIMEOUT: float = 2.5
DOUBLE = LIMIT * 2


@functools.lru_cache(maxsize=None)
def cached(x):
    return x + 1


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
    label: str = "p"

    @staticmethod
    def origin():
        return Point(0)

    @classmethod
    def make(cls):
        return cls(1)

    @property
    def norm(self):
        return self.x + self.y

    class Inner:
        LEVEL = 2

        def method(self):
            return 1

    SCALE = 3
    HALF = SCALE / 2


@register("plugin")
@functools.total_ordering
class Plain:
    def ok(self):
        return 2


if __name__ == "__main__":
    cached(1)
'''


def test_blind_spots_are_the_code_mutmut_skips():
    assert find_blind_spots("pkg/mod.py", SKIPPED_BY_MUTMUT) == [
        BlindSpot("pkg/mod.py", 7, "module statement", "registry"),
        BlindSpot("pkg/mod.py", 9, "module statement", "DOUBLE"),
        BlindSpot("pkg/mod.py", 13, "decorated function (@functools.lru_cache)", "cached"),
        BlindSpot("pkg/mod.py", 33, "decorated function (@property)", "norm"),
        BlindSpot("pkg/mod.py", 39, "method of a nested class", "method"),
        BlindSpot("pkg/mod.py", 43, "class body statement", "HALF"),
        BlindSpot("pkg/mod.py", 48, "class decorator", "Plain"),
        BlindSpot("pkg/mod.py", 53, "module statement", "if"),
    ]


def test_plain_data_has_no_blind_spots():
    code = "from os import path\nimport json\nA = 1\nB: int\nC: str = 'c'\nD = ('x', None)\n\n\ndef f():\n    return A + 1\n"

    assert find_blind_spots("m.py", code) == []


def test_decorated_function_nested_in_a_function_is_a_blind_spot():
    code = "import functools\n\n\ndef outer(f):\n    @functools.wraps(f)\n    def inner(*args):\n" \
           "        return f(*args) + 1\n    return inner\n"

    assert find_blind_spots("m.py", code) == [BlindSpot("m.py", 6, "decorated nested function (@functools.wraps)", "inner")]
