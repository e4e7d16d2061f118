"""mutmut's verdicts: the exit code of each mutant's worker, read from `mutants/<path>.meta`.

mutmut records one exit code per mutant (`exit_code_by_key`, `null` until run). This module
maps each code to an engine-neutral `EngineResult`, keeping mutmut's reading of it as the
reason; `mutmut_status` is what mutmut itself would report (its `status_by_exit_code`), for
comparisons with plain mutmut.
"""

import json
from pathlib import Path

from mutation.errors import IncompleteMeasurementError
from mutation.model import EngineResult, EngineVerdict

TIMEOUT_EXIT_CODES = frozenset({36, -24, 24, 152, 255})  # SIGXCPU from the CPU limit, mutmut's wall limit
_FAILURES = {
    2: "test session interrupted or collection failed (pytest exit 2)",
    3: "pytest internal error (exit 3), never counted as a kill",
    4: "pytest usage error (exit 4)",
    -11: "worker crashed (segfault)",
    -9: "worker was killed (SIGKILL: CPU hard limit or out of memory)",
}


def engine_result(exit_code):
    """The EngineResult of one mutmut exit code."""
    if exit_code == 37:
        return EngineResult(EngineVerdict.TYPE_CHECK)
    if exit_code in (5, 33):
        return EngineResult(EngineVerdict.NO_TESTS)
    if exit_code is None:
        return EngineResult(EngineVerdict.NOT_RUN, "not checked")
    if exit_code == 0:
        return EngineResult(EngineVerdict.SURVIVED)
    if exit_code == 1:
        return EngineResult(EngineVerdict.KILLED)
    if exit_code in TIMEOUT_EXIT_CODES:
        return EngineResult(EngineVerdict.TIMED_OUT, f"worker ended with exit {exit_code}")
    return EngineResult(EngineVerdict.FAILED, _FAILURES.get(exit_code, f"suspicious exit code {exit_code}"))


def read_exit_codes(work_root, work_paths):
    """mutmut's exit code per mutant name, for every mutated file; fails closed on bad files."""
    codes = {}
    for path in work_paths:
        meta = _meta_path(work_root, path)
        if not meta.exists():
            continue
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            exit_codes = data["exit_code_by_key"]
            if not isinstance(exit_codes, dict):
                raise TypeError("exit_code_by_key is not an object")
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise IncompleteMeasurementError(f"unreadable mutmut results {meta}: {error}") from None
        codes.update(exit_codes)
    return codes


def read_results(work_root, work_paths):
    """The EngineResult of every mutant mutmut made in `work_paths`, by mutant name."""
    return {name: engine_result(code) for name, code in read_exit_codes(work_root, work_paths).items()}


def check_names(located_names, results):
    """The gate's mutant list and mutmut's must be the same set, or locations would be wrong."""
    missing = sorted(set(results) - set(located_names))
    extra = sorted(set(located_names) - set(results))
    if missing or extra:
        example = (missing or extra)[0]
        raise IncompleteMeasurementError(
            f"mutmut's mutants and the gate's differ ({len(missing)} unknown to the gate, "
            f"{len(extra)} not run by mutmut, e.g. {example})"
        )


PROGRESS_LABELS = {EngineVerdict.SURVIVED: "survived", EngineVerdict.KILLED: "killed", EngineVerdict.NO_TESTS: "no tests"}


def progress_counts(work_root):
    """How many mutants have a recorded verdict so far, and how many of each."""
    counts = {}
    for meta in (Path(work_root) / "mutants").rglob("*.meta"):
        try:
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        except (ValueError, KeyError, OSError):
            continue  # being written right now; the next poll reads it
        for code in codes.values():
            if code is not None:
                label = PROGRESS_LABELS.get(engine_result(code).verdict, "other")
                counts[label] = counts.get(label, 0) + 1
    return sum(counts.values()), counts


def mutmut_status(exit_code):
    """What plain mutmut reports for an exit code ("killed", "timeout", "segfault", ...)."""
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code[exit_code]


def _meta_path(work_root, work_path):
    return Path(work_root) / "mutants" / f"{work_path}.meta"


def job_result(result):
    """The EngineResult of one of the fork server's JobResults."""
    if result.error:
        return EngineResult(EngineVerdict.FAILED, result.error)
    if result.timed_out:
        return EngineResult(EngineVerdict.TIMED_OUT, "worker ran past its wall limit")
    return engine_result(result.exit_code)


EXIT_CODE_OF_STATUS = {"killed": 1, "survived": 0, "timeout": 36, "no_tests": 33, "type_check": 37, "excluded": 34}


def record_statuses(work_root, work_paths, statuses):
    """Write the gate's final status of each mutant into mutmut's `.meta` files, so that mutmut's own
    views (`mutmut results`, `mutmut browse`) show the gate's verdicts; unresolved stays unchecked."""
    for path in work_paths:
        meta = _meta_path(work_root, path)
        if not meta.exists():
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["exit_code_by_key"] = {name: EXIT_CODE_OF_STATUS.get(statuses.get(name)) for name in data["exit_code_by_key"]}
        meta.write_text(json.dumps(data, indent=4), encoding="utf-8")
