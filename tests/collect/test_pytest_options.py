"""The environment of the gate's sessions."""

from mutation.collect.pytest_options import GATE_DIR_ENV, gate_environment
from mutation.engine.protocol import MUTANT_ENV


def test_a_session_keeps_compiled_modules_in_the_bytecode_dir_whatever_the_user_environment_says(monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv(MUTANT_ENV, "pkg.mod.x_f__mutmut_1")

    env = gate_environment("/w/gate", "/p/.mutation-gate-cache/results.pycache", PYTHONPATH="/w/src")

    assert (env[GATE_DIR_ENV], env["PYTHONPYCACHEPREFIX"], env["PYTHONPATH"]) == (
        "/w/gate", "/p/.mutation-gate-cache/results.pycache", "/w/src")
    assert "PYTHONDONTWRITEBYTECODE" not in env and MUTANT_ENV not in env


def test_without_a_bytecode_dir_the_user_environment_stands(monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)

    env = gate_environment("/w/gate")

    assert env["PYTHONDONTWRITEBYTECODE"] == "1" and "PYTHONPYCACHEPREFIX" not in env
