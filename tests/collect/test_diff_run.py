"""The --diff wiring's pieces: the change read without the gate's own directories, the preflight's
test bodies in project paths, the not-measured filter, the scope lines and run.diff."""

import dataclasses
import subprocess
from pathlib import Path

import pytest

from mutation.collect.diff_run import (
    NOT_MEASURED_REASON,
    body_sources,
    config_files,
    diff_entry,
    outside_change,
    project_bodies,
    read_changes,
    scope_lines,
)
from mutation.collect.changes import Changes
from mutation.collect.diff_scope import CONFIG_FILES, ChangeScope, widening_reasons
from mutation.collect.outcomes import MutantOutcome
from mutation.collect.workspace import Workspace
from mutation.errors import ConfigError
from tests.factories import gate_config


def git(root, *arguments):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *arguments], cwd=root, check=True,
                   capture_output=True)


def scope(measured=(), widened=(), in_changed_lines=(), changed_tests=None):
    return ChangeScope(frozenset(measured), tuple(widened), {}, frozenset(in_changed_lines), changed_tests or {})


class Named:
    def __init__(self, engine_name):
        self.engine_name = engine_name


def test_the_change_leaves_out_the_work_report_and_cache_directories(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    git(tmp_path, "add", "a.py")
    git(tmp_path, "commit", "-q", "-m", "one")
    for path in ("a.py", ".mutation-gate/x.py", "reports/mutation/gate.json", ".mutation-gate-cache/results.json"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("y = 2\n", encoding="utf-8")
    config = gate_config(tmp_path)

    changes = read_changes(config, "HEAD")

    assert changes.lines == {"a.py": frozenset({1})}


def test_a_bad_base_is_one_configuration_error_naming_it(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    git(tmp_path, "add", "a.py")
    git(tmp_path, "commit", "-q", "-m", "one")

    with pytest.raises(ConfigError, match=r"^--diff nowhere: not a git revision in "):
        read_changes(gate_config(tmp_path), "nowhere")


def test_bodies_of_a_suite_outside_the_packages_keep_their_paths():
    workspace = Workspace(Path("/w"), Path("/p"), "backend", "tests", ".")

    assert project_bodies({"tests/test_a.py::test_one": "tests/test_a.py:4", "t::x": "tests/test_b.py::x"},
                          workspace) == {"tests/test_a.py::test_one": "tests/test_a.py:4", "t::x": "tests/test_b.py::x"}


def test_bodies_of_a_suite_inside_a_package_are_mapped_back_from_the_copy():
    workspace = Workspace(Path("/w"), Path("/p"), "backend", "src/core/tests", "src")

    assert project_bodies({"core/tests/test_a.py::t": "core/tests/test_a.py:7"}, workspace) == {
        "core/tests/test_a.py::t": "backend/core/tests/test_a.py:7"}


def test_body_sources_read_each_named_file_of_the_project_once(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("def test_one():\n    pass\n", encoding="utf-8")

    assert body_sources(tmp_path, {"a": "tests/test_a.py:1", "b": "tests/test_a.py:9", "c": "tests/gone.py:1"}) == {
        "tests/test_a.py": "def test_one():\n    pass\n"}


def test_every_mutant_outside_the_change_is_not_measured():
    decided = outside_change(scope(measured={"m1"}))([Named("m1"), Named("m2")])

    assert decided == {"m2": MutantOutcome("not_measured", (), NOT_MEASURED_REASON)}
    assert NOT_MEASURED_REASON == "not measured: outside the --diff scope"


def test_the_scope_lines_count_the_measured_mutants_and_give_each_widening():
    assert scope_lines("origin/main", scope(), 3, 10) == ["diff scope: 3 of 10 mutants measured against origin/main"]
    assert scope_lines("HEAD", scope(widened=["setup.cfg changed (configuration)"]), 10, 10) == [
        "diff scope: 10 of 10 mutants measured against HEAD", "full run: setup.cfg changed (configuration)"]


def test_the_diff_entry_names_the_mutants_in_changed_lines_by_their_ids():
    change = scope({"m1", "m2"}, ["pyproject.toml changed (configuration)"], {"m2"}, {"t.py::b": "is new"})

    assert diff_entry("HEAD~1", change, 2, {"m1": "pkg.a.f#1", "m2": "pkg.a.f#2"}) == {
        "base": "HEAD~1", "measured": 2, "widened": ["pyproject.toml changed (configuration)"],
        "changed_tests": {"t.py::b": "is new"}, "in_changed_lines": ["pkg.a.f#2"]}


def test_the_config_files_are_the_usual_ones_and_the_gates_own_once():
    assert config_files(gate_config(Path("/p"))) == CONFIG_FILES
    assert config_files(dataclasses.replace(gate_config(Path("/p")), config_path=Path("/p/gate.cfg"))) == (
        *CONFIG_FILES, "gate.cfg")


def test_a_changed_exclusions_or_waivers_file_widens_naming_the_file():
    config = gate_config(Path("/p"), exclusions="ci/equivalents.toml", waivers="waivers.toml")
    change = Changes(lines={"ci/equivalents.toml": frozenset({3}), "waivers.toml": frozenset({1}),
                            "notes.toml": frozenset({1})}, removals={}, deleted=frozenset())

    assert config_files(config) == (*CONFIG_FILES, "ci/equivalents.toml", "waivers.toml")
    assert widening_reasons(change, "tests", config_files(config)) == (
        "ci/equivalents.toml changed (configuration)", "waivers.toml changed (configuration)")
