"""The engine's fork server, driven through EngineServer as `measure` drives it: over a work directory
in tmp_path laid out as the gate's (`mutants/` holding a module mutmut 3.8.1 mutated and its tests),
started in `mutants/` with `settings.server_args`. It collects once, then runs each job's tests in a
forked child with the job's mutant active, and reports each job's exit code, wall-limit kill or error.
"""

import gc
import os
import signal
import threading
import time
import warnings
from pathlib import Path

import pytest
from mutmut import configuration as mutmut_configuration
from mutmut.mutation.file_mutation import mutate_file_contents

import mutation
from mutation.collect.pytest_options import GATE_DIR_ENV, PHASE_ENV, mutant_session_args
from mutation.engine.protocol import FORCED_FAIL, MUTANT_ENV, NO_MUTANT
from mutation.engine.server import EngineServer, Job, JobResult
from mutation.engine.settings import server_args
from mutation.errors import IncompleteMeasurementError
from tests.factories import gate_config
from tests.process_checks import alive

MODULE = "def add(a, b):\n    return a + b\n"
MUTANT = "pkg.mod.x_add__mutmut_1"  # mutmut's only mutant of `add`: a - b

TEST_MOD = '''\
import os
import time
from pathlib import Path

import pytest

from pkg.mod import add

AT_COLLECTION = os.environ.get("MUTANT_UNDER_TEST")
SEEN = []


@pytest.fixture(scope="session")
def fails_at_exit():
    yield
    raise RuntimeError("session teardown")


def test_add():
    assert add(2, 3) == 5


def test_no_mutant_while_collecting():
    assert AT_COLLECTION is None


def test_sees_the_jobs_mutant():
    assert os.environ["MUTANT_UNDER_TEST"] == "pkg.mod.x_add__mutmut_1"


def test_fresh_state():
    SEEN.append(1)
    assert SEEN == [1]


def test_items_are_the_jobs(request):
    assert [item.name for item in request.session.items] == ["test_items_are_the_jobs", "test_fresh_state"]


def test_session_teardown_fails(fails_at_exit):
    pass


def test_hangs():
    time.sleep(60)


def test_meet():
    """Job `<group>.a` and job `<group>.b` each wait for the other: they pass only when they run at once."""
    group, _, mine = os.environ["MUTANT_UNDER_TEST"].rpartition(".")
    theirs = {"a": "b", "b": "a"}[mine]
    Path(f"{group}.{mine}").touch()
    for _ in range(2000):
        if Path(f"{group}.{theirs}").exists():
            return
        time.sleep(0.005)
    raise AssertionError(f"{group}.{theirs} never started")
'''
TESTS_COLLECTED = 8


def node_id(name):
    return f"tests/test_mod.py::{name}"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def work_dir(root, tests):
    """A gate work directory at `root`: mutants/src/pkg/mod.py as mutmut mutates MODULE, and `tests`
    (paths relative to mutants/ -> text)."""
    write(root / "setup.cfg", "[mutmut]\nsource_paths = src\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        mutmut_configuration.reset_config()
        try:
            mutated = mutate_file_contents("src/pkg/mod.py", MODULE)
        finally:
            mutmut_configuration.reset_config()
    assert mutated.mutant_names == ["x_add__mutmut_1"]
    write(root / "mutants" / "src" / "pkg" / "__init__.py", "")
    write(root / "mutants" / "src" / "pkg" / "mod.py", mutated.code)
    for relative, text in tests.items():
        write(root / "mutants" / relative, text)
    return root


def environment():
    """This process's environment with the gate importable, no gate run, and a stale mutant the
    server must not pass on."""
    env = {key: value for key, value in os.environ.items() if key not in (GATE_DIR_ENV, PHASE_ENV)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(mutation.__file__).parents[1]), env.get("PYTHONPATH")]))
    env[MUTANT_ENV] = MUTANT
    return env


def server(root, *extra_args):
    args = server_args([*mutant_session_args(gate_config(root)), *extra_args], "tests")
    return EngineServer(root, args, environment(), root / "engine.log")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = work_dir(tmp_path_factory.mktemp("server"), {"tests/test_mod.py": TEST_MOD})
    with server(root) as started:
        yield started


