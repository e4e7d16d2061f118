"""The shard caches: each shard's next cache is saved beside the shared one with a record of the
shard and the entries it owns, and `merge` makes one cache of them (each owned entry and history
from its owner, the rest and the preflight record from shard 1), or says in one line why not."""

import json
from pathlib import Path

import pytest

from mutation.collect import result_cache
from mutation.collect.result_cache import ResultCache, entry_key, store
from mutation.collect.shard_caches import (
    merge_shard_caches,
    merged_cache,
    read_shard_caches,
    save_shard_cache,
    shard_cache_path,
    shard_record,
)
from tests.factories import killed, mutant

CONTEXT = {"configuration": "c1", "dependencies": "d1", "tools": "t1", "support": "s1"}
T1, T2 = "tests/test_mod.py::test_one", "tests/test_mod.py::test_two"
A = mutant("pkg.mod.x_f__mutmut_1", lines=(2, 2), mutated_text="return x - 1")
B = mutant("pkg.mod.x_f__mutmut_2", lines=(2, 2), mutated_text="return x + 2")
C = mutant("pkg.mod.x_g__mutmut_1", function="g", lines=(5, 5), function_lines=(4, 6), mutated_text="return None")
X = mutant("pkg.other.x_h__mutmut_1", function="h", file="pkg/other.py")  # a file no shard mutated
KEYS = {name: entry_key(m) for name, m in {"A": A, "B": B, "C": C, "X": X}.items()}
OWNED = {1: ["A"], 2: ["B"], 3: ["C"]}
SHOWN = ".mutation-gate-cache/results.json"


def preflight(label):
    """A valid preflight record that tells which shard it came from."""
    return {"context": {"from": label}, "tests": {}, "order": [], "layouts": {}, "support_files": {},
            "test_files": {}, "conftests": {}, "collection_arcs": {}}


def record(index, count=3, split="split-1", owned=None):
    return {"index": index, "count": count, "split": split,
            "owned": sorted(KEYS[name] for name in (OWNED[index] if owned is None else owned))}


def history(test):
    return [{"runs": ["survived", "killed"], "flaky": True, "tests": [test]}]


def shard_cache(index, entries, histories=None, context=None):
    """Shard `index`'s cache: `entries` name -> function fingerprint (each a killed outcome), and its history."""
    cache = ResultCache(dict(context or CONTEXT), preflight=preflight(f"shard {index}"))
    by_name = {"A": A, "B": B, "C": C, "X": X}
    for name, function_fp in entries.items():
        assert store(cache, by_name[name], function_fp, {T1: "fp1"}, killed((T1, "assertion"), ran=(T1,)))
    cache.history = {KEYS[name]: history(test) for name, test in (histories or {}).items()}
    return cache


def shard_document(index, count=3, split="split-1"):
    return Path(f"reports/shard-{index}-of-{count}.json"), {
        "run": {"shard": {"index": index, "count": count, "split": split, "basis": "seconds", "mutants": []}}}


def write_shards(cache_path, caches, records=None):
    for index, cache in enumerate(caches, start=1):
        assert save_shard_cache(shard_cache_path(cache_path, index, len(caches)), cache,
                                (records or {}).get(index, record(index, len(caches)))) == ""


def three_shards(cache_path):
    """The shard caches of one 3-shard run: shard 1 with a stale B and C and the unmutated file's X."""
    write_shards(cache_path, [
        shard_cache(1, {"A": "a-by-1", "B": "b-stale", "C": "c-stale", "X": "x-by-1"},
                    {"A": "a-history-1", "B": "b-old", "X": "x-history-1"}),
        shard_cache(2, {"B": "b-by-2", "X": "x-by-2"}, {"B": "b-new", "X": "x-history-2"}),
        shard_cache(3, {"X": "x-by-3"}),  # C ended with no final outcome: no entry
    ])


def merge(cache_path, count=3, documents=None):
    ordered = documents or [shard_document(index, count) for index in range(1, count + 1)]
    return merged_cache(ordered, read_shard_caches(cache_path, SHOWN, count))


def functions(cache):
    return {name: cache.entries[key]["function"] for name, key in KEYS.items() if key in cache.entries}


