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
KNOWN = ("targets, suite, package_root, report_dir, report_formats, work_dir, cache, workers, min_assertion_score, test_timeout_factor, "
         "test_timeout_floor, reject, kill_matrix, flaky, waivers, exclusions, baseline, baseline_tolerance, pytest_args")


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
    *(pytest.param(f"targets = pkg/mod.py = 90\npytest_args = -x {written}\n", (),
                   f"{WHERE} pytest_args: {shown} takes away the per-test coverage the gate measures; remove it (the gate "
                   "sets its own coverage options)", id=f"pytest-args-{written}")
      for written, shown in (("--no-cov", "--no-cov"), ("-p no:cov", "-p no:cov"), ("-pno:pytest_cov", "-p no:pytest_cov"),
                             ("--cov-config=.coveragerc", "--cov-config=.coveragerc"),
                             ("--cov-context test", "--cov-context"))),
    *(pytest.param(f"targets = pkg/mod.py = 90\n{key} = {value}\n", (), f"{WHERE} {key}: {value!r} is not a finite number",
                   id=f"{key}-{value}")
      for key in ("test_timeout_factor", "test_timeout_floor", "min_assertion_score")
      for value in ("inf", "nan", "-inf", "1e400")),
    pytest.param("targets = pkg/mod.py = nan\n", (), f"{WHERE} targets: pkg/mod.py: 'nan' is not a finite number",
                 id="threshold-nan"),
    pytest.param("targets = pkg/mod.py = inf\n", (), f"{WHERE} targets: pkg/mod.py: 'inf' is not a finite number",
                 id="threshold-inf"),
    pytest.param("targets = pkg/mod.py = 90\ntest_timeout_factor = 1001\n", (),
                 f"{WHERE} test_timeout_factor: must be at most 1000, got 1001", id="timeout-factor-too-large"),
    pytest.param("targets = pkg/mod.py = 90\ntest_timeout_floor = 1e12\n", (),
                 f"{WHERE} test_timeout_floor: must be at most 86400, got 1e+12", id="timeout-floor-too-large"),
    pytest.param("targets = pkg/mod.py = 90\ntest_timeout_floor = -1\n", (),
                 f"{WHERE} test_timeout_floor: must be greater than 0, got -1", id="timeout-floor-negative"),
    pytest.param("targets = ../outside.py = 90\n", (), f"{WHERE} targets: ../outside.py: outside the project {{root}}",
                 id="target-above-the-project"),
    pytest.param("targets = /etc/hostname = 90\n", (), f"{WHERE} targets: /etc/hostname: outside the project {{root}}",
                 id="target-absolute-outside"),
    pytest.param("targets = pkg/mod.py = 90\nsuite = notes.txt\n", ("notes.txt",),
                 f"{WHERE} suite: notes.txt: not a directory or a Python test file", id="suite-not-python"),
    pytest.param("targets = pkg/mod.py = 90\nsuite = ../tests\n", (), f"{WHERE} suite: ../tests: outside the project {{root}}",
                 id="suite-above-the-project"),
    pytest.param("targets = pkg/mod.py = 90\nsuite = /tmp\n", (), f"{WHERE} suite: /tmp: outside the project {{root}}",
                 id="suite-absolute-outside"),
    pytest.param("targets = pkg/mod.py = 90\npackage_root = ..\n", (), f"{WHERE} package_root: ..: outside the project {{root}}",
                 id="package-root-above-the-project"),
    pytest.param("targets = pkg/mod.py = 90\nwaivers = pkg\n", (), f"{WHERE} waivers: pkg: is a directory, not a file",
                 id="waivers-a-directory"),
    pytest.param("targets = pkg/mod.py = 90\nexclusions = tests\n", (), f"{WHERE} exclusions: tests: is a directory, not a file",
                 id="exclusions-a-directory"),
    pytest.param("targets = pkg/mod.py = 90\nwaivers = ../w.toml\n", (), f"{WHERE} waivers: ../w.toml: outside the project {{root}}",
                 id="waivers-outside"),
    pytest.param("targets = pkg/mod.py = 90\nwaivers = waivers.toml\n", ("waivers.toml",),
                 "waivers.toml: unknown top-level key 'VALUE'; the file holds [[waiver]] entries only",
                 id="waivers-of-the-wrong-shape"),
    pytest.param("targets = pkg/mod.py = 90\nexclusions = equivalent.toml\n", ("equivalent.toml",),
                 "equivalent.toml: unknown top-level key 'VALUE'; the file holds [[equivalent]] entries only",
                 id="exclusions-of-the-wrong-shape"),
    pytest.param("targets = pkg/mod.py = 90\nreport_dir = out\n", ("out",), f"{WHERE} report_dir: out is a file, not a directory",
                 id="report-dir-a-file"),
    pytest.param("targets = pkg/mod.py = 90\nreport_dir = out/gate\n", ("out",),
                 f"{WHERE} report_dir: out is a file, not a directory", id="report-dir-under-a-file"),
    pytest.param("targets = pkg/mod.py = 90\n", (".mutation-gate",),
                 f"{WHERE} work_dir: .mutation-gate is a file, not a directory", id="work-dir-a-file"),
    pytest.param("targets = pkg/mod.py = 90\nreport_dir = .mutation-gate/reports\n", (),
                 f"{WHERE} report_dir: .mutation-gate/reports is inside work_dir .mutation-gate, which every run deletes",
                 id="report-dir-inside-the-work-dir"),
    pytest.param("targets = pkg/mod.py = 90\nreport_dir = ./.mutation-gate\n", (),
                 f"{WHERE} report_dir: .mutation-gate is inside work_dir .mutation-gate, which every run deletes",
                 id="report-dir-is-the-work-dir"),
    pytest.param("targets = pkg/mod.py = 90\nwork_dir = reports/mutation/work\n", (),
                 f"{WHERE} work_dir: reports/mutation/work is inside report_dir reports/mutation; keep them apart",
                 id="work-dir-inside-the-report-dir"),
]


