"""Bad input on real gate runs (`mutation-gate run` on a copy of tests/fixtures/fully_tested with
one thing broken): every user error ends the run with exit 1 and exactly one line on stderr,
`mutation-gate: <place>: <problem>`, before anything is measured: no pytest session ran the suite
(no preflight log), no mutant was generated (no mutants/), no traceback, no process left, and the
earlier run's passing report answers nothing (`survivors` exits 1). A conftest.py that
cannot be imported is a red suite instead: exit 4, naming the file, measured no further.
"""

import json
import os
from pathlib import Path

import pytest

from mutation import exit_codes
from tests.end_to_end.fault_runs import EARLIER_PASS
from tests.fixture_runs import copy_fixture, run_gate
from tests.process_checks import processes_in

FIXTURE = "fully_tested"
CFG = "setup.cfg [mutation_gate]"
TARGET = "    calc/ops.py = 100"
CHECK_LOG = ".mutation-gate/gate/pytest-check.log"
EXCLUSION = '[[equivalent]]\nfile = "calc/ops.py"\nfunction = "add"\nmutation = "return a - b"\nreason = "r"\n'
WAIVER = '[[waiver]]\ntest = "tests/test_ops.py::test_add"\nreason = "smoke"\nexpires = 2099-01-01\n'
NOT_UTF8 = b'[[entry]]\nreason = "caf\xe9"\n'


def with_config(*lines):
    """A change to the fixture's setup.cfg: `lines` appended to its [mutation_gate] section (the last one)."""
    def change(root):
        with open(root / "setup.cfg", "a", encoding="utf-8") as cfg:
            cfg.write("".join(f"{line}\n" for line in lines))
    return change


def replacing(old, new):
    """A change to the fixture's setup.cfg: `old` replaced by `new` (`{root}` stands for the project)."""
    def change(root):
        text = (root / "setup.cfg").read_text(encoding="utf-8")
        (root / "setup.cfg").write_text(text.replace(old, new.format(root=root)), encoding="utf-8")
    return change


def with_files(**files):
    """Files written into the fixture (`__` in a name stands for `/`); bytes are written as they are."""
    def change(root):
        for name, content in files.items():
            path = root / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return change


def with_link(name, to):
    """A symbolic link `name` in the project to `to` (made if it is a directory beside the project)."""
    def change(root):
        target = Path(to) if os.path.isabs(to) else root.parent / to
        if not os.path.isabs(to):
            target.mkdir(parents=True, exist_ok=True)
            (target / ".mutation-gate-workdir").write_text("made by the mutation gate\n", encoding="utf-8")
        (root / name).symlink_to(target)
    return change


def bad_run(tmp_path, *changes):
    """The gate's run on the fixture with `changes` made, after an earlier run that passed."""
    root = copy_fixture(FIXTURE, tmp_path)
    earlier = root / "reports" / "mutation" / "gate.json"
    earlier.parent.mkdir(parents=True)
    earlier.write_text(json.dumps(EARLIER_PASS), encoding="utf-8")
    for change in changes:
        change(root)
    return root, run_gate(root, "run", "--workers", "1")


