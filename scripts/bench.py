"""Speed benchmark: plain `mutmut run` against the gate on the same targets and worker count.

Both start from fresh state. Plain mutmut gets the same normalised copy of the project the
gate builds (so its layout works) with mutmut's defaults: fork isolation, `-x`, its own
timeouts, no kill recording. Prints both wall times, their ratio and each side's verdicts.
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from collections import Counter

from mutation.collect.targets import resolve_targets
from mutation.collect.workspace import SOURCE_DIR, prepare_workspace
from mutation.engine import settings as engine_settings
from mutation.engine.results import mutmut_status, read_exit_codes
from mutation.engine.runner import run_mutants
from mutation.errors import GateError
from mutation.options import load_config


def plain_mutmut(config, files, workers):
    plain = dataclasses.replace(config, work_dir=".mutation-bench/plain")
    workspace = prepare_workspace(plain)
    engine_settings.write_settings(workspace.root, engine_settings.plain_settings(
        source_dir=SOURCE_DIR, test_selection=[config.suite], also_copy=[config.suite]))
    started = time.monotonic()
    try:
        run_mutants(workspace.root, workers=workers, log_path=workspace.gate_dir / "mutmut.log", env=dict(os.environ))
        outcome = "exit 0"
    except GateError as error:
        outcome = str(error)
    seconds = time.monotonic() - started
    codes = read_exit_codes(workspace.root, [workspace.work_path(path) for path in files])
    return seconds, outcome, Counter(mutmut_status(code) for code in codes.values())


def gate(config, workers):
    started = time.monotonic()
    completed = subprocess.run([sys.executable, "-m", "mutation", "--config", str(config.config_path), "run",
                                "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    report = config.project_root / config.report_dir / "gate.json"
    document = json.loads(report.read_text()) if report.exists() else {"mutants": []}
    return seconds, f"exit {completed.returncode}", Counter(mutant["status"] for mutant in document["mutants"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="setup.cfg")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    config = load_config(arguments.config, workers=arguments.workers)
    files = [path for target in resolve_targets(config) for path in target.files]
    print(f"targets: {', '.join(spec.path for spec in config.targets)} ({len(files)} files), "
          f"{arguments.workers} workers", flush=True)
    plain_seconds, plain_exit, plain_verdicts = plain_mutmut(config, files, arguments.workers)
    print(f"plain mutmut run : {plain_seconds:8.1f} s  {plain_exit}  {dict(sorted(plain_verdicts.items()))}", flush=True)
    gate_seconds, gate_exit, gate_verdicts = gate(config, arguments.workers)
    print(f"mutation gate    : {gate_seconds:8.1f} s  {gate_exit}  {dict(sorted(gate_verdicts.items()))}")
    print(f"ratio gate/plain : {gate_seconds / plain_seconds:8.2f}x  (aim: at most 1.5x)")


if __name__ == "__main__":
    main()
