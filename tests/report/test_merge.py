"""`merge` builds the document of one run from its shards: each mutant from its owning shard, the
tests' kills recomputed, the verdicts made over the whole evidence, so a merge of the shards of a
run gives the verdicts of the run; a shard's own verdict is on completeness only."""

import copy

import pytest

from mutation import exit_codes
from mutation.errors import ConfigError
from mutation.model import VerdictStatus
from mutation.report import store
from mutation.report.merge import merged_document, shard_verdict
from mutation.report.merge_checks import check_shards
from mutation.verdicts.apply import apply_verdicts
from tests.factories import gate_config, gate_document, mutant_entry
from tests.report.flaky import flaky_entry
from mutation.options import TargetSpec

KILLER = "tests/test_a.py::test_killer"
WEAK = "tests/test_a.py::test_weak"
LATE = "tests/test_a.py::test_late"  # kills only a mutant of shard 3: covering in shards 1 and 2


def run_mutants():
    """The mutants of one unsharded run: killed, survived, killed late, no tests, excluded."""
    return [
        mutant_entry("pkg.a.f#1", "killed", covered_by=[KILLER, WEAK], killed_by=[(KILLER, "assertion")]),
        mutant_entry("pkg.a.f#2", "survived", covered_by=[KILLER, WEAK, LATE]),
        mutant_entry("pkg.a.f#3", "killed", covered_by=[KILLER, WEAK], killed_by=[(KILLER, "crash")]),
        mutant_entry("pkg.a.g#1", "no_tests", function="g"),
        mutant_entry("pkg.a.g#2", "excluded", function="g", reason="equivalent: same value"),
        mutant_entry("pkg.a.h#1", "killed", function="h", covered_by=[LATE, KILLER],
                     killed_by=[(LATE, "assertion"), (KILLER, "assertion")]),
    ]


OWNER = {"pkg.a.f#1": 1, "pkg.a.f#2": 1, "pkg.a.f#3": 2, "pkg.a.g#1": 2, "pkg.a.g#2": 3, "pkg.a.h#1": 3}


def shards_of(mutants, count=3, owner=OWNER):
    """(path, document) of each shard: its own mutants as measured, the others not measured."""
    shards = []
    for index in range(1, count + 1):
        entries = []
        for entry in mutants:
            if owner[entry["id"]] == index:
                entries.append(copy.deepcopy(entry))
            else:
                entries.append(mutant_entry(entry["id"], "not_measured", function=entry["function"],
                                            covered_by=entry["covered_by"], tests_run=[],
                                            reason=f"not measured: in shard {owner[entry['id']]} of {count}"))
        document = gate_document(entries, reject=())
        document["run"]["shard"] = {"index": index, "count": count, "basis": "count",
                                    "mutants": sorted(m for m in owner if owner[m] == index)}
        shards.append((f"shard-{index}-of-{count}.json", shard_verdict(document)))
    return shards


def config():
    return gate_config(targets=(TargetSpec("pkg/a.py", 90.0),), report_formats=())


def merged(shards):
    return apply_verdicts(merged_document(check_shards(shards)), config(), {})


def test_a_merge_gives_the_verdicts_of_the_unsharded_run():
    single = gate_document(run_mutants())

    result = merged(shards_of(run_mutants())[::-1])

    assert [(m["id"], m["status"], m["killed_by"], m["tests_run"]) for m in result["mutants"]] == \
        [(m["id"], m["status"], m["killed_by"], m["tests_run"]) for m in single["mutants"]]
    assert result["tests"] == single["tests"]
    assert {key: result[key] for key in ("targets", "overall", "functions", "rejected_tests", "verdict")} == \
        {key: single[key] for key in ("targets", "overall", "functions", "rejected_tests", "verdict")}
    assert result["verdict"]["exit_code"] == exit_codes.REJECTED_TESTS  # WEAK covers and never kills
    assert "shard" not in result["run"]
    assert store.problem(result) is None


