"""Running the engine: progress while it runs, and a failing run failing closed with its log's last line."""

import os
import stat

import pytest

from mutation.engine import runner
from mutation.errors import IncompleteMeasurementError


@pytest.fixture
def fake_mutmut(tmp_path, monkeypatch):
    """A stand-in `mutmut` executable: `body` is its shell script."""

    def install(body):
        script = tmp_path / "bin" / "mutmut"
        script.parent.mkdir(exist_ok=True)
        script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setattr(runner, "executable", lambda: str(script))
        monkeypatch.setattr(runner, "POLL_SECONDS", 0.01)

    return install


def test_a_run_gets_its_arguments_and_an_environment_without_a_mutant(tmp_path, fake_mutmut):
    fake_mutmut('echo "$@" > args.txt; echo "mutant=[$MUTANT_UNDER_TEST] gate=[$GATE]" >> args.txt')

    runner.run_mutants(tmp_path, workers=3, names=["m.x_f__mutmut_1", "m.x_g__mutmut_2"], log_path=tmp_path / "log",
                       env={**os.environ, "MUTANT_UNDER_TEST": "stale", "GATE": "on"})

    assert (tmp_path / "args.txt").read_text().splitlines() == [
        "run --max-children 3 m.x_f__mutmut_1 m.x_g__mutmut_2", "mutant=[] gate=[on]",
    ]


def test_progress_is_reported_while_the_engine_runs(tmp_path, fake_mutmut):
    # The stand-in runs until the first progress report has been made, however long that takes.
    fake_mutmut("while [ ! -f reported ]; do sleep 0.01; done")
    ticks = []

    def report(elapsed):
        ticks.append(elapsed)
        (tmp_path / "reported").touch()

    runner.run_mutants(tmp_path, workers=1, log_path=tmp_path / "log", env=dict(os.environ), on_tick=report,
                       tick_seconds=0)

    assert len(ticks) >= 1 and ticks == sorted(ticks) and ticks[0] > 0


def test_a_failing_run_fails_closed_with_its_last_line_and_the_logs_tail(tmp_path, fake_mutmut):
    fake_mutmut('echo "Generating mutants"; echo "failed to collect stats. runner returned 4"; exit 1')
    log = tmp_path / "mutmut.log"

    with pytest.raises(IncompleteMeasurementError) as error:
        runner.run_mutants(tmp_path, workers=1, log_path=log, env=dict(os.environ))

    assert str(error.value) == f"mutmut run failed (exit 1): failed to collect stats. runner returned 4 (log: {log})"
    assert error.value.details == ["  Generating mutants", "  failed to collect stats. runner returned 4"]
