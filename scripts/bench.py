"""Speed benchmark: plain `mutmut run` against the gate on the same targets and worker count.

Both start from fresh state. Plain mutmut gets the same normalised copy of the project the
gate builds (so its layout works) with mutmut's defaults: fork isolation, `-x`, its own
timeouts, no kill recording. Prints both wall times, their ratio and each side's verdicts.
"""

import argparse
import dataclasses
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from mutation.config import load_config
from mutation.mutmut_driver import mutmut_executable
from mutation.outcome import read_meta_exit_codes
from mutation.targets import resolve_targets
from mutation.workspace import prepare_workspace

PLAIN_STATUS = {0: "survived", 1: "killed", 3: "killed", 5: "no tests", 33: "no tests", None: "not checked"}


def plain_mutmut(config, files, workers):
    plain = dataclasses.replace(config, work_dir=".mutation-bench/plain")
    settings = {"source_paths": ["src"], "pytest_add_cli_args_test_selection": [config.suite], "also_copy": [config.suite]}
    workspace = prepare_workspace(plain, files, settings)
    started = time.monotonic()
    completed = subprocess.run([mutmut_executable(), "run", "--max-children", str(workers)], cwd=workspace.root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    codes = read_meta_exit_codes(workspace.mutants_dir, [workspace.work_path(path) for path in files])
    verdicts = Counter(PLAIN_STATUS.get(code, "timeout" if code in (-24, 24, 152, 36, 255) else f"exit {code}")
                       for code in codes.values())
    return seconds, completed.returncode, verdicts


def gate(config, workers):
    started = time.monotonic()
    completed = subprocess.run([sys.executable, "-m", "mutation", "--config", str(config.config_path), "run",
                                "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    report = config.project_root / config.report_dir / "gate.json"
    document = json.loads(report.read_text()) if report.exists() else {"mutants": []}
    return seconds, completed.returncode, Counter(mutant["status"] for mutant in document["mutants"])


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
    print(f"plain mutmut run : {plain_seconds:8.1f} s  exit {plain_exit}  {dict(sorted(plain_verdicts.items()))}", flush=True)
    gate_seconds, gate_exit, gate_verdicts = gate(config, arguments.workers)
    print(f"mutation gate    : {gate_seconds:8.1f} s  exit {gate_exit}  {dict(sorted(gate_verdicts.items()))}")
    print(f"ratio gate/plain : {gate_seconds / plain_seconds:8.2f}x  (aim: at most 1.5x)")


if __name__ == "__main__":
    main()
