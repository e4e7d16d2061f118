"""Flaky verdicts on a real run: the flaky_test fixture's test catches the halving mutant only on
every second run that meets it, so the mutant survives its first run, is killed when re-verified,
and is reported flaky with both outcomes and the test involved; `flaky = warn` (the default) passes
with a note, `flaky = fail` exits 7."""

import json

from mutation import exit_codes
from tests.fixture_runs import copy_fixture, run_gate

TEST = "tests/test_ops.py::test_scale"


def flaky_run(tmp_path, monkeypatch, setting=""):
    counts = tmp_path / "counts"
    counts.mkdir()
    monkeypatch.setenv("FLAKY_COUNTS", str(counts))  # the run's own counter directory, passed through to the gate
    root = copy_fixture("flaky_test", tmp_path / "project")
    if setting:
        config = root / "setup.cfg"
        config.write_text(config.read_text(encoding="utf-8") + setting, encoding="utf-8")
    return run_gate(root, "run", "--workers", "2"), counts


def test_a_mutant_caught_every_second_run_is_flaky_with_both_outcomes_and_passes_with_a_note(tmp_path, monkeypatch):
    run, counts = flaky_run(tmp_path, monkeypatch)

    assert run.exit_code == exit_codes.PASS, run.stdout + run.stderr
    flaky = run.mutants("flaky")
    assert [mutant["mutated_text"].strip() for mutant in flaky] == ["return x / 2"]
    (mutant,) = flaky
    runs = mutant["flaky"]["runs"]
    assert [run_["status"] for run_ in runs] == ["survived", "killed"]
    assert runs[1]["killed_by"] == [{"test": TEST, "kind": "assertion"}]
    assert mutant["flaky"]["tests"] == [TEST] and mutant["killed_by"] == []
    assert (counts / "halving.count").read_text(encoding="utf-8") == "2"  # run once, re-run once
    assert [m["status"] for m in run.mutants() if m is not mutant] == ["killed"]
    target = run.document["targets"][0]
    assert (target["flaky"], target["killed"], target["mutation_score"]) == (1, 1, 50.0)  # in the denominator
    notes = run.document["verdict"]["notes"]
    assert notes == [f"{mutant['id']} is flaky (flip/ops.py:5): survived then killed; tests involved: {TEST}"]
    assert f"  note: {notes[0]}" in run.stdout.splitlines()


def test_flaky_fail_makes_a_flaky_mutant_fail_the_gate_with_exit_7(tmp_path, monkeypatch):
    run, _counts = flaky_run(tmp_path, monkeypatch, "flaky = fail\n")

    assert run.exit_code == exit_codes.FLAKY, run.stdout + run.stderr
    assert run.document["verdict"]["status"] == "flaky"
    assert [mutant["mutated_text"].strip() for mutant in run.mutants("flaky")] == ["return x / 2"]


def test_a_mutant_that_flips_on_every_run_keeps_its_re_verifications_in_the_cache(tmp_path, monkeypatch):
    run, counts = flaky_run(tmp_path, monkeypatch)
    again = run_gate(run.root, "run", "--workers", "2")  # the same counter directory: runs 3 and 4

    assert again.exit_code == exit_codes.PASS, again.stdout + again.stderr
    assert [mutant["mutated_text"].strip() for mutant in again.mutants("flaky")] == ["return x / 2"]
    assert (counts / "halving.count").read_text(encoding="utf-8") == "4"
    cache = json.loads((run.root / ".mutation-gate-cache" / "results.json").read_text(encoding="utf-8"))
    record = {"runs": ["survived", "killed"], "flaky": True, "tests": [TEST]}
    assert list(cache["history"].values()) == [[record, record]]
    assert again.document["run"]["cache"]["reused"] == 1  # the killed mutant; the flaky one is measured afresh
