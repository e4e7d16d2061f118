"""Driving mutmut 3.8.1: the settings the gate relies on, the run itself, and progress.

The settings avoid the known false kills and false survivors: fork-server isolation (no
state leaking from a parent that ran the suite), no coverage plugin during mutation (pytest
exit 3 would count as kills), `--maxfail=0` after mutmut's `-x` so every selected test runs
and the kill recorder sees every killer, and stable test ids across sessions.
"""

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

from mutation.errors import IncompleteMeasurementError
from mutation.logs import last_message, tail
from mutation.preflight import STABLE_IDS, gate_environment
from mutation.workspace import ROOT_FILES

PROGRESS_EVERY_SECONDS = 10.0


def mutmut_settings(config, outer_timeout_seconds):
    """The `[mutmut]` section the gate writes into the work directory's setup.cfg."""
    # `--tb=line`: formatting a full traceback costs a failing test tens of milliseconds, and
    # under `--maxfail=0` most tests of a killed mutant fail; nobody reads those tracebacks.
    pytest_args = ["--maxfail=0", "--tb=line", "-p", "mutation.kill_recorder", *STABLE_IDS, *config.pytest_args]
    if importlib.util.find_spec("pytest_cov") is not None:
        pytest_args.append("--no-cov")
    return {
        "source_paths": ["src"],
        "pytest_add_cli_args": pytest_args,
        "pytest_add_cli_args_test_selection": [config.suite],
        # mutmut copies only tests/ and setup.cfg by itself: a root conftest.py or pytest.ini
        # left behind would silently change how mutants are tested.
        "also_copy": [config.suite, *ROOT_FILES],
        "process_isolation": "forkserver",
        "mutate_only_covered_lines": "false",
        "use_git_change_detection": "false",
        "timeout_multiplier": "1.0",
        "timeout_constant": f"{outer_timeout_seconds:.0f}",
        "debug": "false",
    }


def mutmut_executable():
    candidate = Path(sys.executable).with_name("mutmut")
    return str(candidate) if candidate.exists() else "mutmut"


def run_mutmut(workspace, workers, mutant_names=(), total=None, out=sys.stderr, run_label=""):
    """Run `mutmut run` in the work directory, printing progress; fails closed on a mutmut error.

    With `mutant_names`, only those mutants are run again; `run_label` names the log.
    """
    command = [mutmut_executable(), "run", "--max-children", str(workers), *mutant_names]
    log_path = workspace.gate_dir / (f"mutmut-{run_label}.log" if run_label else "mutmut.log")
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=workspace.root, env=gate_environment(workspace), stdout=log,
                                   stderr=subprocess.STDOUT)
        _report_progress(process, workspace, total, started, out, watched=frozenset(mutant_names))
    if process.returncode != 0:
        raise IncompleteMeasurementError(
            f"mutmut run failed (exit {process.returncode}): {last_message(log_path)} (log: {log_path})",
            tail(log_path),
        )
    return time.monotonic() - started


def _report_progress(process, workspace, total, started, out, watched):
    last_report = started
    while process.poll() is None:
        time.sleep(0.5)
        now = time.monotonic()
        if now - last_report >= PROGRESS_EVERY_SECONDS:
            last_report = now
            print(_progress_line(workspace, total, now - started, watched), file=out, flush=True)


def _progress_line(workspace, total, elapsed, watched):
    if watched:
        # Re-run mutants keep their earlier exit codes until they finish again: count fresh records.
        done = len(sessions_started_since(workspace.gate_dir / "records", watched, time.time() - elapsed))
        return f"  mutants {done}/{len(watched)} run again after {elapsed:.0f}s"
    done, counts = progress_counts(workspace.mutants_dir)
    of = f"/{total}" if total else ""
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    return f"  mutants {done}{of} run ({summary or 'starting'}) after {elapsed:.0f}s"


def sessions_started_since(records_dir, names, since):
    """The mutants among `names` whose kill records were written at or after `since` (epoch seconds)."""
    started = set()
    for path in Path(records_dir).rglob("*.jsonl"):
        if path.stem in names and path.stat().st_mtime >= since:
            started.add(path.stem)
    return started


def progress_counts(mutants_dir):
    """How many mutants have a recorded exit code so far, by mutmut's raw verdict."""
    counts = {}
    for meta in Path(mutants_dir).rglob("*.meta"):
        try:
            codes = json.loads(meta.read_text())["exit_code_by_key"]
        except (ValueError, KeyError, OSError):
            continue  # being written right now; the next poll reads it
        for name, code in codes.items():
            if code is None:
                continue
            label = {0: "survived", 1: "killed", 33: "no tests", 5: "no tests"}.get(code, "other")
            counts[label] = counts.get(label, 0) + 1
    return sum(counts.values()), counts