@pytest.mark.parametrize(("cache", "index", "count", "expected"), [
    (".mutation-gate-cache/results.json", 2, 3, ".mutation-gate-cache/results.shard-2-of-3.json"),
    ("state/cache.data", 1, 1, "state/cache.shard-1-of-1.data"),
    ("cache", 4, 12, "cache.shard-4-of-12"),
])
def test_a_shard_cache_lies_beside_the_shared_one_named_after_its_shard(cache, index, count, expected):
    assert shard_cache_path(cache, index, count) == Path(expected)


def test_the_shard_record_lists_the_entry_keys_of_the_mutants_the_shard_owns_sorted():
    entry = {"index": 2, "count": 3, "split": "abc", "basis": "seconds", "mutants": [C.id, A.id]}

    assert shard_record(entry, [A, B, C, X]) == {"index": 2, "count": 3, "split": "abc",
                                                 "owned": sorted([KEYS["A"], KEYS["C"]])}


def test_a_shard_cache_is_an_ordinary_result_cache_with_its_shard_record(tmp_path):
    path = tmp_path / "results.shard-1-of-3.json"

    assert save_shard_cache(path, shard_cache(1, {"A": "a-by-1"}, {"A": "a-history-1"}), record(1)) == ""

    document, note = result_cache.read(path)
    cache, trust_note = result_cache.trusted(path, document, CONTEXT)
    assert (note, trust_note) == ("", "")
    assert document["shard"] == record(1)
    assert document["preflight"] == preflight("shard 1")
    assert functions(cache) == {"A": "a-by-1"}
    assert cache.history == {KEYS["A"]: history("a-history-1")}


def test_a_shard_cache_that_cannot_be_written_is_a_note(tmp_path):
    (tmp_path / "state").write_text("a file, not a directory", encoding="utf-8")
    path = tmp_path / "state" / "results.shard-1-of-3.json"

    note = save_shard_cache(path, shard_cache(1, {"A": "a-by-1"}), record(1))

    assert note.startswith(f"result cache {path}: not saved (")
    assert not path.exists()


def test_each_owned_entry_comes_from_its_owner_and_every_other_from_shard_1(tmp_path):
    three_shards(tmp_path / "results.json")

    cache, why = merge(tmp_path / "results.json")

    assert why == ""
    # B from its owner, not shard 1's stale one; C owned by shard 3, which has none: no entry at all.
    assert functions(cache) == {"A": "a-by-1", "B": "b-by-2", "X": "x-by-1"}
    assert cache.context == CONTEXT


def test_the_history_follows_the_entries_and_the_preflight_record_is_shard_1s(tmp_path):
    three_shards(tmp_path / "results.json")

    cache, _ = merge(tmp_path / "results.json")

    assert cache.history == {KEYS["A"]: history("a-history-1"), KEYS["B"]: history("b-new"),
                             KEYS["X"]: history("x-history-1")}
    assert cache.preflight == preflight("shard 1")


def test_merging_writes_the_shared_cache_and_deletes_the_shard_caches(tmp_path):
    cache_path = tmp_path / "results.json"
    three_shards(cache_path)

    lines = merge_shard_caches(cache_path, SHOWN, [shard_document(index) for index in (1, 2, 3)])

    assert lines == [f"cache: 3 shard caches merged into {SHOWN} (3 entries)"]
    cache, note = result_cache.load(cache_path, CONTEXT)
    assert note == ""
    assert functions(cache) == {"A": "a-by-1", "B": "b-by-2", "X": "x-by-1"}
    assert "shard" not in json.loads(cache_path.read_text(encoding="utf-8"))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["results.json"]


def refused(cache_path, documents=None, count=3):
    """merge_shard_caches' lines, checking that it left the shared cache and every shard cache as they were."""
    cache_path.write_text("the previous cache", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in cache_path.parent.iterdir()}
    lines = merge_shard_caches(cache_path, SHOWN, documents or [shard_document(index, count)
                                                                for index in range(1, count + 1)])
    assert {path.name: path.read_bytes() for path in cache_path.parent.iterdir()} == before
    assert len(lines) == 1
    prefix, _, why = lines[0].partition("mutation-gate: note: result cache not merged (")
    assert prefix == "" and why.endswith(f"); {SHOWN} left as it was"), lines
    return why.removesuffix(f"); {SHOWN} left as it was")


def test_a_missing_shard_cache_is_named_and_nothing_is_merged(tmp_path):
    three_shards(tmp_path / "results.json")
    shard_cache_path(tmp_path / "results.json", 2, 3).unlink()

    assert refused(tmp_path / "results.json") == \
        ".mutation-gate-cache/results.shard-2-of-3.json not found (1 of 3 shard caches missing)"