def project_with(tmp_path, section, extra_files):
    return make_project(tmp_path, section, files=("pkg/__init__.py", "pkg/mod.py", "tests/test_mod.py", *extra_files))


@pytest.mark.parametrize(("section", "extra_files", "message"), CONFIG_ERRORS)
def test_load_config_rejects(tmp_path, section, extra_files, message):
    config_path = project_with(tmp_path, section, extra_files)

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == message.format(root=tmp_path.resolve())
    assert error.value.exit_code == exit_codes.USAGE


@pytest.mark.parametrize(("section", "extra_files", "message"), CONFIG_ERRORS)
def test_cli_reports_a_config_error_on_one_line_and_exits_1(tmp_path, gate_cli, section, extra_files, message):
    config_path = project_with(tmp_path, section, extra_files)

    assert gate_cli("--config", str(config_path), "survivors") == (
        1, "", f"mutation-gate: {message.format(root=tmp_path.resolve())}\n",
    )


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


@pytest.mark.parametrize(("work_dir", "link"), [(".mutation-gate", ".mutation-gate"), ("build/gate", "build")],
                         ids=["itself", "a-parent"])
def test_a_work_dir_reached_through_a_symbolic_link_is_refused(tmp_path, work_dir, link):
    config_path = make_project(tmp_path / "project", f"targets = pkg/mod.py = 90\nwork_dir = {work_dir}\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / link).symlink_to(tmp_path / "elsewhere")

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == (f"{WHERE} work_dir: {link} is a symbolic link; every run deletes and rebuilds the "
                                "work directory, so name a real directory inside the project")


def test_a_report_dir_may_be_a_symbolic_link_to_a_directory(tmp_path):
    config_path = make_project(tmp_path / "project", "targets = pkg/mod.py = 90\nreport_dir = out\n")
    (tmp_path / "artifacts").mkdir()
    (tmp_path / "project" / "out").symlink_to(tmp_path / "artifacts")

    assert load_config(config_path).report_dir == "out"


def test_a_report_dir_that_is_a_broken_symbolic_link_is_refused(tmp_path):
    config_path = make_project(tmp_path / "project", "targets = pkg/mod.py = 90\nreport_dir = out/gate\n")
    (tmp_path / "project" / "out").symlink_to(tmp_path / "gone")

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == f"{WHERE} report_dir: out is a broken symbolic link"


def test_a_report_dir_linked_into_the_work_dir_is_refused(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = out\n")
    (tmp_path / ".mutation-gate" / "reports").mkdir(parents=True)
    (tmp_path / "out").symlink_to(tmp_path / ".mutation-gate" / "reports")

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == f"{WHERE} report_dir: out is inside work_dir .mutation-gate, which every run deletes"


@pytest.mark.parametrize(("section", "unwritable", "message"), [
    ("report_dir = out/gate\n", "out", "report_dir: out is not writable"),
    ("", ".", "work_dir: the project directory is not writable"),
], ids=["report-dir-parent", "project-root"])
def test_a_directory_the_gate_cannot_write_is_refused(tmp_path, monkeypatch, section, unwritable, message):
    # Tests run as root, for whom every directory is writable: `os.access` stands for the kernel's answer.
    config_path = make_project(tmp_path, f"targets = pkg/mod.py = 90\n{section}")
    (tmp_path / "out").mkdir()
    refused = (tmp_path / unwritable).resolve()
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path).resolve() != refused)

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == f"{WHERE} {message}"


@pytest.mark.parametrize("written", ["./pkg/mod.py", "{root}/pkg/mod.py", "pkg/../pkg/mod.py", "{root}/./pkg//mod.py"],
                         ids=["dot-slash", "absolute", "dot-dot-inside", "absolute-unnormalised"])
def test_a_target_inside_the_project_is_accepted_in_any_spelling(tmp_path, written):
    config_path = make_project(tmp_path, f"targets = {written.format(root=tmp_path.resolve())} = 90\n")

    assert load_config(config_path).targets == (TargetSpec("pkg/mod.py", 90.0),)


