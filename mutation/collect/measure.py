"""Measuring mutants: the engine tests them with the kill recorder in every session, and each
mutant's outcome is read from the engine's verdict and its records (see `outcomes`).

A measurement covers every mutant (the main one) or a given few (a second chance for unresolved
mutants, a credit pass); each has its own log, and a credit pass its own records directory.
Progress is printed every few seconds while the engine runs.
"""

import time
from pathlib import Path

from mutation.collect.outcomes import classify_all
from mutation.collect.pytest_options import gate_environment
from mutation.engine import results as engine_results
from mutation.engine.runner import run_mutants
from mutation.model import EngineResult, EngineVerdict

PROGRESS_EVERY_SECONDS = 10.0
NOT_RUN = EngineResult(EngineVerdict.NOT_RUN, "not checked")


def measure_all(workspace, workers, work_paths, located_names, names, out):
    """Run every mutant; the outcome of each of `names`. Fails closed if the engine's mutants differ."""
    log_path = workspace.gate_dir / "mutmut.log"
    run_mutants(workspace.root, workers=workers, log_path=log_path, env=gate_environment(workspace.gate_dir),
                on_tick=lambda elapsed: _say(out, _progress(workspace, len(located_names), elapsed)),
                tick_seconds=PROGRESS_EVERY_SECONDS)
    results = engine_results.read_results(workspace.root, work_paths)
    engine_results.check_names(located_names, results)
    return classify_all({name: results.get(name, NOT_RUN) for name in names}, workspace.gate_dir)


def measure_again(workspace, workers, work_paths, names, label, out, records_dir=""):
    """Run only `names` once more (their records go to `records_dir`); the outcome of each."""
    log_path = workspace.gate_dir / f"mutmut-{label}.log"
    watched = frozenset(names)
    run_mutants(workspace.root, workers=workers, names=sorted(names), log_path=log_path,
                env=gate_environment(workspace.gate_dir),
                on_tick=lambda elapsed: _say(out, _progress_again(workspace, watched, elapsed)),
                tick_seconds=PROGRESS_EVERY_SECONDS)
    results = engine_results.read_results(workspace.root, work_paths)
    return classify_all({name: results.get(name, NOT_RUN) for name in sorted(names)}, workspace.gate_dir, records_dir)


def _progress(workspace, total, elapsed):
    done, counts = engine_results.progress_counts(workspace.root)
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    return f"  mutants {done}/{total} run ({summary or 'starting'}) after {elapsed:.0f}s"


def _progress_again(workspace, watched, elapsed):
    # Mutants run again keep their earlier verdicts until they finish again: count fresh records.
    done = len(sessions_started_since(workspace.gate_dir / "records", watched, time.time() - elapsed))
    return f"  mutants {done}/{len(watched)} run again after {elapsed:.0f}s"


def sessions_started_since(records_dir, names, since):
    """The mutants among `names` whose kill records were written at or after `since` (epoch seconds)."""
    started = set()
    for path in Path(records_dir).rglob("*.jsonl"):
        if path.stem in names and path.stat().st_mtime >= since:
            started.add(path.stem)
    return started


def _say(out, message):
    print(message, file=out, flush=True)
