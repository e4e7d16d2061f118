"""The work directory: a fresh copy of a project of any layout, packages under `<work>/src/`, the
suite and root files where they were, and the project's configuration without the gate's section."""

import configparser

import pytest

from mutation.collect.workspace import Workspace, copied_along, prepare_workspace
from mutation.errors import ConfigError
from mutation.options import load_config
from tests.factories import make_project


def files_under(root):
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def read_cfg(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return parser


def flat_project(tmp_path, extra_cfg=""):
    files = ("pkg/__init__.py", "pkg/mod.py", "pkg/__pycache__/mod.cpython-311.pyc", "tool.py", "setup.py",
             "conftest.py", "notes.txt", "tests/__init__.py", "tests/test_mod.py", "reports/mutation/old.json")
    return make_project(tmp_path, "targets = pkg/mod.py = 90\nworkers = 1\n", files=files,
                        extra=f"[tool:pytest]\naddopts = -q\n\n{extra_cfg}")


def test_prepare_workspace_copies_a_flat_project_into_src(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / ".mutation-gate" / "stale").mkdir(parents=True)
    (tmp_path / ".mutation-gate" / ".mutation-gate-workdir").write_text("made by the gate", encoding="utf-8")
    (tmp_path / ".mutation-gate" / "stale" / "left.txt").write_text("from the last run", encoding="utf-8")

    workspace = prepare_workspace(config)

    root = tmp_path.resolve() / ".mutation-gate"
    # Compiled modules go beside the result cache, to last from one run to the next.
    assert workspace == Workspace(root, tmp_path.resolve(), ".", "tests", ".",
                                  str(tmp_path.resolve() / ".mutation-gate-cache" / "results.pycache"))
    assert files_under(root) == [
        ".mutation-gate-workdir", "conftest.py", "setup.cfg", "src/pkg/__init__.py", "src/pkg/mod.py", "src/tool.py",
        "tests/__init__.py", "tests/test_mod.py",
    ]
    assert workspace.gate_dir.is_dir()


def test_prepare_workspace_copies_a_backend_layout(tmp_path):
    files = ("backend/core/__init__.py", "backend/core/engine.py", "backend/core/helper.py", "backend/loose.py",
             "suite/test_engine.py", "suite/conftest.py")
    config = load_config(make_project(
        tmp_path, "targets = backend/core/engine.py = 90\nsuite = suite\npackage_root = backend\n", files=files))

    workspace = prepare_workspace(config)

    assert files_under(workspace.root) == [
        ".mutation-gate-workdir", "setup.cfg", "src/core/__init__.py", "src/core/engine.py", "src/core/helper.py", "src/loose.py",
        "suite/conftest.py", "suite/test_engine.py",
    ]
    assert copied_along(workspace) == ["suite", "conftest.py", "pytest.ini", ".pytest.ini", "tox.ini", "pyproject.toml"]


@pytest.mark.parametrize(("package_root", "suite", "work_suite", "rootdir"), [
    (".", "pkg/tests", "src/pkg/tests", "src"),
    ("src", "src/pkg/tests", "src/pkg/tests", "."),
])
def test_a_suite_inside_the_package_travels_with_it_and_keeps_the_projects_test_ids(
        tmp_path, package_root, suite, work_suite, rootdir):
    prefix = "" if package_root == "." else "src/"
    files = tuple(prefix + name for name in ("pkg/__init__.py", "pkg/mod.py", "pkg/tests/__init__.py",
                                            "pkg/tests/test_mod.py"))
    config = load_config(make_project(
        tmp_path, f"targets = {prefix}pkg/mod.py = 90\nsuite = {suite}\npackage_root = {package_root}\n", files=files))

    workspace = prepare_workspace(config)

    assert (workspace.suite, workspace.rootdir) == (work_suite, rootdir)
    assert files_under(workspace.root / "src") == ["pkg/__init__.py", "pkg/mod.py", "pkg/tests/__init__.py",
                                                   "pkg/tests/test_mod.py"]
    assert not (workspace.root / suite).exists() or suite.startswith("src/")
    assert copied_along(workspace)[0] == work_suite


def test_prepare_workspace_copies_a_src_layout_and_a_single_file_suite(tmp_path):
    files = ("src/pkg/__init__.py", "src/pkg/mod.py", "test_pkg.py")
    config = load_config(make_project(tmp_path, "targets = src/pkg/mod.py = 90\nsuite = test_pkg.py\npackage_root = src\n",
                                      files=files))

    workspace = prepare_workspace(config)

    assert files_under(workspace.root) == [".mutation-gate-workdir", "setup.cfg", "src/pkg/__init__.py", "src/pkg/mod.py", "test_pkg.py"]


def test_pyproject_without_tool_mutmut_is_copied(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n", encoding="utf-8")

    workspace = prepare_workspace(config)

    assert (workspace.root / "pyproject.toml").read_text(encoding="utf-8") == "[tool.black]\nline-length = 100\n"


@pytest.mark.parametrize(
    ("package_root", "project_path", "work_path"),
    [
        (".", "pkg/mod.py", "src/pkg/mod.py"),
        (".", "tool.py", "src/tool.py"),
        ("src", "src/pkg/mod.py", "src/pkg/mod.py"),
        ("backend", "backend/core/workflow_engine.py", "src/core/workflow_engine.py"),
        ("backend", "backend/core/sub/__init__.py", "src/core/sub/__init__.py"),
    ],
)
def test_work_path_and_project_path_round_trip(tmp_path, package_root, project_path, work_path):
    workspace = Workspace(tmp_path, tmp_path, package_root)

    assert workspace.work_path(project_path) == work_path
    assert workspace.project_path(work_path) == project_path


def test_prepare_workspace_refuses_to_delete_a_directory_it_did_not_make(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / ".mutation-gate").mkdir()
    (tmp_path / ".mutation-gate" / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config)

    assert str(error.value) == "work_dir .mutation-gate exists but was not made by the gate; refusing to delete it"
    assert (tmp_path / ".mutation-gate" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_work_directorys_setup_cfg_keeps_every_section_but_the_gates(tmp_path):
    config = load_config(flat_project(tmp_path, extra_cfg="[mutmut]\ndo_not_mutate = *_generated.py\n\n"))

    workspace = prepare_workspace(config)

    written = read_cfg(workspace.root / "setup.cfg")
    assert written.sections() == ["tool:pytest", "mutmut"]
    assert (written["tool:pytest"]["addopts"], written["mutmut"]["do_not_mutate"]) == ("-q", "*_generated.py")


def test_a_mutmut_users_also_copy_paths_travel_into_the_work_directory(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "table.csv").write_text("a,b\n", encoding="utf-8")

    workspace = prepare_workspace(config, also_copy=("data", "notes.txt"))

    assert (workspace.root / "data" / "table.csv").read_text(encoding="utf-8") == "a,b\n"
    assert (workspace.root / "notes.txt").read_text(encoding="utf-8") == "VALUE = 1\n"


def test_an_also_copy_path_missing_from_the_project_is_a_config_error(tmp_path):
    config = load_config(flat_project(tmp_path))

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config, also_copy=("fixtures/",))

    assert str(error.value) == "mutmut's also_copy names fixtures/, which is not in the project"


def test_a_suite_file_travels_with_the_conftest_and_package_files_above_it(tmp_path):
    files = ("pkg/__init__.py", "pkg/mod.py", "tests/conftest.py", "tests/unit/__init__.py", "tests/unit/conftest.py",
             "tests/unit/test_mod.py", "tests/unit/test_other.py", "tests/unit/data.txt")
    config = load_config(make_project(tmp_path, "targets = pkg/mod.py = 90\nsuite = tests/unit/test_mod.py\n",
                                      files=files))

    workspace = prepare_workspace(config)

    assert files_under(workspace.root) == [
        ".mutation-gate-workdir", "setup.cfg", "src/pkg/__init__.py", "src/pkg/mod.py", "tests/conftest.py",
        "tests/unit/__init__.py", "tests/unit/conftest.py", "tests/unit/test_mod.py",
    ]
    # The engine copies a directory, never a file into a directory it has not made.
    assert copied_along(workspace)[0] == "tests"


@pytest.mark.parametrize(("suite", "files", "along"), [
    ("test_pkg.py", ("test_pkg.py",), "test_pkg.py"),
    ("tests", ("tests/test_mod.py",), "tests"),
    ("pkg/tests/test_mod.py", ("pkg/tests/__init__.py", "pkg/tests/test_mod.py"), "src/pkg/tests/test_mod.py"),
], ids=["root-file", "directory", "file-inside-the-package"])
def test_what_travels_with_the_suite(tmp_path, suite, files, along):
    config = load_config(make_project(tmp_path, f"targets = pkg/mod.py = 90\nsuite = {suite}\n",
                                      files=("pkg/__init__.py", "pkg/mod.py", *files)))

    assert copied_along(prepare_workspace(config)) == [along, "conftest.py", "pytest.ini", ".pytest.ini", "tox.ini",
                                                       "pyproject.toml"]


def test_a_work_dir_that_became_a_symbolic_link_is_never_followed(tmp_path):
    config = load_config(flat_project(tmp_path / "project"))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / ".mutation-gate-workdir").write_text("made by the mutation gate\n", encoding="utf-8")
    (tmp_path / "project" / ".mutation-gate").symlink_to(tmp_path / "elsewhere")

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config)

    assert str(error.value) == "work_dir .mutation-gate is a symbolic link; refusing to delete what it points to"
    assert sorted(path.name for path in (tmp_path / "elsewhere").iterdir()) == [".mutation-gate-workdir"]


def test_a_work_dir_that_cannot_be_created_says_why(tmp_path):
    config = load_config(make_project(tmp_path, "targets = pkg/mod.py = 90\nwork_dir = build/gate\n"))
    (tmp_path / "build").write_text("a file now\n", encoding="utf-8")  # made after the configuration was read

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config)

    assert str(error.value) == "work_dir build/gate: cannot be created: Not a directory"
