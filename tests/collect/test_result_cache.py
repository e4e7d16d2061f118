"""The result cache: a mutant's stored outcome comes back exactly, and only while its function, its
covering tests (this run's, each with its fingerprint) and the run context are unchanged; a file
that cannot be trusted is ignored with one line saying why."""

import dataclasses
import json
import os
import stat

import pytest

from mutation import atomic_files
from mutation.collect import fingerprints
from mutation.collect.coverage_map import FileCoverage
from mutation.collect.outcomes import Kill
from mutation.model import KillKind
from mutation.collect.fingerprints import code_under_test, digest, executed_lines, file_parts, function_fingerprint
from mutation.collect.result_cache import FORMAT, ResultCache, entry_key, load, lookup, save, store
from tests.factories import killed, mutant, outcome

T1, T2, T3 = "tests/unit/test_a.py::test_one", "tests/unit/test_a.py::test_two", "tests/other/test_b.py::test_b"
CONTEXT = {"configuration": "c1", "dependencies": "d1", "tools": "t1", "support": "s1"}
M = mutant(function_lines=(1, 3), lines=(2, 2), mutated_text="return x - 1")
COVERING = {T1: "fp1", T2: "fp2"}
KILLED = killed((T1, "assertion"), (T2, "crash"), ran=(T1, T2))


def stored(entry_outcome=KILLED, covering=COVERING, function_fp="f1"):
    cache = ResultCache(dict(CONTEXT))
    assert store(cache, M, function_fp, covering, entry_outcome)
    return cache


CREDITED = dataclasses.replace(killed((T1, "crash"), ran=(T1, T2)), credited_by=(Kill(T2, KillKind.ASSERTION),))


@pytest.mark.parametrize("kept", [KILLED, outcome("survived", ran=(T1, T2)), outcome("no_tests"),
                                  outcome("timeout", (T2, "timeout"), ran=(T1,), reason="hung past its time limit"),
                                  CREDITED],
                         ids=["killed", "survived", "no-tests", "timeout", "credit-pass-kills-apart"])
def test_a_hit_returns_exactly_the_stored_outcome(kept):
    assert lookup(stored(kept), M, "f1", dict(COVERING)) == kept


def test_a_hit_survives_saving_and_loading(tmp_path):
    save(tmp_path / "cache.json", stored())

    cache, note = load(tmp_path / "cache.json", CONTEXT)

    assert note == ""
    assert lookup(cache, M, "f1", {T2: "fp2", T1: "fp1"}) == KILLED


@pytest.mark.parametrize("covering", [{T1: "fp1", T2: "fp2 changed"}, {T1: "fp1", T2: "fp2", T3: "fp3"},
                                      {T1: "fp1"}, {}],
                         ids=["a-covering-test-changed", "a-new-covering-test", "a-deleted-covering-test",
                              "no-tests-now"])
def test_any_change_in_the_covering_tests_misses(covering):
    assert lookup(stored(), M, "f1", covering) is None


def test_a_changed_function_misses():
    assert lookup(stored(), M, "f2", COVERING) is None


def test_another_mutant_misses():
    assert lookup(stored(), dataclasses.replace(M, mutated_text="return x * 1"), "f1", COVERING) is None


def test_the_same_change_at_another_place_in_the_function_has_an_entry_of_its_own():
    twin = dataclasses.replace(M, start_line=3, end_line=3)
    cache = stored()
    store(cache, twin, "f1", COVERING, outcome("survived", ran=(T1, T2)))

    assert lookup(cache, M, "f1", COVERING) == KILLED
    assert lookup(cache, twin, "f1", COVERING) == outcome("survived", ran=(T1, T2))


def test_a_moved_function_keeps_its_entry_key():
    moved = dataclasses.replace(M, function_lines=(11, 13), start_line=12, end_line=12)

    assert entry_key(moved) == entry_key(M) == json.dumps(["pkg/mod.py", "f", "return x - 1", 1, 4, 1, 16])


@pytest.mark.parametrize("status", ["unresolved", "excluded", "type_check"])
def test_only_final_outcomes_are_stored(status):
    cache = ResultCache(dict(CONTEXT))

    assert not store(cache, M, "f1", COVERING, outcome(status, reason="why"))
    assert cache.entries == {}


def test_a_missing_file_is_an_empty_cache_without_a_note(tmp_path):
    assert load(tmp_path / "cache.json", CONTEXT) == (ResultCache(CONTEXT, {}), "")


def ignored(path, why):
    return f"result cache {path}: ignored ({why}); every mutant is measured afresh"


def saved_document(**changes):
    return {"format": FORMAT, "context": CONTEXT, "entries": {}, **changes}