def run_one(engine, mutant, tests, wall_limit=30.0):
    results = engine.run([Job(mutant, tuple(map(node_id, tests)), wall_limit, {})], 1)
    assert list(results) == [mutant]
    return results[mutant]


def test_the_server_is_ready_once_it_collected_the_suite(engine):
    assert engine.tests == TESTS_COLLECTED


@pytest.mark.parametrize(("mutant", "tests", "exit_code"), [
    pytest.param(NO_MUTANT, ["test_add"], 0, id="no-mutant-passes"),
    pytest.param(MUTANT, ["test_add"], 1, id="the-mutant-is-active"),
    pytest.param("pkg.other.x_g__mutmut_1", ["test_add"], 0, id="another-modules-mutant-leaves-it-alone"),
    pytest.param(FORCED_FAIL, ["test_add"], 1, id="forced-fail-fails-mutated-code"),
    pytest.param(FORCED_FAIL, ["test_fresh_state"], 0, id="forced-fail-leaves-other-code-alone"),
    pytest.param(NO_MUTANT, ["test_no_mutant_while_collecting"], 0, id="no-stale-mutant-at-collection"),
    pytest.param(MUTANT, ["test_sees_the_jobs_mutant"], 0, id="the-child-names-its-mutant"),
    pytest.param(NO_MUTANT, ["test_sees_the_jobs_mutant"], 1, id="no-mutant-named"),
    pytest.param(NO_MUTANT, ["test_items_are_the_jobs", "test_fresh_state"], 0, id="the-session-holds-the-jobs-tests"),
    pytest.param(NO_MUTANT, ["test_fresh_state", "test_items_are_the_jobs"], 1, id="in-the-jobs-order"),
    pytest.param(NO_MUTANT, ["test_session_teardown_fails"], 1, id="a-failing-teardown-fails-the-job"),
    pytest.param(NO_MUTANT, [], 5, id="no-tests"),
])
def test_a_jobs_exit_code_is_its_pytest_sessions(engine, mutant, tests, exit_code):
    result = run_one(engine, mutant, tests)

    assert (result.mutant, result.exit_code, result.timed_out, result.error) == (mutant, exit_code, False, "")


def test_tests_the_server_never_collected_are_an_error_without_a_run(engine):
    result = run_one(engine, MUTANT, ["test_add", "test_gone", "test_vanished"])

    assert result == JobResult(MUTANT, None, 0.0, False, f"2 tests not collected, e.g. {node_id('test_gone')}")


def test_a_job_past_its_wall_limit_is_killed_and_reported_timed_out(engine):
    result = run_one(engine, MUTANT, ["test_hangs"], wall_limit=0.3)

    assert (result.exit_code, result.timed_out, result.error) == (-9, True, "")
    assert result.seconds >= 0.3


def test_every_job_of_a_batch_gets_its_result_with_two_running_at_once(engine):
    jobs = [Job("pair-1.a", (node_id("test_meet"),), 30.0, {}), Job("pair-1.b", (node_id("test_meet"),), 30.0, {}),
            Job(MUTANT, (node_id("test_add"),), 30.0, {}), Job(NO_MUTANT, (node_id("test_add"),), 30.0, {}),
            Job("uncollected", (node_id("test_gone"),), 30.0, {})]
    reported = []

    results = engine.run(jobs, 2, on_result=reported.append)

    assert {name: (result.exit_code, result.timed_out, result.error) for name, result in results.items()} == {
        "pair-1.a": (0, False, ""), "pair-1.b": (0, False, ""), MUTANT: (1, False, ""), NO_MUTANT: (0, False, ""),
        "uncollected": (None, False, f"1 tests not collected, e.g. {node_id('test_gone')}"),
    }
    assert sorted(reported, key=lambda result: result.mutant) == sorted(results.values(), key=lambda r: r.mutant)


def test_one_worker_runs_one_job_at_a_time(engine):
    # The first of the pair waits alone until its wall limit; the second then finds it and passes.
    jobs = [Job("pair-2.a", (node_id("test_meet"),), 0.3, {}), Job("pair-2.b", (node_id("test_meet"),), 30.0, {})]

    results = engine.run(jobs, 1)

    assert {name: (result.exit_code, result.timed_out) for name, result in results.items()} == {
        "pair-2.a": (-9, True), "pair-2.b": (0, False),
    }


