"""Shards on a real run: the weak_tests fixture run as 3 shards one after another (`--no-cache`, so
every shard splits on the same estimates: none) and merged gives every mutant the status and every
test the class of one unsharded run, and the same verdict; each shard alone exits 0.

Every mutant's killers (`killed_by`, its own session's kills) are the same too, under either
`kill_matrix`, and so is every target's assertion score. Under `sampled` the credit passes'
kills (`credited_by`) may differ: a shard's credit passes run a test with no assertion kill among
that shard's mutants even when it has one in another shard, so they are kept apart and counted
only for the tests' classes, which are the same.

On one cache directory (no `--no-cache`), starting from an unsharded run's cache: every shard
reads that cache and splits on its durations alike, none writes it (each saves its own shard
cache beside it), and `merge` merges the shard caches into it, so the next sharded run splits
alike again and reuses every result. A merge with a shard cache missing says so in one line and
leaves the cache as it was, its verdict unchanged."""

import json

import pytest

from mutation.collect.result_cache import STORED
from tests.fixture_runs import copy_fixture, run_gate

CACHE = ".mutation-gate-cache/results.json"


def fixture(root, matrix):
    config = root / "setup.cfg"
    config.write_text(config.read_text(encoding="utf-8") + f"kill_matrix = {matrix}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("matrix", ["sampled", "full"])
def test_three_shards_merged_give_the_unsharded_runs_verdicts(tmp_path, matrix):
    single = run_gate(fixture(copy_fixture("weak_tests", tmp_path / "single"), matrix), "run", "--workers", "2")
    root = fixture(copy_fixture("weak_tests", tmp_path / "sharded"), matrix)
    shards = [run_gate(root, "run", "--workers", "2", "--no-cache", "--shard", f"{k}/3") for k in (1, 2, 3)]
    paths = [root / "reports" / "mutation" / f"shard-{k}-of-3.json" for k in (1, 2, 3)]
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in paths]

    merged = run_gate(root, "merge", *map(str, paths[::-1]))

    assert [shard.exit_code for shard in shards] == [0, 0, 0], [shard.stderr for shard in shards]
    assert single.exit_code == 3  # weak_tests has rejected tests: a shard alone must not fail on them
    assert all(document["run"]["shard"]["basis"] == "count" for document in documents)
    assert all(len(document["run"]["shard"]["mutants"]) > 0 for document in documents)
    assert sum(len(document["run"]["shard"]["mutants"]) for document in documents) == len(single.document["mutants"])
    assert merged.exit_code == single.exit_code, merged.stderr
    assert merged.stderr == merged_line(root), merged.stderr
    assert merged.statuses() == single.statuses()
    assert {test: entry["class"] for test, entry in merged.document["tests"].items()} == \
        {test: entry["class"] for test, entry in single.document["tests"].items()}
    assert merged.document["rejected_tests"] == single.document["rejected_tests"]
    assert merged.document["verdict"] == single.document["verdict"]
    assert merged.killers() == single.killers()
    assert [target["assertion_score"] for target in merged.document["targets"]] == \
        [target["assertion_score"] for target in single.document["targets"]]


def merged_line(root):
    entries = json.loads((root / CACHE).read_text(encoding="utf-8"))["entries"]
    return f"cache: 3 shard caches merged into {CACHE} ({len(entries)} entries)\n"


def reusable(entries):
    """What decides an entry's reuse, and its status: entry key -> (function, covering tests, status)."""
    return {key: (entry["function"], entry["tests"], entry["outcome"]["status"]) for key, entry in entries.items()}


def shard_caches(root):
    return sorted(path.name for path in (root / CACHE).parent.glob("results.shard-*"))


def run_shards(root):
    """The 3 shards run one after another on `root`'s cache: their runs and their documents."""
    runs = [run_gate(root, "run", "--workers", "2", "--shard", f"{k}/3") for k in (1, 2, 3)]
    assert [run.exit_code for run in runs] == [0, 0, 0], [run.stderr for run in runs]
    return runs, [json.loads(path.read_text(encoding="utf-8")) for path in shard_documents(root)]


def shard_documents(root):
    return [root / "reports" / "mutation" / f"shard-{k}-of-3.json" for k in (1, 2, 3)]


def seeded(tmp_path):
    """weak_tests after one unsharded run: its result cache holds every test's duration."""
    root = copy_fixture("weak_tests", tmp_path)
    single = run_gate(root, "run", "--workers", "2")
    assert single.exit_code == 3, single.stderr
    return root, single


def test_shards_on_one_cache_split_alike_and_merge_their_caches_for_the_next_sharded_run(tmp_path):
    root, single = seeded(tmp_path)
    before = (root / CACHE).read_bytes()

    runs, documents = run_shards(root)

    assert {document["run"]["shard"]["basis"] for document in documents} == {"seconds"}
    assert len({document["run"]["shard"]["split"] for document in documents}) == 1
    assert (root / CACHE).read_bytes() == before  # no shard wrote the cache the others split on
    assert shard_caches(root) == [f"results.shard-{k}-of-3.json" for k in (1, 2, 3)]
    assert [document["run"]["cache"]["path"] for document in documents] == \
        [f".mutation-gate-cache/results.shard-{k}-of-3.json" for k in (1, 2, 3)]
    assert all(f"; this shard's results go to .mutation-gate-cache/results.shard-{k}-of-3.json" in run.stderr
               for k, run in zip((1, 2, 3), runs))

    merged = run_gate(root, "merge", *map(str, shard_documents(root)))

    assert merged.exit_code == single.exit_code, merged.stderr
    assert merged.stderr == merged_line(root)
    assert merged.statuses() == single.statuses()
    assert shard_caches(root) == []
    cache = json.loads((root / CACHE).read_text(encoding="utf-8"))
    assert "shard" not in cache
    # Every mutant's entry, each from its owner (a shard's credit passes may add kills to a reused one).
    assert reusable(cache["entries"]) == reusable(json.loads(before)["entries"])

    again, documents = run_shards(root)
    remerged = run_gate(root, "merge", *map(str, shard_documents(root)))

    stored = sum(1 for mutant in single.document["mutants"] if mutant["status"] in STORED)
    assert len({document["run"]["shard"]["split"] for document in documents}) == 1
    assert sum(document["run"]["cache"]["reused"] for document in documents) == stored > 0
    assert [document["run"]["cache"]["measured"] for document in documents] == [0, 0, 0]
    assert (remerged.exit_code, remerged.stderr) == (single.exit_code, merged_line(root)), remerged.stderr
    assert remerged.statuses() == single.statuses()


def test_a_merge_with_a_shard_cache_missing_notes_it_and_leaves_the_cache_as_it_was(tmp_path):
    root, single = seeded(tmp_path)
    before = (root / CACHE).read_bytes()
    run_shards(root)
    (root / ".mutation-gate-cache" / "results.shard-2-of-3.json").unlink()

    merged = run_gate(root, "merge", *map(str, shard_documents(root)))

    assert merged.exit_code == single.exit_code
    assert merged.stderr == ("mutation-gate: note: result cache not merged (.mutation-gate-cache/"
                             "results.shard-2-of-3.json not found (1 of 3 shard caches missing)); "
                             f"{CACHE} left as it was\n")
    assert merged.statuses() == single.statuses()
    assert (root / CACHE).read_bytes() == before
    assert shard_caches(root) == ["results.shard-1-of-3.json", "results.shard-3-of-3.json"]
