"""The result caches of a sharded run: each shard's next cache kept beside the shared one, and the
one cache `mutation-gate merge` makes of them for the next run.

Every shard must split on the same data (the restored cache's preflight record), so a shard run
reads the shared cache (`cache`, e.g. results.json) and never writes it: it saves its next cache
to `shard_cache_path` (results.shard-K-of-N.json), an ordinary result cache plus a top-level
`shard` record: {"index": K, "count": N, "split": its document's `run.shard.split`, "owned": the
sorted entry keys (`result_cache.entry_key`) of the mutants it owns}.

`merged_cache` makes one cache of the N shard caches of the run `merge` judged: each shard's
owned entries and history from that shard, every other entry and history (of files no shard
mutated) and the preflight record from shard 1 (every shard ran the same preflight). It refuses,
with the reason, unless every shard cache is there, well formed, made under one run context and
written by the run of its shard's document; the cache is an optimisation, so a refusal leaves
the shared cache and the shard caches as they were and never changes a verdict.
"""

from pathlib import Path

from mutation.collect import result_cache

KEY = "shard"


def shard_cache_path(cache_path, index, count):
    """Where shard `index` of `count` saves its cache: beside `cache_path`, `<stem>.shard-K-of-N<suffix>`."""
    path = Path(cache_path)
    return path.with_name(f"{path.stem}.shard-{index}-of-{count}{path.suffix}")


def shard_record(entry, mutants):
    """The `shard` record of a shard's cache, from its document's `run.shard` (`entry`) and every mutant of the run."""
    own = set(entry["mutants"])
    return {"index": entry["index"], "count": entry["count"], "split": entry["split"],
            "owned": sorted(result_cache.entry_key(mutant) for mutant in mutants if mutant.id in own)}


def save_shard_cache(path, cache, record):
    """Write `cache` to `path` as `result_cache.save` does, with `record` under `shard`; a note
    (one line) if it cannot be written, "" once it is."""
    return result_cache.save(path, cache, {KEY: record})


def read_shard_caches(cache_path, shown, count):
    """`[(shown path, document or None, why)]` of the shard caches beside `cache_path`, shard 1
    first: each as `result_cache.examine` returns it (a missing file: None and "")."""
    return [(str(shard_cache_path(shown, index, count)),
             *result_cache.examine(shard_cache_path(cache_path, index, count)))
            for index in range(1, count + 1)]


def merged_cache(ordered, caches):
    """`(cache, "")`: the ResultCache the shard caches make up; else `(None, why)` in one line.

    `ordered`: the shards' `(path, document)` in shard order, as `merge_checks.check_shards`
    accepted them; `caches`: `read_shard_caches`' list for them."""
    why = _refusal(ordered, caches)
    if why:
        return None, why
    first = caches[0][1]
    owner = {key: document for _, document, _ in caches for key in document[KEY]["owned"]}
    entries = {key: entry for key, entry in first["entries"].items() if key not in owner}
    history = {key: records for key, records in first.get("history", {}).items() if key not in owner}
    for key, document in owner.items():
        if key in document["entries"]:
            entries[key] = document["entries"][key]
        if key in document.get("history", {}):
            history[key] = document["history"][key]
    return result_cache.ResultCache(dict(first["context"]), entries, first.get("preflight", {}), history), ""


def _refusal(ordered, caches):
    """Why the shard caches cannot be merged; "" when they can."""
    missing = [shown for shown, document, why in caches if document is None and not why]
    if missing:
        return f"{missing[0]} not found ({len(missing)} of {len(caches)} shard caches missing)"
    for shown, document, why in caches:
        if document is None:
            return f"{shown} is not a result cache this gate reads: {why}"
    for (path, shard), (shown, document, _) in zip(ordered, caches):
        why = _record_refusal(path, shard["run"]["shard"], shown, document.get(KEY))
        if why:
            return why
    return _context_refusal(caches) or _ownership_refusal(caches)


def _record_refusal(path, entry, shown, record):
    if not _valid_record(record):
        return f"{shown} has no valid shard record"
    made, expected = _made_by(record), _made_by(entry)
    if made != expected:
        return f"{shown} was written by {made}, not by the run of {path} ({expected})"
    return ""


def _valid_record(record):
    return (isinstance(record, dict) and all(_whole(record.get(part)) for part in ("index", "count"))
            and isinstance(record.get("split"), str) and isinstance(record.get("owned"), list)
            and all(isinstance(key, str) for key in record["owned"]))


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _made_by(entry):
    return f"shard {entry.get('index')} of {entry.get('count')} split {entry.get('split')}"


def _context_refusal(caches):
    first_shown, first, _ = caches[0]
    for shown, document, _ in caches[1:]:
        changed = result_cache.changed_parts(first["context"], document["context"])
        if changed:
            return f"{shown} was made under another {', '.join(changed)} than {first_shown}"
    return ""


def _ownership_refusal(caches):
    owners = {}
    for shown, document, _ in caches:
        for key in document[KEY]["owned"]:
            if key in owners:
                return f"{shown} owns an entry that {owners[key]} owns too: {key}"
            owners[key] = shown
    return ""


def merge_shard_caches(cache_path, shown, ordered):
    """Merge the shard caches of the run of `ordered` (check_shards' list) into the cache at
    `cache_path` (`shown` as configured) and delete them; the lines to print."""
    count = len(ordered)
    cache, why = merged_cache(ordered, read_shard_caches(cache_path, shown, count))
    why = why or result_cache.save(cache_path, cache)
    if why:
        return [f"mutation-gate: note: result cache not merged ({why}); {shown} left as it was"]
    lines = [f"cache: {count} shard caches merged into {shown} ({len(cache.entries)} entries)"]
    for index in range(1, count + 1):
        try:
            shard_cache_path(cache_path, index, count).unlink(missing_ok=True)
        except OSError as error:
            lines.append(f"mutation-gate: note: {shard_cache_path(shown, index, count)}: not deleted "
                         f"({error.strerror or error})")
    return lines
