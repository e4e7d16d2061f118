"""The result cache across real runs of the fully tested fixture: a rerun reuses every mutant, an
edit re-measures only what it can change and gives the verdicts of a fresh run, a corrupt cache
is a note and a full run."""

import json
import re
import shutil

import pytest

from tests.fixture_runs import copy_fixture, run_gate

CACHE = ".mutation-gate-cache/results.json"
PARITY_TEST = "from calc.ops import is_even\n\n\ndef test_parity():\n    assert is_even(2) is True\n"


def gate(root, *flags):
    return run_gate(root, "run", "--workers", "2", *flags)


def copy_of(run, destination):
    return shutil.copytree(run.root, destination / run.root.name)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def classes(run):
    return {test: entry["class"] for test, entry in run.document["tests"].items()}


def cache_of(run):
    return run.document["run"]["cache"]


def preflight_line(run):
    """The preflight's summary line without its time: `N tests passed: K run, R reused from CACHE`."""
    line = next(line for line in run.stderr.splitlines() if line.startswith("preflight: ") and " passed" in line)
    return re.sub(r" in [0-9.]+s", "", line)


def target_lines(run):
    return {test: (entry["target_lines"], entry["body"], entry["asserts"]) for test, entry in run.document["tests"].items()}


def names(run, function):
    return sorted(m["mutmut_name"] for m in run.mutants() if m["function"] == function)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    root = copy_fixture("fully_tested", tmp_path_factory.mktemp("cache"), {"tests/test_parity.py": PARITY_TEST})
    return gate(root)


@pytest.fixture(scope="module")
def rerun(first, tmp_path_factory):
    return gate(copy_of(first, tmp_path_factory.mktemp("rerun")))


@pytest.fixture(scope="module")
def function_changed(first, tmp_path_factory):
    """(the run with the cache, a --no-cache run of the same changed copy) after one function's body changed."""
    root = copy_of(first, tmp_path_factory.mktemp("changed"))
    edit(root / "calc" / "ops.py", "    if x > 0:\n", "    if 0 < x:\n")
    fresh_root = shutil.copytree(root, tmp_path_factory.mktemp("fresh") / root.name)
    return gate(root), gate(fresh_root, "--no-cache")


def test_the_first_run_measures_every_mutant_and_saves_them(first):
    assert first.exit_code == 0, first.stderr
    assert cache_of(first) == {"path": CACHE, "reused": 0, "measured": len(first.mutants()), "note": ""}
    assert f"cache: none of {len(first.mutants())} mutants reused (no cache at {CACHE} yet)" in first.stderr
    assert (first.root / CACHE).is_file()


def test_a_rerun_reuses_every_mutant_with_the_same_verdicts(first, rerun):
    total = len(first.mutants())

    assert rerun.exit_code == 0, rerun.stderr
    assert cache_of(rerun) == {"path": CACHE, "reused": total, "measured": 0, "note": ""}
    assert f"cache: {total} of {total} mutants reused from {CACHE}" in rerun.stderr.splitlines()
    assert (rerun.statuses(), rerun.killers(), classes(rerun)) == (first.statuses(), first.killers(), classes(first))


def test_a_rerun_runs_no_test_in_its_preflight_and_has_the_same_coverage(first, rerun):
    tests = len(first.document["tests"])

    assert preflight_line(first) == f"preflight: {tests} tests passed"
    assert preflight_line(rerun) == f"preflight: {tests} tests passed: 0 run, {tests} reused from {CACHE}"
    assert target_lines(rerun) == target_lines(first)
    assert rerun.document["targets"] == first.document["targets"]


def test_a_changed_function_re_measures_only_its_mutants_with_the_verdicts_of_a_fresh_run(first, function_changed):
    changed, fresh = function_changed
    measured = len(names(changed, "sign"))

    assert (changed.exit_code, fresh.exit_code) == (0, 0), changed.stderr + fresh.stderr
    assert measured > 0
    assert cache_of(changed) == {"path": CACHE, "reused": len(first.mutants()) - measured, "measured": measured,
                                 "note": ""}
    assert cache_of(fresh)["reused"] == 0
    assert (changed.statuses(), classes(changed)) == (fresh.statuses(), classes(fresh))
    assert (target_lines(changed), changed.document["targets"]) == (target_lines(fresh), fresh.document["targets"])
    assert {name: killers for name, killers in changed.killers().items() if name not in names(changed, "sign")} == {
        name: killers for name, killers in first.killers().items() if name not in names(first, "sign")}