def test_a_test_whose_kills_ran_in_another_shard_is_killing_after_the_merge():
    shards = shards_of(run_mutants())

    assert shards[0][1]["tests"][LATE]["kills"] == []
    assert merged(shards)["tests"][LATE]["class"] == "killing"
    assert merged(shards)["tests"][LATE]["kills"] == [{"mutant": "pkg.a.h#1", "kind": "assertion"}]


def test_a_credit_pass_kill_in_a_shard_counts_for_its_test_after_the_merge():
    mutants = run_mutants()
    mutants[5]["credited_by"] = [{"test": WEAK, "kind": "assertion"}]
    mutants[5]["covered_by"].append(WEAK)

    result = merged(shards_of(mutants))

    assert result["mutants"][5]["credited_by"] == [{"test": WEAK, "kind": "assertion"}]
    assert result["tests"][WEAK]["kills"] == [{"mutant": "pkg.a.h#1", "kind": "assertion"}]
    assert result["tests"][WEAK]["class"] == "killing"


def test_a_flaky_mutant_keeps_its_runs_and_history_through_the_merge():
    mutants = run_mutants()
    mutants[1] = flaky_entry("pkg.a.f#2")
    single = apply_verdicts(gate_document(mutants), config(), {})

    result = merged(shards_of(mutants))

    assert result["mutants"][1]["flaky"] == mutants[1]["flaky"]
    assert result["mutants"][1]["status"] == "flaky"
    assert result["verdict"]["notes"] == single["verdict"]["notes"]
    assert [target["flaky"] for target in result["targets"]] == [1]


def test_a_shard_rejects_no_test_and_passes_whatever_its_scores():
    for _, document in shards_of(run_mutants()):
        assert document["rejected_tests"] == []
        assert document["verdict"]["exit_code"] == exit_codes.PASS
        assert document["verdict"]["reasons"][0].startswith(f"shard {document['run']['shard']['index']} of 3: ")
        assert all(verdict["problems"] == [] for verdict in document["verdict"]["targets"].values())
        assert store.problem(document) is None


def test_an_incomplete_shard_keeps_its_incomplete_verdict():
    mutants = run_mutants()
    mutants[0] = mutant_entry("pkg.a.f#1", "unresolved", covered_by=[KILLER], reason="the worker died")
    document = shards_of(mutants)[0][1]

    assert document["verdict"]["status"] == VerdictStatus.INCOMPLETE
    assert document["verdict"]["exit_code"] == exit_codes.INCOMPLETE


def test_the_merged_cache_counts_add_up():
    shards = shards_of(run_mutants())
    for index, (_, document) in enumerate(shards):
        document["run"]["cache"] = {"path": ".mutation-cache", "reused": index, "measured": 2, "note": ""}

    assert merged_document(check_shards(shards))["run"]["cache"] == {"path": ".mutation-cache", "reused": 3,
                                                                     "measured": 6, "note": ""}


def test_the_schema_checks_the_shard_entry():
    document = shards_of(run_mutants())[0][1]
    assert store.problem(document) is None

    document["run"]["shard"]["basis"] = "guess"
    assert store.problem(document).startswith("run/shard/basis")
    document["run"]["shard"]["basis"] = "seconds"
    document["run"]["shard"]["index"] = 0
    assert store.problem(document).startswith("run/shard/index")


def test_shards_split_on_other_expected_times_are_refused_with_that_reason():
    shards = shards_of(run_mutants())
    for _, document in shards:
        document["run"]["shard"]["split"] = "aaaa"
    shards[2][1]["run"]["shard"].update(split="bbbb", basis="seconds")

    with pytest.raises(ConfigError) as error:
        check_shards(shards)

    assert str(error.value) == ("shard-3-of-3.json: split on other expected times than shard-1-of-3.json (basis "
                                "seconds vs count): every shard must restore the same result cache, or run with "
                                "--no-cache")
