"""A document with a flaky mutant, as the gate writes one, for the writers' tests: pkg/a.py holds a
killed mutant, a survivor and a mutant that survived its first run and was killed by T1 when re-run;
pkg/b.py holds one killed mutant."""

from mutation.collect.reverify import combine
from tests.factories import T1, T2, gate_document, mutant_entry, outcome
from tests.report_schema import check_schema

FLAKY_ID = "pkg.a.f#3"
SOURCE = "def f(x):\n    return x + 1\n    return x + 1\n    return x + 1\n"  # a line for each of its mutants
# The reason the gate gives such a mutant (what the Stryker report's statusReason carries).
FLAKY_REASON = combine(outcome("survived", ran=(T1, T2)), outcome("killed", (T1, "assertion"), ran=(T1,))).reason
FLAKY_NOTE = f"{FLAKY_ID} is flaky (pkg/a.py:4): survived then killed; tests involved: {T1}"


def flaky_entry(mutant_id=FLAKY_ID, line=4, **fields):
    """A flaky mutant entry: survived under T1 and T2, then killed by T1's assertion when re-run."""
    entry = mutant_entry(mutant_id, "flaky", covered_by=[T1, T2], reason=FLAKY_REASON, line=line, **fields)
    entry["flaky"] = {
        "runs": [{"status": "survived", "reason": "", "killed_by": [], "tests_run": [T1, T2]},
                 {"status": "killed", "reason": "", "killed_by": [{"test": T1, "kind": "assertion"}],
                  "tests_run": [T1]}],
        "tests": [T1],
        "history": [{"runs": ["survived", "killed"], "flaky": True, "tests": [T1]}],
    }
    return entry


def flaky_document(flaky="warn", **config):
    """The module's document under `flaky = <flaky>` (in its verdict and its `run.config`), checked
    against gate.schema.json."""
    mutants = [
        mutant_entry("pkg.a.f#1", "killed", covered_by=[T1], killed_by=[(T1, "assertion")], line=2),
        mutant_entry("pkg.a.f#2", covered_by=[T2], line=3),
        flaky_entry(),
        mutant_entry("pkg.b.h#1", "killed", function="h", target="pkg/b.py", covered_by=[T2],
                     killed_by=[(T2, "assertion")], line=2),
    ]
    document = gate_document(mutants, min_score=20.0, sources={"pkg/a.py": SOURCE}, flaky=flaky, **config)
    document["run"]["config"]["flaky"] = flaky  # the factory's run.config names only the targets and formats
    check_schema(document)
    return document