def test_an_absolute_path_through_a_link_to_the_project_is_inside_it(tmp_path):
    config_path = make_project(tmp_path / "project", "targets = pkg/mod.py = 90\n")
    (tmp_path / "link").symlink_to(tmp_path / "project")

    section = f"targets = {tmp_path / 'link' / 'pkg' / 'mod.py'} = 90\nsuite = {tmp_path / 'link' / 'tests'}\n"
    config_path.write_text(f"[mutation_gate]\n{section}", encoding="utf-8")

    config = load_config(config_path)

    assert (config.targets, config.suite) == ((TargetSpec("pkg/mod.py", 90.0),), "tests")


def test_paths_of_the_project_are_normalised(tmp_path):
    files = ("pkg/__init__.py", "pkg/mod.py", "tests/test_mod.py", "w.toml", "e.toml")
    section = ("targets = pkg/mod.py = 90\nsuite = ./tests/test_mod.py\npackage_root = ./\nwaivers = ./w.toml\n"
               "exclusions = e.toml\nwork_dir = ./build//gate/\nreport_dir = out/./gate\n")
    config_path = make_project(tmp_path, section, files=files)
    for name in ("w.toml", "e.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")

    config = load_config(config_path)

    assert (config.suite, config.package_root, config.waivers, config.exclusions, config.work_dir,
            config.report_dir) == ("tests/test_mod.py", ".", "w.toml", "e.toml", "build/gate", "out/gate")


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
    for name in ("waivers.toml", "equivalent.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")  # no entries

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


def test_pytest_args_may_add_coverage_reports_and_other_plugins(tmp_path):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\npytest_args = --cov-report=term -p no:warnings -p\n")

    assert load_config(config_path).pytest_args == ("--cov-report=term", "-p", "no:warnings", "-p")


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


@pytest.mark.parametrize(("cache", "problem"), [
    (".mutation-gate/results.json", "cache: .mutation-gate/results.json is inside work_dir .mutation-gate; keep the "
                                    "cache apart"),
    ("reports/mutation/cache.json", "cache: reports/mutation/cache.json is inside report_dir reports/mutation; keep "
                                    "the cache apart"),
    ("tests/cache.json", "cache: tests/cache.json overlaps the project's code or suite"),
    ("pkg", "cache: pkg: is a directory; name the cache file, e.g. .mutation-gate-cache/results.json"),
    ("../cache.json", "cache: ../cache.json: outside the project {root}"),
], ids=["in-work-dir", "in-report-dir", "in-suite", "a-directory", "outside"])
def test_a_cache_file_where_a_run_would_delete_copy_or_not_reach_it_is_refused(tmp_path, cache, problem):
    config_path = make_project(tmp_path, f"targets = pkg/mod.py = 90\ncache = {cache}\n")

    with pytest.raises(ConfigError) as error:
        load_config(config_path)

    assert str(error.value) == f"{WHERE} {problem.format(root=tmp_path)}"


def test_the_cache_file_defaults_beside_the_work_dir_and_is_normalised(tmp_path):
    assert load_config(make_project(tmp_path, "targets = pkg/mod.py = 90\n")).cache == ".mutation-gate-cache/results.json"
    assert load_config(make_project(tmp_path, "targets = pkg/mod.py = 90\ncache = ./ci//results.json\n",
                                    )).cache == "ci/results.json"


@pytest.mark.parametrize(("written", "tolerance"), [("2%, 3", (2.0, 3)), ("5%", (5.0, 0)), ("4", (0.0, 4)),
                                                    ("0%, 0", (0.0, 0))])
def test_the_baseline_tolerance_is_a_percent_of_the_mutants_and_a_minimum(tmp_path, written, tolerance):
    config_path = make_project(tmp_path, f"targets = pkg/mod.py = 90\nbaseline_tolerance = {written}\n")

    assert load_config(config_path).baseline_tolerance == tolerance


def test_the_baseline_defaults_to_mutation_baseline_json_and_max_2_percent_or_3(tmp_path):
    config = load_config(make_project(tmp_path, "targets = pkg/mod.py = 90\n"))

    assert (config.baseline, config.baseline_tolerance) == ("mutation-baseline.json", (2.0, 3))


@pytest.mark.parametrize(("line", "problem"), [
    ("baseline_tolerance = 2%, 3, 4", "baseline_tolerance: '2%, 3, 4' is not `P%, N` (e.g. `2%, 3`: max(2% of a "
                                      "target's mutants, 3))"),
    ("baseline_tolerance = x%", "baseline_tolerance: 'x' is not a number"),
    ("baseline = pkg", "baseline: pkg: is a directory, not a file"),
    ("baseline = ../b.json", "baseline: ../b.json: outside the project {root}"),
])
def test_a_bad_baseline_setting_is_one_line(tmp_path, line, problem):
    config_path = make_project(tmp_path, f"targets = pkg/mod.py = 90\n{line}\n")

    with pytest.raises(ConfigError) as raised:
        load_config(config_path)
    assert str(raised.value) == "setup.cfg [mutation_gate] " + problem.format(root=tmp_path)


def test_an_empty_baseline_key_turns_the_ratchet_off(tmp_path):
    (tmp_path / "mutation-baseline.json").write_text("not json", encoding="utf-8")

    assert load_config(make_project(tmp_path, "targets = pkg/mod.py = 90\nbaseline =\n")).baseline is None

