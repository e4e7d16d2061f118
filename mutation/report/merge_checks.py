"""What `mutation-gate merge SHARD.json ...` checks before it merges: the shards of one run, each
once, made from the same code, tests, configuration and tools, all complete, and covering every
mutant exactly once. Each refusal is a ConfigError (exit 1) of one line naming the file.

A shard's document is a finished gate.json with `run.shard` = {"index": K, "count": N, "basis":
"seconds" | "count", "mutants": [the gate ids of the mutants this shard owns]} (`shards.shard_entry`)
and every mutant of the run in `mutants`: its own with their results, the other shards' as
`not_measured`. The documents come from `store.load`, so each is valid and finished.

Configuration is compared without the keys that name the machine or its size (`MACHINE_KEYS`):
the checkout's path and the number of workers change no result.
"""

from mutation.errors import ConfigError
from mutation.model import MutantStatus, VerdictStatus

MACHINE_KEYS = frozenset({"project_root", "config_path", "workers"})


def check_shards(shards):
    """`shards` ((path, document) pairs) in shard order, once every check passes; else a ConfigError."""
    shards = list(shards)
    if not shards:
        raise ConfigError("merge: no shard documents given")
    for path, document in shards:
        _check_is_shard(path, document)
    _check_same_count(shards)
    ordered = _check_each_index_once(shards)
    first = ordered[0]
    for shard in ordered[1:]:
        _check_same_run(first, shard)
        _check_same_split(first, shard)
    for path, document in ordered:
        _check_complete(path, document)
    _check_ownership(ordered)
    return ordered


def _entry(document):
    return document["run"]["shard"]


def _label(document):
    return f"shard {_entry(document)['index']} of {_entry(document)['count']}"


def _check_is_shard(path, document):
    entry = document.get("run", {}).get("shard")
    if not (isinstance(entry, dict) and _whole(entry.get("index")) and _whole(entry.get("count"))
            and 1 <= entry["index"] <= entry["count"] and isinstance(entry.get("mutants"), list)):
        raise ConfigError(f"{path}: not a shard document (no valid run.shard); make it with "
                          f"`mutation-gate run --shard K/N`")


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_same_count(shards):
    first_path, first = shards[0]
    for path, document in shards[1:]:
        if _entry(document)["count"] != _entry(first)["count"]:
            raise ConfigError(f"{path}: {_label(document)}, but {first_path} is of {_entry(first)['count']}")


def _check_each_index_once(shards):
    by_index = {}
    for path, document in shards:
        index = _entry(document)["index"]
        if index in by_index:
            raise ConfigError(f"{path}: {_label(document)} given twice (also {by_index[index][0]})")
        by_index[index] = (path, document)
    count = _entry(shards[0][1])["count"]
    missing = [index for index in range(1, count + 1) if index not in by_index]
    if missing:
        raise ConfigError(f"merge: shard {missing[0]} of {count} is missing "
                          f"(given: {', '.join(str(path) for path, _ in shards)})")
    return [by_index[index] for index in range(1, count + 1)]


def _check_same_run(first, shard):
    """The same code, mutants, tests, configuration and tools as the first shard."""
    (first_path, reference), (path, document) = first, shard
    for what, aspect in _ASPECTS:
        differs = _first_difference(aspect(reference), aspect(document))
        if differs is not None:
            raise ConfigError(f"{path}: made from other {what} than {first_path}: {differs} differs")


def _check_same_split(first, shard):
    """The same expected times as the first shard (`run.shard.split`), so the same partition."""
    (first_path, reference), (path, document) = first, shard
    if _entry(reference).get("split") != _entry(document).get("split"):
        raise ConfigError(f"{path}: split on other expected times than {first_path} (basis "
                          f"{_entry(document).get('basis')} vs {_entry(reference).get('basis')}): every shard must "
                          f"restore the same result cache, or run with --no-cache")


def _sources(document):
    return {path: (entry["target"], entry["source"]) for path, entry in document["files"].items()}


def _mutant_list(document):
    return {mutant["id"]: (mutant["mutmut_name"], mutant["file"], mutant["function"], mutant["diff"])
            for mutant in document["mutants"]}


def _test_ids(document):
    return {test: True for test in document["tests"]}


def _test_files(document):
    return dict(document.get("test_files", {}))


def _config(document):
    return {key: value for key, value in document["run"]["config"].items() if key not in MACHINE_KEYS}


def _tool_versions(document):
    return dict(document["run"]["tool_versions"])


_ASPECTS = (("sources", _sources), ("mutants", _mutant_list), ("tests", _test_ids), ("test files", _test_files),
            ("configuration", _config), ("tool versions", _tool_versions))


def _first_difference(left, right):
    """The first key (in sorted order) that the two mappings hold differently; None when they agree."""
    for key in sorted(set(left) | set(right)):
        if key not in left or key not in right or left[key] != right[key]:
            return key
    return None


def _check_complete(path, document):
    own = set(_entry(document)["mutants"])
    unresolved = [mutant["id"] for mutant in document["mutants"]
                  if mutant["id"] in own and mutant["status"] == MutantStatus.UNRESOLVED]
    if document.get("state") != "finished" or document["verdict"]["status"] == VerdictStatus.INCOMPLETE or unresolved:
        detail = f"{len(unresolved)} mutants unresolved, e.g. {unresolved[0]}" if unresolved else "incomplete"
        raise ConfigError(f"{path}: {_label(document)} is incomplete ({detail}); run it again")


def _check_ownership(ordered):
    """Every mutant of the run in exactly one shard, and no shard with a result for another's mutant."""
    owner = {}
    for path, document in ordered:
        known = {mutant["id"] for mutant in document["mutants"]}
        for mutant_id in _entry(document)["mutants"]:
            if mutant_id not in known:
                raise ConfigError(f"{path}: {_label(document)} lists {mutant_id}, which is not among its mutants")
            if mutant_id in owner:
                raise ConfigError(f"{path}: {mutant_id} is in {_label(document)} and in shard "
                                  f"{owner[mutant_id][0]} ({owner[mutant_id][1]})")
            owner[mutant_id] = (_entry(document)["index"], path)
    count = _entry(ordered[0][1])["count"]
    for mutant in ordered[0][1]["mutants"]:
        if mutant["id"] not in owner:
            raise ConfigError(f"merge: {mutant['id']} is in none of the {count} shards")
    for path, document in ordered:
        _check_results_are_own(path, document, owner)


def _check_results_are_own(path, document, owner):
    index = _entry(document)["index"]
    for mutant in document["mutants"]:
        if owner[mutant["id"]][0] != index and mutant["status"] != MutantStatus.NOT_MEASURED:
            raise ConfigError(f"{path}: {_label(document)} has a result ({mutant['status']}) for {mutant['id']}, "
                              f"which shard {owner[mutant['id']][0]} measures")
