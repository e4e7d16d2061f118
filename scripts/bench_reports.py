"""How long `mutation-gate report --format all` takes on a finished gate.json (default: the last
run's, reports/mutation/gate.json): the whole command as CI runs it, interpreter start and the
report's load included, best and median of `--repeat` runs, and their share of the budget of 2
seconds. A benchmark, not a test: it prints figures (and says when the median is over the budget)
and fails only when the command itself fails.

    .venv/bin/python scripts/bench_reports.py [GATE_JSON] [--repeat 3]
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_SECONDS = 2.0


def timed_render(source, scratch):
    """Seconds of one `report --format all` of a copy of `source` in `scratch` (its files land there)."""
    shutil.copy(source, scratch / "gate.json")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mutation", "report", "--format", "all", "--from", str(scratch / "gate.json")],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gate_json", nargs="?", default="reports/mutation/gate.json", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args(argv)
    if not arguments.gate_json.is_file():
        parser.error(f"{arguments.gate_json}: no such file; run scripts/gate first")
    with tempfile.TemporaryDirectory() as scratch:
        seconds = [timed_render(arguments.gate_json, Path(scratch)) for _ in range(arguments.repeat)]
        sizes = {path.name: path.stat().st_size for path in sorted(Path(scratch).iterdir())}
    median = statistics.median(seconds)
    print(f"report --format all from {arguments.gate_json} ({sizes.pop('gate.json') / 1e6:.1f} MB): "
          f"best {min(seconds):.2f}s, median {median:.2f}s of {len(seconds)} (budget {BUDGET_SECONDS:.0f}s, "
          f"{median / BUDGET_SECONDS:.0%} of it{'; OVER THE BUDGET' if median > BUDGET_SECONDS else ''})")
    print("  written: " + ", ".join(f"{name} {size:,} bytes" for name, size in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
