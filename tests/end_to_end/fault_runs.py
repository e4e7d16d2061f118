"""Fault injection on real gate runs: a copy of tests/fixtures/fully_tested whose suite can hold one
test (in the preflight, or under a mutant) until the fault is injected, an earlier passing report,
and what the report says after the fault (`tests.process_checks` tells what is left running).

A held test records its PID and its own child's PID (a process it started, as a test of a server
would) in the hold directory, then waits until it is killed.
"""

import json
import os
import subprocess
import sys
import time

from tests.factories import gate_document, mutant_entry
from tests.fixture_runs import copy_fixture

HOLD_ENV = "GATE_FAULT_HOLD"  # the hold directory
HOLD_PHASE_ENV = "GATE_FAULT_HOLD_PHASE"  # "preflight" or "mutant": where the first test is held

HOLDING_CONFTEST = f"""
import os, subprocess, sys, threading
from pathlib import Path

def _phase():
    if "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", ""):
        return "mutant"
    return "preflight" if os.environ.get("MUTATION_GATE_PHASE") == "preflight" else None

def pytest_runtest_call(item):
    hold = os.environ.get("{HOLD_ENV}")
    if not hold or _phase() != os.environ.get("{HOLD_PHASE_ENV}"):
        return
    try:
        os.mkdir(Path(hold) / "taken")  # only the first test to get here is held
    except FileExistsError:
        return
    child = subprocess.Popen([sys.executable, "-c", "import threading; threading.Event().wait()"])
    (Path(hold) / "pids.tmp").write_text(f"{{os.getpid()}} {{child.pid}}")
    os.replace(Path(hold) / "pids.tmp", Path(hold) / "pids")
    threading.Event().wait()
"""

# The last run's verdict, a pass: no fault may leave it readable.
EARLIER_PASS = gate_document([mutant_entry("calc.ops.add#1", "killed", function="add", file="calc/ops.py",
                                           target="calc/ops.py",
                                           covered_by=["tests/test_ops.py::test_add"],
                                           killed_by=[("tests/test_ops.py::test_add", "assertion")])])


def holding_project(tmp_path):
    """fully_tested, with the holding conftest, generous time limits and a passing earlier report."""
    root = copy_fixture("fully_tested", tmp_path, {"tests/conftest.py": HOLDING_CONFTEST})
    config = root / "setup.cfg"
    config.write_text(config.read_text(encoding="utf-8") + "test_timeout_floor = 600\n", encoding="utf-8")
    report = root / "reports" / "mutation" / "gate.json"
    report.parent.mkdir(parents=True)
    report.write_text(json.dumps(EARLIER_PASS), encoding="utf-8")
    return root


def start_gate(root, hold_phase=None, *arguments, new_session=False):
    env = dict(os.environ, **{HOLD_ENV: str(root.parent / "hold"), HOLD_PHASE_ENV: hold_phase or ""})
    (root.parent / "hold").mkdir(exist_ok=True)
    command = [sys.executable, "-m", "mutation", "--config", str(root / "setup.cfg"), "run", "--workers", "2",
               *arguments]
    return subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=new_session)


def held_pids(root, gate, timeout=120.0):
    """Wait until a test is held; its PID and its child's. Fails if the gate ends first."""
    pids = root.parent / "hold" / "pids"
    deadline = time.monotonic() + timeout
    while not pids.exists():
        if gate.poll() is not None or time.monotonic() > deadline:
            out, err = gate.communicate()
            raise AssertionError(f"no test was held (gate exit {gate.returncode}): {err[-2000:]}")
        time.sleep(0.02)  # polling another process; the gate's own timing is not under test
    return [int(pid) for pid in pids.read_text(encoding="ascii").split()]


def finish(gate, timeout=60.0):
    out, err = gate.communicate(timeout=timeout)
    return gate.returncode, out, err


def report_state(root):
    """The state and verdict of the project's gate.json now."""
    document = json.loads((root / "reports" / "mutation" / "gate.json").read_text(encoding="utf-8"))
    return document["state"], document["verdict"]["exit_code"], document["verdict"]["reasons"]
