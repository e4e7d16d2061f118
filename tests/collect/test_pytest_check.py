"""Before anything is measured, pytest must accept the gate's arguments and import the suite's
conftest.py files: a refused argument is exit 1 quoting pytest's complaint (never its rootdir
line), a conftest.py that cannot be imported is a red suite (exit 4) naming the file."""

from pathlib import Path

import pytest

from mutation import exit_codes
from mutation.collect.pytest_check import LOG_NAME, check_pytest_accepts, conftest_failure, refusal, rejection
from mutation.collect.workspace import Workspace, prepare_workspace
from mutation.errors import ConfigError, SuiteFailsError
from mutation.options import load_config
from tests.factories import gate_config
from tests.fixture_runs import copy_fixture

UNRECOGNIZED = """ERROR: usage: python -m pytest [options] [file_or_dir] [file_or_dir] [...]
python -m pytest: error: unrecognized arguments: --colour
  inifile: /w/setup.cfg
  rootdir: /w
"""
INVALID_CHOICE = """ERROR: usage: python -m pytest [options] [file_or_dir] [file_or_dir] [...]
python -m pytest: error: argument --tb: invalid choice: 'sideways' (choose from 'auto', 'long')
"""
PLUGIN = """ERROR: Error importing plugin "no_such_plugin": No module named 'no_such_plugin'
"""
CONFTEST = """ImportError while loading conftest '/w/tests/conftest.py'.
tests/conftest.py:1: in <module>
    import settings
E   ModuleNotFoundError: No module named 'settings'
"""
WORKSPACE = Workspace(Path("/w"), Path("/project"), "backend", "tests")
CONFIG = gate_config(Path("/project"), pytest_args=("-p", "no_such_plugin", "--tb=sideways", "-Z"))
LOG = ".mutation-gate/gate/pytest-check.log"


@pytest.mark.parametrize(("output", "problem"), [
    (UNRECOGNIZED, "unrecognized arguments: --colour"),
    (INVALID_CHOICE, "argument --tb: invalid choice: 'sideways' (choose from 'auto', 'long')"),
    (PLUGIN, 'Error importing plugin "no_such_plugin": No module named \'no_such_plugin\''),
    ("ERROR: file or directory not found: tests/nope.py\n\nno tests ran\n", "file or directory not found: tests/nope.py"),
    ("\nsomething else\n", "something else"),
    ("", "no output"),
], ids=["unrecognized", "invalid-choice", "plugin", "path", "unknown-form", "silent"])
def test_the_rejection_is_what_pytest_said_of_the_arguments(output, problem):
    assert rejection(output) == problem


@pytest.mark.parametrize(("output", "message"), [
    (INVALID_CHOICE, "setup.cfg [mutation_gate] pytest_args: pytest rejects them: argument --tb: invalid choice: "
                     "'sideways' (choose from 'auto', 'long')"),
    (PLUGIN, "setup.cfg [mutation_gate] pytest_args: pytest rejects them: Error importing plugin \"no_such_plugin\": "
             "No module named 'no_such_plugin'"),
    ("python -m pytest: error: unrecognized arguments: -Z\n",
     "setup.cfg [mutation_gate] pytest_args: pytest rejects them: unrecognized arguments: -Z"),
    (UNRECOGNIZED, "pytest rejects its arguments: unrecognized arguments: --colour (not from pytest_args: check "
                   f"addopts, plugins and mutmut's pytest_add_cli_args; pytest's output: {LOG})"),
], ids=["option-value", "plugin", "short-flag", "not-from-pytest-args"])
def test_a_refused_argument_is_a_configuration_error_naming_where_it_came_from(output, message):
    error = refusal(output, CONFIG, WORKSPACE, LOG)

    assert (type(error), str(error), error.exit_code) == (ConfigError, message, exit_codes.USAGE)


def test_a_conftest_that_cannot_be_imported_is_a_red_suite_naming_the_file():
    error = refusal(CONFTEST, CONFIG, WORKSPACE, LOG)

    assert (type(error), str(error), error.exit_code) == (
        SuiteFailsError,
        "tests/conftest.py: cannot be imported: ModuleNotFoundError: No module named 'settings'; the suite fails "
        f"without mutation (pytest's output: {LOG})",
        exit_codes.SUITE_FAILS,
    )


@pytest.mark.parametrize(("path", "shown"), [
    ("/w/src/core/tests/conftest.py", "backend/core/tests/conftest.py"),
    ("/w/conftest.py", "conftest.py"),
    ("/elsewhere/conftest.py", "/elsewhere/conftest.py"),
], ids=["inside-a-package", "project-root", "outside-the-work-dir"])
def test_a_failing_conftest_is_named_by_its_project_path(path, shown):
    output = f"ImportError while loading conftest '{path}'.\nE   RuntimeError: boom\n"

    assert conftest_failure(output, WORKSPACE) == (shown, "RuntimeError: boom")


