"""`run --diff BASE` on the fully tested fixture committed to a git repository: only the mutants a
change reaches are measured, the others come from the cache or are `not_measured` (never killed);
a survivor in a changed line fails with its diff, a new test that kills nothing is rejected, a
changed conftest.py widens to a full run with its reason, and a bad BASE is one line, exit 1.

The base commit sets `reject =` (no class rejected), so a rejection is the --diff rule's own."""

import shutil
import subprocess

import pytest

from tests.fixture_runs import copy_fixture, run_gate

CHANGED_SIGN = ("    if x > 0:\n", "    if 0 < x:\n")
WEAK_PARITY = ("    return n % 2 == 0\n", "    return n % 2 == 0 or n == 2\n")  # line 21; `n == 3` survives
NEW_TEST = "\n\ndef test_add_runs():\n    add(1, 2)\n"
CONFTEST = "import pytest\n\n\n@pytest.fixture\ndef unused():\n    return 1\n"


def git(root, *arguments):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *arguments], cwd=root, check=True,
                   capture_output=True)


def gate(root, *flags):
    return run_gate(root, "run", "--workers", "2", *flags)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def names(run, function=None, status=None):
    return sorted(m["mutmut_name"] for m in run.mutants(status) if function is None or m["function"] == function)


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    root = copy_fixture("fully_tested", tmp_path_factory.mktemp("repository"))
    edit(root / "setup.cfg", "    calc/ops.py = 100\n", "    calc/ops.py = 100\nreject =\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


def copy_of(root, tmp_path_factory, name):
    return shutil.copytree(root, tmp_path_factory.mktemp(name) / root.name)


@pytest.fixture(scope="module")
def full(repository, tmp_path_factory):
    """A full run of the base commit, leaving its cache behind."""
    return gate(copy_of(repository, tmp_path_factory, "full"))


@pytest.fixture(scope="module")
def sign_changed_without_cache(repository, tmp_path_factory):
    root = copy_of(repository, tmp_path_factory, "no-cache")
    edit(root / "calc" / "ops.py", *CHANGED_SIGN)
    return gate(root, "--diff", "HEAD")


def test_a_changed_function_alone_is_measured_and_the_rest_is_not_measured_without_a_cache(
        full, sign_changed_without_cache):
    run, total = sign_changed_without_cache, len(full.mutants())
    sign = names(full, "sign")

    assert run.exit_code == 0, run.stderr
    assert names(run, status="killed") == sign
    assert names(run, status="not_measured") == sorted(set(names(full)) - set(sign))
    assert f"diff scope: {len(sign)} of {total} mutants measured against HEAD" in run.stderr.splitlines()
    assert run.document["run"]["diff"] == {"base": "HEAD", "measured": len(sign), "widened": [], "changed_tests": {},
                                           "in_changed_lines": sorted(m["id"] for m in run.mutants()
                                                                      if m["function"] == "sign"
                                                                      and m["start_line"] == 13)}
    assert run.document["targets"][0]["not_measured"] == total - len(sign)
    assert run.document["targets"][0]["killed"] == len(sign)
    assert run.document["verdict"]["targets"]["calc/ops.py"] == {
        "status": "pass", "problems": [],
        "note": f"thresholds not applied: {total - len(sign)} mutants not measured (outside the --diff scope, "
                f"no cached result)"}


def test_with_a_cache_the_mutants_outside_the_change_are_reused(full, tmp_path_factory):
    root = copy_of(full.root, tmp_path_factory, "cached")
    edit(root / "calc" / "ops.py", *CHANGED_SIGN)

    run = gate(root, "--diff", "HEAD")

    sign, total = names(full, "sign"), len(full.mutants())
    assert (full.exit_code, run.exit_code) == (0, 0), full.stderr + run.stderr
    assert run.document["run"]["cache"]["reused"] == total - len(sign)
    assert run.document["run"]["diff"]["measured"] == len(sign)
    assert run.statuses() == full.statuses()
    assert "note" not in run.document["verdict"]["targets"]["calc/ops.py"]


def test_a_survivor_in_a_changed_line_fails_the_run_named_with_its_diff(repository, tmp_path_factory):
    root = copy_of(repository, tmp_path_factory, "survivor")
    edit(root / "calc" / "ops.py", *WEAK_PARITY)

    run = gate(root, "--diff", "HEAD")

    survivors = [m for m in run.mutants("survived") if m["start_line"] == 21]
    assert survivors, run.stderr
    assert (run.exit_code, run.document["verdict"]["status"]) == (2, "survivors in changed lines")
    assert run.document["verdict"]["reasons"] == [
        f"{m['id']} survives in a changed line (calc/ops.py:21):\n{m['diff']}" for m in survivors]
    assert f"  {survivors[0]['id']} survives in a changed line (calc/ops.py:21):" in run.stdout.splitlines()


def test_a_new_test_that_kills_nothing_is_rejected(repository, tmp_path_factory):
    root = copy_of(repository, tmp_path_factory, "new-test")
    (root / "tests" / "test_ops.py").write_text((root / "tests" / "test_ops.py").read_text() + NEW_TEST)

    run = gate(root, "--diff", "HEAD")

    new = "tests/test_ops.py::test_add_runs"
    assert (run.exit_code, run.document["rejected_tests"]) == (3, [new]), run.stderr
    assert run.document["run"]["diff"]["changed_tests"] == {new: "is new"}
    assert run.document["tests"][new]["class"] == "covering"
    assert names(run, status="not_measured") == sorted(set(names(run)) - set(names(run, "add")))


def test_a_changed_conftest_widens_to_a_full_run_and_says_why(repository, tmp_path_factory):
    root = copy_of(repository, tmp_path_factory, "conftest")
    (root / "tests" / "conftest.py").write_text(CONFTEST)

    run = gate(root, "--diff", "HEAD")

    total = len(run.mutants())
    assert run.exit_code == 0, run.stderr
    assert run.document["run"]["diff"]["widened"] == ["tests/conftest.py changed (a conftest.py of the suite)"]
    assert names(run, status="not_measured") == []
    assert [line for line in run.stderr.splitlines() if "diff scope" in line or "full run" in line] == [
        f"diff scope: {total} of {total} mutants measured against HEAD",
        "full run: tests/conftest.py changed (a conftest.py of the suite)"]


def test_a_bad_base_is_one_line_and_exit_1_before_anything_is_measured(repository, tmp_path_factory):
    root = copy_of(repository, tmp_path_factory, "bad-base")

    run = gate(root, "--diff", "nowhere")

    exit_code, reason = run.stopped()
    assert (run.exit_code, exit_code) == (1, 1)
    assert reason.startswith(f"--diff nowhere: not a git revision in {root} (git: fatal: "), reason
    assert run.stderr.splitlines() == [f"mutation-gate: {reason}"]
    assert not (root / ".mutation-gate").exists()


def test_a_diff_run_in_two_shards_merged_gives_the_unsharded_diff_runs_verdict(repository, tmp_path_factory):
    single_root = copy_of(repository, tmp_path_factory, "diff-single")
    edit(single_root / "calc" / "ops.py", *WEAK_PARITY)
    single = gate(single_root, "--diff", "HEAD", "--no-cache")
    root = copy_of(repository, tmp_path_factory, "diff-sharded")
    edit(root / "calc" / "ops.py", *WEAK_PARITY)

    shards = [gate(root, "--diff", "HEAD", "--no-cache", "--shard", f"{k}/2") for k in (1, 2)]
    merged = run_gate(root, "merge", *(str(root / "reports" / "mutation" / f"shard-{k}-of-2.json") for k in (1, 2)))

    assert [shard.exit_code for shard in shards] == [0, 0], [shard.stderr for shard in shards]
    assert (merged.exit_code, single.exit_code) == (2, 2), merged.stderr
    assert merged.statuses() == single.statuses()
    assert merged.document["verdict"] == single.document["verdict"]
    assert {key: merged.document["run"]["diff"][key] for key in ("base", "measured", "in_changed_lines")} == \
        {key: single.document["run"]["diff"][key] for key in ("base", "measured", "in_changed_lines")}
