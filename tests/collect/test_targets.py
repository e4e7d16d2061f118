"""Targets and their helper modules: every module a target imports from the project, transitively."""

import textwrap

import pytest

from mutation.collect.targets import Target, module_name, resolve_targets
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