@pytest.mark.parametrize(("content", "why"), [
    (b"\x00\xff not json", "not valid JSON"),
    (b'{"format": 1, "context"', "not valid JSON"),
    (b"[" * 100000, "not valid JSON"),
    (b"[1, 2]", "not a result cache"),
    (b'{"entries": {}}', "not a result cache"),
    (json.dumps(saved_document(format=2)).encode(), "format 2; this gate reads format 3"),
    (json.dumps(saved_document(format="3")).encode(), "format '3'; this gate reads format 3"),
    (json.dumps(saved_document(context=None)).encode(), "no run context"),
    (json.dumps(saved_document(entries=[])).encode(), "no entries"),
], ids=["binary", "truncated", "too-deep", "a-list", "no-format", "another-format", "a-format-as-text", "no-context",
        "entries-not-a-table"])
def test_a_corrupt_or_foreign_file_is_ignored_with_a_note(tmp_path, content, why):
    path = tmp_path / "cache.json"
    path.write_bytes(content)

    assert load(path, CONTEXT) == (ResultCache(CONTEXT, {}), ignored(path, why))


def entry(**outcome_changes):
    good = {"status": "killed", "killed_by": [[T1, "assertion"]], "credited_by": [], "reason": "", "tests_run": [T1]}
    return {"function": "f1", "tests": {T1: "fp1"}, "outcome": {**good, **outcome_changes}}


@pytest.mark.parametrize("bad", [entry(status="unresolved"), entry(status=["killed"]),
                                 entry(killed_by=[[T1, "maybe"]]), entry(killed_by=[[T1, ["assertion"]]]),
                                 entry(killed_by=[T1]), entry(credited_by=None), entry(credited_by=[[T1, "maybe"]]),
                                 entry(reason=None), entry(tests_run=[1]),
                                 {"function": "f1", "tests": {T1: 1}, "outcome": entry()["outcome"]},
                                 {"tests": {}, "outcome": entry()["outcome"]}, "killed"],
                         ids=["unresolved", "status-not-text", "unknown-kind", "kind-not-text", "kill-not-a-pair",
                              "no-credit-kills", "credit-kill-of-unknown-kind", "no-reason", "test-not-text", "fingerprint-not-text", "no-function", "not-a-table"])
def test_a_malformed_entry_makes_the_whole_file_ignored(tmp_path, bad):
    path = tmp_path / "cache.json"
    path.write_text(json.dumps(saved_document(entries={"good": entry(), "bad": bad})), encoding="utf-8")

    assert load(path, CONTEXT) == (ResultCache(CONTEXT, {}), ignored(path, "a malformed entry: bad"))


@pytest.mark.parametrize(("part", "named"), [("configuration", "gate configuration"),
                                             ("dependencies", "dependency set"), ("tools", "tool or Python version"),
                                             ("support", "support files")])
def test_a_cache_made_under_another_run_context_is_ignored_naming_what_changed(tmp_path, part, named):
    path = tmp_path / "cache.json"
    save(path, stored())

    cache, note = load(path, {**CONTEXT, part: "changed"})

    assert (cache, note) == (ResultCache({**CONTEXT, part: "changed"}, {}),
                             ignored(path, f"made under another {named}"))


def test_every_changed_part_is_named(tmp_path):
    path = tmp_path / "cache.json"
    save(path, stored())

    assert load(path, {**CONTEXT, "tools": "t2", "dependencies": "d2"})[1] == ignored(
        path, "made under another dependency set, tool or Python version")


def test_a_directory_in_the_caches_place_is_ignored_as_unreadable(tmp_path):
    assert load(tmp_path, CONTEXT) == (ResultCache(CONTEXT, {}), ignored(tmp_path, "unreadable: Is a directory"))


def test_saving_writes_one_json_document_and_no_temporary_file(tmp_path):
    path = tmp_path / "ci-cache" / "results.json"

    assert save(path, stored()) == ""

    assert [child.name for child in path.parent.iterdir()] == ["results.json"]
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "format": FORMAT, "context": CONTEXT,
        "entries": {entry_key(M): {"function": "f1", "tests": {T1: "fp1", T2: "fp2"},
                                   "outcome": {"status": "killed", "killed_by": [[T1, "assertion"], [T2, "crash"]],
                                               "credited_by": [], "reason": "", "tests_run": [T1, T2]}}},
        "preflight": {},
    }



@pytest.fixture
def umask(request):
    """The process umask set to `request.param` for one test, the cache's reading of it forgotten."""
    before = os.umask(request.param)
    atomic_files.new_file_mode.cache_clear()
    yield request.param
    os.umask(before)
    atomic_files.new_file_mode.cache_clear()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)], indirect=["umask"])
def test_the_saved_file_has_the_usual_mode_under_the_umask_and_the_umask_stays(tmp_path, umask, mode):
    path = tmp_path / "results.json"

    save(path, stored())

    assert (stat.S_IMODE(path.stat().st_mode), os.umask(umask)) == (mode, umask)

def test_saving_where_a_file_blocks_the_directory_is_a_note(tmp_path):
    (tmp_path / "blocked").write_text("", encoding="utf-8")
    path = tmp_path / "blocked" / "results.json"

    assert save(path, stored()) == f"result cache {path}: not saved (File exists: {tmp_path / 'blocked'})"


