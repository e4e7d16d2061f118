"""Preflight: run the suite once, unmutated, with per-test coverage contexts.

The suite must pass before anything is scored (exit 4 otherwise, naming the failing tests).
The same run yields each test's duration (for per-test time limits under mutation) and
line and branch coverage with the tests that executed each line.
"""

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field

from mutation.collect.pytest_check import conftest_failure, rejection
from mutation.collect.pytest_options import (
    PHASE_ENV,
    PREFLIGHT,
    RECORDER_PLUGIN,
    REUSED_ENV,
    STABLE_IDS,
    gate_environment,
)
from mutation.collect.records import read_session
from mutation.collect.workspace import SOURCE_DIR
from mutation.engine.processes import run_group
from mutation.errors import ConfigError, SuiteFailsError
from mutation.logs import last_message, tail


COVERAGE_RC = "[run]\nbranch = True\nrelative_files = False\nparallel = False\n"


@dataclass(frozen=True)
class PreflightResult:
    tests: tuple
    durations: dict
    coverage_file: str
    seconds: float
    note: str = ""  # what went wrong after every test passed, if anything
    bodies: dict = field(default_factory=dict)  # test -> where its code is (`file:line`)
    silent: frozenset = frozenset()  # tests whose body holds no assertion
    reused: frozenset = frozenset()  # tests taken from the preflight record, not run


def preflight(config, workspace, reuse=None, paths=None):
    """Run the suite unmutated in the work directory; raises unless every test passes.

    `reuse` (test -> `preflight_record.ReusedTest`): tests deselected and taken as recorded (their
    durations here; their arcs are the caller's to restore). A reused test the suite no longer
    collects is simply gone."""
    coverage_file = workspace.gate_dir / ".coverage"
    rc_file = write_coverage_rc(workspace.gate_dir)
    command = [
        sys.executable, "-m", "pytest", f"--rootdir={workspace.rootdir}", "-p", RECORDER_PLUGIN, "-p", "no:randomly",
        f"--cov={SOURCE_DIR}", "--cov-branch", "--cov-context=test", "--cov-report=", "--cov-fail-under=0",
        f"--cov-config={rc_file}",
        *STABLE_IDS, *config.pytest_args, *(paths or [workspace.suite]),
    ]
    env = gate_environment(workspace.gate_dir, workspace.bytecode_dir, PYTHONPATH=workspace.python_path(),
                           COVERAGE_FILE=str(coverage_file))
    env[PHASE_ENV] = PREFLIGHT
    reuse = reuse or {}
    if reuse:
        reused_file = workspace.gate_dir / "preflight-reused.json"
        reused_file.write_text(json.dumps(sorted(reuse)), encoding="utf-8")
        env[REUSED_ENV] = str(reused_file)
    log_path = workspace.gate_dir / "preflight.log"
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        exit_code = run_group(command, cwd=workspace.root, env=env, stdout=log, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    session = read_session(workspace.gate_dir, PREFLIGHT)
    if exit_code == 5 and session.reused and session.exit_status == 5:
        exit_code = session.exit_status = 0  # every collected test was reused: none left to run
    note = _judge_preflight(exit_code, session, log_path, workspace)
    durations = {**session.durations, **{test: reuse[test].duration for test in session.reused}}
    return PreflightResult(_in_order(session), durations, str(coverage_file), seconds, note,
                           dict(session.bodies), frozenset(session.silent), frozenset(session.reused))


def _in_order(session):
    """The session's tests (run and reused) in collected order (pytest's, as a full preflight runs them)."""
    place = {test: index for index, test in enumerate(session.order)}
    return tuple(sorted(session.tests, key=lambda test: place.get(test, len(place))))


def write_coverage_rc(gate_dir):
    """The gate's own coverage configuration: absolute paths in one data file, whatever the project's
    settings (`relative_files`, `parallel`, `omit`, `[paths]`) would make of them."""
    rc_file = gate_dir / "coveragerc"
    rc_file.write_text(COVERAGE_RC, encoding="utf-8")
    return rc_file


def _judge_preflight(exit_code, session, log_path, workspace=None):
    """Raises unless every test passed; the note for a pytest that failed only after its session."""
    if exit_code == 4:
        # What only collection refuses, e.g. a `-k` expression pytest cannot parse.
        problem = rejection(log_path.read_text(encoding="utf-8", errors="replace"))
        raise ConfigError(f"pytest rejected its arguments: {problem} (see {log_path})")
    if exit_code == 5 or (exit_code == 0 and not session.tests):
        raise SuiteFailsError("the suite collected no tests")
    if _failed_after_session(exit_code, session):
        # e.g. `filterwarnings = error` turning an unraisable warning into an error at unconfigure:
        # the tests themselves all passed, and mutant sessions never reach that point.
        return f"pytest exited {exit_code} after its session passed: {last_message(log_path)}"
    if exit_code != 0 or session.failures or session.corrupt or not session.exists:
        failing = sorted({test for test, *_ in session.failures})
        failed_import = None if failing else conftest_failure(log_path.read_text(encoding="utf-8", errors="replace"),
                                                              workspace)
        if failed_import is not None:  # a conftest.py below the suite's own, imported while collecting
            raise SuiteFailsError(f"{failed_import[0]}: cannot be imported: {failed_import[1]}; the suite fails "
                                  f"without mutation (log: {log_path})")
        details = [f"  {test}" for test in failing] or tail(log_path, 15)
        raise SuiteFailsError(
            f"the suite fails without mutation (pytest exit {exit_code}, {len(failing)} failing tests); "
            f"fix it before scoring (log: {log_path})",
            details,
        )
    return ""


def _failed_after_session(exit_code, session):
    return (exit_code not in (0, 4, 5) and session.exit_status == 0 and session.exists and not session.corrupt
            and not session.failures and not session.unfinished and bool(session.tests))
