"""The gate's configuration and work directory.

`load_config` and `mutation-gate` report every user error as exit 1 with one line on stderr
naming the file, section, key and problem; `prepare_workspace` copies a project of any layout
into `<work>/src/...` with a setup.cfg whose `[mutmut]` section the gate writes.
"""

import configparser
import os
import tomllib
from pathlib import Path

import pytest
from mutmut import configuration as mutmut_configuration

from mutation import cli, exit_codes
from mutation.config import GateConfig, TargetSpec, load_config
from mutation.errors import ConfigError
from mutation.mutmut_driver import mutmut_settings
from mutation.preflight import STABLE_IDS
from mutation.workspace import Workspace, prepare_workspace

WHERE = "setup.cfg [mutation_gate]"
KNOWN = ("targets, suite, package_root, report_dir, work_dir, workers, min_assertion_score, test_timeout_factor, "
         "test_timeout_floor, reject, kill_matrix, waivers, exclusions, pytest_args")


def make_project(root, section, files=("pkg/__init__.py", "pkg/mod.py", "tests/test_mod.py"), extra=""):
    """A project in `root`: the given files (tiny modules) and a setup.cfg with `section` under [mutation_gate]."""
    for relative in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("VALUE = 1\n", encoding="utf-8")
    (root / "setup.cfg").write_text(f"{extra}[mutation_gate]\n{section}", encoding="utf-8")
    return root / "setup.cfg"


@pytest.fixture(autouse=True)
def never_run_the_gate(monkeypatch):
    def refuse(config):
        raise AssertionError("these tests must never start a gate run")

    monkeypatch.setattr(cli, "run_gate", refuse)


