"""The pytest options and environment every session the gate runs gets, preflight and mutants alike."""

import os

from mutation.engine.protocol import MUTANT_ENV

RECORDER_PLUGIN = "mutation.collect.kill_recorder"
GATE_DIR_ENV = "MUTATION_GATE_DIR"  # where the kill recorder reads its plan and writes its records
PHASE_ENV = "MUTATION_GATE_PHASE"
PREFLIGHT = "preflight"
REUSED_ENV = "MUTATION_GATE_PREFLIGHT_REUSED"  # the tests a preflight deselects (a JSON list)
# Keep non-ASCII parametrize ids identical between sessions (see mutmut field notes).
STABLE_IDS = ("-o", "disable_test_id_escaping_and_forfeit_all_rights_to_community_support=true")


def mutant_session_args(config):
    """pytest arguments of every mutant's session.

    `--tb=line`: formatting a full traceback costs a failing test tens of milliseconds, and
    most tests of a killed mutant fail; nobody reads those tracebacks.
    """
    return ["--tb=line", "-p", RECORDER_PLUGIN, *STABLE_IDS, *config.pytest_args]


def gate_environment(gate_dir, bytecode_dir="", **extra):
    """The environment of a session the gate runs. With `bytecode_dir`, compiled modules (and
    pytest's rewritten test modules) are kept there, outside the project and its environment,
    whatever PYTHONDONTWRITEBYTECODE says: every session and every later run imports the suite
    and its libraries without compiling them again."""
    env = dict(os.environ)
    env[GATE_DIR_ENV] = str(gate_dir)
    env.pop(MUTANT_ENV, None)
    if bytecode_dir:
        env["PYTHONPYCACHEPREFIX"] = bytecode_dir
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env
