"""`merge`'s checks: shard documents of one run, each once, of the same code, tests, configuration
and tools, complete, covering every mutant exactly once; each refusal one line naming the file."""

import copy

import pytest

from mutation.errors import ConfigError
from mutation.report.merge_checks import check_shards
from tests.factories import T1, gate_document, mutant_entry

IDS = [f"pkg.a.f#{n}" for n in range(1, 7)]


def shard_documents(count=3, ids=IDS):
    """(path, document) of each shard of `count`: mutant n in shard (n % count) + 1, the others not measured."""
    owner = {mutant_id: n % count + 1 for n, mutant_id in enumerate(ids)}
    shards = []
    for index in range(1, count + 1):
        entries = [mutant_entry(mutant_id, "killed", covered_by=[T1], killed_by=[(T1, "assertion")])
                   if owner[mutant_id] == index else
                   mutant_entry(mutant_id, "not_measured", covered_by=[T1], tests_run=[],
                                reason=f"not measured: in shard {owner[mutant_id]} of {count}")
                   for mutant_id in ids]
        document = gate_document(entries)
        document["test_files"] = {"tests/test_a.py": "def test_one():\n    assert True\n"}
        document["run"]["shard"] = {"index": index, "count": count, "basis": "count",
                                    "mutants": sorted(m for m in ids if owner[m] == index)}
        shards.append((f"shard-{index}-of-{count}.json", document))
    return shards


def refusal(shards):
    with pytest.raises(ConfigError) as error:
        check_shards(shards)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_complete_shards_pass_in_shard_order():
    shards = shard_documents()

    assert check_shards([shards[2], shards[0], shards[1]]) == shards


def test_no_shard_is_refused():
    assert refusal([]) == "merge: no shard documents given"


def test_a_document_without_a_shard_entry_is_refused():
    shards = shard_documents()
    del shards[1][1]["run"]["shard"]

    assert refusal(shards).startswith("shard-2-of-3.json: not a shard document")


def test_a_missing_shard_is_refused():
    shards = shard_documents()

    assert refusal([shards[0], shards[2]]) == ("merge: shard 2 of 3 is missing "
                                               "(given: shard-1-of-3.json, shard-3-of-3.json)")


def test_a_shard_given_twice_is_refused():
    shards = shard_documents()
    again = ("copy/shard-2-of-3.json", copy.deepcopy(shards[1][1]))

    assert refusal([*shards, again]) == "copy/shard-2-of-3.json: shard 2 of 3 given twice (also shard-2-of-3.json)"


def test_shards_of_a_different_count_are_refused():
    three, two = shard_documents(3), shard_documents(2)

    assert refusal([three[0], two[1], three[2]]) == "shard-2-of-2.json: shard 2 of 2, but shard-1-of-3.json is of 3"


def test_shards_of_different_code_are_refused():
    shards = shard_documents()
    shards[2][1]["files"]["pkg/a.py"]["source"] = "def f(x):\n    return x + 2\n"

    assert refusal(shards) == "shard-3-of-3.json: made from other sources than shard-1-of-3.json: pkg/a.py differs"


def test_shards_of_different_mutants_are_refused():
    shards = shard_documents()
    shards[1][1]["mutants"][0]["diff"] = "another diff"

    assert refusal(shards) == "shard-2-of-3.json: made from other mutants than shard-1-of-3.json: pkg.a.f#1 differs"


def test_shards_of_a_different_suite_are_refused():
    shards = shard_documents()
    shards[1][1]["tests"]["tests/test_a.py::test_new"] = dict(shards[1][1]["tests"][T1])

    assert refusal(shards) == ("shard-2-of-3.json: made from other tests than shard-1-of-3.json: "
                               "tests/test_a.py::test_new differs")


def test_shards_of_different_test_files_are_refused():
    shards = shard_documents()
    shards[1][1]["test_files"]["tests/test_a.py"] += "\ndef test_new():\n    assert False\n"

    assert refusal(shards) == ("shard-2-of-3.json: made from other test files than shard-1-of-3.json: "
                               "tests/test_a.py differs")


def test_shards_of_different_configuration_are_refused():
    shards = shard_documents()
    shards[1][1]["run"]["config"]["targets"][0]["min_score"] = 50.0

    assert refusal(shards) == "shard-2-of-3.json: made from other configuration than shard-1-of-3.json: targets differs"


def test_the_checkout_path_and_the_workers_are_not_configuration():
    shards = shard_documents()
    shards[1][1]["run"]["config"].update(project_root="/elsewhere", workers=16)

    assert check_shards(shards) == shards


def test_shards_of_different_tool_versions_are_refused():
    shards = shard_documents()
    shards[2][1]["run"]["tool_versions"]["mutmut"] = "3.9.0"

    assert refusal(shards) == "shard-3-of-3.json: made from other tool versions than shard-1-of-3.json: mutmut differs"


def test_an_incomplete_shard_is_refused():
    shards = shard_documents()
    own = shards[1][1]["run"]["shard"]["mutants"][0]
    entry = next(m for m in shards[1][1]["mutants"] if m["id"] == own)
    entry.update(status="unresolved", reason="the worker crashed")

    assert refusal(shards) == (f"shard-2-of-3.json: shard 2 of 3 is incomplete (1 mutants unresolved, e.g. {own}); "
                               f"run it again")


def test_a_shard_whose_verdict_is_incomplete_is_refused():
    shards = shard_documents()
    shards[0][1]["verdict"]["status"] = "incomplete"

    assert refusal(shards) == "shard-1-of-3.json: shard 1 of 3 is incomplete (incomplete); run it again"


def test_a_mutant_in_two_shards_is_refused():
    shards = shard_documents()
    shards[2][1]["run"]["shard"]["mutants"].append("pkg.a.f#1")

    assert refusal(shards) == "shard-3-of-3.json: pkg.a.f#1 is in shard 3 of 3 and in shard 1 (shard-1-of-3.json)"


def test_a_mutant_in_no_shard_is_refused():
    shards = shard_documents()
    shards[0][1]["run"]["shard"]["mutants"].remove("pkg.a.f#1")

    assert refusal(shards) == "merge: pkg.a.f#1 is in none of the 3 shards"


def test_a_shard_listing_a_mutant_the_run_does_not_have_is_refused():
    shards = shard_documents()
    shards[0][1]["run"]["shard"]["mutants"].append("pkg.a.f#99")

    assert refusal(shards) == "shard-1-of-3.json: shard 1 of 3 lists pkg.a.f#99, which is not among its mutants"


def test_a_result_for_another_shards_mutant_is_refused():
    shards = shard_documents()
    entry = next(m for m in shards[1][1]["mutants"] if m["id"] == "pkg.a.f#1")
    entry.update(status="survived", reason="")

    assert refusal(shards) == ("shard-2-of-3.json: shard 2 of 3 has a result (survived) for pkg.a.f#1, "
                               "which shard 1 measures")
