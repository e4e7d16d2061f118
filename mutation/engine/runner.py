"""Running mutmut in the work directory: `mutmut run` over all mutants or a given list, and `browse`."""

import subprocess
import sys
import time
from pathlib import Path

from mutation.engine.protocol import MUTANT_ENV
from mutation.errors import IncompleteMeasurementError
from mutation.logs import last_message, tail

POLL_SECONDS = 0.5


def executable():
    candidate = Path(sys.executable).with_name("mutmut")
    return str(candidate) if candidate.exists() else "mutmut"


def run_mutants(work_root, *, workers, names=(), log_path, env, on_tick=None, tick_seconds=10.0):
    """Run `mutmut run` (all mutants, or only `names`) and return its wall time in seconds.

    `on_tick(elapsed_seconds)` is called every `tick_seconds` while it runs. A failing mutmut
    run fails closed: IncompleteMeasurementError with its last line and the log's tail.
    """
    command = [executable(), "run", "--max-children", str(workers), *names]
    env = {key: value for key, value in env.items() if key != MUTANT_ENV}
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=work_root, env=env, stdout=log, stderr=subprocess.STDOUT)
        _wait(process, started, on_tick, tick_seconds)
    if process.returncode != 0:
        raise IncompleteMeasurementError(
            f"mutmut run failed (exit {process.returncode}): {last_message(log_path)} (log: {log_path})",
            tail(log_path),
        )
    return time.monotonic() - started


def _wait(process, started, on_tick, tick_seconds):
    last_tick = started
    while process.poll() is None:
        time.sleep(POLL_SECONDS)
        now = time.monotonic()
        if on_tick is not None and now - last_tick >= tick_seconds:
            last_tick = now
            on_tick(now - started)


def browse(work_root):
    """mutmut's interactive browser over the mutants of the last run; returns its exit code."""
    return subprocess.run([executable(), "browse"], cwd=work_root).returncode
