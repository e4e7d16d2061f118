"""A whole `measure_run` on a stand-in engine server: a timeout measured by this run is re-checked,
one the scope set aside (reused from the cache) is not, and is kept as it came."""

import dataclasses
import io
from types import SimpleNamespace

from mutation.collect import measure
from mutation.collect.measure import RECHECK_DIR, measure_run
from mutation.collect.scope import Scope
from mutation.engine.protocol import FORCED_FAIL, NO_MUTANT
from tests.collect.test_measure import Engine
from tests.factories import gate_config, mutant, outcome

T1, T2 = "t.py::test_1", "t.py::test_2"
M1, M2 = "pkg.mod.x_f__mutmut_1", "pkg.mod.x_f__mutmut_2"


class Server:
    """EngineServer's stand-in: its session is `engine`, which collected `test_ids`."""

    def __init__(self, engine, test_ids):
        self.engine, self.test_ids = engine, frozenset(test_ids)

    def __enter__(self):
        self.engine.test_ids = self.test_ids
        return self.engine

    def __exit__(self, *exception):
        return False


def run_measured(tmp_path, monkeypatch, scope, behaviour, covered_by):
    """`measure_run` over `scope` on an Engine that behaves as `behaviour` says; returns
    (outcomes, the engine, the statuses written back to the engine's files)."""
    engine = Engine(tmp_path, {NO_MUTANT: {}, FORCED_FAIL: {T1: "crash"}, **behaviour})
    recorded = {}
    monkeypatch.setattr(measure, "EngineServer", lambda *arguments: Server(engine, [T1, T2]))
    monkeypatch.setattr(measure, "read_results", lambda root, paths: dict.fromkeys(covered_by))
    monkeypatch.setattr(measure, "record_statuses", lambda root, paths, statuses: recorded.update(statuses))
    workspace = SimpleNamespace(root=tmp_path, gate_dir=tmp_path, suite="tests", rootdir=".", bytecode_dir="")
    config = gate_config(tmp_path, workers=2, test_timeout_factor=10.0, test_timeout_floor=0.5)
    preflight = SimpleNamespace(tests=(T1, T2), durations={T1: 0.01, T2: 0.1})
    outcomes = measure_run(workspace, config, [mutant(name) for name in covered_by], scope, covered_by, preflight,
                           [T1, T2], [], lambda phase: None, io.StringIO())
    return outcomes, engine, recorded


def jobs_in(engine, records_dir):
    return [job.mutant for jobs, _ in engine.batches for job in jobs if job.context["records_dir"] == records_dir]


def test_a_reused_timeout_is_not_rechecked_while_a_fresh_one_is(tmp_path, monkeypatch):
    reused = outcome("timeout", (T1, "timeout"), ran=[T2])  # its hung test T1 could be re-run last
    scope = Scope((mutant(M1),), {M2: reused})

    outcomes, engine, recorded = run_measured(tmp_path, monkeypatch, scope, {M1: {T1: "timeout"}, M2: {T1: "timeout"}},
                                              {M1: [T1, T2], M2: [T1, T2]})

    # The fresh timeout is re-verified too (after its re-check), the reused one never.
    assert (jobs_in(engine, ""), jobs_in(engine, RECHECK_DIR), jobs_in(engine, "reverify")) == (
        [NO_MUTANT, FORCED_FAIL, M1], [M1], [M1])
    assert {**outcomes, M1: dataclasses.replace(outcomes[M1], runs=())} == {
        M1: outcome("timeout", (T1, "timeout"), ran=[T1, T2]), M2: reused}
    assert [run.status for run in outcomes[M1].runs] == ["timeout", "timeout"]
    assert recorded == {M1: "timeout", M2: "timeout"}


def test_with_every_result_reused_no_engine_session_runs(tmp_path, monkeypatch):
    killed = outcome("killed", (T1, "assertion"), ran=[T1, T2])
    survived = outcome("survived", ran=[T1, T2])
    scope = Scope((), {M1: killed, M2: survived})

    outcomes, engine, recorded = run_measured(tmp_path, monkeypatch, scope, {}, {M1: [T1, T2], M2: [T1, T2]})

    assert engine.batches == []
    assert outcomes == {M1: killed, M2: survived}
    assert recorded == {M1: "killed", M2: "survived"}


def test_a_reused_result_leaving_a_test_untried_still_gets_its_credit_pass(tmp_path, monkeypatch):
    # T2 never ran under M1 and kills nothing by assertion: the credit pass gives it M1.
    killed = outcome("killed", (T1, "assertion"), ran=[T1])
    scope = Scope((), {M1: killed})

    outcomes, engine, _ = run_measured(tmp_path, monkeypatch, scope, {M1: {T2: "assertion"}}, {M1: [T1, T2]})

    assert jobs_in(engine, "credit-1") == [M1]
    assert [(kill.test, str(kill.kind)) for kill in outcomes[M1].killed_by] == [(T1, "assertion")]
    assert [(kill.test, str(kill.kind)) for kill in outcomes[M1].credited_by] == [(T2, "assertion")]
