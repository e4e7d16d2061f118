"""Print line and branch coverage per measured module and fail below the floors in setup.cfg.

Reads the `.coverage` data left by `pytest --cov`; the floors live in `[coverage_floor]`
(`line` and `branch`, percentages). Exit 0 when every module is at or above both floors.
"""

import configparser
import json
import sys
import tempfile
from pathlib import Path

import coverage


def read_floors(config_path="setup.cfg"):
    parser = configparser.ConfigParser()
    parser.read(config_path)
    section = parser["coverage_floor"]
    return float(section["line"]), float(section["branch"])


def per_file_coverage():
    cov = coverage.Coverage()
    cov.load()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "coverage.json"
        cov.json_report(outfile=str(out))
        files = json.loads(out.read_text())["files"]
    return {path: _percentages(info["summary"]) for path, info in sorted(files.items())}


def _percentages(summary):
    line = 100.0 * summary["covered_lines"] / summary["num_statements"] if summary["num_statements"] else 100.0
    branches = summary.get("num_branches", 0)
    branch = 100.0 * summary.get("covered_branches", 0) / branches if branches else 100.0
    return line, branch


def main():
    line_floor, branch_floor = read_floors()
    rows = per_file_coverage()
    print(f"\n{'module':<50} {'line %':>7} {'branch %':>9}")
    below = []
    for path, (line, branch) in rows.items():
        print(f"{path:<50} {line:>7.1f} {branch:>9.1f}")
        if line < line_floor or branch < branch_floor:
            below.append(path)
    for path in below:
        print(f"coverage below the floor (line {line_floor:g}%, branch {branch_floor:g}%): {path}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
