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

from mutation.errors import ConfigError, SuiteFailsError
from mutation.kill_recorder import GATE_DIR_ENV, PHASE_ENV, PREFLIGHT
from mutation.logs import last_message, tail
from mutation.records import read_session

# Keep non-ASCII parametrize ids identical between sessions (see mutmut field notes).
STABLE_IDS = ("-o", "disable_test_id_escaping_and_forfeit_all_rights_to_community_support=true")


@dataclass(frozen=True)
class PreflightResult:
    tests: tuple
    durations: dict
    coverage_file: str
    seconds: float


def gate_environment(workspace, **extra):
    env = dict(os.environ)
    env[GATE_DIR_ENV] = str(workspace.gate_dir)
    env.pop("MUTANT_UNDER_TEST", None)
    env.update(extra)
    return env


def run_preflight(config, workspace):
    coverage_file = workspace.gate_dir / ".coverage"
    command = [
        sys.executable, "-m", "pytest", "--rootdir=.", "-p", "mutation.kill_recorder", "-p", "no:randomly",
        "--cov=src", "--cov-branch", "--cov-context=test", "--cov-report=", "--cov-fail-under=0",
        *STABLE_IDS, *config.pytest_args, config.suite,
    ]
    python_path = os.pathsep.join(filter(None, [str(workspace.root / "src"), os.environ.get("PYTHONPATH")]))
    env = gate_environment(workspace, PYTHONPATH=python_path, COVERAGE_FILE=str(coverage_file))
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