def test_a_changed_test_re_measures_the_mutants_it_covers(first, tmp_path_factory):
    root = copy_of(first, tmp_path_factory.mktemp("test-changed"))
    edit(root / "tests" / "test_parity.py", "is True\n", "is True\n    assert is_even(3) is False\n")

    changed = gate(root)

    covered = len(names(first, "is_even"))
    assert changed.exit_code == 0, changed.stderr
    assert cache_of(changed) == {"path": CACHE, "reused": len(first.mutants()) - covered, "measured": covered,
                                 "note": ""}
    assert changed.statuses() == first.statuses()
    # Only the changed file's test ran in the preflight; the others' coverage came from the record.
    tests = len(first.document["tests"])
    assert preflight_line(changed) == f"preflight: {tests} tests passed: 1 run, {tests - 1} reused from {CACHE}"
    assert target_lines(changed) == target_lines(first)


def test_a_corrupt_cache_is_a_note_and_a_full_run(first, tmp_path_factory):
    root = copy_of(first, tmp_path_factory.mktemp("corrupt"))
    (root / CACHE).write_text("{not json", encoding="utf-8")

    run = gate(root)

    note = f"result cache {root / CACHE}: ignored (not valid JSON); every mutant is measured afresh"
    assert run.exit_code == 0, run.stderr
    assert f"mutation-gate: note: {note}" in run.stderr.splitlines()
    assert cache_of(run) == {"path": CACHE, "reused": 0, "measured": len(first.mutants()), "note": note}
    assert (run.statuses(), classes(run)) == (first.statuses(), classes(first))


# --- each invalidation rule on the fixture project -------------------------------------------------


def changed_copy(first, tmp_path_factory, name, change):
    root = copy_of(first, tmp_path_factory.mktemp(name))
    change(root)
    return gate(root)


def edit_context(root, part):
    cache = json.loads((root / CACHE).read_text(encoding="utf-8"))
    cache["context"][part] = "0" * 64
    cache["preflight"]["context"][part] = "0" * 64
    (root / CACHE).write_text(json.dumps(cache), encoding="utf-8")


@pytest.mark.parametrize(("change", "why"), [
    (lambda root: edit(root / "setup.cfg", "package_root = .", "package_root = .\ntest_timeout_floor = 3"),
     "gate configuration"),
    (lambda root: edit_context(root, "dependencies"), "dependency set"),
    (lambda root: edit_context(root, "tools"), "tool or Python version"),
], ids=["config", "dependency-set", "tool-version"])
def test_another_run_context_measures_every_mutant_and_runs_every_test(first, tmp_path_factory, change, why):
    run = changed_copy(first, tmp_path_factory, "context", change)

    total, tests = len(first.mutants()), len(first.document["tests"])
    assert run.exit_code == 0, run.stderr
    assert f"made under another {why}" in cache_of(run)["note"]
    assert (cache_of(run)["reused"], cache_of(run)["measured"]) == (0, total)
    assert preflight_line(run) == f"preflight: {tests} tests passed"
    assert (run.statuses(), classes(run)) == (first.statuses(), classes(first))


def test_a_changed_conftest_reruns_the_tests_below_it_and_re_measures_their_mutants(first, tmp_path_factory):
    run = changed_copy(first, tmp_path_factory, "conftest", lambda root: (root / "tests" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef unused():\n    return 1\n", encoding="utf-8"))

    tests = len(first.document["tests"])
    assert run.exit_code == 0, run.stderr
    assert cache_of(run)["reused"] == 0
    assert preflight_line(run) == f"preflight: {tests} tests passed"
    assert (run.statuses(), classes(run)) == (first.statuses(), classes(first))


def test_a_new_covering_test_re_measures_the_mutants_it_covers(first, tmp_path_factory):
    run = changed_copy(first, tmp_path_factory, "new-test", lambda root: (root / "tests" / "test_more.py").write_text(
        "from calc.ops import is_even\n\n\ndef test_odd():\n    assert is_even(3) is False\n", encoding="utf-8"))

    covered, tests = len(names(first, "is_even")), len(first.document["tests"])
    assert run.exit_code == 0, run.stderr
    assert (cache_of(run)["reused"], cache_of(run)["measured"]) == (len(first.mutants()) - covered, covered)
    assert preflight_line(run) == f"preflight: {tests + 1} tests passed: 1 run, {tests} reused from {CACHE}"
    assert all("tests/test_more.py::test_odd" in m["covered_by"] for m in run.mutants() if m["function"] == "is_even")


def test_a_deleted_test_re_measures_the_mutants_it_covered(first, tmp_path_factory):
    run = changed_copy(first, tmp_path_factory, "deleted-test",
                       lambda root: (root / "tests" / "test_parity.py").unlink())

    covered, tests = len(names(first, "is_even")), len(first.document["tests"])
    assert run.exit_code == 0, run.stderr
    assert (cache_of(run)["reused"], cache_of(run)["measured"]) == (len(first.mutants()) - covered, covered)
    assert preflight_line(run) == f"preflight: {tests - 1} tests passed: 0 run, {tests - 1} reused from {CACHE}"
    assert "tests/test_parity.py::test_parity" not in run.document["tests"]