def run_cli(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- user errors ------------------------------------------------------------------------------------

CONFIG_ERRORS = [
    pytest.param("targets = pkg/mod.py = 90\nsuite = tests\ncolour = blue\n", (),
                 f"{WHERE} colour: unknown key (known keys: {KNOWN})", id="unknown-key"),
    pytest.param("suite = tests\n", (), f"{WHERE} targets: missing; list one 'path/to/module.py = minimum score' per line",
                 id="missing-targets"),
    pytest.param("targets =\n", (), f"{WHERE} targets: missing; list one 'path/to/module.py = minimum score' per line",
                 id="empty-targets"),
    pytest.param("targets = pkg/mod.py\n", (), f"{WHERE} targets: 'pkg/mod.py' is not 'path = minimum score'",
                 id="target-without-threshold"),
    pytest.param("targets =\n    pkg/mod.py = 90\n    pkg/gone.py = 80\n", (), f"{WHERE} targets: pkg/gone.py: no such file",
                 id="target-file-missing"),
    pytest.param("targets = pkg/data.txt = 80\n", ("pkg/data.txt",), f"{WHERE} targets: pkg/data.txt: not a Python module",
                 id="target-not-python"),
    pytest.param("targets = pkg/mod.py = high\n", (), f"{WHERE} targets: pkg/mod.py: 'high' is not a number",
                 id="threshold-not-a-number"),
    pytest.param("targets = pkg/mod.py =\n", (), f"{WHERE} targets: pkg/mod.py: '' is not a number",
                 id="threshold-empty"),
    pytest.param("targets = pkg/mod.py = 100.5\n", (), f"{WHERE} targets: pkg/mod.py: 100.5 is outside 0-100",
                 id="threshold-above-100"),
    pytest.param("targets = pkg/mod.py = -1\n", (), f"{WHERE} targets: pkg/mod.py: -1 is outside 0-100",
                 id="threshold-negative"),
    pytest.param("targets =\n    pkg/mod.py = 90\n    pkg/other.py = 50\n    pkg/mod.py = 80\n", ("pkg/other.py",),
                 f"{WHERE} targets: pkg/mod.py is listed twice", id="duplicate-target"),
    pytest.param("targets = pkg/mod.py = 90\nsuite = specs\n", (), f"{WHERE} suite: specs: no such file or directory",
                 id="suite-missing"),
    pytest.param("targets = pkg/mod.py = 90\npackage_root = lib\n", (), f"{WHERE} package_root: lib: no such directory",
                 id="package-root-missing"),
    pytest.param("targets = pkg/mod.py = 90\npackage_root = pkg/mod.py\n", (),
                 f"{WHERE} package_root: pkg/mod.py: no such directory", id="package-root-is-a-file"),
    pytest.param("targets = pkg/mod.py = 90\nworkers = 0\n", (), f"{WHERE} workers: must be at least 1, got 0",
                 id="workers-zero"),
    pytest.param("targets = pkg/mod.py = 90\nworkers = two\n", (), f"{WHERE} workers: 'two' is not a whole number",
                 id="workers-not-a-number"),
    pytest.param("targets = pkg/mod.py = 90\nmin_assertion_score = most\n", (),
                 f"{WHERE} min_assertion_score: 'most' is not a number", id="assertion-score-not-a-number"),
    pytest.param("targets = pkg/mod.py = 90\nmin_assertion_score = 101\n", (),
                 f"{WHERE} min_assertion_score: 101 is outside 0-100", id="assertion-score-outside"),
    pytest.param("targets = pkg/mod.py = 90\ntest_timeout_factor = 0\n", (),
                 f"{WHERE} test_timeout_factor: must be greater than 0, got 0", id="timeout-factor-zero"),
    pytest.param("targets = pkg/mod.py = 90\ntest_timeout_floor = soon\n", (),
                 f"{WHERE} test_timeout_floor: 'soon' is not a number", id="timeout-floor-not-a-number"),
    pytest.param("targets = pkg/mod.py = 90\nreject = covering everything\n", (),
                 f"{WHERE} reject: 'everything' is not one of covering, crash-only, not-covering", id="bad-reject-class"),
    pytest.param("targets = pkg/mod.py = 90\nkill_matrix = some\n", (),
                 f"{WHERE} kill_matrix: 'some' is not one of sampled, full", id="bad-kill-matrix"),
    pytest.param("targets = pkg/mod.py = 90\nwaivers = waivers.toml\n", (), f"{WHERE} waivers: waivers.toml: no such file",
                 id="waivers-missing"),
    pytest.param("targets = pkg/mod.py = 90\nexclusions = equivalent.toml\n", (),
                 f"{WHERE} exclusions: equivalent.toml: no such file", id="exclusions-missing"),
    pytest.param("targets = other/x.py = 90\npackage_root = pkg\n", ("other/x.py",),
                 f"{WHERE} targets: other/x.py is not under package_root pkg", id="target-outside-package-root"),
]


def project_with(tmp_path, section, extra_files):
    return make_project(tmp_path, section, files=("pkg/__init__.py", "pkg/mod.py", "tests/test_mod.py", *extra_files))


@pytest.mark.parametrize(("section", "extra_files", "message"), CONFIG_ERRORS)
def test_load_config_rejects(tmp_path, section, extra_files, message):
    config_path = project_with(tmp_path, section, extra_files)

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == message
    assert error.value.exit_code == exit_codes.USAGE


@pytest.mark.parametrize(("section", "extra_files", "message"), CONFIG_ERRORS)
def test_cli_reports_a_config_error_on_one_line_and_exits_1(tmp_path, capsys, section, extra_files, message):
    config_path = project_with(tmp_path, section, extra_files)

    assert run_cli(["--config", str(config_path), "survivors"], capsys) == (1, "", f"mutation-gate: {message}\n")


def test_missing_config_file_names_its_path(tmp_path, capsys):
    missing = tmp_path / "nowhere.cfg"

    assert run_cli(["--config", str(missing), "run"], capsys) == (
        1, "", f"mutation-gate: {missing.resolve()}: no such configuration file\n",
    )


def test_config_without_the_gate_section(tmp_path, capsys):
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\ntestpaths = tests\n", encoding="utf-8")

    assert run_cli(["--config", str(tmp_path / "setup.cfg"), "run"], capsys) == (
        1, "", "mutation-gate: setup.cfg: no [mutation_gate] section\n",
    )


def test_unparsable_config_reports_the_parsers_first_line(tmp_path, capsys):
    (tmp_path / "gate.cfg").write_text("targets = pkg/mod.py = 90\n", encoding="utf-8")

    assert run_cli(["--config", str(tmp_path / "gate.cfg"), "run"], capsys) == (
        1, "", "mutation-gate: gate.cfg: unreadable: File contains no section headers.\n",
    )


def test_config_that_is_not_utf8_is_a_user_error(tmp_path, capsys):
    (tmp_path / "setup.cfg").write_bytes(b"[mutation_gate]\ntargets = caf\xe9.py = 90\n")

    code, out, err = run_cli(["--config", str(tmp_path / "setup.cfg"), "survivors"], capsys)

    assert (code, len(err.splitlines())) == (1, 1)


def test_empty_suite_is_a_config_error(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\nsuite =\n")

    with pytest.raises(ConfigError, match=r"^setup\.cfg \[mutation_gate\] suite: "):
        load_config(config_path)


@pytest.mark.parametrize("work_dir", ["", ".", "..", "pkg", "tests", "{outside}"],
                         ids=["empty", "project-root", "parent", "package", "suite", "absolute-outside"])
def test_work_dir_that_would_delete_project_files_is_a_config_error(tmp_path, work_dir):
    work_dir = work_dir.format(outside=tmp_path / "elsewhere")
    config_path = make_project(tmp_path / "project", f"targets = pkg/mod.py = 90\nwork_dir = {work_dir}\n")

    with pytest.raises(ConfigError, match=r"^setup\.cfg \[mutation_gate\] work_dir: "):
        load_config(config_path)  # never prepare_workspace: that would delete the files


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_cli_workers_below_one(tmp_path, capsys, workers):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\n")

    assert run_cli(["--config", str(config_path), "run", "--workers", workers], capsys) == (
        1, "", f"mutation-gate: --workers: must be at least 1, got {int(workers)}\n",
    )


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        pytest.param(["frobnicate"], "argument command: invalid choice: 'frobnicate' "
                                     "(choose from 'run', 'survivors', 'show', 'browse')", id="unknown-subcommand"),
        pytest.param([], "the following arguments are required: command", id="no-subcommand"),
        pytest.param(["run", "--workers", "abc"], "argument --workers: invalid int value: 'abc'", id="workers-abc"),
        pytest.param(["show"], "the following arguments are required: mutant_id", id="show-without-id"),
        pytest.param(["survivors", "--colour"], "unrecognized arguments: --colour", id="unknown-option"),
    ],
)
def test_cli_bad_arguments_exit_1_with_one_line(capsys, argv, problem):
    code, out, err = run_cli(argv, capsys)

    assert (code, out, len(err.splitlines())) == (1, "", 1)
    assert err.startswith("mutation-gate: ")
    assert err.endswith(f": {problem}\n")


