"""The preflight's judgement of the unmutated suite: a red suite is never scored (exit 4)."""

from pathlib import Path

import pytest

from mutation.collect.preflight import _judge_preflight
from mutation.collect.workspace import Workspace
from mutation.errors import ConfigError, SuiteFailsError
from tests.factories import T1, T2, session


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "preflight.log"
    path.write_text("ERROR: usage: python -m pytest [options] [file_or_dir] [file_or_dir] [...]\n"
                    "python -m pytest: error: unrecognized arguments: --colour\n  inifile: /w/setup.cfg\n"
                    "  rootdir: /w\n", encoding="utf-8")
    return path


def test_a_green_suite_passes(log):
    assert _judge_preflight(0, session(exit_status=0), log) == ""


def test_a_pytest_that_fails_only_after_its_session_passed_is_noted_not_refused(log):
    # e.g. `filterwarnings = error` and an unraisable warning raised at unconfigure
    assert _judge_preflight(1, session(exit_status=0), log) == (
        "pytest exited 1 after its session passed: rootdir: /w")


def test_a_pytest_that_fails_after_a_session_with_unfinished_tests_is_a_red_suite(log):
    with pytest.raises(SuiteFailsError):
        _judge_preflight(1, session(exit_status=0, unfinished=(T2,)), log)


def test_arguments_pytest_rejects_are_a_usage_error(log):
    with pytest.raises(ConfigError) as error:
        _judge_preflight(4, session(exit_status=4), log)

    assert str(error.value) == f"pytest rejected its arguments: unrecognized arguments: --colour (see {log})"


def test_a_path_argument_collection_cannot_find_is_named(tmp_path):
    log = tmp_path / "preflight.log"
    log.write_text("============ no tests ran in 0.01s ============\nERROR: file or directory not found: tests/gone.py\n\n",
                   encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        _judge_preflight(4, session(exit_status=4), log)

    assert str(error.value) == f"pytest rejected its arguments: file or directory not found: tests/gone.py (see {log})"


@pytest.mark.parametrize("exit_code", [5, 0])
def test_a_suite_without_tests_is_refused(log, exit_code):
    with pytest.raises(SuiteFailsError) as error:
        _judge_preflight(exit_code, session(exit_status=exit_code, tests=()), log)

    assert (str(error.value), error.value.exit_code) == ("the suite collected no tests", 4)


def test_failing_tests_are_named(log):
    record = session((T2, "call", "assertion", "AssertionError"), (T1, "setup", "crash", "OSError"))

    with pytest.raises(SuiteFailsError) as error:
        _judge_preflight(1, record, log)

    assert str(error.value) == (f"the suite fails without mutation (pytest exit 1, 2 failing tests); "
                                f"fix it before scoring (log: {log})")
    assert error.value.details == [f"  {T1}", f"  {T2}"]


def test_a_failure_without_failing_tests_quotes_the_log(log):
    with pytest.raises(SuiteFailsError) as error:
        _judge_preflight(2, session(exit_status=2), log)

    assert error.value.details == ["  ERROR: usage: python -m pytest [options] [file_or_dir] [file_or_dir] [...]",
                                   "  python -m pytest: error: unrecognized arguments: --colour",
                                   "    inifile: /w/setup.cfg", "    rootdir: /w"]


def test_a_conftest_below_the_suite_that_cannot_be_imported_names_the_file(tmp_path):
    log = tmp_path / "preflight.log"
    log.write_text("==== ERRORS ====\n____ ERROR collecting tests/sub ____\n"
                   "ImportError while loading conftest '/w/tests/sub/conftest.py'.\n"
                   "tests/sub/conftest.py:1: in <module>\n    import settings\n"
                   "E   ModuleNotFoundError: No module named 'settings'\n", encoding="utf-8")
    workspace = Workspace(Path("/w"), Path("/project"), ".", "tests")

    with pytest.raises(SuiteFailsError) as error:
        _judge_preflight(2, session(exit_status=2, tests=()), log, workspace)

    assert (str(error.value), error.value.details, error.value.exit_code) == (
        "tests/sub/conftest.py: cannot be imported: ModuleNotFoundError: No module named 'settings'; the suite fails "
        f"without mutation (log: {log})", [], 4)