BAD_INPUT = [
    # exclusions and waivers files
    pytest.param((with_config("exclusions = e.toml"), with_files(**{"e.toml": 'equivalent = "all of them"\n'})),
                 "e.toml: equivalent must be [[equivalent]] entries, got the string 'all of them'",
                 id="exclusions-of-the-wrong-shape"),
    pytest.param((with_config("exclusions = e.toml"), with_files(**{"e.toml": EXCLUSION.replace('"add"', "3")})),
                 "e.toml entry 1: function must be a string, got the number 3", id="exclusions-of-the-wrong-type"),
    pytest.param((with_config("exclusions = e.toml"), with_files(**{"e.toml": EXCLUSION + "line = 4\n"})),
                 "e.toml entry 1: unknown key 'line' (known keys: file, function, mutation, reason)",
                 id="exclusions-with-an-unknown-key"),
    pytest.param((with_config("exclusions = e.toml"), with_files(**{"e.toml": NOT_UTF8})),
                 "e.toml:2: not UTF-8 (byte 0xe9); write the file as UTF-8", id="exclusions-not-utf8"),
    pytest.param((with_config("exclusions = e.toml"), with_files(**{"e.toml__x": ""})),
                 f"{CFG} exclusions: e.toml: is a directory, not a file", id="exclusions-a-directory"),
    pytest.param((with_config("waivers = w.toml"), with_files(**{"w.toml": WAIVER.replace("2099-01-01", '"2099-01-01"')})),
                 "w.toml waiver 1: expires must be a date like 2027-03-31 (unquoted), got the string '2099-01-01'",
                 id="waiver-date-quoted"),
    pytest.param((with_config("waivers = w.toml"), with_files(**{"w.toml": 'waiver = ["tests/test_ops.py::test_add"]\n'})),
                 "w.toml waiver 1: must be a table of test, reason, expires, got the string 'tests/test_ops.py::test_add'",
                 id="waivers-of-the-wrong-shape"),
    pytest.param((with_config("waivers = w.toml"), with_files(**{"w.toml": NOT_UTF8})),
                 "w.toml:2: not UTF-8 (byte 0xe9); write the file as UTF-8", id="waivers-not-utf8"),
    pytest.param((with_config("waivers = w.toml"), with_files(**{"w.toml": WAIVER + WAIVER})),
                 "w.toml waiver 2: tests/test_ops.py::test_add is already waived by waiver 1", id="a-test-waived-twice"),
    # targets
    pytest.param((with_files(**{"calc__ops.py": "def add(a, b)\n    return a + b\n"}),),
                 "calc/ops.py:1: not valid Python: expected ':'", id="target-syntax-error"),
    pytest.param((with_files(**{"calc__ops.py": b"def add(a, b):\n    return 'caf\xe9'\n"}),),
                 "calc/ops.py:2: not UTF-8 (byte 0xe9); the gate reads sources as UTF-8", id="target-not-utf8"),
    pytest.param((with_files(**{"calc__ops.py": b"\xef\xbb\xbfdef add(a, b):\n    return a + b\n"}),),
                 "calc/ops.py:1: starts with a byte order mark; save it as UTF-8 without one", id="target-with-a-bom"),
    pytest.param((with_files(**{"calc__ops.py": "from calc import helper\n", "calc__helper.py": "def h(:\n"}),),
                 "calc/helper.py:1: not valid Python (imported by the target calc/ops.py): invalid syntax",
                 id="helper-syntax-error"),
    pytest.param((replacing(TARGET, "    {root.parent}/elsewhere.py = 100"),
                  with_files(**{"../elsewhere.py": "def f():\n    return 1\n"})),
                 f"{CFG} targets: {{root.parent}}/elsewhere.py: outside the project {{root}}",
                 id="target-absolute-outside-the-project"),
    pytest.param((replacing(TARGET, "    ../elsewhere.py = 100"), with_files(**{"../elsewhere.py": "x = 1\n"})),
                 f"{CFG} targets: ../elsewhere.py: outside the project {{root}}", id="target-above-the-project"),
    # report and work directories
    pytest.param((with_config("report_dir = out"), with_files(out="not a directory\n")),
                 f"{CFG} report_dir: out is a file, not a directory", id="report-dir-a-file"),
    pytest.param((with_config("report_dir = out/gate"), with_files(out="not a directory\n")),
                 f"{CFG} report_dir: out is a file, not a directory", id="report-dir-under-a-file"),
    pytest.param((with_config("report_dir = out"), with_link("out", "/proc/self")),
                 f"{CFG} report_dir: out is not writable", id="report-dir-not-writable"),
    pytest.param((with_link(".mutation-gate", "earlier-work"),),
                 f"{CFG} work_dir: .mutation-gate is a symbolic link; every run deletes and rebuilds the work directory, "
                 "so name a real directory inside the project", id="work-dir-a-symbolic-link"),
    pytest.param((with_config("work_dir = build/gate"), with_link("build", "shared-build")),
                 f"{CFG} work_dir: build is a symbolic link; every run deletes and rebuilds the work directory, "
                 "so name a real directory inside the project", id="work-dir-under-a-symbolic-link"),
    pytest.param((with_config("report_dir = .mutation-gate/reports"),),
                 f"{CFG} report_dir: .mutation-gate/reports is inside work_dir .mutation-gate, which every run deletes",
                 id="report-dir-inside-the-work-dir"),
    pytest.param((with_config("work_dir = reports/mutation/work"),),
                 f"{CFG} work_dir: reports/mutation/work is inside report_dir reports/mutation; keep them apart",
                 id="work-dir-inside-the-report-dir"),
    # numbers
    pytest.param((with_config("test_timeout_factor = inf"),), f"{CFG} test_timeout_factor: 'inf' is not a finite number",
                 id="timeout-factor-inf"),
    pytest.param((with_config("test_timeout_floor = nan"),), f"{CFG} test_timeout_floor: 'nan' is not a finite number",
                 id="timeout-floor-nan"),
    pytest.param((with_config("test_timeout_floor = 1e400"),), f"{CFG} test_timeout_floor: '1e400' is not a finite number",
                 id="timeout-floor-too-large-for-a-float"),
    pytest.param((with_config("test_timeout_floor = 1e12"),), f"{CFG} test_timeout_floor: must be at most 86400, got 1e+12",
                 id="timeout-floor-beyond-the-timer"),
    pytest.param((with_config("min_assertion_score = nan"),), f"{CFG} min_assertion_score: 'nan' is not a finite number",
                 id="assertion-score-nan"),
    pytest.param((replacing(TARGET, "    calc/ops.py = inf"),), f"{CFG} targets: calc/ops.py: 'inf' is not a finite number",
                 id="target-threshold-inf"),
    # the suite and pytest
    pytest.param((replacing("suite = tests", "suite = notes.txt"), with_files(**{"notes.txt": "tests live elsewhere\n"})),
                 f"{CFG} suite: notes.txt: not a directory or a Python test file", id="suite-not-python"),
    pytest.param((with_config("pytest_args = -x --colour=yes"),),
                 f"{CFG} pytest_args: pytest rejects them: unrecognized arguments: --colour=yes", id="pytest-args-unknown-flag"),
    pytest.param((with_config("pytest_args = --tb=sideways"),),
                 f"{CFG} pytest_args: pytest rejects them: argument --tb: invalid choice: 'sideways' (choose from "
                 "'auto', 'long', 'short', 'no', 'line', 'native')", id="pytest-args-bad-value"),
    pytest.param((with_config("pytest_args = -p no_such_plugin"),),
                 f"{CFG} pytest_args: pytest rejects them: Error importing plugin \"no_such_plugin\": No module named "
                 "'no_such_plugin'", id="pytest-args-missing-plugin"),
    pytest.param((with_config("pytest_args = --no-cov"),),
                 f"{CFG} pytest_args: --no-cov takes away the per-test coverage the gate measures; remove it (the gate "
                 "sets its own coverage options)", id="pytest-args-without-coverage"),
    pytest.param((with_config("pytest_args = tests/test_gone.py"),),
                 f"{CFG} pytest_args: pytest rejects them: file or directory not found: tests/test_gone.py",
                 id="pytest-args-missing-path"),
    pytest.param((replacing("testpaths = tests", "testpaths = tests\naddopts = --colour=yes"),),
                 "pytest rejects its arguments: unrecognized arguments: --colour=yes (not from pytest_args: check "
                 f"addopts, plugins and mutmut's pytest_add_cli_args; pytest's output: {CHECK_LOG})",
                 id="addopts-unknown-flag"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_exit_1_before_anything_is_measured(tmp_path, changes, message):
    root, run = bad_run(tmp_path, *changes)

    assert_stopped_before_measuring(root, run, exit_codes.USAGE, message.format(root=root))


@pytest.mark.parametrize(("conftest", "error"), [
    ("tests__conftest.py", "ModuleNotFoundError: No module named 'settings_for_ci'"),
    ("conftest.py", "ModuleNotFoundError: No module named 'settings_for_ci'"),
], ids=["suite-conftest", "root-conftest"])
def test_a_conftest_that_fails_to_import_is_a_red_suite_naming_the_file(tmp_path, conftest, error):
    root, run = bad_run(tmp_path, with_files(**{conftest: "import settings_for_ci\n"}))

    assert_stopped_before_measuring(root, run, exit_codes.SUITE_FAILS, (
        f"{conftest.replace('__', '/')}: cannot be imported: {error}; the suite fails without mutation "
        f"(pytest's output: {CHECK_LOG})"))


def test_a_conftest_that_raises_is_a_red_suite_too(tmp_path):
    root, run = bad_run(tmp_path, with_files(**{"tests__conftest.py": "raise RuntimeError('no database here')\n"}))

    assert_stopped_before_measuring(root, run, exit_codes.SUITE_FAILS, (
        "tests/conftest.py: cannot be imported: RuntimeError: no database here; the suite fails without mutation "
        f"(pytest's output: {CHECK_LOG})"))


def test_a_target_written_as_an_absolute_path_and_a_suite_file_are_judged_like_their_relative_paths(tmp_path):
    root, run = bad_run(tmp_path, replacing(TARGET, "    {root}/calc/ops.py = 100"),
                        replacing("suite = tests", "suite = ./tests/test_ops.py"))

    assert run.exit_code == exit_codes.PASS, run.stderr
    assert [(target["path"], target["files"], target["mutants"], target["killed"])
            for target in run.document["targets"]] == [("calc/ops.py", ["calc/ops.py"], 15, 15)]


def assert_stopped_before_measuring(root, run, exit_code, message):
    assert (run.exit_code, run.stderr, run.stdout) == (exit_code, f"mutation-gate: {message}\n", "")
    work = root / ".mutation-gate"
    assert not (work / "mutants").exists()
    assert not (work / "gate" / "preflight.log").exists()
    assert not (work / "gate" / "generate.log").exists()
    assert processes_in(root) == []
    survivors = run_gate(root, "survivors")  # the earlier pass must not answer for this run
    assert (survivors.exit_code, survivors.stdout) == (1, "")


def test_a_conftest_below_the_suite_that_fails_to_import_is_a_red_suite_found_by_the_preflight(tmp_path):
    # pytest imports it only while collecting, so the preflight finds it: still one line naming the file.
    root, run = bad_run(tmp_path, with_files(**{"tests__sub__conftest.py": "import settings_for_ci\n",
                                               "tests__sub__test_sub.py": "def test_sub():\n    assert True\n"}))
    log = root / ".mutation-gate" / "gate" / "preflight.log"

    assert (run.exit_code, run.stdout) == (exit_codes.SUITE_FAILS, "")
    assert run.stderr.splitlines()[-1] == (
        "mutation-gate: tests/sub/conftest.py: cannot be imported: ModuleNotFoundError: No module named "
        f"'settings_for_ci'; the suite fails without mutation (log: {log})")
    assert "Traceback" not in run.stderr
