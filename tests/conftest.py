"""Fixtures shared by the gate's tests (the package `tests`, so this never shadows suite/conftest.py)."""

import pytest

from mutation import cli, pipeline
from mutation.report import store
from mutation.report.writers import sarif, stryker
from tests.report.sarif_schema import check_sarif
from tests.report.stryker_schema import check_stryker
from tests.report_schema import check_schema


@pytest.fixture
def gate_cli(monkeypatch, capsys):
    """`mutation-gate ARGS...` called in-process, giving (exit code, stdout, stderr).

    A real gate run is refused: a test that needs `run` replaces `pipeline.evaluate` itself.
    """

    def refuse(config):
        raise AssertionError("these tests must never start a gate run")

    monkeypatch.setattr(pipeline, "evaluate", refuse)

    def call(*argv):
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


@pytest.fixture(autouse=True)
def every_written_report_matches_the_schema(monkeypatch):
    """A document `store.write` is asked to write must match gate.schema.json (checked with jsonschema),
    and a finished one must give a Stryker report and a SARIF log that their official schemas accept."""
    write = store.write

    def checked_write(document, path):
        check_schema(document)
        if document.get("state") == "finished":
            check_stryker(stryker.report(document))
            check_sarif(sarif.render(document))
        return write(document, path)

    monkeypatch.setattr(store, "write", checked_write)


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch):
    """The gate's tests run as if not under GitHub Actions (its runs would annotate the job); the
    tests of that output set the variables themselves."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
