"""Before anything is measured: pytest accepts the arguments of the gate's sessions and imports the
suite's conftest.py files, in a pytest session over the work directory that collects nothing.

pytest refuses both a bad argument (a flag it does not know, a bad value, a plugin it cannot
load, an unknown option in its configuration, a path that is not there) and a conftest.py that
fails to import with exit 4, before any test; its "ImportError while loading conftest" line tells
them apart. A bad argument is a configuration error (exit 1) quoting what pytest said of it,
never its rootdir line; a conftest.py that cannot be imported is a red suite (exit 4) naming the
file.

Loaded into that session with `-p`, this module is also the plugin that skips collection.
"""

import os
import re
import subprocess
import sys

from mutation.collect.pytest_options import STABLE_IDS, gate_environment
from mutation.collect.workspace import SOURCE_DIR
from mutation.engine.processes import run_group
from mutation.errors import ConfigError, SuiteFailsError

USAGE_ERROR = 4  # pytest's ExitCode.USAGE_ERROR
LOG_NAME = "pytest-check.log"
CONFTEST_FAILURE = re.compile(r"ImportError while loading conftest '(?P<path>[^']+)'")
# A conftest.py pytest imports while collecting (below the suite's own) fails in a collection error.
CONFTEST_FRAME = re.compile(r"^(?P<path>\S*conftest\.py):\d+: in <module>$", re.MULTILINE)
ARGPARSE_ERROR = re.compile(r"^\S.*?: error: (?P<problem>.+)$", re.MULTILINE)
PYTEST_ERROR = re.compile(r"^ERROR: (?!usage:)(?P<problem>.+)$", re.MULTILINE)


def pytest_collection(session):
    """Collect nothing: the session only had to configure pytest and import the initial conftests. A
    path argument that is not there is refused as collection would refuse it."""
    import pytest

    if not session.config.option.pyargs:
        for argument in session.config.args:
            if not (session.config.invocation_params.dir / argument.split("::")[0]).exists():
                raise pytest.UsageError(f"file or directory not found: {argument}")
    session.items = []
    return True


def check_pytest_accepts(config, workspace):
    """Raise ConfigError for arguments pytest refuses, SuiteFailsError for a conftest.py it cannot import."""
    command = [sys.executable, "-m", "pytest", f"--rootdir={workspace.rootdir}", "-p", "no:randomly", "-p", __name__,
               *STABLE_IDS, *config.pytest_args, workspace.suite]
    log_path = workspace.gate_dir / LOG_NAME
    env = gate_environment(workspace.gate_dir, workspace.bytecode_dir, PYTHONPATH=workspace.python_path())
    with open(log_path, "w", encoding="utf-8") as log:
        exit_code = run_group(command, cwd=workspace.root, env=env, stdout=log, stderr=subprocess.STDOUT)
    if exit_code == USAGE_ERROR:
        shown = os.path.relpath(log_path, config.project_root)
        raise refusal(log_path.read_text(encoding="utf-8", errors="replace"), config, workspace, shown)


def refusal(output, config, workspace, log_name):
    """The error for pytest's exit 4 with this `output`: a red suite or a configuration error."""
    failed = conftest_failure(output, workspace)
    if failed is not None:
        path, error = failed
        return SuiteFailsError(f"{path}: cannot be imported: {error}; the suite fails without mutation "
                               f"(pytest's output: {log_name})")
    problem = rejection(output)
    if _names_one_of(problem, config.pytest_args):
        return ConfigError(f"{config.config_path.name} [mutation_gate] pytest_args: pytest rejects them: {problem}")
    return ConfigError(f"pytest rejects its arguments: {problem} (not from pytest_args: check addopts, plugins and "
                       f"mutmut's pytest_add_cli_args; pytest's output: {log_name})")


def conftest_failure(output, workspace=None):
    """(the conftest.py's project path, its error) when pytest could not import one; else None. Without
    `workspace` the path is pytest's own."""
    found = CONFTEST_FAILURE.search(output) or CONFTEST_FRAME.search(output)
    if found is None:
        return None
    return _project_path(found["path"], workspace), _first_error(output[found.end():])


def _first_error(output):
    """The last line of the first block of pytest's `E` lines (the exception itself), if any."""
    block = []
    for line in output.splitlines():
        if line.startswith("E "):
            block.append(line[1:].strip())
        elif block:
            break
    return block[-1] if block else "see pytest's output"


def rejection(output):
    """What pytest said of the arguments it refused: argparse's error, else pytest's ERROR line."""
    for pattern in (ARGPARSE_ERROR, PYTEST_ERROR):
        found = pattern.search(output)
        if found is not None:
            return found["problem"].strip()
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[0] if lines else "no output"


def _names_one_of(problem, arguments):
    """Whether `problem` names one of `arguments` (an option by its name, `--tb` for `--tb=x`)."""
    for argument in arguments:
        word = argument.split("=", 1)[0] if argument.startswith("-") else argument
        if len(word) >= 2 and re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", problem):
            return True
    return False


def _project_path(path, workspace):
    if workspace is None:
        return path
    try:
        relative = os.path.relpath(os.path.join(workspace.root, workspace.rootdir, path), workspace.root)
    except ValueError:
        return path
    if relative.startswith(".."):
        return path
    if relative.split(os.sep, 1)[0] == SOURCE_DIR:
        return workspace.project_path(relative)
    return relative
