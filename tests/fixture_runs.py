"""Running the gate (`python -m mutation run`) on a copy of a fixture project in tests/fixtures,
and reading what it printed and wrote. The report files a run says it wrote are checked too: the
Stryker report against the official schema, the SARIF log against SARIF 2.1.0's."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.report.sarif_schema import check_sarif
from tests.report.stryker_schema import check_stryker
from tests.report_schema import check_schema

FIXTURES = Path(__file__).parent / "fixtures"
CHECKOUT = Path(__file__).parents[1]


class GateRun:
    def __init__(self, root, completed):
        self.root = root
        self.exit_code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.report_dir = root / "reports" / "mutation"
        report = self.report_dir / "gate.json"
        self.document = json.loads(report.read_text()) if report.exists() else None
        if self.document is not None:
            check_schema(self.document)
        written = self.written_reports()
        if "stryker" in written:
            check_stryker(json.loads((root / written["stryker"]).read_text(encoding="utf-8")))
        if "sarif" in written:
            check_sarif((root / written["sarif"]).read_text(encoding="utf-8"))

    def written_reports(self):
        """`{format: path}` of each report file the run said it wrote (`<format> report: <path>`)."""
        named = (line.partition(" report: ") for line in self.stdout.splitlines())
        return {name: path for name, separator, path in named if separator and " " not in name}

    def report_file(self, name):
        return (self.report_dir / name).read_text(encoding="utf-8")

    def stopped(self):
        """(exit code, reason) of a run that ended early, as its `stopped` report says; checks that the
        reason is the error line the run printed."""
        assert self.document["state"] == "stopped", self.document["state"]
        verdict = self.document["verdict"]
        assert f"mutation-gate: {verdict['reasons'][0]}" in self.stderr.splitlines(), (verdict, self.stderr)
        return verdict["exit_code"], verdict["reasons"][0]

    def mutants(self, status=None):
        return [m for m in self.document["mutants"] if status is None or m["status"] == status]

    def statuses(self):
        return {m["mutmut_name"]: m["status"] for m in self.document["mutants"]}

    def killers(self):
        return {m["mutmut_name"]: sorted((k["test"], k["kind"]) for k in m["killed_by"]) for m in self.document["mutants"]}


def copy_fixture(name, destination, extra_files=None):
    root = destination / name
    shutil.copytree(FIXTURES / name, root)
    for relative, text in (extra_files or {}).items():
        (root / relative).write_text(text)
    return root


def run_gate(root, *arguments):
    command = [sys.executable, "-m", "mutation", "--config", str(root / "setup.cfg"), *arguments]
    # This checkout's gate, not whichever one is installed (a worktree shares its venv with another).
    path = os.pathsep.join(filter(None, (str(CHECKOUT), os.environ.get("PYTHONPATH"))))
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600,
                               env={**os.environ, "PYTHONPATH": path})
    return GateRun(root, completed)


def gate_on(name, tmp_path_factory, extra_files=None):
    """The gate's run on a fresh copy of fixture `name`, with `extra_files` (relative path -> text) written in."""
    root = copy_fixture(name, tmp_path_factory.mktemp(name), extra_files)
    return run_gate(root, "run", "--workers", "2")
