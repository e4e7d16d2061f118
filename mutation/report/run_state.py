"""The `gate.json` of a run that has no verdict: `running` from the moment a run starts, `stopped`
when it ends early. Either replaces the last run's report at once, so an earlier verdict is never
read as this run's; `store.load` refuses both in one line.

A finished report says `"state": "finished"` (built by `document.build`).
"""

import os
from datetime import datetime, timezone

from mutation import exit_codes
from mutation.report.document import SCHEMA_VERSION

FINISHED, RUNNING, STOPPED = "finished", "running", "stopped"

STATUS_OF_EXIT = {
    exit_codes.USAGE: "usage error",
    exit_codes.SUITE_FAILS: "suite fails",
    exit_codes.INCOMPLETE: "incomplete",
    exit_codes.INTERNAL_ERROR: "internal error",
}


def running(config_path, started_at):
    return _document(RUNNING, config_path, started_at, None, None)


def stopped(config_path, started_at, exit_code, reason):
    """A run that ended with `exit_code` (1, 4, 5 or 70) for `reason` (one line), before any verdict."""
    return _document(STOPPED, config_path, started_at, exit_code, reason)


def _document(state, config_path, started_at, exit_code, reason):
    run = {"pid": os.getpid(), "config_path": str(config_path), "started_at": started_at}
    if state == STOPPED:
        run["ended_at"] = now()
    return {
        "schema_version": SCHEMA_VERSION,
        "state": state,
        "run": run,
        "verdict": {"exit_code": exit_code, "status": STATUS_OF_EXIT.get(exit_code, state),
                    "reasons": [reason] if reason else []},
    }


def describe(document):
    """Why `document` (not finished) holds no mutants, as one sentence."""
    run, verdict = document["run"], document["verdict"]
    if document["state"] == RUNNING:
        alive = _alive(run["pid"])
        ending = ("; it is still running" if alive
                  else "; that process is gone, so it was killed before it could say why")
        return f"the run started at {run['started_at']} (pid {run['pid']}) has not finished{ending}"
    reason = verdict["reasons"][0] if verdict["reasons"] else verdict["status"]
    return f"the last run, started at {run['started_at']}, did not finish (exit {verdict['exit_code']}: {reason})"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def now():
    """A run's timestamps: UTC, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