def test_no_shard_cache_at_all_is_a_note_too(tmp_path):
    assert refused(tmp_path / "results.json") == \
        ".mutation-gate-cache/results.shard-1-of-3.json not found (3 of 3 shard caches missing)"


@pytest.mark.parametrize(("text", "detail"), [("{not json", "not valid JSON"),
                                              ('{"format": 1, "context": {}, "entries": {}}', "format 1")])
def test_a_shard_cache_that_is_no_result_cache_is_named_with_why(tmp_path, text, detail):
    three_shards(tmp_path / "results.json")
    shard_cache_path(tmp_path / "results.json", 3, 3).write_text(text, encoding="utf-8")

    why = refused(tmp_path / "results.json")

    assert why.startswith(".mutation-gate-cache/results.shard-3-of-3.json is not a result cache this gate reads: "
                          f"{detail}"), why


def test_a_result_cache_without_a_shard_record_is_refused(tmp_path):
    three_shards(tmp_path / "results.json")
    result_cache.save(shard_cache_path(tmp_path / "results.json", 2, 3), shard_cache(2, {"B": "b-by-2"}))

    assert refused(tmp_path / "results.json") == ".mutation-gate-cache/results.shard-2-of-3.json has no valid shard record"


@pytest.mark.parametrize(("made", "described"), [
    (record(1, split="split-0"), "shard 1 of 3 split split-0"),
    ({**record(1), "index": 2}, "shard 2 of 3 split split-1"),
], ids=["another-split", "another-shard"])
def test_a_shard_cache_of_another_run_or_shard_is_refused(tmp_path, made, described):
    three_shards(tmp_path / "results.json")
    save_shard_cache(shard_cache_path(tmp_path / "results.json", 1, 3), shard_cache(1, {"A": "a-by-1"}), made)

    assert refused(tmp_path / "results.json") == (
        f".mutation-gate-cache/results.shard-1-of-3.json was written by {described}, not by the run of "
        f"{Path('reports/shard-1-of-3.json')} (shard 1 of 3 split split-1)")


def test_the_shard_caches_of_a_run_of_another_count_are_not_taken(tmp_path):
    cache_path = tmp_path / "results.json"
    write_shards(cache_path, [shard_cache(1, {"A": "a"}), shard_cache(2, {"B": "b"})],
                 {1: record(1, count=2, owned=["A"]), 2: record(2, count=2, owned=["B", "C"])})

    why = refused(cache_path, count=3)

    assert why == ".mutation-gate-cache/results.shard-1-of-3.json not found (3 of 3 shard caches missing)"


def test_shard_caches_made_under_other_run_contexts_are_refused(tmp_path):
    three_shards(tmp_path / "results.json")
    other = {**CONTEXT, "tools": "t2", "dependencies": "d2"}
    save_shard_cache(shard_cache_path(tmp_path / "results.json", 3, 3), shard_cache(3, {}, context=other), record(3))

    assert refused(tmp_path / "results.json") == (
        ".mutation-gate-cache/results.shard-3-of-3.json was made under another dependency set, tool or Python "
        "version than .mutation-gate-cache/results.shard-1-of-3.json")


def test_an_entry_owned_by_two_shards_is_refused(tmp_path):
    cache_path = tmp_path / "results.json"
    write_shards(cache_path, [shard_cache(1, {"A": "a"}), shard_cache(2, {"B": "b"}), shard_cache(3, {})],
                 {3: record(3, owned=["B", "C"])})

    assert refused(cache_path) == (f".mutation-gate-cache/results.shard-3-of-3.json owns an entry that "
                                   f".mutation-gate-cache/results.shard-2-of-3.json owns too: {KEYS['B']}")


def test_a_merged_cache_that_cannot_be_saved_leaves_the_shard_caches(tmp_path):
    cache_path = tmp_path / "results.json"
    three_shards(cache_path)
    cache_path.mkdir()  # the save cannot replace a directory

    lines = merge_shard_caches(cache_path, SHOWN, [shard_document(index) for index in (1, 2, 3)])

    assert len(lines) == 1 and lines[0].startswith(f"mutation-gate: note: result cache not merged (result cache "
                                                   f"{cache_path}: not saved ("), lines
    assert all(shard_cache_path(cache_path, index, 3).is_file() for index in (1, 2, 3))
