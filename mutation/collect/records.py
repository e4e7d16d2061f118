"""The JSON-lines records the kill recorder writes for one pytest session: where they are, and reading them."""

import json
from dataclasses import dataclass, field
from pathlib import Path


def records_path(gate_dir, session_name, records_dir=""):
    """Where the records of one session go; a credit pass keeps its own in `records_dir`."""
    return Path(gate_dir) / "records" / records_dir / f"{session_name}.jsonl"


@dataclass
class SessionRecord:
    """What one recorded pytest session saw. `corrupt` is set when a line could not be read."""

    tests: list = field(default_factory=list)
    durations: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    unfinished: list = field(default_factory=list)
    bodies: dict = field(default_factory=dict)  # test -> where its code is (preflight only)
    silent: set = field(default_factory=set)  # tests whose body holds no assertion (preflight only)
    order: list = field(default_factory=list)  # every collected test, in order (preflight only)
    reused: list = field(default_factory=list)  # tests the preflight deselected for reuse
    exit_status: int | None = None
    # Wall time of the session, for diagnosing speed only: not part of a record's identity.
    session_seconds: float | None = field(default=None, compare=False)
    corrupt: bool = False
    exists: bool = True


def read_session(gate_dir, session_name, records_dir=""):
    path = records_path(gate_dir, session_name, records_dir)
    if not path.is_file():
        return SessionRecord(exists=False)
    record = SessionRecord()
    started = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
            _apply(record, started, event)
        except (ValueError, KeyError, TypeError):
            record.corrupt = True
    record.unfinished = [test for test in started if test not in record.durations]
    return record


def _apply(record, started, event):
    kind = event["event"]
    if kind == "session":
        record.session_seconds = -float(event["time"])
    elif kind == "start":
        started.append(event["test"])
        _describe(record, event)
    elif kind == "reused":
        record.reused.append(event["test"])
        _describe(record, event)
    elif kind == "order":
        record.order = [str(test) for test in event["tests"]]
    elif kind == "end":
        record.durations[event["test"]] = float(event["duration"])
    elif kind == "fail":
        record.failures.append((event["test"], event["when"], event["kind"], event["error"]))
    elif kind == "finish":
        record.exit_status = int(event["exitstatus"])
        if "time" in event and record.session_seconds is not None:
            record.session_seconds += float(event["time"])
    else:
        raise ValueError(kind)


def _describe(record, event):
    record.tests.append(event["test"])
    if "body" in event:
        record.bodies[event["test"]] = event["body"]
    if event.get("asserts") is False:
        record.silent.add(event["test"])
