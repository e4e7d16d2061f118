"""Preflight: run the suite once, unmutated, with per-test coverage contexts.

The suite must pass before anything is scored (exit 4 otherwise, naming the failing tests).
The same run yields each test's duration (for per-test time limits under mutation) and
line and branch coverage with the tests that executed each line.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass

from mutation.collect.pytest_options import PHASE_ENV, PREFLIGHT, RECORDER_PLUGIN, STABLE_IDS, gate_environment
from mutation.collect.records import read_session
from mutation.collect.workspace import SOURCE_DIR
from mutation.errors import ConfigError, SuiteFailsError
from mutation.logs import last_message, tail


@dataclass(frozen=True)
class PreflightResult:
    tests: tuple
    durations: dict
    coverage_file: str
    seconds: float


def preflight(config, workspace):
    """Run the suite unmutated in the work directory; raises unless every test passes."""
    coverage_file = workspace.gate_dir / ".coverage"
    command = [
        sys.executable, "-m", "pytest", "--rootdir=.", "-p", RECORDER_PLUGIN, "-p", "no:randomly",
        f"--cov={SOURCE_DIR}", "--cov-branch", "--cov-context=test", "--cov-report=", "--cov-fail-under=0",
        *STABLE_IDS, *config.pytest_args, config.suite,
    ]
    python_path = os.pathsep.join(filter(None, [str(workspace.root / SOURCE_DIR), os.environ.get("PYTHONPATH")]))
    env = gate_environment(workspace.gate_dir, PYTHONPATH=python_path, COVERAGE_FILE=str(coverage_file))
    env[PHASE_ENV] = PREFLIGHT
    log_path = workspace.gate_dir / "preflight.log"
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        exit_code = subprocess.run(command, cwd=workspace.root, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    seconds = time.monotonic() - started
    session = read_session(workspace.gate_dir, PREFLIGHT)
    _judge_preflight(exit_code, session, log_path)
    return PreflightResult(tuple(session.tests), dict(session.durations), str(coverage_file), seconds)


def _judge_preflight(exit_code, session, log_path):
    if exit_code == 4:
        raise ConfigError(f"pytest rejected its arguments: {last_message(log_path)} (see {log_path})")
    if exit_code == 5 or (exit_code == 0 and not session.tests):
        raise SuiteFailsError("the suite collected no tests")
    if exit_code != 0 or session.failures or session.corrupt or not session.exists:
        failing = sorted({test for test, *_ in session.failures})
        details = [f"  {test}" for test in failing] or tail(log_path, 15)
        raise SuiteFailsError(
            f"the suite fails without mutation (pytest exit {exit_code}, {len(failing)} failing tests); "
            f"fix it before scoring (log: {log_path})",
            details,
        )