def test_saving_replaces_the_file_before(tmp_path):
    path = tmp_path / "results.json"
    save(path, stored())
    save(path, ResultCache({**CONTEXT, "tools": "t2"}))

    assert load(path, {**CONTEXT, "tools": "t2"}) == (ResultCache({**CONTEXT, "tools": "t2"}, {}), "")


# A project on disk and the real fingerprints: each edit misses, or hits, as a fresh run requires.
SOURCE = "LIMIT = 1\n\n\ndef f(x):\n    return x + LIMIT\n\n\ndef g(x):\n    return f(x) * 2\n"
F = mutant(function="f", function_lines=(4, 5), lines=(5, 5), statement_line=5, mutated_text="return x - LIMIT")
SPANS = ((4, 5), (8, 9))
PROJECT = {"pkg/mod.py": SOURCE, "conftest.py": "", "tests/conftest.py": "",
           "tests/unit/test_a.py": "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n",
           "tests/other/conftest.py": "", "tests/other/test_b.py": "def test_b():\n    pass\n"}
# test_one runs f alone; test_two runs g, which calls f; test_b runs g only in the second coverage.
RAN_F, RAN_G = frozenset({T1, T2}), frozenset({T2})


def write(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def fingerprints_of(root, ran_f=RAN_F, ran_g=RAN_G):
    """The function fingerprint of F and its covering tests (those that ran line 5) with their fingerprints."""
    source = (root / "pkg/mod.py").read_text(encoding="utf-8")
    parts = {"pkg/mod.py": file_parts(source, SPANS)}
    coverage = {"pkg/mod.py": FileCoverage("pkg/mod.py", frozenset(), frozenset(), {5: ran_f, 9: ran_g}, 0, 0)}
    executed = executed_lines(coverage)
    covering = {test: digest(fingerprints.test_dependencies(root, test), code_under_test(executed[test], parts))
                for test in ran_f}
    return function_fingerprint(F, parts["pkg/mod.py"]), covering


def cached_project(root):
    write(root, PROJECT)
    cache = ResultCache(dict(CONTEXT))
    store(cache, F, *fingerprints_of(root), KILLED)
    return cache


@pytest.mark.parametrize("edit", [
    ("pkg/mod.py", SOURCE.replace("x + LIMIT", "x + LIMIT + 0")),
    ("pkg/mod.py", SOURCE.replace("LIMIT = 1", "LIMIT = 2")),
    ("pkg/mod.py", SOURCE.replace("f(x) * 2", "f(x) * 3")),
    ("tests/unit/test_a.py", PROJECT["tests/unit/test_a.py"] + "\n\ndef helper():\n    pass\n"),
    ("tests/conftest.py", "import pytest\n"),
    ("conftest.py", "import pytest\n"),
    ("tests/unit/conftest.py", "import pytest\n"),
], ids=["the-function", "its-module-context", "a-function-a-covering-test-ran", "a-covering-tests-file",
        "a-conftest-above", "the-root-conftest", "a-new-conftest-above"])
def test_an_edit_a_fresh_run_could_see_misses(tmp_path, edit):
    cache = cached_project(tmp_path)
    write(tmp_path, dict([edit]))

    assert lookup(cache, F, *fingerprints_of(tmp_path)) is None


@pytest.mark.parametrize("edit", [
    ("tests/other/conftest.py", "import pytest\n"),
    ("tests/other/test_b.py", "def test_b():\n    assert True\n"),
], ids=["a-conftest-elsewhere", "a-test-file-of-no-covering-test"])
def test_an_edit_no_covering_test_sees_hits(tmp_path, edit):
    cache = cached_project(tmp_path)
    write(tmp_path, dict([edit]))

    assert lookup(cache, F, *fingerprints_of(tmp_path)) == KILLED


def test_an_unchanged_project_hits(tmp_path):
    assert lookup(cached_project(tmp_path), F, *fingerprints_of(tmp_path)) == KILLED


def test_a_function_only_other_tests_ran_does_not_invalidate(tmp_path):
    cache = ResultCache(dict(CONTEXT))
    write(tmp_path, PROJECT)
    store(cache, F, *fingerprints_of(tmp_path, ran_f=frozenset({T1})), KILLED)
    write(tmp_path, {"pkg/mod.py": SOURCE.replace("f(x) * 2", "f(x) * 3")})

    assert lookup(cache, F, *fingerprints_of(tmp_path, ran_f=frozenset({T1}))) == KILLED


@pytest.mark.parametrize(("ran_f", "ran_g"), [(RAN_F | {T3}, RAN_G | {T3}), (frozenset({T1}), frozenset())],
                         ids=["a-new-test-covers-it", "a-covering-test-was-deleted"])
def test_this_runs_preflight_decides_the_covering_tests(tmp_path, ran_f, ran_g):
    cache = cached_project(tmp_path)

    assert lookup(cache, F, *fingerprints_of(tmp_path, ran_f, ran_g)) is None