def test_cli_bad_argument_line_names_the_program_once(capsys):
    assert run_cli(["frobnicate"], capsys)[2] == (
        "mutation-gate: argument command: invalid choice: 'frobnicate' (choose from 'run', 'survivors', 'show', 'browse')\n"
    )


# --- a valid configuration ----------------------------------------------------------------------------


def test_defaults(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\n")

    assert load_config(config_path) == GateConfig(
        project_root=tmp_path.resolve(),
        config_path=config_path.resolve(),
        targets=(TargetSpec("pkg/mod.py", 90.0),),
        suite="tests",
        package_root=".",
        report_dir="reports/mutation",
        work_dir=".mutation-gate",
        workers=3,
        min_assertion_score=0.0,
        test_timeout_factor=10.0,
        test_timeout_floor=2.0,
        reject=("covering", "crash-only"),
        kill_matrix="sampled",
        waivers=None,
        exclusions=None,
        pytest_args=(),
    )


def test_every_field_explicit(tmp_path):
    files = ("src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/b.py", "spec/test_a.py", "waivers.toml", "equivalent.toml")
    section = (
        "targets =\n    src/pkg/a.py = 90\n    src/pkg/b.py = 72.5\n"
        "suite = spec\npackage_root = src\nreport_dir = out/gate\nwork_dir = build/gate\nworkers = 4\n"
        "min_assertion_score = 85\ntest_timeout_factor = 3.5\ntest_timeout_floor = 0.5\n"
        "reject = covering, not-covering\nkill_matrix = full\nwaivers = waivers.toml\nexclusions = equivalent.toml\n"
        "pytest_args = -x --tb=short\n"
    )
    config_path = make_project(tmp_path, section, files=files, extra="[tool:pytest]\naddopts = -q\n\n")

    assert load_config(config_path) == GateConfig(
        project_root=tmp_path.resolve(),
        config_path=config_path.resolve(),
        targets=(TargetSpec("src/pkg/a.py", 90.0), TargetSpec("src/pkg/b.py", 72.5)),
        suite="spec",
        package_root="src",
        report_dir="out/gate",
        work_dir="build/gate",
        workers=4,
        min_assertion_score=85.0,
        test_timeout_factor=3.5,
        test_timeout_floor=0.5,
        reject=("covering", "not-covering"),
        kill_matrix="full",
        waivers="waivers.toml",
        exclusions="equivalent.toml",
        pytest_args=("-x", "--tb=short"),
    )


def test_workers_argument_overrides_the_file(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\nworkers = 4\n")

    assert load_config(config_path, workers=1).workers == 1


def test_empty_reject_rejects_nothing_and_boundaries_are_accepted(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 100\nreject =\nmin_assertion_score = 0\n")

    config = load_config(config_path)

    assert (config.reject, config.targets, config.min_assertion_score) == ((), (TargetSpec("pkg/mod.py", 100.0),), 0.0)


# --- the work directory --------------------------------------------------------------------------------


def files_under(root):
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def read_cfg(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return parser


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


def flat_project(tmp_path, extra_cfg=""):
    files = ("pkg/__init__.py", "pkg/mod.py", "pkg/__pycache__/mod.cpython-311.pyc", "tool.py", "setup.py",
             "conftest.py", "notes.txt", "tests/__init__.py", "tests/test_mod.py", "reports/mutation/old.json")
    return make_project(tmp_path, "targets = pkg/mod.py = 90\nworkers = 1\n", files=files,
                        extra=f"[tool:pytest]\naddopts = -q\n\n{extra_cfg}")


def test_prepare_workspace_copies_a_flat_project_into_src(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / ".mutation-gate" / "stale").mkdir(parents=True)
    (tmp_path / ".mutation-gate" / ".mutation-gate-workdir").write_text("made by the gate", encoding="utf-8")
    (tmp_path / ".mutation-gate" / "stale" / "left.txt").write_text("from the last run", encoding="utf-8")

    workspace = prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    root = tmp_path.resolve() / ".mutation-gate"
    assert workspace == Workspace(root, tmp_path.resolve(), ".")
    assert files_under(root) == [
        ".mutation-gate-workdir", "conftest.py", "setup.cfg", "src/pkg/__init__.py", "src/pkg/mod.py", "src/tool.py",
        "tests/__init__.py", "tests/test_mod.py",
    ]
    assert (workspace.gate_dir.is_dir(), workspace.mutants_dir) == (True, root / "mutants")


def test_prepare_workspace_writes_the_gates_mutmut_section(tmp_path, mutmut_config_in):
    config = load_config(flat_project(tmp_path, extra_cfg="[mutmut]\ndo_not_mutate = *_generated.py\n\n"))

    workspace = prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    written = read_cfg(workspace.root / "setup.cfg")
    assert written.sections() == ["tool:pytest", "mutmut"]
    assert written["tool:pytest"]["addopts"] == "-q"
    mutmut = mutmut_config_in(workspace.root)
    assert (
        mutmut.source_paths, mutmut.only_mutate, mutmut.do_not_mutate, mutmut.pytest_add_cli_args,
        mutmut.pytest_add_cli_args_test_selection, mutmut.also_copy[0], mutmut.process_isolation.value,
        mutmut.mutate_only_covered_lines, mutmut.use_git_change_detection, mutmut.timeout_multiplier,
        mutmut.timeout_constant, mutmut.debug,
    ) == (
        [Path("src")], ["src/pkg/mod.py"], ["*_generated.py"],
        ["--maxfail=0", "--tb=line", "-p", "mutation.kill_recorder", *STABLE_IDS, "--no-cov"],
        ["tests"], Path("tests"), "forkserver", False, False, 1.0, 30.0, False,
    )


def test_prepare_workspace_copies_a_backend_layout(tmp_path):
    files = ("backend/core/__init__.py", "backend/core/engine.py", "backend/core/helper.py", "backend/loose.py",
             "suite/test_engine.py", "suite/conftest.py")
    config = load_config(make_project(
        tmp_path, "targets = backend/core/engine.py = 90\nsuite = suite\npackage_root = backend\n", files=files))

    workspace = prepare_workspace(config, ["backend/core/engine.py", "backend/core/helper.py"],
                                  mutmut_settings(config, outer_timeout_seconds=12))

    assert files_under(workspace.root) == [
        ".mutation-gate-workdir", "setup.cfg", "src/core/__init__.py", "src/core/engine.py", "src/core/helper.py", "src/loose.py",
        "suite/conftest.py", "suite/test_engine.py",
    ]
    mutmut = read_cfg(workspace.root / "setup.cfg")["mutmut"]
    assert (mutmut["only_mutate"], mutmut["also_copy"], mutmut["timeout_constant"]) == (
        "\nsrc/core/engine.py\nsrc/core/helper.py", "\nsuite\nconftest.py\npytest.ini\ntox.ini\npyproject.toml", "12",
    )


def test_prepare_workspace_copies_a_src_layout_and_a_single_file_suite(tmp_path):
    files = ("src/pkg/__init__.py", "src/pkg/mod.py", "test_pkg.py")
    config = load_config(make_project(tmp_path, "targets = src/pkg/mod.py = 90\nsuite = test_pkg.py\npackage_root = src\n",
                                      files=files))

    workspace = prepare_workspace(config, ["src/pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    assert files_under(workspace.root) == [".mutation-gate-workdir", "setup.cfg", "src/pkg/__init__.py", "src/pkg/mod.py", "test_pkg.py"]


def test_pyproject_with_tool_mutmut_is_refused(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nsource_paths = ["pkg"]\n', encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    assert str(error.value) == (
        "pyproject.toml [tool.mutmut]: makes mutmut ignore setup.cfg; move mutmut settings to setup.cfg [mutmut]"
    )


def test_unreadable_pyproject_is_refused(tmp_path):
    config = load_config(flat_project(tmp_path))
    text = "[tool.black\nline-length = 100\n"
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError) as parse_error:
        tomllib.loads(text)

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    assert str(error.value) == f"pyproject.toml: unreadable: {parse_error.value}"


def test_pyproject_without_tool_mutmut_is_copied(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n", encoding="utf-8")

    workspace = prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    assert (workspace.root / "pyproject.toml").read_text(encoding="utf-8") == "[tool.black]\nline-length = 100\n"


@pytest.mark.parametrize("key", ["source_paths", "only_mutate", "pytest_add_cli_args", "timeout_constant"])
def test_project_mutmut_section_may_not_set_a_key_the_gate_owns(tmp_path, key):
    config = load_config(flat_project(tmp_path, extra_cfg=f"[mutmut]\n{key} = mine\n\n"))

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    assert str(error.value) == f"setup.cfg [mutmut] {key}: set by the gate; remove it from [mutmut]"


@pytest.mark.parametrize(
    ("package_root", "project_path", "work_path"),
    [
        (".", "pkg/mod.py", "src/pkg/mod.py"),
        (".", "tool.py", "src/tool.py"),
        ("src", "src/pkg/mod.py", "src/pkg/mod.py"),
        ("backend", "backend/core/workflow_engine.py", "src/core/workflow_engine.py"),
        ("backend", "backend/core/sub/__init__.py", "src/core/sub/__init__.py"),
    ],
)
def test_work_path_and_project_path_round_trip(tmp_path, package_root, project_path, work_path):
    workspace = Workspace(tmp_path, tmp_path, package_root)

    assert workspace.work_path(project_path) == work_path
    assert workspace.project_path(work_path) == project_path


def test_prepare_workspace_refuses_to_delete_a_directory_it_did_not_make(tmp_path):
    config = load_config(flat_project(tmp_path))
    (tmp_path / ".mutation-gate").mkdir()
    (tmp_path / ".mutation-gate" / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        prepare_workspace(config, ["pkg/mod.py"], mutmut_settings(config, outer_timeout_seconds=30))

    assert str(error.value) == "work_dir .mutation-gate exists but was not made by the gate; refusing to delete it"
    assert (tmp_path / ".mutation-gate" / "notes.txt").read_text(encoding="utf-8") == "mine"
