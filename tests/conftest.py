"""Fixtures shared by the gate's tests (the package `tests`, so this never shadows suite/conftest.py)."""

import pytest

from mutation import cli


@pytest.fixture
def gate_cli(monkeypatch, capsys):
    """`mutation-gate ARGS...` called in-process, giving (exit code, stdout, stderr).

    A real gate run is refused: a test that needs `run` replaces `cli.evaluate` itself.
    """

    def refuse(config):
        raise AssertionError("these tests must never start a gate run")

    monkeypatch.setattr(cli, "evaluate", refuse)

    def call(*argv):
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call
