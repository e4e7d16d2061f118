"""The `[mutmut]` section the gate writes, read back by mutmut itself, and the project settings it refuses."""

import configparser
import tomllib
from pathlib import Path

import pytest
from mutmut import configuration as mutmut_configuration

from mutation.engine.settings import OWNED_KEYS, check_project, mutmut_settings, plain_settings, write_settings
from mutation.errors import ConfigError

SESSION_ARGS = ["--tb=line", "-p", "mutation.collect.kill_recorder", "-o", "x=y"]


@pytest.fixture
def mutmut_config_in(monkeypatch):
    """mutmut's own reading of a directory's setup.cfg."""

    def load(directory):
        monkeypatch.chdir(directory)
        mutmut_configuration.reset_config()
        try:
            return mutmut_configuration.config()
        finally:
            mutmut_configuration.reset_config()

    return load


def settings(outer_timeout_seconds=30):
    return mutmut_settings(source_dir="src", only_mutate=["src/pkg/mod.py", "src/pkg/helper.py"],
                           session_args=SESSION_ARGS, test_selection=["tests"],
                           also_copy=["tests", "conftest.py", "pytest.ini"], outer_timeout_seconds=outer_timeout_seconds)


def test_mutmut_reads_every_setting_the_gate_writes_and_keeps_the_projects_own(tmp_path, mutmut_config_in):
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\naddopts = -q\n\n[mutmut]\ndo_not_mutate = *_generated.py\n",
                                        encoding="utf-8")

    write_settings(tmp_path, settings(outer_timeout_seconds=12.4))

    mutmut = mutmut_config_in(tmp_path)
    assert (
        mutmut.source_paths, mutmut.only_mutate, mutmut.do_not_mutate, mutmut.pytest_add_cli_args,
        mutmut.pytest_add_cli_args_test_selection, mutmut.also_copy[:3], mutmut.process_isolation.value,
        mutmut.mutate_only_covered_lines, mutmut.use_git_change_detection, mutmut.timeout_multiplier,
        mutmut.timeout_constant, mutmut.debug,
    ) == (
        [Path("src")], ["src/pkg/mod.py", "src/pkg/helper.py"], ["*_generated.py"],
        ["--maxfail=0", *SESSION_ARGS, "--no-cov"], ["tests"], [Path("tests"), Path("conftest.py"), Path("pytest.ini")],
        "forkserver", False, False, 1.0, 12.0, False,
    )
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(tmp_path / "setup.cfg")
    assert (parser.sections(), parser["tool:pytest"]["addopts"]) == (["tool:pytest", "mutmut"], "-q")


def test_the_gate_owns_every_key_it_writes():
    assert set(settings()) == set(OWNED_KEYS)


def test_plain_settings_leave_mutmuts_defaults_alone(tmp_path, mutmut_config_in):
    (tmp_path / "setup.cfg").write_text("", encoding="utf-8")

    write_settings(tmp_path, plain_settings(source_dir="src", test_selection=["suite"], also_copy=["suite"]))

    mutmut = mutmut_config_in(tmp_path)
    assert (mutmut.source_paths, mutmut.pytest_add_cli_args, mutmut.process_isolation.value, mutmut.timeout_constant) == (
        [Path("src")], [], "fork", 1.0,
    )


def project(tmp_path, setup_cfg="[mutation_gate]\ntargets = pkg/mod.py = 90\n", pyproject=None):
    (tmp_path / "setup.cfg").write_text(setup_cfg, encoding="utf-8")
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return tmp_path, tmp_path / "setup.cfg"


def test_a_project_without_mutmut_settings_is_accepted(tmp_path):
    assert check_project(*project(tmp_path, pyproject="[tool.black]\nline-length = 100\n")) is None


def test_pyproject_with_tool_mutmut_is_refused(tmp_path):
    with pytest.raises(ConfigError) as error:
        check_project(*project(tmp_path, pyproject='[tool.mutmut]\nsource_paths = ["pkg"]\n'))

    assert str(error.value) == (
        "pyproject.toml [tool.mutmut]: makes mutmut ignore setup.cfg; move mutmut settings to setup.cfg [mutmut]"
    )


def test_unreadable_pyproject_is_refused(tmp_path):
    text = "[tool.black\nline-length = 100\n"
    with pytest.raises(tomllib.TOMLDecodeError) as parse_error:
        tomllib.loads(text)

    with pytest.raises(ConfigError) as error:
        check_project(*project(tmp_path, pyproject=text))

    assert str(error.value) == f"pyproject.toml: unreadable: {parse_error.value}"


@pytest.mark.parametrize("key", ["source_paths", "only_mutate", "pytest_add_cli_args", "timeout_constant"])
def test_project_mutmut_section_may_not_set_a_key_the_gate_owns(tmp_path, key):
    with pytest.raises(ConfigError) as error:
        check_project(*project(tmp_path, f"[mutmut]\ndo_not_mutate = x.py\n{key} = mine\n\n[mutation_gate]\n"))

    assert str(error.value) == f"setup.cfg [mutmut] {key}: set by the gate; remove it from [mutmut]"
