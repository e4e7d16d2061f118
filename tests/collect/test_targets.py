"""Targets and their helper modules: every module a target imports from the project, transitively."""

import textwrap

import pytest

from mutation.collect.targets import Target, module_name, resolve_targets, target_modules
from mutation.errors import ConfigError
from mutation.options import TargetSpec
from tests.factories import gate_config


def project(root, files, package_root, *targets):
    for relative, code in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code), encoding="utf-8")
    return gate_config(root, package_root=package_root, targets=tuple(TargetSpec(path, score) for path, score in targets))


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


def test_a_package_target_judges_its_modules_but_not_its_tests(tmp_path):
    files = {
        "src/app/__init__.py": "",
        "src/app/main.py": "from app.sub import deep\n",
        "src/app/sub/__init__.py": "",
        "src/app/sub/deep.py": "",
        "src/app/conftest.py": "",
        "src/app/test_main.py": "",
        "src/app/main_test.py": "",
        "src/app/tests/__init__.py": "",
        "src/app/tests/helpers.py": "",
        "src/app/sub/test/check.py": "",
        "src/app/__pycache__/main.py": "",
        "src/app/.hidden/x.py": "",
        "src/app/notes.txt": "",
    }
    config = project(tmp_path, files, "src", ("src/app", 80))

    assert resolve_targets(config) == [
        Target("src/app", 80, ("src/app/__init__.py", "src/app/main.py", "src/app/sub/__init__.py",
                               "src/app/sub/deep.py")),
    ]


def test_a_package_targets_helpers_are_the_modules_outside_it_that_it_imports(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/a.py": "from shared import util\n",
        "app/b.py": "import app.a\nfrom tool import run\n",
        "shared/__init__.py": "",
        "shared/util.py": "from shared import base\n",
        "shared/base.py": "",
        "tool.py": "",
    }
    config = project(tmp_path, files, ".", ("app", 80))

    assert resolve_targets(config) == [
        Target("app", 80, ("app/__init__.py", "app/a.py", "app/b.py",
                           "shared/__init__.py", "shared/base.py", "shared/util.py", "tool.py")),
    ]


def test_a_module_or_subpackage_named_as_its_own_target_leaves_the_package_target(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "from pkg import plain\n",
        "pkg/plain.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/x.py": "",
    }
    config = project(tmp_path, files, ".", ("pkg", 80), ("pkg/core.py", 95), ("pkg/sub", 70))

    assert resolve_targets(config) == [
        Target("pkg", 80, ("pkg/__init__.py", "pkg/plain.py")),
        Target("pkg/core.py", 95, ("pkg/core.py",)),
        Target("pkg/sub", 70, ("pkg/sub/__init__.py", "pkg/sub/x.py")),
    ]


def test_a_package_target_whose_every_module_is_another_target_is_a_config_error(tmp_path):
    files = {"pkg/sub/__init__.py": "", "pkg/sub/x.py": ""}
    config = project(tmp_path, files, ".", ("pkg", 80), ("pkg/sub", 70))

    with pytest.raises(ConfigError) as error:
        resolve_targets(config)

    assert str(error.value) == ("setup.cfg [mutation_gate] targets: pkg: every module in it is listed as a target "
                                "of its own")


def test_target_modules_of_a_module_is_the_module_itself_even_a_test_named_one(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "test_data.py").write_text("", encoding="utf-8")

    assert target_modules(tmp_path, "pkg/test_data.py") == ("pkg/test_data.py",)


@pytest.mark.parametrize(("files", "message"), [
    pytest.param({"pkg/mod.py": "def f(x)\n    return x\n"}, "pkg/mod.py:1: not valid Python: expected ':'",
                 id="target-syntax-error"),
    pytest.param({"pkg/mod.py": b"def f():\n    return 'caf\xe9'\n"},
                 "pkg/mod.py:2: not UTF-8 (byte 0xe9); the gate reads sources as UTF-8", id="target-not-utf8"),
    pytest.param({"pkg/mod.py": b"x = 1\x00\n"}, "pkg/mod.py: not valid Python: source code string cannot contain "
                 "null bytes", id="target-null-byte"),
    pytest.param({"pkg/mod.py": "from pkg import helper\n", "pkg/helper.py": "def g(:\n"},
                 "pkg/helper.py:1: not valid Python (imported by the target pkg/mod.py): invalid syntax",
                 id="helper-syntax-error"),
    pytest.param({"pkg/mod.py": "from pkg import helper\n", "pkg/helper.py": b"# \xff\n"},
                 "pkg/helper.py:1: not UTF-8 (byte 0xff) (imported by the target pkg/mod.py); the gate reads "
                 "sources as UTF-8", id="helper-not-utf8"),
])
def test_a_module_the_gate_cannot_read_is_a_configuration_error_naming_file_and_line(tmp_path, files, message):
    for relative, content in {"pkg/__init__.py": "", **files}.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = gate_config(tmp_path, package_root=".", targets=(TargetSpec("pkg/mod.py", 90),))

    with pytest.raises(ConfigError) as error:
        resolve_targets(config)

    assert str(error.value) == message


def test_a_module_of_a_package_target_that_nothing_imports_is_read_too(tmp_path):
    config = project(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n", "pkg/b.py": "if True\n"}, ".",
                     ("pkg", 90))

    with pytest.raises(ConfigError) as error:
        resolve_targets(config)

    assert str(error.value) == "pkg/b.py:1: not valid Python: expected ':'"


def test_a_module_starting_with_a_byte_order_mark_is_refused(tmp_path):
    # Python would read it, but the gate's later stages read sources as plain UTF-8 and stopped with exit 70.
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_bytes(b"\xef\xbb\xbfdef f():\n    return 1\n")
    config = gate_config(tmp_path, package_root=".", targets=(TargetSpec("pkg/mod.py", 90),))

    with pytest.raises(ConfigError) as error:
        resolve_targets(config)

    assert str(error.value) == "pkg/mod.py:1: starts with a byte order mark; save it as UTF-8 without one"
