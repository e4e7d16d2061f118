"""mutmut's settings: the project's own (reused by the gate), the `[mutmut]` section the gate writes
into its work directory (read back by mutmut itself), and the fork server's pytest arguments."""

import configparser
import importlib.util
import tomllib
from pathlib import Path

import pytest
from mutmut import configuration as mutmut_configuration

from mutation.engine import settings as engine_settings
from mutation.engine.settings import (
    ProjectSettings, mutmut_settings, plain_settings, project_settings, server_args, write_settings,
)
from mutation.errors import ConfigError


@pytest.fixture
def mutmut_config_in(monkeypatch):
    """mutmut's own reading of a directory's configuration."""

    def load(directory):
        monkeypatch.chdir(directory)
        mutmut_configuration.reset_config()
        try:
            return mutmut_configuration.config()
        finally:
            mutmut_configuration.reset_config()

    return load


def project(tmp_path, setup_cfg="[mutation_gate]\ntargets = pkg/mod.py = 90\n", pyproject=None):
    (tmp_path / "setup.cfg").write_text(setup_cfg, encoding="utf-8")
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return tmp_path, tmp_path / "setup.cfg"


# --- the project's own settings --------------------------------------------------------------


def test_a_project_without_mutmut_settings_has_none(tmp_path):
    assert project_settings(*project(tmp_path, pyproject="[tool.black]\nline-length = 100\n")) == ProjectSettings()


def test_setup_cfg_mutmut_settings_are_read_one_value_a_line(tmp_path):
    section = ("[mutmut]\npytest_add_cli_args =\n    -p no:warnings\n    --strict-markers\nalso_copy = data\n"
               "do_not_mutate =\n    */generated.py\n\n    */vendored.py\nsource_paths = lib\n"
               "pytest_add_cli_args_test_selection = tests/unit\n")

    assert project_settings(*project(tmp_path, section)) == ProjectSettings(
        pytest_args=("-p no:warnings", "--strict-markers"), also_copy=("data",),
        do_not_mutate=("*/generated.py", "*/vendored.py"), source_paths=("lib",), tests_dir=("tests/unit",),
        where="setup.cfg [mutmut]",
    )


def test_pyproject_tool_mutmut_wins_over_setup_cfg_as_mutmut_reads_it(tmp_path):
    pyproject = ('[tool.mutmut]\npytest_add_cli_args = ["-x", "--tb=no"]\nalso_copy = "fixtures"\n'
                 'do_not_mutate = ["a.py", 3]\n')

    settings = project_settings(*project(tmp_path, "[mutmut]\nalso_copy = ignored\n", pyproject))

    assert settings == ProjectSettings(pytest_args=("-x", "--tb=no"), also_copy=("fixtures",),
                                       do_not_mutate=("a.py", "3"), where="pyproject.toml [tool.mutmut]")


def test_a_pyproject_without_tool_mutmut_leaves_setup_cfg_in_charge(tmp_path):
    settings = project_settings(*project(tmp_path, "[mutmut]\nalso_copy = data\n", "[tool.other]\nx = 1\n"))

    assert settings == ProjectSettings(also_copy=("data",), where="setup.cfg [mutmut]")


def test_a_setting_that_is_not_a_list_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(ConfigError) as error:
        project_settings(*project(tmp_path, pyproject="[tool.mutmut]\nalso_copy = 3\n"))

    assert str(error.value) == "pyproject.toml [tool.mutmut] also_copy: must be a list, got 3"


def test_an_unreadable_pyproject_is_a_config_error(tmp_path):
    text = "[tool.black\nline-length = 100\n"
    with pytest.raises(tomllib.TOMLDecodeError) as parse_error:
        tomllib.loads(text)

    with pytest.raises(ConfigError) as error:
        project_settings(*project(tmp_path, pyproject=text))

    assert str(error.value) == f"pyproject.toml: unreadable: {parse_error.value}"


def test_an_unreadable_setup_cfg_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as error:
        project_settings(*project(tmp_path, "[mutmut]\nalso_copy = a\nalso_copy = b\n"))

    assert str(error.value).startswith("setup.cfg: unreadable: While reading from ")
    assert str(error.value).endswith("[line  3]: option 'also_copy' in section 'mutmut' already exists")


# --- the work directory's [mutmut] section -----------------------------------------------------


def settings():
    return mutmut_settings(source_dir="src", only_mutate=["src/pkg/mod.py", "src/pkg/helper.py"],
                           test_selection=["tests"], also_copy=["tests", "conftest.py", "pytest.ini"],
                           do_not_mutate=["*_generated.py"])


