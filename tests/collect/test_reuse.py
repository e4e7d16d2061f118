"""Reusing cached results: a mutant is set aside with its cached outcome only while its function and
each covering test are what they were; an edit of a function re-measures that function's mutants and
those of every test that ran it; a finished run's cache holds its final outcomes."""

import pytest

from mutation.collect.coverage_map import FileCoverage
from mutation.collect.fingerprints import test_dependencies
from mutation.collect.result_cache import HISTORY_LIMIT, ResultCache, entry_key, load, save, store
from mutation.collect.reuse import (
    attach_history,
    cache_summary,
    covering,
    last_runs,
    next_cache,
    reusing,
    run_fingerprints,
    test_files,
)
from mutation.collect.reverify import combine
from tests.factories import killed, mutant, outcome

SOURCE = "def f(x):\n    return x + 1\n\n\ndef g(x):\n    return x * 2\n"
T1, T2 = "tests/test_mod.py::test_f", "tests/test_mod.py::test_g"
F = mutant("pkg.mod.x_f__mutmut_1", function="f", lines=(2, 2), function_lines=(1, 2), mutated_text="return x - 1")
G = mutant("pkg.mod.x_g__mutmut_1", function="g", lines=(6, 6), function_lines=(5, 6), mutated_text="return x / 2")
COVERED_BY = {F.engine_name: [T1], G.engine_name: [T2]}
CONTEXT = {"configuration": "c", "dependencies": "d", "tools": "t", "support": "s"}


def coverage(lines_by_test):
    tests_by_line = {}
    for test, lines in lines_by_test.items():
        for line in lines:
            tests_by_line.setdefault(line, set()).add(test)
    return {"src/pkg/mod.py": FileCoverage("src/pkg/mod.py", frozenset(), frozenset(),
                                           {line: frozenset(tests) for line, tests in tests_by_line.items()}, 0, 0)}


def fingerprints_of(root, source=SOURCE, test_text="def test_f(): ...\n", lines_by_test=None):
    (root / "tests").mkdir(exist_ok=True)
    (root / "tests" / "test_mod.py").write_text(test_text)
    return run_fingerprints([F, G], {"src/pkg/mod.py": source}, coverage(lines_by_test or {T1: {2}, T2: {6}}),
                            lambda path: f"src/{path}", lambda test: test_dependencies(root, test, top=root))


def cached(fingerprints, outcomes):
    cache = ResultCache(dict(CONTEXT))
    for found in (F, G):
        store(cache, found, fingerprints.functions[found.engine_name],
              covering(fingerprints, COVERED_BY[found.engine_name]), outcomes[found.engine_name])
    return cache


OUTCOMES = {F.engine_name: killed((T1, "assertion"), ran=(T1,)), G.engine_name: outcome("survived", ran=(T2,))}


def test_last_runs_are_the_cached_tests_run_of_each_mutant_even_when_its_function_changed(tmp_path):
    before = fingerprints_of(tmp_path)
    cache = cached(before, {F.engine_name: killed((T1, "assertion"), ran=(T1, T2)), G.engine_name: OUTCOMES[G.engine_name]})
    new = mutant("pkg.mod.x_g__mutmut_2", function="g", lines=(6, 6), function_lines=(5, 6), mutated_text="return x")

    assert last_runs(cache, [F, G, new]) == {F.engine_name: [T1, T2], G.engine_name: [T2]}


def test_test_files_are_work_directory_paths_of_each_tests_file_once():
    assert test_files(".", [T1, T2, "tests/test_b.py::C::test[1]"]) == ["tests/test_b.py", "tests/test_mod.py"]
    assert test_files("src", ["pkg/tests/test_a.py::test_one"]) == ["src/pkg/tests/test_a.py"]


def test_an_unchanged_run_reuses_every_mutant_with_its_outcome(tmp_path):
    fingerprints = fingerprints_of(tmp_path)

    assert reusing(cached(fingerprints, OUTCOMES), fingerprints, COVERED_BY)([F, G]) == OUTCOMES


def test_a_changed_function_re_measures_its_mutants_and_those_of_the_tests_that_ran_it(tmp_path):
    before = fingerprints_of(tmp_path, lines_by_test={T1: {2}, T2: {2, 6}})
    after = fingerprints_of(tmp_path, SOURCE.replace("x + 1", "x + 2"), lines_by_test={T1: {2}, T2: {2, 6}})

    assert reusing(cached(before, OUTCOMES), after, COVERED_BY)([F, G]) == {}


def test_a_changed_function_leaves_the_others_reused(tmp_path):
    before = fingerprints_of(tmp_path)
    after = fingerprints_of(tmp_path, SOURCE.replace("x + 1", "x + 2"))

    assert reusing(cached(before, OUTCOMES), after, COVERED_BY)([F, G]) == {G.engine_name: OUTCOMES[G.engine_name]}


def test_a_changed_test_file_re_measures_the_mutants_its_tests_cover(tmp_path):
    before = fingerprints_of(tmp_path)
    after = fingerprints_of(tmp_path, test_text="def test_f(): assert True\n")

    assert reusing(cached(before, OUTCOMES), after, COVERED_BY)([F, G]) == {}


