"""Shards on a real run: the weak_tests fixture run as 3 shards one after another (`--no-cache`, so
every shard splits on the same estimates: none) and merged gives every mutant the status and every
test the class of one unsharded run, and the same verdict; each shard alone exits 0.

With `kill_matrix = full` the killers are the same too. With `sampled` they are not: a shard's
credit passes run a test with no assertion kill among that shard's mutants even when it has one in
another shard, and plan their batches over that shard's mutants only, so the kills observed differ
(in both directions) while every status, class and the verdict stay those of the unsharded run."""

import json

import pytest

from tests.fixture_runs import copy_fixture, run_gate


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
    assert (merged.exit_code, merged.stderr) == (single.exit_code, ""), merged.stderr
    assert merged.statuses() == single.statuses()
    assert {test: entry["class"] for test, entry in merged.document["tests"].items()} == \
        {test: entry["class"] for test, entry in single.document["tests"].items()}
    assert merged.document["rejected_tests"] == single.document["rejected_tests"]
    assert merged.document["verdict"] == single.document["verdict"]
    if matrix == "full":
        assert {name: sorted(kills) for name, kills in merged.killers().items()} == single.killers()
