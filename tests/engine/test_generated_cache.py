"""The generated-file cache: an unchanged target's generated files and located mutants come back
as stored, newer than their source (so mutmut does not generate them again); a damaged entry is
not restored; entries of no current file are removed."""

import os

from mutation.engine import generated_cache
from tests.factories import mutant

WORK_PATH = "src/pkg/mod.py"


def generated_run(root):
    """A work directory as mutmut leaves it: the source and its three generated files."""
    (root / "src" / "pkg").mkdir(parents=True)
    (root / WORK_PATH).write_text("def f(x):\n    return x + 1\n", encoding="utf-8")
    for suffix, text in (("", "trampolined\n"), (".meta", '{"exit_code_by_key": {}}'), (".spans", "[]")):
        target = root / "mutants" / f"{WORK_PATH}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_a_kept_entry_is_restored_with_its_mutants_and_newer_than_its_source(tmp_path):
    cache = tmp_path / "cache"
    mutants = [mutant("pkg.mod.x_f__mutmut_1", function_lines=(1, 2))]
    generated_cache.keep(cache, generated_run(tmp_path / "first"), {WORK_PATH: "k1"}, {WORK_PATH: mutants})
    second = tmp_path / "second"
    (second / "src" / "pkg").mkdir(parents=True)
    (second / WORK_PATH).write_text("def f(x):\n    return x + 1\n", encoding="utf-8")

    restored = generated_cache.restore(cache, second, {WORK_PATH: "k1"})

    assert restored == {WORK_PATH: mutants}
    assert (second / "mutants" / WORK_PATH).read_text(encoding="utf-8") == "trampolined\n"
    assert os.path.getmtime(second / "mutants" / f"{WORK_PATH}.meta") > os.path.getmtime(second / WORK_PATH)


def test_a_damaged_or_unknown_entry_is_not_restored(tmp_path):
    cache = tmp_path / "cache"
    generated_cache.keep(cache, generated_run(tmp_path / "first"), {WORK_PATH: "k1"}, {WORK_PATH: []})
    (cache / "k1" / "generated.meta").write_text("changed", encoding="utf-8")

    assert generated_cache.restore(cache, tmp_path / "second", {WORK_PATH: "k1", "src/pkg/other.py": "k2"}) == {}
    assert not (tmp_path / "second" / "mutants").exists()


def test_entries_of_no_current_file_are_removed(tmp_path):
    cache = tmp_path / "cache"
    root = generated_run(tmp_path / "first")
    generated_cache.keep(cache, root, {WORK_PATH: "old"}, {WORK_PATH: []})

    generated_cache.keep(cache, root, {WORK_PATH: "new"}, {WORK_PATH: []})

    assert sorted(path.name for path in cache.iterdir()) == ["new"]