def test_a_conftest_failure_without_an_error_line_points_at_the_output():
    assert conftest_failure("ImportError while loading conftest '/w/conftest.py'.\n", WORKSPACE) == (
        "conftest.py", "see pytest's output")


def test_a_conftest_that_failed_while_collecting_is_named_from_its_frame():
    output = ("____ ERROR collecting tests/sub ____\n/usr/lib/python3.11/importlib/__init__.py:126: in import_module\n"
              "    return _bootstrap._gcd_import(name[level:], package, level)\n"
              "tests/sub/conftest.py:1: in <module>\n    import helper\nhelper.py:3: in <module>\n    raise KeyError\n"
              "E   KeyError: 'HOME'\n=== short test summary info ===\nERROR tests/sub - KeyError: 'HOME'\n"
              "E   not this one\n")

    assert conftest_failure(output, WORKSPACE) == ("tests/sub/conftest.py", "KeyError: 'HOME'")


def test_the_error_is_the_last_line_of_the_first_error_block():
    output = ("ImportError while loading conftest '/w/conftest.py'.\nE     File \"/w/conftest.py\", line 1\n"
              "E       def (:\nE           ^\nE   SyntaxError: invalid syntax\n")

    assert conftest_failure(output, WORKSPACE) == ("conftest.py", "SyntaxError: invalid syntax")


def test_a_frame_relative_to_a_rootdir_inside_the_work_dir_is_named_by_its_project_path():
    output = "core/tests/conftest.py:2: in <module>\nE   RuntimeError: boom\n"
    workspace = Workspace(Path("/w"), Path("/project"), "backend", "src/core/tests", rootdir="src")

    assert conftest_failure(output, workspace) == ("backend/core/tests/conftest.py", "RuntimeError: boom")


def test_without_a_workspace_the_conftest_is_named_by_pytests_path():
    assert conftest_failure(CONFTEST) == ("/w/tests/conftest.py", "ModuleNotFoundError: No module named 'settings'")


def test_output_without_a_conftest_failure_names_none():
    assert conftest_failure(UNRECOGNIZED, WORKSPACE) is None


# --- on a real work directory --------------------------------------------------------------------------


def workspace_of(tmp_path, pytest_args="", conftest=None):
    root = copy_fixture("fully_tested", tmp_path)
    if pytest_args:
        with open(root / "setup.cfg", "a", encoding="utf-8") as cfg:
            cfg.write(f"pytest_args = {pytest_args}\n")
    if conftest is not None:
        (root / "tests" / "conftest.py").write_text(conftest, encoding="utf-8")
    config = load_config(root / "setup.cfg")
    return config, prepare_workspace(config)


def test_arguments_pytest_accepts_pass_and_nothing_is_collected(tmp_path):
    config, workspace = workspace_of(tmp_path, "-x --tb=short")

    assert check_pytest_accepts(config, workspace) is None
    assert "no tests ran" in (workspace.gate_dir / LOG_NAME).read_text(encoding="utf-8")
    assert not (workspace.gate_dir / "preflight.log").exists()


def test_a_flag_pytest_does_not_know_is_named(tmp_path):
    config, workspace = workspace_of(tmp_path, "--colour=yes")

    with pytest.raises(ConfigError) as error:
        check_pytest_accepts(config, workspace)

    assert str(error.value) == "setup.cfg [mutation_gate] pytest_args: pytest rejects them: unrecognized arguments: --colour=yes"


def test_a_conftest_that_raises_on_import_is_a_red_suite(tmp_path):
    config, workspace = workspace_of(tmp_path, conftest="raise RuntimeError('no database')\n")

    with pytest.raises(SuiteFailsError) as error:
        check_pytest_accepts(config, workspace)

    assert str(error.value) == ("tests/conftest.py: cannot be imported: RuntimeError: no database; the suite fails "
                                "without mutation (pytest's output: .mutation-gate/gate/pytest-check.log)")


def test_a_path_argument_that_is_not_there_is_refused_without_collecting(tmp_path):
    config, workspace = workspace_of(tmp_path, "tests/test_ops.py::test_add tests/gone.py")

    with pytest.raises(ConfigError) as error:
        check_pytest_accepts(config, workspace)

    assert str(error.value) == ("setup.cfg [mutation_gate] pytest_args: pytest rejects them: file or directory not "
                                "found: tests/gone.py")