def test_mutmut_reads_every_setting_the_gate_writes_and_other_sections_are_kept(tmp_path, mutmut_config_in):
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\naddopts = -q\n\n[mutmut]\ndo_not_mutate = mine.py\n"
                                        "timeout_constant = 99\n", encoding="utf-8")

    write_settings(tmp_path, settings())

    mutmut = mutmut_config_in(tmp_path)
    assert (
        mutmut.source_paths, mutmut.only_mutate, mutmut.do_not_mutate, mutmut.pytest_add_cli_args_test_selection,
        mutmut.also_copy[:3], mutmut.mutate_only_covered_lines, mutmut.use_git_change_detection,
        mutmut.timeout_constant,
    ) == (
        [Path("src")], ["src/pkg/mod.py", "src/pkg/helper.py"], ["*_generated.py"], ["tests"],
        [Path("tests"), Path("conftest.py"), Path("pytest.ini")], False, False, 1.0,
    )
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(tmp_path / "setup.cfg")
    assert (parser.sections(), parser["tool:pytest"]["addopts"]) == (["tool:pytest", "mutmut"], "-q")


def test_write_settings_creates_a_missing_setup_cfg(tmp_path, mutmut_config_in):
    write_settings(tmp_path, settings())

    assert mutmut_config_in(tmp_path).only_mutate == ["src/pkg/mod.py", "src/pkg/helper.py"]


def test_plain_settings_leave_mutmuts_defaults_alone(tmp_path, mutmut_config_in):
    (tmp_path / "setup.cfg").write_text("", encoding="utf-8")

    write_settings(tmp_path, plain_settings(source_dir="src", test_selection=["suite"], also_copy=["suite"],
                                            pytest_args=["-p", "no:warnings"]))

    mutmut = mutmut_config_in(tmp_path)
    assert (mutmut.source_paths, mutmut.pytest_add_cli_args_test_selection, mutmut.also_copy[0],
            mutmut.pytest_add_cli_args, mutmut.process_isolation.value, mutmut.timeout_constant) == (
        [Path("src")], ["suite"], Path("suite"), ["-p", "no:warnings"], "fork", 1.0,
    )


def test_the_work_directorys_pyproject_loses_its_tool_mutmut_table_and_keeps_the_rest(tmp_path, mutmut_config_in):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.black]\nline-length = 100\n\n[tool.mutmut]  # the project\'s own\nsource_paths = ["elsewhere"]\n'
        'also_copy = ["x"]\n\n[tool.pytest.ini_options]\naddopts = "-q"\n', encoding="utf-8")

    write_settings(tmp_path, settings())

    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == (
        '[tool.black]\nline-length = 100\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
    )
    assert mutmut_config_in(tmp_path).source_paths == [Path("src")]


@pytest.mark.parametrize("pyproject", [
    '[tool]\nmutmut.source_paths = ["elsewhere"]\n',
    '[tool.mutmut.extra]\nx = 1\n',
    'tool = {mutmut = {source_paths = ["elsewhere"]}}\n',
])
def test_mutmut_settings_outside_a_tool_mutmut_table_are_refused(tmp_path, pyproject):
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        write_settings(tmp_path, settings())

    assert str(error.value) == ("pyproject.toml: mutmut settings outside a [tool.mutmut] table; "
                                "move them to a [tool.mutmut] table or to setup.cfg [mutmut]")


# --- the fork server's pytest arguments -----------------------------------------------------------


def test_the_server_session_gets_the_rootdir_quiet_output_no_random_order_then_the_suite():
    assert server_args(["--tb=line", "-o", "x=y"], "suite", "src") == [
        "--rootdir=src", "-q", "-p", "no:randomly", "--tb=line", "-o", "x=y",
        *(["--no-cov"] if importlib.util.find_spec("pytest_cov") else []), "suite",
    ]


@pytest.mark.parametrize(("installed", "no_cov"), [(True, ["--no-cov"]), (False, [])])
def test_coverage_is_turned_off_in_the_server_only_where_pytest_cov_is_installed(monkeypatch, installed, no_cov):
    real = importlib.util.find_spec
    monkeypatch.setattr(engine_settings.importlib.util, "find_spec",
                        lambda name: (object() if installed else None) if name == "pytest_cov" else real(name))

    assert server_args([], "tests") == ["--rootdir=.", "-q", "-p", "no:randomly", *no_cov, "tests"]
