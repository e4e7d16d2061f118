"""What a shard's verdict says, and the one document `mutation-gate merge` builds from the shards.

A shard measured part of the mutants, so no verdict over the run is its to give: a shard run is
judged for completeness only (`shard_verdict`: exit 5 when some mutant of its own could not be
measured, else 0, every target's thresholds left to the merge), and no test is rejected in it (a
test whose killing mutants ran in another shard would look `covering` there).

`merged_document` takes the shards `merge_checks.check_shards` accepted, in shard order, and
builds the evidence document of one run: each mutant's entry from the shard that owns it, in
shard 1's mutant order (every shard lists every mutant, in the same order); the tests from shard 1
with their kills recomputed from the merged mutants (a test's duration, body and target lines are
the preflight's, the same in every shard); the run entry of shard 1 without `run.shard`, its
result-cache counts summed over the shards; and none of the verdict parts, which
`verdicts.apply.apply_verdicts` then adds over the whole evidence.
"""

import copy

from mutation import exit_codes
from mutation.model import VerdictStatus
from mutation.report.document import add_kills

VERDICT_PARTS = ("overall", "functions", "rejected_tests", "verdict", "baseline")
TARGET_EVIDENCE = ("path", "files", "min_score", "line_coverage", "branch_coverage")
TEST_EVIDENCE = ("duration", "body", "asserts", "target_lines")


def shard_verdict(document):
    """Replace the verdict of a shard's document (`run.shard` set) by one on completeness only."""
    entry = document["run"]["shard"]
    if document["verdict"]["status"] == VerdictStatus.INCOMPLETE:
        return document
    label = f"shard {entry['index']} of {entry['count']}"
    note = f"thresholds not applied: {label}; `mutation-gate merge` judges every shard together"
    document["verdict"] = {
        "exit_code": exit_codes.PASS,
        "status": VerdictStatus.PASS,
        "reasons": [f"{label}: {len(entry['mutants'])} of {len(document['mutants'])} mutants measured here; "
                    f"the verdict is `mutation-gate merge`'s"],
        "targets": {target["path"]: {"status": VerdictStatus.PASS, "problems": [], "note": note}
                    for target in document["targets"]},
    }
    return document


def merged_document(ordered):
    """The evidence document of the run the shards (`(path, document)` in shard order) make up."""
    first = ordered[0][1]
    owned = {}
    for _, document in ordered:
        own = set(document["run"]["shard"]["mutants"])
        owned.update((mutant["id"], mutant) for mutant in document["mutants"] if mutant["id"] in own)
    mutants = [copy.deepcopy(owned[mutant["id"]]) for mutant in first["mutants"]]
    tests = add_kills({test: {key: copy.deepcopy(entry[key]) for key in TEST_EVIDENCE if key in entry} | {"kills": []}
                       for test, entry in first["tests"].items()}, mutants)
    run = copy.deepcopy(first["run"])
    del run["shard"]
    caches = [document["run"].get("cache") for _, document in ordered]
    if all(cache is not None for cache in caches):
        run["cache"] = {"path": caches[0]["path"], "reused": sum(cache["reused"] for cache in caches),
                        "measured": sum(cache["measured"] for cache in caches),
                        "note": "; ".join(dict.fromkeys(cache["note"] for cache in caches if cache["note"]))}
    if "diff" in run:
        run["diff"]["measured"] = sum(document["run"].get("diff", {}).get("measured", 0) for _, document in ordered)
    document = {key: copy.deepcopy(value) for key, value in first.items()
                if key not in VERDICT_PARTS and key not in ("run", "mutants", "tests", "targets")}
    document.update(run=run, mutants=mutants, tests=tests,
                    targets=[{key: target[key] for key in TARGET_EVIDENCE if key in target}
                             for target in first["targets"]])
    return document