def test_a_covering_test_without_a_fingerprint_is_a_miss_and_is_not_stored(tmp_path):
    fingerprints = fingerprints_of(tmp_path)
    covered_by = {F.engine_name: [T1, "tests/test_mod.py::test_new"], G.engine_name: [T2]}

    assert covering(fingerprints, covered_by[F.engine_name]) is None
    assert reusing(cached(fingerprints, OUTCOMES), fingerprints, covered_by)([F]) == {}
    assert sorted(next_cache(ResultCache(CONTEXT), CONTEXT, [F, G], fingerprints, covered_by, OUTCOMES).entries) == [
        entry_key(G)]


def test_the_next_cache_holds_the_final_outcomes_and_the_entries_of_files_not_mutated(tmp_path):
    fingerprints = fingerprints_of(tmp_path)
    elsewhere = mutant("pkg.other.x_h__mutmut_1", function="h", file="pkg/other.py")
    previous = ResultCache(dict(CONTEXT))
    store(previous, elsewhere, "fp", {}, outcome("no_tests"))
    store(previous, F, "stale", {}, outcome("no_tests"))
    unresolved = {**OUTCOMES, G.engine_name: outcome("unresolved", reason="a worker died")}

    cache = next_cache(previous, {**CONTEXT, "support": "s2"}, [F, G], fingerprints, COVERED_BY, unresolved)

    assert cache.context == {**CONTEXT, "support": "s2"}
    assert sorted(cache.entries) == sorted([entry_key(elsewhere), entry_key(F)])
    assert reusing(cache, fingerprints, COVERED_BY)([F, G]) == {F.engine_name: OUTCOMES[F.engine_name]}


@pytest.mark.parametrize(("arguments", "line"), [
    ((3, 5, "c.json", True, True, ""), "cache: 3 of 5 mutants reused from c.json"),
    ((0, 5, "c.json", True, True, ""), "cache: 0 of 5 mutants reused from c.json"),
    ((0, 5, "c.json", True, False, ""), "cache: none of 5 mutants reused (no cache at c.json yet)"),
    ((0, 5, "c.json", True, True, "ignored"), "cache: none of 5 mutants reused (c.json ignored, see the note above)"),
    ((0, 5, "c.json", False, True, ""), "cache: none of 5 mutants reused (--no-cache); this run's results go to c.json"),
], ids=["hits", "no-hit", "first-run", "ignored", "no-cache"])
def test_the_cache_line_says_how_many_were_reused_or_why_none(arguments, line):
    assert cache_summary(*arguments) == line


def test_the_history_adds_this_runs_re_verifications_to_the_previous_ones_and_keeps_the_rest(tmp_path):
    fingerprints = fingerprints_of(tmp_path)
    elsewhere = mutant("pkg.other.x_h__mutmut_1", function="h", file="pkg/other.py")
    gone = mutant("pkg.mod.x_f__mutmut_9", function="f", mutated_text="return 0")
    before = {"runs": ["survived", "survived"], "flaky": False, "tests": []}
    previous = ResultCache(dict(CONTEXT), history={entry_key(elsewhere): [before], entry_key(gone): [before],
                                                   entry_key(G): [before]})
    survivor, caught = outcome("survived", ran=(T2,)), killed((T2, "assertion"), ran=(T2,))
    flaky = combine(survivor, caught)

    cache = next_cache(previous, CONTEXT, [F, G], fingerprints, COVERED_BY,
                       {**OUTCOMES, G.engine_name: flaky})

    now = {"runs": ["survived", "killed"], "flaky": True, "tests": [T2]}
    # The flaky mutant is no entry (measured afresh next time) but keeps its history; F was not re-verified.
    assert entry_key(G) not in cache.entries
    assert cache.history == {entry_key(elsewhere): [before], entry_key(G): [before, now]}
    document = {"mutants": [{"id": G.id, "status": "flaky", "flaky": {"runs": [], "tests": [T2]}},
                            {"id": F.id, "status": "killed"}]}
    attach_history(document, [F, G], cache)
    assert document["mutants"][0]["flaky"]["history"] == [before, now] and "flaky" not in document["mutants"][1]


def test_the_history_is_saved_and_read_back_and_a_malformed_one_is_a_note(tmp_path):
    record = {"runs": ["survived", "killed"], "flaky": True, "tests": [T2]}
    path = tmp_path / "cache.json"
    save(path, ResultCache(dict(CONTEXT), history={entry_key(G): [record] * (HISTORY_LIMIT + 1)}))
    assert load(path, CONTEXT)[0].history == {entry_key(G): [record] * (HISTORY_LIMIT + 1)}
    text = path.read_text(encoding="utf-8").replace('"flaky":true', '"flaky":"yes"')
    path.write_text(text, encoding="utf-8")
    cache, note = load(path, CONTEXT)
    assert (cache.history, note) == ({}, f"result cache {path}: ignored (a malformed history); every mutant is "
                                         f"measured afresh")


def test_the_history_keeps_the_latest_re_verifications_only(tmp_path):
    fingerprints = fingerprints_of(tmp_path)
    old = [{"runs": ["survived", "survived"], "flaky": False, "tests": [str(n)]} for n in range(HISTORY_LIMIT)]
    survivor = outcome("survived", ran=(T2,))
    cache = next_cache(ResultCache(dict(CONTEXT), history={entry_key(G): old}), CONTEXT, [F, G], fingerprints,
                       COVERED_BY, {**OUTCOMES, G.engine_name: combine(survivor, survivor)})
    assert cache.history[entry_key(G)] == [*old[1:], {"runs": ["survived", "survived"], "flaky": False, "tests": []}]
