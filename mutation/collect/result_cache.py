"""The incremental result cache: each mutant's final outcome, kept between runs in one JSON file
and reused only while everything it depends on is what it was (`fingerprints`).

The file holds a `format` version, the run context it was made under (one fingerprint per part)
and an entry per mutant: its function's fingerprint, each covering test with its fingerprint,
and the outcome. A mutant's entry is keyed by its stable key and its span within the function,
so two mutants of one function that change a line to the same text keep entries of their own.

Only final outcomes are stored: killed, survived, timeout and no tests. An unresolved one is no
result; an excluded or type-checked one is decided afresh by every run. A file that cannot be
read, is not a cache of this format, or was made under another run context is ignored with a
one-line note, never trusted and never an error.

Beside the entries, `history` keeps each mutant's re-verifications (`reverify.history_record`: both
runs' statuses, whether they disagreed, the tests involved), the last HISTORY_LIMIT of them, under
the entry's key: a flaky mutant is never an entry (it is measured afresh by every run), and its
history is how a mutant that flips across runs is listed. It is optional (a cache without it
has none) and goes with the cache when the cache is ignored.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from mutation.atomic_files import write_atomically
from mutation.collect import preflight_record
from mutation.collect.outcomes import Kill, MutantOutcome
from mutation.model import KillKind, MutantStatus

FORMAT = 3  # 2: the preflight record (`preflight_record`); 3: credit-pass kills apart (`credited_by`)
STORED = frozenset({MutantStatus.KILLED, MutantStatus.SURVIVED, MutantStatus.TIMEOUT, MutantStatus.NO_TESTS})
HISTORY_LIMIT = 20  # re-verifications kept per mutant, the latest
# How a note names each part of the run context (`fingerprints.run_context`).
PARTS = {"configuration": "gate configuration", "dependencies": "dependency set", "tools": "tool or Python version",
         "support": "support files"}


@dataclass
class ResultCache:
    context: dict  # part -> fingerprint: the run context of every entry
    entries: dict = field(default_factory=dict)  # entry key -> stored entry (as in the file)
    preflight: dict = field(default_factory=dict)  # what the next preflight may reuse (`preflight_record`)
    history: dict = field(default_factory=dict)  # entry key -> its re-verifications, oldest first


def entry_key(mutant):
    """The mutant's stable key (file, function, mutated text) and its span relative to its function."""
    first = mutant.function_lines[0]
    key = mutant.key
    return json.dumps([key.file, key.function, key.mutated_text, mutant.start_line - first, mutant.start_column,
                       mutant.end_line - first, mutant.end_column], ensure_ascii=False)


def lookup(cache, mutant, function_fp, covering):
    """The stored outcome of `mutant`, or None unless its function's fingerprint is `function_fp` and
    its covering tests are exactly `covering` (this run's: test -> fingerprint), each unchanged."""
    entry = cache.entries.get(entry_key(mutant))
    if entry is None or entry["function"] != function_fp or entry["tests"] != dict(covering):
        return None
    stored = entry["outcome"]
    return MutantOutcome(MutantStatus(stored["status"]), _kills(stored["killed_by"]),
                         stored["reason"], tuple(stored["tests_run"]), credited_by=_kills(stored["credited_by"]))


def _kills(stored):
    return tuple(Kill(test, KillKind(kind)) for test, kind in stored)


def store(cache, mutant, function_fp, covering, outcome):
    """Keep `outcome` for `mutant` under its fingerprints; whether it was stored (only final outcomes are)."""
    if outcome.status not in STORED:
        return False
    cache.entries[entry_key(mutant)] = {
        "function": function_fp,
        "tests": dict(sorted(covering.items())),
        "outcome": {"status": str(outcome.status),
                    "killed_by": [[kill.test, str(kill.kind)] for kill in outcome.killed_by],
                    "credited_by": [[kill.test, str(kill.kind)] for kill in outcome.credited_by],
                    "reason": outcome.reason, "tests_run": list(outcome.tests_run)},
    }
    return True


def load(path, context):
    """`(cache, note)`: the cache at `path` if made under `context`, else an empty one and why (one line).

    A missing file is an empty cache and no note: the first run, or one after `--no-cache`.
    """
    document, note = read(path)
    return trusted(path, document, context) if document is not None else (ResultCache(dict(context)), note)


