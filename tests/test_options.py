"""The gate's settings: `load_config` and `mutation-gate` report every user error as exit 1 with one
line on stderr naming the file, section, key and problem; defaults, flags and the README's
configuration table all come from one table, OPTIONS.
"""

import os
import re
from pathlib import Path

import pytest

from mutation import exit_codes
from mutation.errors import ConfigError
from mutation.options import OPTIONS, GateConfig, TargetSpec, default_text, load_config
from tests.factories import make_project

WHERE = "setup.cfg [mutation_gate]"
MISSING_TARGETS = "missing; list one 'path = minimum score' per line (a module or a package directory)"
KNOWN = ("targets, suite, package_root, report_dir, work_dir, workers, min_assertion_score, test_timeout_factor, "
         "test_timeout_floor, reject, kill_matrix, waivers, exclusions, pytest_args")


# --- user errors ------------------------------------------------------------------------------------

CONFIG_ERRORS = [
    pytest.param("targets = pkg/mod.py = 90\nsuite = tests\ncolour = blue\n", (),
                 f"{WHERE} colour: unknown key (known keys: {KNOWN})", id="unknown-key"),
    pytest.param("suite = tests\n", (), f"{WHERE} targets: {MISSING_TARGETS}", id="missing-targets"),
    pytest.param("targets =\n", (), f"{WHERE} targets: {MISSING_TARGETS}", id="empty-targets"),
    pytest.param("targets = pkg/mod.py\n", (), f"{WHERE} targets: 'pkg/mod.py' is not 'path = minimum score'",
                 id="target-without-threshold"),
    pytest.param("targets = = 80\n", (), f"{WHERE} targets: '= 80' is not 'path = minimum score'",
                 id="target-without-path"),
    pytest.param("targets =\n    pkg/mod.py = 90\n    pkg/gone.py = 80\n", (),
                 f"{WHERE} targets: pkg/gone.py: no such file or directory", id="target-file-missing"),
    pytest.param("targets = lib = 80\n", (), f"{WHERE} targets: lib: no such file or directory", id="target-package-missing"),
    pytest.param("targets = data = 80\n", ("data/notes.txt", "data/tests/test_x.py", "data/test_y.py", "data/conftest.py"),
                 f"{WHERE} targets: data: no Python modules in this directory (test files do not count)",
                 id="target-package-without-modules"),
    pytest.param("targets = . = 80\n", (),
                 f"{WHERE} targets: .: the project root is not a package; name a package directory or a module",
                 id="target-project-root"),
    pytest.param("targets =\n    pkg = 90\n    pkg/ = 80\n", (), f"{WHERE} targets: pkg is listed twice",
                 id="duplicate-package-spelled-twice"),
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
    pytest.param("targets = pkg/mod.py = 90\npytest_args = -o \"python_files=a.py b.py\n", (),
                 f"{WHERE} pytest_args: cannot split into arguments: no closing quotation", id="pytest-args-unclosed-quote"),
    pytest.param("targets = pkg/mod.py = 90\npytest_args = -k x\\\n", (),
                 f"{WHERE} pytest_args: cannot split into arguments: no escaped character", id="pytest-args-trailing-escape"),
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
def test_cli_reports_a_config_error_on_one_line_and_exits_1(tmp_path, gate_cli, section, extra_files, message):
    config_path = project_with(tmp_path, section, extra_files)

    assert gate_cli("--config", str(config_path), "survivors") == (1, "", f"mutation-gate: {message}\n")


def test_missing_config_file_names_its_path(tmp_path, gate_cli):
    missing = tmp_path / "nowhere.cfg"

    assert gate_cli("--config", str(missing), "run") == (
        1, "", f"mutation-gate: {missing.resolve()}: no such configuration file\n",
    )


def test_config_without_the_gate_section(tmp_path, gate_cli):
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\ntestpaths = tests\n", encoding="utf-8")

    assert gate_cli("--config", str(tmp_path / "setup.cfg"), "run") == (
        1, "", "mutation-gate: setup.cfg: no [mutation_gate] section\n",
    )


def test_unparsable_config_reports_the_parsers_first_line(tmp_path, gate_cli):
    (tmp_path / "gate.cfg").write_text("targets = pkg/mod.py = 90\n", encoding="utf-8")

    assert gate_cli("--config", str(tmp_path / "gate.cfg"), "run") == (
        1, "", "mutation-gate: gate.cfg: unreadable: File contains no section headers.\n",
    )


def test_config_that_is_not_utf8_is_a_user_error(tmp_path, gate_cli):
    (tmp_path / "setup.cfg").write_bytes(b"[mutation_gate]\ntargets = caf\xe9.py = 90\n")

    code, out, err = gate_cli("--config", str(tmp_path / "setup.cfg"), "survivors")

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


def test_a_target_may_be_a_package_directory_written_in_any_spelling(tmp_path):
    config_path = make_project(tmp_path, "targets =\n    ./pkg/ = 80\n    pkg//mod.py = 90\n")

    assert load_config(config_path).targets == (TargetSpec("pkg", 80.0), TargetSpec("pkg/mod.py", 90.0))


def test_pytest_args_are_split_like_a_shell(tmp_path):
    section = "targets = pkg/mod.py = 90\npytest_args =\n    -o \"python_files=a.py b.py\"\n    -k 'not slow' -x\n"
    config_path = make_project(tmp_path, section)

    assert load_config(config_path).pytest_args == ("-o", "python_files=a.py b.py", "-k", "not slow", "-x")


def test_a_flag_overrides_the_file(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\nworkers = 4\n")

    assert load_config(config_path, workers=1).workers == 1


def test_empty_reject_rejects_nothing_and_boundaries_are_accepted(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 100\nreject =\nmin_assertion_score = 0\n")

    config = load_config(config_path)

    assert (config.reject, config.targets, config.min_assertion_score) == ((), (TargetSpec("pkg/mod.py", 100.0),), 0.0)


def test_the_gate_config_has_a_field_per_option_with_the_options_default(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 5)
    config = GateConfig(project_root=Path("/p"), config_path=Path("/p/setup.cfg"), targets=())

    assert [field for field in vars(config) if field not in ("project_root", "config_path")] == [o.key for o in OPTIONS]
    assert (config.workers, config.suite, config.kill_matrix, config.reject) == (5, "tests", "sampled",
                                                                                 ("covering", "crash-only"))


def test_the_readme_documents_every_option_with_its_default():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    documented = {key: default.strip("`") for key, default in
                  re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", readme, flags=re.MULTILINE)}

    assert {key: documented.get(key) for key in (o.key for o in OPTIONS)} == {
        option.key: default_text(option) for option in OPTIONS
    }