def test_the_server_serves_batch_after_batch_from_fresh_children_and_stops_when_told(tmp_path):
    root = work_dir(tmp_path, {"tests/test_mod.py": TEST_MOD})

    with server(root) as started:
        first = started.run([Job("m1", (node_id("test_fresh_state"),), 30.0, {}),
                             Job("m2", (node_id("test_fresh_state"),), 30.0, {})], 1)
        second = started.run([Job("m3", (node_id("test_fresh_state"),), 30.0, {})], 1)

    assert [(name, result.exit_code) for name, result in {**first, **second}.items()] == [
        ("m1", 0), ("m2", 0), ("m3", 0)]
    assert started.process.returncode == 0


def stopped(engine_server):
    """Release what a server that failed to start left open (see the leak test below)."""
    engine_server.__exit__(None, None, None)


def test_a_suite_that_cannot_be_collected_fails_the_run_naming_each_error(tmp_path):
    root = work_dir(tmp_path, {"tests/test_mod.py": TEST_MOD, "tests/test_broken.py": "import missing_module\n",
                               "tests/test_broken_too.py": "raise RuntimeError('no database')\n"})
    engine_server = server(root)

    with pytest.raises(IncompleteMeasurementError) as error:
        engine_server.__enter__()
    stopped(engine_server)

    assert str(error.value) == (
        "the suite cannot be collected on the mutated copy: tests/test_broken.py: E   ModuleNotFoundError: "
        f"No module named 'missing_module' (log: {root / 'engine.log'})"
    )
    assert error.value.details == ["  tests/test_broken_too.py: E   RuntimeError: no database"]


def test_a_server_that_ends_before_it_is_ready_fails_the_run_with_its_exit_code_and_log(tmp_path):
    root = work_dir(tmp_path, {"tests/test_mod.py": TEST_MOD})
    engine_server = server(root, "--no-such-option")

    with pytest.raises(IncompleteMeasurementError) as error:
        engine_server.__enter__()
    stopped(engine_server)

    log = root / "engine.log"
    # pytest's usage error ends with the rootdir it found: that is the log's last line.
    assert str(error.value) == f"the engine's fork server ended (exit 4): rootdir: {root / 'mutants'} (log: {log})"
    assert error.value.details[-3:] == ["  pytest.main(): error: unrecognized arguments: --no-such-option",
                                        "    inifile: None", f"    rootdir: {root / 'mutants'}"]


def test_a_server_that_fails_to_start_leaves_nothing_open(tmp_path):
    root = work_dir(tmp_path, {"tests/test_broken.py": "import missing_module\n"})

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        with pytest.raises(IncompleteMeasurementError):
            with server(root):
                pass
        gc.collect()

    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []


HOLDING_TEST = '''\
import subprocess
import sys
import threading
from pathlib import Path


def test_holds():
    child = subprocess.Popen([sys.executable, "-c", "import threading; threading.Event().wait()"])
    Path("held.tmp").write_text(f"{child.pid}")
    Path("held.tmp").rename("held")
    threading.Event().wait()
'''


def held_child(root, engine_server):
    held = root / "mutants" / "held"
    while not held.exists():
        if engine_server.process.poll() is not None:
            return None
        time.sleep(0.01)  # polling the server's child; nothing here is timed
    return int(held.read_text())


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_a_server_stopped_mid_batch_leaves_no_child_nor_what_it_started(tmp_path, how):
    root = work_dir(tmp_path, {"tests/test_mod.py": HOLDING_TEST})
    outcome = {}

    def stop_when_held(engine_server):
        outcome["grandchild"] = held_child(root, engine_server)
        os.kill(engine_server.process.pid, signal.SIGTERM if how == "sigterm" else signal.SIGKILL)

    with pytest.raises(IncompleteMeasurementError):
        with server(root) as started:
            stopper = threading.Thread(target=stop_when_held, args=(started,))
            stopper.start()
            try:
                started.run([Job(MUTANT, (node_id("test_holds"),), 600.0, {})], 1)
            finally:
                stopper.join()

    grandchild = outcome["grandchild"]
    assert (grandchild is not None, alive(grandchild)) == (True, False)