def read(path):
    """`(document, note)`: the cache file at `path` if it is a well-formed cache of this format, else
    None and why (one line; "" for a missing file). Its run context is not checked: `trusted` does."""
    document, why = examine(path)
    return (None, _ignored(Path(path), why)) if why else (document, "")


def examine(path):
    """`(document, why)`: the cache file at `path` if it is a well-formed cache of this format, else
    None and what is wrong with it (a few words; "" for a missing file)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None, ""
    except OSError as error:
        return None, f"unreadable: {error.strerror or error}"
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return None, "not valid JSON"
    why = _malformed(document)
    return (None, why) if why else (document, "")


def changed_parts(context, other):
    """How a note names each part of the run context where `other` differs from `context`, sorted."""
    return [PARTS.get(part, part) for part in sorted(set(context) | set(other)) if other.get(part) != context.get(part)]


def trusted(path, document, context):
    """`(cache, note)`: the well-formed `document` (from `read`) as a cache if made under `context`."""
    changed = changed_parts(context, document["context"])
    if changed:
        return ResultCache(dict(context)), _ignored(path, f"made under another {', '.join(changed)}")
    return ResultCache(dict(context), document["entries"], history=document.get("history", {})), ""


def _ignored(path, why):
    return f"result cache {path}: ignored ({why}); every mutant is measured afresh"


def _malformed(document):
    """Why `document` is not a cache of this format; None if it is one."""
    if not isinstance(document, dict) or "format" not in document:
        return "not a result cache"
    if document["format"] != FORMAT:
        return f"format {document['format']!r}; this gate reads format {FORMAT}"
    if not isinstance(document.get("context"), dict):
        return "no run context"
    entries = document.get("entries")
    if not isinstance(entries, dict):
        return "no entries"
    bad = next((key for key, entry in entries.items() if not _valid_entry(entry)), None)
    if bad is not None:
        return f"a malformed entry: {bad}"
    if not _valid_history(document.get("history", {})):
        return "a malformed history"
    return None if preflight_record.valid(document.get("preflight", {})) else "a malformed preflight record"


def _valid_history(history):
    return isinstance(history, dict) and all(
        isinstance(records, list) and all(_valid_record(record) for record in records) for records in history.values())


def _valid_record(record):
    return (isinstance(record, dict) and isinstance(record.get("runs"), list) and len(record["runs"]) == 2
            and all(isinstance(status, str) and status in set(MutantStatus) for status in record["runs"])
            and isinstance(record.get("flaky"), bool) and isinstance(record.get("tests"), list)
            and all(isinstance(test, str) for test in record["tests"]))


def _valid_entry(entry):
    if not isinstance(entry, dict) or not isinstance(entry.get("function"), str):
        return False
    tests, outcome = entry.get("tests"), entry.get("outcome")
    if not isinstance(tests, dict) or not all(isinstance(fp, str) for fp in tests.values()):
        return False
    return isinstance(outcome, dict) and _valid_outcome(outcome)


def _valid_outcome(outcome):
    tests_run, status = outcome.get("tests_run"), outcome.get("status")
    return (isinstance(status, str) and status in STORED and isinstance(outcome.get("reason"), str)
            and all(_valid_kills(outcome.get(part)) for part in ("killed_by", "credited_by"))
            and isinstance(tests_run, list) and all(isinstance(test, str) for test in tests_run))


def _valid_kills(kills):
    return isinstance(kills, list) and all(_valid_kill(kill) for kill in kills)


def _valid_kill(kill):
    return (isinstance(kill, list) and len(kill) == 2 and isinstance(kill[0], str) and isinstance(kill[1], str)
            and kill[1] in set(KillKind))


def save(path, cache, extra=None):
    """Write `cache` to `path` atomically (a reader never sees half a file), with the top-level keys
    of `extra` beside it (a shard's record: `shard_caches`); a note if it cannot be written, since a
    run's results do not depend on its cache."""
    path = Path(path)
    document = {"format": FORMAT, "context": cache.context, "entries": dict(sorted(cache.entries.items())),
                "preflight": cache.preflight}
    if cache.history:
        document["history"] = dict(sorted(cache.history.items()))
    document.update(extra or {})
    try:
        write_atomically(path, lambda out: json.dump(document, out, ensure_ascii=False, separators=(",", ":")),
                         ".result-cache-")
    except OSError as error:
        return _not_saved(path, error)
    return ""


def _not_saved(path, error):
    where = f": {error.filename}" if error.filename else ""
    return f"result cache {path}: not saved ({error.strerror or error}{where})"
