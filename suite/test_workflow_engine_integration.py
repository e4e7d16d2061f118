"""Integration suite of the workflow engine: real engine, real actions, virtual time.

Only the collaborators (state manager, ws manager, analytics) are mocks, and every test
asserts what they received or what the run produced. Runs go through `outcome`, so a run
that raises where it should return (or returns where it should raise) fails the comparison
with the expected value instead of crashing the test.
"""

import asyncio
import logging
import re
from collections import Counter
from datetime import timedelta
from unittest.mock import AsyncMock, call

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import (
    EPOCH,
    ActionLog,
    FakeClock,
    Raised,
    event_trace,
    events,
    finishes,
    log_records,
    outcome,
    returned,
    saved_transitions,
    settle_until,
    snapshots,
)
from core.workflow_actions import StepContext
from core.workflow_collaborators import InMemoryStateManager, NullBroadcaster
from core.workflow_engine import (
    ExecutionNotFoundError,
    PermanentStepError,
    StepStatus,
    StepTimeoutError,
    WorkflowEngine,
    WorkflowExecutionStatus,
    WorkflowStateError,
    WorkflowValidationError,
)
from core.workflow_errors import WorkflowError
from strategies import cyclic_workflows, dag_workflows, expected_outcomes, expected_workflow_status

WALL_CLOCK_FIELDS = ("started_at", "completed_at", "duration_ms")


def workflow(*steps, workflow_id="wf"):
    return {"id": workflow_id, "steps": list(steps)}


def probe(step_id, depends_on=(), **fields):
    inputs = {key: fields.pop(key) for key in ("duration", "fail_times") if key in fields}
    return {"id": step_id, "action": "probe", "depends_on": list(depends_on), "inputs": inputs, **fields}


def statuses(result):
    """Each step's status by id; a `Raised` result is returned as is, so comparing it fails."""
    if isinstance(result, Raised):
        return result
    return {step_id: step["status"] for step_id, step in result["steps"].items()}


def without_wall_clock(result):
    """A result without the fields that depend on the real clock; a `Raised` result as is."""
    if isinstance(result, Raised):
        return result
    return {key: value for key, value in result.items() if key not in WALL_CLOCK_FIELDS}


def step(status, output=None, error=None, attempts=0, branch=None):
    """A step record as it appears in results and snapshots."""
    return {"status": status, "output": output, "error": error, "attempts": attempts, "branch": branch}


def reported_cycle(result):
    """The steps a 'dependency cycle' validation error names, in order; [] for any other outcome."""
    match = re.fullmatch(
        r"WorkflowValidationError: step '[^']*': dependency cycle (.*) \(each step depends on the next\)",
        getattr(result, "error", ""),
    )
    return match.group(1).split(" -> ") if match else []


def cycle_error(cycle):
    return Raised(
        f"WorkflowValidationError: step {cycle[0]!r}: dependency cycle {' -> '.join(cycle)} (each step depends on the next)"
    )


# --- the public vocabulary ------------------------------------------------------------------


def test_status_enums_are_lower_case_strings():
    assert [status.value for status in WorkflowExecutionStatus] == [
        "pending", "running", "completed", "failed", "partial", "cancelled",
    ]
    assert [status.value for status in StepStatus] == [
        "pending", "running", "completed", "failed", "skipped", "cancelled",
    ]
    assert WorkflowExecutionStatus.PARTIAL == "partial"
    assert StepStatus.SKIPPED == "skipped"


async def test_engine_with_no_arguments_runs_with_in_memory_defaults():
    async def run():
        engine = WorkflowEngine(id_factory=lambda: "exec-1")
        return await engine.execute_workflow(workflow({"id": "a", "action": "set_value", "inputs": {"x": 1}}))

    result = await outcome(run())

    assert without_wall_clock(result) == {
        "execution_id": "exec-1",
        "workflow_id": "wf",
        "status": WorkflowExecutionStatus.COMPLETED,
        "inputs": {},
        "steps": {"a": step("completed", {"x": 1}, attempts=1)},
        "outputs": {"a": {"x": 1}},
        "error": None,
    }
    assert result["execution_id"] == "exec-1"
    assert result["workflow_id"] == "wf"
    assert result["status"] is WorkflowExecutionStatus.COMPLETED
    assert result["steps"]["a"] == {"status": "completed", "output": {"x": 1}, "error": None, "attempts": 1, "branch": None}
    assert result["outputs"] == {"a": {"x": 1}}
    assert result["error"] is None
    assert result["duration_ms"] >= 0


async def test_default_collaborators_store_state_and_drop_events():
    state = InMemoryStateManager()
    await state.save_state("x", {"steps": {"a": [1]}})
    copy = await state.get_state("x")
    copy["steps"]["a"].append(2)
    assert await state.get_state("x") == {"steps": {"a": [1]}}
    assert await state.get_state("missing") is None
    assert await NullBroadcaster().broadcast({"type": "anything"}) is None


async def test_the_in_memory_state_manager_keeps_its_own_copy_of_what_it_saves():
    state = InMemoryStateManager()
    snapshot = {"steps": {"a": {"output": [1]}}}
    await state.save_state("x", snapshot)
    snapshot["steps"]["a"]["output"].append(2)
    snapshot["steps"]["b"] = {}
    assert await state.get_state("x") == {"steps": {"a": {"output": [1]}}}


async def test_default_ids_are_unique_hex_and_default_clock_is_utc():
    async def run_twice():
        engine = WorkflowEngine()
        first = await engine.execute_workflow(workflow({"id": "a", "action": "set_value"}))
        second = await engine.execute_workflow(workflow({"id": "a", "action": "set_value"}))
        return first, second

    first, second = await outcome(run_twice())
    assert (first["status"], second["status"]) == ("completed", "completed")
    assert first["execution_id"] != second["execution_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first["execution_id"])
    assert re.fullmatch(r"[0-9a-f]{32}", second["execution_id"])
    assert len(first["execution_id"]) == 32
    assert set(first["execution_id"]) <= set("0123456789abcdef")
    assert first["started_at"].endswith("+00:00")
    assert first["completed_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_concurrent_steps": 0}, "max_concurrent_steps must be an integer >= 1, got 0"),
        ({"max_concurrent_steps": 2.0}, "max_concurrent_steps must be an integer >= 1, got 2.0"),
        ({"max_retries": -1}, "max_retries must be an integer >= 0, got -1"),
        ({"max_retries": True}, "max_retries must be an integer >= 0, got True"),
    ],
)
def test_engine_rejects_bad_limits(options, message):
    assert returned(WorkflowEngine, **options) == Raised(f"ValueError: {message}")


def test_engine_accepts_the_smallest_limits():
    def limits(**options):
        engine = WorkflowEngine(**options)
        return engine._max_concurrent_steps, engine._max_retries

    assert returned(limits, max_concurrent_steps=1, max_retries=0) == (1, 0)


async def test_the_smallest_limits_run_one_step_at_a_time_without_retries(make_engine, log):
    async def run():
        engine = make_engine(max_concurrent_steps=1, max_retries=0)
        return await engine.execute_workflow(workflow(probe("a", duration=1), probe("b", duration=1), probe("c", fail_times=1)))

    result = await outcome(run())
    assert statuses(result) == {"a": "completed", "b": "completed", "c": "failed"}
    assert result["steps"]["c"] == step("failed", error="RuntimeError: c failure 1", attempts=1)
    assert log.entries == [("start", "a"), ("end", "a"), ("start", "b"), ("end", "b"), ("start", "c"), ("end", "c")]
    assert log.max_active == 1


async def test_result_times_come_from_the_injected_clock(make_engine, clock):
    engine = make_engine(id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(workflow({"id": "w", "action": "wait", "inputs": {"duration": 2.5}})))
    assert result["started_at"] == EPOCH.isoformat()
    assert result["completed_at"] == (EPOCH + timedelta(seconds=2.5)).isoformat()
    assert result["duration_ms"] == 2500


# --- 1. validation before anything runs ----------------------------------------------------

BAD_DEFINITIONS = [
    (["not", "a", "dict"], None, "workflow: definition must be a dict, got list"),
    ({"steps": [{"id": "a", "action": "probe"}]}, None, "workflow: 'id' must be a non-empty string"),
    ({"id": "", "steps": [{"id": "a", "action": "probe"}]}, None, "workflow: 'id' must be a non-empty string"),
    ({"id": "w", "steps": []}, None, "workflow: 'steps' must be a non-empty list"),
    ({"id": "w", "steps": {"a": {}}}, None, "workflow: 'steps' must be a non-empty list"),
    (workflow(probe("a"), "b"), None, "workflow: step #2 must be a dict, got str"),
    (workflow({"action": "probe"}), None,
     "workflow: step #1 needs an 'id' of letters, digits, '_' or '-', got None"),
    (workflow(probe("a"), {"id": "b c", "action": "probe"}), None,
     "workflow: step #2 needs an 'id' of letters, digits, '_' or '-', got 'b c'"),
    (workflow(probe("a.b")), None, "workflow: step #1 needs an 'id' of letters, digits, '_' or '-', got 'a.b'"),
    (workflow({"id": "a", "condition": "true", "then": [probe("b"), "c"]}), None,
     "workflow: step #2 must be a dict, got str"),
    (workflow({"id": "a", "condition": "true", "else": [{"id": "b c", "action": "probe"}]}), None,
     "workflow: step #1 needs an 'id' of letters, digits, '_' or '-', got 'b c'"),
    (workflow(probe("input")), "input", "step 'input': 'input' is reserved for workflow inputs"),
    (workflow(probe("a"), probe("a")), "a", "step 'a': duplicate step id"),
    (workflow(probe("a"), {"id": "b", "condition": "true", "then": [probe("a")]}), "a", "step 'a': duplicate step id"),
    (workflow({"id": "a", "action": "probe", "retry": 2, "timout": 1}), "a", "step 'a': unknown field(s) retry, timout"),
    (workflow(probe("a", depends_on=["ghost"])), "a", "step 'a': depends on unknown step 'ghost'"),
    (workflow({"id": "a", "action": "probe", "depends_on": "b"}), "a", "step 'a': 'depends_on' must be a list of step ids"),
    (workflow({"id": "a", "action": "probe", "depends_on": [1]}), "a", "step 'a': 'depends_on' must be a list of step ids"),
    (workflow(probe("a", depends_on=["a"])), "a", "step 'a': dependency cycle a -> a (each step depends on the next)"),
    (workflow({"id": "a"}), "a", "step 'a': missing 'action'"),
    (workflow({"id": "a", "action": "nope"}), "a", "step 'a': unknown action 'nope' (known: hang, probe, set_value, wait)"),
    (workflow({"id": "a", "action": "probe", "condition": 1}), "a", "step 'a': 'condition' must be a string"),
    (workflow({"id": "a", "then": [probe("b")]}), "a", "step 'a': 'then'/'else' need a 'condition'"),
    (workflow({"id": "a", "action": "probe", "condition": "true", "then": [probe("b")]}), "a",
     "step 'a': has both 'action' and 'then'/'else'; use one"),
    (workflow({"id": "a", "condition": "true", "else": probe("b")}), "a", "step 'a': 'else' must be a list of steps"),
    (workflow({"id": "a", "condition": "true", "then": [probe("b", depends_on=["x"])]}), "b",
     "step 'b': 'depends_on' is not allowed in 'then'/'else' sub-steps"),
    (workflow({"id": "a", "condition": "true", "then": [{"id": "b"}]}), "b", "step 'b': missing 'action'"),
    (workflow(probe("a", retries=-1)), "a", "step 'a': 'retries' must be an integer >= 0, got -1"),
    (workflow(probe("a", retries=True)), "a", "step 'a': 'retries' must be an integer >= 0, got True"),
    (workflow(probe("a", timeout=0)), "a", "step 'a': 'timeout' must be a number of seconds > 0, got 0"),
    (workflow(probe("a", timeout="5")), "a", "step 'a': 'timeout' must be a number of seconds > 0, got '5'"),
    (workflow(probe("a", continue_on_error="yes")), "a", "step 'a': 'continue_on_error' must be true or false"),
    (workflow(probe("a"), probe("b", inputs={"x": "${c.value}"}), probe("c", depends_on=["a"])), "b",
     "step 'b': reference ${c.value} names 'c', which is not upstream of this step"),
    (workflow(probe("a"), {"id": "b", "action": "probe", "depends_on": ["a"], "condition": "${c.ok}"}, probe("c")), "b",
     "step 'b': reference ${c.ok} names 'c', which is not upstream of this step"),
    (workflow(probe("c"), {"id": "b", "action": "probe", "condition": "not ${c.ok}"}), "b",
     "step 'b': reference ${c.ok} names 'c', which is not upstream of this step"),
    (workflow(probe("c"), {"id": "b", "action": "probe", "condition": "true and ${c.ok}"}), "b",
     "step 'b': reference ${c.ok} names 'c', which is not upstream of this step"),
    (workflow(probe("c"), {"id": "b", "action": "probe", "condition": "${c.n} > 1"}), "b",
     "step 'b': reference ${c.n} names 'c', which is not upstream of this step"),
    (workflow(probe("c"), {"id": "b", "action": "probe", "condition": "1 < ${c.n}"}), "b",
     "step 'b': reference ${c.n} names 'c', which is not upstream of this step"),
    (workflow(probe("c"), {"id": "b", "action": "probe", "condition": "${input.go}", "inputs": {"v": "${c.x}"}}), "b",
     "step 'b': reference ${c.x} names 'c', which is not upstream of this step"),
    (workflow({"id": "a", "condition": "true", "then": [
        {"id": "b", "action": "probe", "inputs": {"v": "${c}"}}, probe("c")]}), "b",
     "step 'b': reference ${c} names 'c', which is not upstream of this step"),
    (workflow({"id": "a", "action": "probe", "inputs": {"v": ["${a.x}"]}}), "a",
     "step 'a': reference ${a.x} names 'a', which is not upstream of this step"),
]


@pytest.mark.parametrize(("definition", "step_id", "message"), BAD_DEFINITIONS)
async def test_invalid_definitions_are_rejected_before_any_action_runs(make_engine, log, state_manager, definition, step_id, message):
    engine = make_engine(state_manager=state_manager)
    result = await outcome(engine.execute_workflow(definition))
    assert result == Raised(f"WorkflowValidationError: {message}")
    assert result.exception.step_id == step_id
    assert result.exception.problem == message.split(": ", 1)[1]
    assert log.entries == []
    assert state_manager.save_state.await_count == 0


async def test_a_three_step_cycle_names_every_step_on_it(make_engine, log):
    definition = workflow(probe("a", depends_on=["c"]), probe("b", depends_on=["a"]), probe("c", depends_on=["b"]), probe("d"))
    result = await outcome(make_engine().execute_workflow(definition))
    cycle = reported_cycle(result)
    assert len(cycle) == 4
    assert result == cycle_error(cycle)
    assert cycle[0] == cycle[-1] == result.exception.step_id
    assert sorted(cycle[:-1]) == ["a", "b", "c"]
    by_id = {step["id"]: step for step in definition["steps"]}
    assert all(later in by_id[earlier]["depends_on"] for earlier, later in zip(cycle, cycle[1:]))
    assert log.entries == []


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("len('x') > 0", "unknown name 'len' (only true, false, null and ${...} references) at column 1"),
        ("${input.a}.upper", "unexpected character '.' at column 11"),
        ("${input.items}[0] == 1", "unexpected character '[' at column 15"),
        ("__import__('os')", "unknown name '__import__' (only true, false, null and ${...} references) at column 1"),
        ("x == 1", "unknown name 'x' (only true, false, null and ${...} references) at column 1"),
        ("(1 == 1", "'(' is never closed at column 1"),
        ("1 == 1)", "unexpected ')' at column 7"),
        ("true (1)", "unexpected '(' at column 6"),
        ("1 == 1 == 1", "unexpected '==' at column 8"),
        ("", "expression ends too early at column 1"),
        ("1 ==", "expression ends too early at column 5"),
        ("not", "expression ends too early at column 4"),
        ("1 and or 2", "unexpected 'or' at column 7"),
        ("and 1", "unexpected 'and' at column 1"),
        ("1 == not true", "unexpected 'not' at column 6"),
        ("1 + 2", "unexpected character '+' at column 3"),
        ("'abc", "unexpected character \"'\" at column 1"),
    ],
)
async def test_conditions_outside_the_language_are_rejected_at_validation(make_engine, log, condition, problem):
    definition = workflow(probe("a"), {"id": "b", "action": "probe", "depends_on": ["a"], "condition": condition})
    result = await outcome(make_engine().execute_workflow(definition))
    assert result == Raised(f"WorkflowValidationError: step 'b': malformed condition {condition!r}: {problem}")
    assert result.exception.step_id == "b"
    assert log.entries == []


async def test_inputs_must_be_a_dict(make_engine, log):
    result = await outcome(make_engine().execute_workflow(workflow(probe("a")), inputs=["x"]))
    assert result == Raised("WorkflowValidationError: workflow: inputs must be a dict, got list")
    assert log.entries == []


# --- 2. DAG scheduling ---------------------------------------------------------------------


async def test_a_step_starts_as_soon_as_its_own_dependencies_complete(make_engine, log):
    definition = workflow(probe("slow", duration=10), probe("quick", duration=1), probe("after_quick", depends_on=["quick"]))
    result = await outcome(make_engine().execute_workflow(definition))

    assert result["status"] == "completed"
    assert log.entries == [
        ("start", "slow"), ("start", "quick"), ("end", "quick"),
        ("start", "after_quick"), ("end", "after_quick"), ("end", "slow"),
    ]
    assert log.position("end", "quick") < log.position("start", "after_quick") < log.position("end", "slow")


async def test_independent_steps_run_concurrently_and_dependents_wait(make_engine, log):
    definition = workflow(probe("a", duration=2), probe("b", duration=2), probe("c", depends_on=["a", "b"]))
    result = await outcome(make_engine().execute_workflow(definition))

    assert statuses(result) == {"a": "completed", "b": "completed", "c": "completed"}
    assert log.entries == [("start", "a"), ("start", "b"), ("end", "a"), ("end", "b"), ("start", "c"), ("end", "c")]
    assert log.entries[:2] == [("start", "a"), ("start", "b")]
    assert log.position("start", "c") > max(log.position("end", "a"), log.position("end", "b"))
    assert log.max_active == 2


@pytest.mark.parametrize("limit", [1, 2, 3])
async def test_never_more_than_max_concurrent_steps_at_once(make_engine, log, limit):
    definition = workflow(*(probe(f"s{i}", duration=2) for i in range(6)))
    result = await outcome(make_engine(max_concurrent_steps=limit).execute_workflow(definition))

    assert log.max_active == limit
    assert result["outputs"] == {f"s{i}": {"step": f"s{i}", "attempt": 1} for i in range(6)}


async def test_by_default_at_most_five_steps_run_at_once(make_engine, log):
    definition = workflow(*(probe(f"s{i}", duration=2) for i in range(7)))
    result = await outcome(make_engine().execute_workflow(definition))

    assert result["outputs"] == {f"s{i}": {"step": f"s{i}", "attempt": 1} for i in range(7)}
    assert log.max_active == 5
    assert log.entries[:6] == [("start", f"s{i}") for i in range(5)] + [("end", "s0")]


async def test_the_order_of_steps_in_the_list_does_not_matter(make_engine, log):
    steps = [probe("a", duration=1), probe("b", depends_on=["a"]), probe("c", depends_on=["b", "a"])]
    forward = await outcome(make_engine().execute_workflow(workflow(*steps)))
    forward_order = log.ran()
    log.entries.clear()
    backward = await outcome(make_engine().execute_workflow(workflow(*reversed(steps))))

    assert forward_order == log.ran() == ["a", "b", "c"]
    assert forward["outputs"] == backward["outputs"] == {
        "a": {"step": "a", "attempt": 1}, "b": {"step": "b", "attempt": 1}, "c": {"step": "c", "attempt": 1},
    }


@settings(max_examples=60)
@given(definition=dag_workflows(), limit=st.integers(min_value=1, max_value=4))
async def test_random_dags_respect_dependencies_limits_and_retry_budgets(definition, limit):
    clock = FakeClock()
    log = ActionLog(clock)
    engine = WorkflowEngine(sleep=clock.sleep, clock=clock.now, actions=log.actions(), max_concurrent_steps=limit)
    result = await engine.execute_workflow(definition)

    by_id = {step["id"]: step for step in definition["steps"]}
    for kind, step_id in log.entries:
        if kind == "start":
            start = log.entries.index((kind, step_id))
            for dep in by_id[step_id]["depends_on"]:
                assert result["steps"][dep]["status"] in ("completed", "failed")
                assert max(i for i, entry in enumerate(log.entries) if entry == ("end", dep)) < start
    assert log.max_active <= limit
    outcomes = expected_outcomes(definition)
    assert {step_id: (step["status"], step["attempts"]) for step_id, step in result["steps"].items()} == outcomes
    assert result["status"] == expected_workflow_status(definition, outcomes)
    assert len(log.ran()) == sum(attempts for _, attempts in outcomes.values())


@settings(max_examples=40)
@given(case=cyclic_workflows())
async def test_random_graphs_with_a_cycle_are_rejected_before_any_action_runs(case):
    definition, _ = case
    log = ActionLog(FakeClock())
    result = await outcome(WorkflowEngine(actions=log.actions()).execute_workflow(definition))
    named = reported_cycle(result)
    assert len(named) >= 2
    assert result == cycle_error(named)
    by_id = {step["id"]: step for step in definition["steps"]}
    assert named[0] == named[-1] == result.exception.step_id
    assert len(set(named)) == len(named) - 1
    assert all(later in by_id[earlier]["depends_on"] for earlier, later in zip(named, named[1:]))
    assert log.entries == []


# --- 3. actions ----------------------------------------------------------------------------


async def test_set_value_outputs_its_resolved_inputs(make_engine):
    result = await outcome(make_engine().execute_workflow(
        workflow({"id": "a", "action": "set_value", "inputs": {"n": "${input.n}", "list": [1, {"k": "v"}]}}),
        inputs={"n": 7},
    ))
    assert result["outputs"] == {"a": {"n": 7, "list": [1, {"k": "v"}]}}


async def test_wait_sleeps_through_the_injected_sleep(make_engine, clock):
    result = await outcome(make_engine().execute_workflow(workflow({"id": "a", "action": "wait", "inputs": {"duration": 3}})))
    assert clock.sleeps == [3]
    assert result["outputs"] == {"a": {"waited": 3}}


@pytest.mark.parametrize("inputs", [{}, {"duration": -1}, {"duration": "3"}, ["duration", 3]])
async def test_wait_rejects_a_bad_duration_without_retrying(make_engine, clock, inputs):
    result = await outcome(make_engine().execute_workflow(workflow({"id": "a", "action": "wait", "inputs": inputs})))
    duration = inputs.get("duration") if isinstance(inputs, dict) else None
    error = f"PermanentStepError: wait needs inputs.duration, a number of seconds >= 0, got {duration!r}"
    assert result["steps"]["a"] == step("failed", error=error, attempts=1)
    assert result["steps"]["a"]["status"] == "failed"
    assert result["steps"]["a"]["attempts"] == 1
    assert result["steps"]["a"]["error"] == error
    assert clock.sleeps == []


async def test_wait_accepts_zero(make_engine, clock):
    result = await outcome(make_engine().execute_workflow(workflow({"id": "a", "action": "wait", "inputs": {"duration": 0}})))
    assert result["outputs"] == {"a": {"waited": 0}}
    assert clock.sleeps == [0]


async def test_callers_extend_the_action_registry(make_engine):
    async def double(inputs, context):
        return inputs["x"] * 2

    async def shout(inputs, context):
        return inputs["text"].upper()

    engine = make_engine(actions={"double": double})
    engine.register_action("shout", shout)
    engine.register_action("set_value", double)
    result = await outcome(engine.execute_workflow(
        workflow(
            {"id": "d", "action": "double", "inputs": {"x": 21}},
            {"id": "s", "action": "shout", "inputs": {"text": "hi"}},
            {"id": "v", "action": "set_value", "inputs": {"x": 5}},
        )
    ))
    assert result["outputs"] == {"d": 42, "s": "HI", "v": 10}


async def test_actions_receive_their_context(make_engine, log, clock):
    definition = workflow(
        probe("a"), probe("b", fail_times=1, depends_on=["a"], retries=1)
    )
    engine = make_engine(id_factory=lambda: "exec-9")
    result = await outcome(engine.execute_workflow(definition, inputs={"k": "v"}))

    assert statuses(result) == {"a": "completed", "b": "completed"}
    after_a = {"a": {"status": "completed", "output": {"step": "a", "attempt": 1}, "error": None}}
    assert [context for _, _, context in log.calls] == [
        StepContext("exec-9", "wf", "a", 1, {"k": "v"}, {}, clock.sleep),
        StepContext("exec-9", "wf", "b", 1, {"k": "v"}, after_a, clock.sleep),
        StepContext("exec-9", "wf", "b", 2, {"k": "v"}, after_a, clock.sleep),
    ]
    contexts = {(step_id, context.attempt): context for step_id, _, context in log.calls}
    assert sorted(contexts) == [("a", 1), ("b", 1), ("b", 2)]
    second = contexts[("b", 2)]
    assert (second.execution_id, second.workflow_id, second.step_id) == ("exec-9", "wf", "b")
    assert second.workflow_inputs == {"k": "v"}
    assert second.dependencies == {"a": {"status": "completed", "output": {"step": "a", "attempt": 1}, "error": None}}
    assert contexts[("a", 1)].dependencies == {}


# --- 4. references -------------------------------------------------------------------------


async def test_references_keep_types_interpolate_text_and_recurse(make_engine):
    definition = workflow(
        {"id": "src", "action": "set_value", "inputs": {"a": [{"b": 5}, {"b": True}], "name": "ada", "none": None}},
        {
            "id": "use",
            "action": "set_value",
            "depends_on": ["src"],
            "inputs": {
                "number": "${src.a.0.b}",
                "flag": "${src.a.1.b}",
                "whole": "${src.a}",
                "text": "hi ${src.name}, ${src.a.0.b} and ${src.a.1.b} and ${src.none} or ${src.a.0}",
                "nested": [{"deep": ["${input.user.id}", "${ input.user.id }"]}],
                "literal": 12,
            },
        },
    )
    result = await outcome(make_engine().execute_workflow(definition, inputs={"user": {"id": 99}}))
    assert result["outputs"]["use"] == {
        "number": 5,
        "flag": True,
        "whole": [{"b": 5}, {"b": True}],
        "text": 'hi ada, 5 and true and null or {"b": 5}',
        "nested": [{"deep": [99, 99]}],
        "literal": 12,
    }


async def test_interpolating_a_value_json_cannot_encode_uses_its_text(make_engine):
    class Token:
        def __str__(self):
            return "tok-1"

    async def make_token(inputs, context):
        return {"token": Token()}

    engine = make_engine(actions={"make_token": make_token})
    result = await outcome(engine.execute_workflow(
        workflow({"id": "a", "action": "make_token"},
                 {"id": "b", "action": "set_value", "depends_on": ["a"], "inputs": {"t": "bearer ${a.token}"}})
    ))
    assert result["outputs"]["b"] == {"t": "bearer tok-1"}


@pytest.mark.parametrize(
    ("reference", "error"),
    [
        ("${src.missing}", "cannot resolve ${src.missing}: no key 'missing'"),
        ("${src.items.5}", "cannot resolve ${src.items.5}: no index '5' in a list of 2"),
        ("${src.items.2}", "cannot resolve ${src.items.2}: no index '2' in a list of 2"),
        ("${src.items.x}", "cannot resolve ${src.items.x}: no index 'x' in a list of 2"),
        ("${src.items.0.deeper}", "cannot resolve ${src.items.0.deeper}: cannot look up 'deeper' in int"),
        ("${input.absent}", "cannot resolve ${input.absent}: no key 'absent'"),
        ("id: ${src.missing}", "cannot resolve ${src.missing}: no key 'missing'"),
    ],
)
async def test_an_unresolvable_reference_fails_that_step_naming_it(make_engine, log, reference, error):
    definition = workflow(
        {"id": "src", "action": "set_value", "inputs": {"items": [1, 2]}},
        {"id": "use", "action": "probe", "depends_on": ["src"], "inputs": {"v": reference}},
        probe("after", depends_on=["use"]),
    )
    result = await outcome(make_engine().execute_workflow(definition))
    assert result["steps"]["use"] == step("failed", error=error)
    assert result["steps"]["use"]["status"] == "failed"
    assert result["steps"]["use"]["error"] == error
    assert result["steps"]["use"]["attempts"] == 0
    assert result["steps"]["after"]["status"] == "skipped"
    assert result["status"] == "failed"
    assert result["error"] == f"step 'use': {error}"
    assert log.entries == []


async def test_a_reference_to_a_failed_upstream_step_fails_the_dependent(make_engine, log):
    definition = workflow(
        probe("bad", fail_times=1, retries=0, continue_on_error=True),
        probe("use", depends_on=["bad"], inputs={"v": "${bad.step}"}),
    )
    result = await outcome(make_engine().execute_workflow(definition))
    assert result["steps"]["use"]["error"] == "cannot resolve ${bad.step}: 'bad' has no value"
    assert result["status"] == "failed"


# --- 5. conditions -------------------------------------------------------------------------

CONDITION_TRUTHS = [
    ("true", True),
    ("false", False),
    ("null == null", True),
    ("false == null", False),
    ("true == true", True),
    ("not false", True),
    ("not not true", True),
    ("1 < 2", True),
    ("2 < 2", False),
    ("2 <= 2", True),
    ("3 <= 2", False),
    ("3 > 2", True),
    ("2 > 2", False),
    ("2 >= 2", True),
    ("1 >= 2", False),
    ("1 == 1.0", True),
    ("1 != 1", False),
    ("-1.5 < 0", True),
    ("'a' == \"a\"", True),
    ("'it\\'s' == \"it's\"", True),
    ("\"x\" != 'x'", False),
    ("${input.count} > 3", True),
    ("${input.count} > 3 and ${input.name} == 'ada'", True),
    ("${input.count} > 3 and ${input.name} == 'bob'", False),
    ("${input.count} < 3 or ${input.name} == 'ada'", True),
    ("${input.count} < 3 or ${input.name} == 'bob'", False),
    ("false or false or true", True),
    ("true and true and false", False),
    ("not (true and false)", True),
    ("not true and false", False),
    ("true or true and false", True),
    ("(true or true) and false", False),
    ("${input.flags.1}", True),
    ("${input.flags.0}", False),
    ("not ${input.flags.0}", True),
    ("${input.flags.0} == false", True),
    ("${input.missing_ok} == null", True),
    ("${up.value} == 42", True),
    ("42 == ${up.value}", True),
    ("${input.big} == 9007199254740993", True),
    ("${input.big} == 9007199254740992", False),
]


async def test_condition_language_evaluates_like_its_grammar_says(make_engine, log):
    steps = [{"id": "up", "action": "set_value", "inputs": {"value": 42}}]
    for index, (condition, _) in enumerate(CONDITION_TRUTHS):
        steps.append({"id": f"c{index}", "action": "probe", "depends_on": ["up"], "condition": condition})
    result = await outcome(make_engine().execute_workflow(
        workflow(*steps), inputs={"count": 4, "name": "ada", "flags": [False, True], "missing_ok": None, "big": 2**53 + 1}
    ))
    observed = {condition: result["steps"][f"c{i}"]["status"] for i, (condition, _) in enumerate(CONDITION_TRUTHS)}
    expected = {condition: "completed" if truth else "skipped" for condition, truth in CONDITION_TRUTHS}
    assert observed == expected
    skipped = [i for i, (_, truth) in enumerate(CONDITION_TRUTHS) if not truth]
    assert {result["steps"][f"c{i}"]["error"] for i in skipped} == {"condition is false"}


async def test_a_false_guard_skips_the_step_and_its_dependents(make_engine, log, ws_manager):
    definition = workflow(
        probe("gate", condition="${input.go}"),
        probe("after", depends_on=["gate"]),
        probe("free"),
    )
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(definition, inputs={"go": False}))
    assert statuses(result) == {"gate": "skipped", "after": "skipped", "free": "completed"}
    assert result["steps"]["after"]["error"] == "dependency 'gate' was skipped"
    assert result["status"] == "completed"
    assert log.ran() == ["free"]
    skipped = [event for event in events(ws_manager) if event["type"] == "step_skipped"]
    assert skipped == [
        {"type": "step_skipped", "execution_id": "e", "workflow_id": "wf", "step_id": "gate", "reason": "condition is false"},
        {"type": "step_skipped", "execution_id": "e", "workflow_id": "wf", "step_id": "after",
         "reason": "dependency 'gate' was skipped"},
    ]
    assert [(e["step_id"], e["reason"]) for e in skipped] == [
        ("gate", "condition is false"), ("after", "dependency 'gate' was skipped"),
    ]


def branching_workflow():
    return workflow(
        {"id": "src", "action": "set_value", "inputs": {"amount": "${input.amount}"}},
        {
            "id": "route",
            "depends_on": ["src"],
            "condition": "${src.amount} >= 100",
            "then": [
                {"id": "approve", "action": "set_value", "inputs": {"by": "manager"}},
                {"id": "notify", "action": "set_value", "inputs": {"msg": "approved by ${approve.by}"}},
            ],
            "else": [{"id": "auto", "action": "set_value", "inputs": {"by": "system"}}],
        },
        {"id": "report", "action": "set_value", "depends_on": ["route"], "inputs": {"route": "${route}"}},
    )


async def test_then_branch_runs_in_place_of_the_action_and_else_is_recorded_skipped(make_engine, ws_manager):
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(branching_workflow(), inputs={"amount": 150}))
    assert result["steps"]["route"]["branch"] == "then"
    assert result["steps"]["route"]["attempts"] == 0
    assert statuses(result) == {
        "src": "completed", "route": "completed", "approve": "completed", "notify": "completed",
        "auto": "skipped", "report": "completed",
    }
    assert result["steps"]["auto"]["error"] == "branch 'else' not taken"
    assert result["outputs"]["route"] == {"approve": {"by": "manager"}, "notify": {"msg": "approved by manager"}}
    assert result["outputs"]["report"] == {"route": result["outputs"]["route"]}
    assert event_trace(ws_manager)[3:9] == [
        ("step_started", "route"), ("step_skipped", "auto"),
        ("step_started", "approve"), ("step_completed", "approve"),
        ("step_started", "notify"), ("step_completed", "notify"),
    ]
    assert [event for event in events(ws_manager) if event.get("step_id") == "route"] == [
        {"type": "step_started", "execution_id": "e", "workflow_id": "wf", "step_id": "route", "branch": "then"},
        {"type": "step_completed", "execution_id": "e", "workflow_id": "wf", "step_id": "route", "attempts": 0},
    ]


async def test_else_branch_runs_when_the_condition_is_false(make_engine, ws_manager):
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(branching_workflow(), inputs={"amount": 99}))
    assert result["steps"]["route"]["branch"] == "else"
    assert statuses(result)["approve"] == statuses(result)["notify"] == "skipped"
    assert result["steps"]["approve"]["error"] == "branch 'then' not taken"
    assert result["outputs"]["route"] == {"auto": {"by": "system"}}
    assert [event for event in events(ws_manager) if event["type"] == "step_started"][1] == {
        "type": "step_started", "execution_id": "e", "workflow_id": "wf", "step_id": "route", "branch": "else",
    }


async def test_a_condition_false_with_no_else_branch_completes_empty(make_engine):
    definition = workflow({"id": "route", "condition": "false", "then": [{"id": "x", "action": "set_value"}]})
    result = await outcome(make_engine().execute_workflow(definition))
    assert result["steps"]["route"] == {"status": "completed", "output": {}, "error": None, "attempts": 0, "branch": "else"}
    assert result["steps"]["x"]["status"] == "skipped"


async def test_nested_branches_and_sub_step_guards(make_engine, log):
    definition = workflow(
        {
            "id": "outer",
            "condition": "${input.level} > 0",
            "then": [
                {
                    "id": "inner",
                    "condition": "${input.level} > 1",
                    "then": [{"id": "deep", "action": "set_value", "inputs": {"v": "deep"}}],
                    "else": [{"id": "shallow", "action": "set_value", "inputs": {"v": "shallow"}}],
                },
                {"id": "guarded", "action": "probe", "condition": "${inner.shallow.v} == 'deep'"},
                {"id": "last", "action": "set_value", "inputs": {"seen": "${inner}"}},
            ],
            "else": [{"id": "none", "action": "set_value"}],
        }
    )
    result = await outcome(make_engine().execute_workflow(definition, inputs={"level": 1}))
    assert statuses(result) == {
        "outer": "completed", "inner": "completed", "deep": "skipped", "shallow": "completed",
        "guarded": "skipped", "last": "completed", "none": "skipped",
    }
    assert result["outputs"]["outer"] == {
        "inner": {"shallow": {"v": "shallow"}}, "guarded": None, "last": {"seen": {"shallow": {"v": "shallow"}}},
    }
    assert log.entries == []


async def test_a_failing_sub_step_fails_its_parent_and_skips_the_rest_of_the_branch(make_engine, log):
    definition = workflow(
        {
            "id": "route",
            "condition": "true",
            "then": [probe("first"), probe("broken", fail_times=1, retries=0), probe("never")],
        },
        probe("after", depends_on=["route"]),
    )
    result = await outcome(make_engine().execute_workflow(definition))
    assert statuses(result) == {
        "route": "failed", "first": "completed", "broken": "failed", "never": "skipped", "after": "skipped",
    }
    assert result["steps"]["route"]["error"] == "sub-step 'broken' failed"
    assert result["steps"]["never"]["error"] == "sub-step 'broken' failed"
    assert result["steps"]["broken"]["error"] == "RuntimeError: broken failure 1"
    assert log.ran() == ["first", "broken"]
    assert result["status"] == "failed"


@pytest.mark.parametrize(
    ("condition", "error"),
    [
        ("${input.n} > 'x'", "condition \"${input.n} > 'x'\": cannot compare int > str"),
        ("${input.nope} == 1", "condition '${input.nope} == 1': cannot resolve ${input.nope}: no key 'nope'"),
    ],
)
async def test_a_condition_that_cannot_be_evaluated_fails_the_step(make_engine, log, condition, error):
    result = await outcome(make_engine().execute_workflow(workflow(probe("a", condition=condition)), inputs={"n": 1}))
    assert result["steps"]["a"] == step("failed", error=error)
    assert result["steps"]["a"]["status"] == "failed"
    assert result["steps"]["a"]["error"] == error
    assert log.entries == []


# --- 6. retries and timeouts ---------------------------------------------------------------


async def test_failing_attempts_retry_with_exponential_backoff(make_engine, log, clock, ws_manager):
    engine = make_engine(ws_manager=ws_manager, retry_backoff_seconds=0.5, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(workflow(probe("flaky", fail_times=3, retries=3))))
    assert result["steps"]["flaky"] == {
        "status": "completed", "output": {"step": "flaky", "attempt": 4}, "error": None, "attempts": 4, "branch": None,
    }
    assert clock.sleeps == [0, 0.5, 0, 1.0, 0, 2.0, 0]
    retrying = [event for event in events(ws_manager) if event["type"] == "step_retrying"]
    assert retrying == [
        {"type": "step_retrying", "execution_id": "e", "workflow_id": "wf", "step_id": "flaky", "attempt": attempt,
         "error": f"RuntimeError: flaky failure {attempt}", "delay": delay}
        for attempt, delay in [(1, 0.5), (2, 1.0), (3, 2.0)]
    ]
    assert [(e["attempt"], e["delay"], e["error"]) for e in retrying] == [
        (1, 0.5, "RuntimeError: flaky failure 1"),
        (2, 1.0, "RuntimeError: flaky failure 2"),
        (3, 2.0, "RuntimeError: flaky failure 3"),
    ]


async def test_backoff_is_capped(make_engine, clock):
    engine = make_engine(retry_backoff_seconds=1.0, max_backoff_seconds=3.0)
    rejected = await outcome(finishes(engine.execute_workflow(
        workflow({"id": "a", "action": "wait", "inputs": "${input.d}", "retries": 4}), inputs={"d": {"duration": "bad"}}
    )))
    assert rejected["steps"]["a"]["attempts"] == 1
    assert clock.sleeps == []
    engine.register_action("boom", _always_fails)
    failed = await outcome(finishes(engine.execute_workflow(workflow({"id": "a", "action": "boom", "retries": 4}))))
    assert failed["steps"]["a"] == step("failed", error="RuntimeError: attempt 5 failed", attempts=5)
    assert clock.sleeps == [1.0, 2.0, 3.0, 3.0]


async def test_backoff_is_capped_at_sixty_seconds_by_default(clock):
    async def run():
        engine = WorkflowEngine(sleep=clock.sleep, clock=clock.now, actions={"boom": _always_fails})
        return await engine.execute_workflow(workflow({"id": "a", "action": "boom", "retries": 7}))

    result = await outcome(finishes(run()))
    assert result["steps"]["a"] == step("failed", error="RuntimeError: attempt 8 failed", attempts=8)
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0]


async def _always_fails(inputs, context):
    raise RuntimeError(f"attempt {context.attempt} failed")


async def test_exhausted_retries_fail_the_step_with_the_last_error(make_engine, log):
    result = await outcome(make_engine().execute_workflow(workflow(probe("bad", fail_times=5, retries=2))))
    assert result["steps"]["bad"]["status"] == "failed"
    assert result["steps"]["bad"]["attempts"] == 3
    assert result["steps"]["bad"]["error"] == "RuntimeError: bad failure 3"
    assert result["error"] == "step 'bad': RuntimeError: bad failure 3"


async def test_steps_without_retries_use_the_engine_default(make_engine, log):
    engine = make_engine(max_retries=1)
    result = await outcome(engine.execute_workflow(workflow(probe("a", fail_times=1), probe("b", fail_times=2))))
    assert (result["steps"]["a"]["status"], result["steps"]["a"]["attempts"]) == ("completed", 2)
    assert (result["steps"]["b"]["status"], result["steps"]["b"]["attempts"]) == ("failed", 2)


async def test_engine_default_is_three_retries(clock):
    async def run():
        engine = WorkflowEngine(sleep=clock.sleep, clock=clock.now, actions={"boom": _always_fails})
        return await engine.execute_workflow(workflow({"id": "a", "action": "boom"}))

    result = await outcome(finishes(run()))
    assert result["steps"]["a"]["attempts"] == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


async def test_a_permanent_error_is_not_retried(make_engine, clock):
    async def reject(inputs, context):
        raise PermanentStepError("invalid order")

    engine = make_engine(actions={"reject": reject})
    result = await outcome(engine.execute_workflow(workflow({"id": "a", "action": "reject", "retries": 3})))
    assert result["steps"]["a"]["attempts"] == 1
    assert result["steps"]["a"]["error"] == "PermanentStepError: invalid order"
    assert clock.sleeps == []


async def test_an_exception_without_a_message_is_named_by_its_type(make_engine):
    async def bare(inputs, context):
        raise KeyError()

    engine = make_engine(actions={"bare": bare})
    result = await outcome(engine.execute_workflow(workflow({"id": "a", "action": "bare", "retries": 0})))
    assert result["steps"]["a"]["error"] == "KeyError"


async def test_the_retry_loop_wraps_a_patched_execute_step(make_engine, monkeypatch, clock):
    engine = make_engine()
    attempts = []

    async def patched(step, inputs, context):
        attempts.append((step.id, inputs, context.attempt))
        if context.attempt < 3:
            raise ConnectionError("transient")
        return "ok"

    monkeypatch.setattr(engine, "_execute_step", patched)
    definition = workflow({"id": "a", "action": "set_value", "inputs": {"q": 1}, "retries": 5})
    result = await outcome(finishes(engine.execute_workflow(definition)))
    assert attempts == [("a", {"q": 1}, 1), ("a", {"q": 1}, 2), ("a", {"q": 1}, 3)]
    assert result["steps"]["a"]["attempts"] == 3
    assert result["outputs"] == {"a": "ok"}
    assert clock.sleeps == [1.0, 2.0]


async def test_a_step_timeout_raises_step_timeout_error_and_is_retried(make_engine, log, ws_manager):
    engine = make_engine(ws_manager=ws_manager)
    run = engine.execute_workflow(workflow({"id": "stuck", "action": "hang", "timeout": 2, "retries": 1}))
    result = await outcome(finishes(run))
    assert result["steps"]["stuck"]["status"] == "failed"
    assert result["steps"]["stuck"]["attempts"] == 2
    assert result["steps"]["stuck"]["error"] == "StepTimeoutError: step 'stuck' timed out after 2s"
    assert log.ran() == ["stuck", "stuck"]
    assert [t for t, _ in event_trace(ws_manager)].count("step_retrying") == 1


async def test_step_timeout_error_is_a_timeout_error_naming_step_and_limit():
    error = StepTimeoutError("s", 1.5)
    assert isinstance(error, TimeoutError)
    assert (error.step_id, error.timeout, str(error)) == ("s", 1.5, "step 's' timed out after 1.5s")


async def test_an_action_that_finishes_within_its_timeout_succeeds(make_engine, log, clock):
    result = await outcome(make_engine().execute_workflow(workflow(probe("quick", duration=1, timeout=5))))
    assert result["steps"]["quick"]["status"] == "completed"
    assert result["steps"]["quick"]["attempts"] == 1
    assert clock.sleeps == [1, 5.0]


async def test_a_timeout_of_one_second_or_less_is_valid(make_engine, log, clock):
    definition = workflow(probe("half", timeout=0.5), probe("one", timeout=1))
    result = await outcome(make_engine().execute_workflow(definition))
    assert result["outputs"] == {"half": {"step": "half", "attempt": 1}, "one": {"step": "one", "attempt": 1}}
    assert clock.sleeps == [0, 0.5, 0, 1.0]


async def test_an_action_slower_than_its_timeout_times_out(make_engine, log):
    result = await outcome(make_engine().execute_workflow(workflow(probe("slow", duration=8, timeout=3, retries=0))))
    assert result["steps"]["slow"]["error"] == "StepTimeoutError: step 'slow' timed out after 3s"
    assert log.entries == [("start", "slow")]


async def test_an_action_error_inside_a_timeout_is_reported_as_itself(make_engine, log):
    result = await outcome(make_engine().execute_workflow(workflow(probe("bad", fail_times=1, timeout=5, retries=0))))
    assert result["steps"]["bad"]["error"] == "RuntimeError: bad failure 1"


# --- 7. failure ----------------------------------------------------------------------------


async def test_a_failed_step_skips_its_dependents_while_independent_work_finishes(make_engine, log):
    definition = workflow(
        probe("bad", fail_times=1, retries=0),
        probe("child", depends_on=["bad"]),
        probe("grandchild", depends_on=["child"]),
        probe("long", duration=5),
        probe("after_long", depends_on=["long"]),
    )
    result = await outcome(make_engine().execute_workflow(definition))
    assert statuses(result) == {
        "bad": "failed", "child": "skipped", "grandchild": "skipped", "long": "completed", "after_long": "completed",
    }
    assert result["steps"]["child"]["error"] == "dependency 'bad' failed"
    assert result["steps"]["grandchild"]["error"] == "dependency 'child' was skipped"
    assert "child" not in log.ran() and "grandchild" not in log.ran()
    assert result["status"] is WorkflowExecutionStatus.FAILED
    assert result["outputs"] == {"long": {"step": "long", "attempt": 1}, "after_long": {"step": "after_long", "attempt": 1}}


async def test_continue_on_error_runs_dependents_with_the_failure_in_their_context(make_engine, log):
    definition = workflow(
        probe("ok"),
        probe("bad", fail_times=1, retries=0, continue_on_error=True),
        probe("child", depends_on=["ok", "bad"]),
    )
    result = await outcome(make_engine().execute_workflow(definition))
    assert statuses(result) == {"ok": "completed", "bad": "failed", "child": "completed"}
    assert result["status"] is WorkflowExecutionStatus.PARTIAL
    assert [context.dependencies for step_id, _, context in log.calls if step_id == "child"] == [{
        "ok": {"status": "completed", "output": {"step": "ok", "attempt": 1}, "error": None},
        "bad": {"status": "failed", "output": None, "error": "RuntimeError: bad failure 1"},
    }]


async def test_a_hard_failure_outweighs_a_tolerated_one(make_engine):
    definition = workflow(
        probe("soft", fail_times=1, retries=0, continue_on_error=True),
        probe("hard", fail_times=1, retries=0),
    )
    result = await outcome(make_engine().execute_workflow(definition))
    assert result["status"] is WorkflowExecutionStatus.FAILED
    assert result["error"] == "step 'soft': RuntimeError: soft failure 1"


# --- 8. cancellation -----------------------------------------------------------------------


async def test_cancel_stops_running_steps_and_starts_nothing_new(make_engine, log, ws_manager, analytics):
    engine = make_engine(ws_manager=ws_manager, analytics=analytics)
    cancelled = []

    async def cancel_run(inputs, context):
        cancelled.append(await engine.cancel(context.execution_id))
        await asyncio.sleep(0)
        return "unreachable"

    engine.register_action("cancel_run", cancel_run)
    definition = workflow(
        {"id": "stuck", "action": "hang"},
        probe("trigger", duration=1),
        {"id": "canceller", "action": "cancel_run", "depends_on": ["trigger"]},
        probe("after", depends_on=["canceller"]),
        probe("queued", depends_on=["trigger"], duration=1),
    )
    result = await outcome(finishes(engine.execute_workflow(definition)))
    assert cancelled == [True]
    assert result["status"] is WorkflowExecutionStatus.CANCELLED
    assert statuses(result) == {
        "stuck": "cancelled", "trigger": "completed", "canceller": "cancelled", "after": "cancelled",
        "queued": "cancelled",
    }
    assert {result["steps"][s]["error"] for s in ("stuck", "canceller", "after", "queued")} == {"cancelled"}
    assert "after" not in log.ran()
    assert ("end", "queued") not in log.entries
    cancelled_events = Counter(step for kind, step in event_trace(ws_manager) if kind == "step_cancelled")
    assert cancelled_events == Counter(["after", "canceller", "queued", "stuck"])
    assert event_trace(ws_manager)[-1] == ("workflow_finished", None)
    assert [c.kwargs.get("status") for c in analytics.record_execution.await_args_list] == ["cancelled"]
    assert await engine.cancel(result["execution_id"]) is False


async def test_cancel_before_any_step_starts_cancels_them_all(make_engine, log):
    engine = make_engine(id_factory=lambda: "e1")
    cancelled = []

    class CancelOnStart:
        async def broadcast(self, event):
            if event["type"] == "workflow_started":
                cancelled.append(await engine.cancel("e1"))

    engine._ws_manager = CancelOnStart()
    result = await outcome(engine.execute_workflow(workflow(probe("a"), probe("b", depends_on=["a"]))))
    assert cancelled == [True]
    assert statuses(result) == {"a": "cancelled", "b": "cancelled"}
    assert result["status"] == "cancelled"
    assert log.entries == []


async def test_cancel_after_the_steps_are_scheduled_but_before_they_start(make_engine, log, ws_manager):
    engine = make_engine(id_factory=lambda: "e13", ws_manager=ws_manager)
    task = asyncio.create_task(engine.execute_workflow(workflow(probe("a"), probe("b", depends_on=["a"]))))
    await asyncio.sleep(0)  # one tick: the run creates its step tasks, which have not started yet
    cancelled = await engine.cancel("e13")

    result = await outcome(finishes(task))

    assert cancelled is True
    assert statuses(result) == {"a": "cancelled", "b": "cancelled"}
    assert result["status"] == "cancelled"
    assert {result["steps"][step_id]["error"] for step_id in ("a", "b")} == {"cancelled"}
    assert sorted(step for kind, step in event_trace(ws_manager) if kind == "step_cancelled") == ["a", "b"]
    assert log.entries == []


async def test_cancel_inside_a_branch_keeps_finished_sub_steps(make_engine, log):
    engine = make_engine(id_factory=lambda: "e12")
    task = asyncio.create_task(engine.execute_workflow(
        workflow({"id": "route", "condition": "true", "then": [probe("first"), {"id": "stuck", "action": "hang"}, probe("never")]})
    ))
    await settle_until(lambda: ("start", "stuck") in log.entries)
    assert await engine.cancel("e12") is True
    result = await outcome(finishes(task))
    assert statuses(result) == {"route": "cancelled", "first": "completed", "stuck": "cancelled", "never": "cancelled"}
    assert result["steps"]["first"]["error"] is None
    assert log.ran() == ["first", "stuck"]


async def test_cancel_of_an_unknown_execution_returns_false(make_engine):
    assert await make_engine().cancel("nope") is False


async def test_cancelling_the_caller_cancels_the_steps_and_records_it(make_engine, log, state_manager, analytics):
    engine = make_engine(state_manager=state_manager, analytics=analytics, id_factory=lambda: "e2")
    session = object()
    task = asyncio.create_task(engine.execute_workflow(
        workflow({"id": "stuck", "action": "hang"}, probe("b", depends_on=["stuck"])), db_session=session
    ))
    await settle_until(lambda: log.entries == [("start", "stuck")])
    task.cancel()
    await settle_until(task.done)
    assert task.cancelled() is True
    with pytest.raises(asyncio.CancelledError):
        await task
    stored = await state_manager.get_state("e2")
    assert stored == {
        "execution_id": "e2", "workflow_id": "wf", "status": "cancelled", "inputs": {},
        "started_at": EPOCH.isoformat(), "completed_at": EPOCH.isoformat(),
        "steps": {"stuck": step("cancelled", error="cancelled", attempts=1), "b": step("cancelled", error="cancelled")},
    }
    assert stored["status"] == "cancelled"
    assert {s: v["status"] for s, v in stored["steps"].items()} == {"stuck": "cancelled", "b": "cancelled"}
    assert analytics.record_execution.await_args_list == [
        call(
            workflow_id="wf", execution_id="e2", status="cancelled", started_at=EPOCH, completed_at=EPOCH,
            execution_time_ms=0, total_steps=2, completed_steps=0, failed_steps=0, skipped_steps=0, error=None,
            db_session=session,
        )
    ]
    assert await engine.cancel("e2") is False


# --- 9. state and resume -------------------------------------------------------------------


def distinct(values):
    """`values` without consecutive repeats."""
    return [value for index, value in enumerate(values) if index == 0 or values[index - 1] != value]


async def test_the_state_manager_receives_every_step_transition(make_engine, state_manager):
    engine = make_engine(state_manager=state_manager, id_factory=lambda: "e3")
    definition = workflow(probe("a", fail_times=1, retries=1), probe("b", depends_on=["a"], condition="false"), probe("c", fail_times=1, retries=0))
    result = await outcome(engine.execute_workflow(definition))
    assert statuses(result) == {"a": "completed", "b": "skipped", "c": "failed"}
    assert {c.args[0] for c in state_manager.save_state.await_args_list} == {"e3"}
    assert saved_transitions(state_manager, "a") == ["pending", "running", "completed"]
    assert saved_transitions(state_manager, "b") == ["pending", "skipped"]
    assert saved_transitions(state_manager, "c") == ["pending", "running", "failed"]
    attempts_seen = [snapshot["steps"]["a"]["attempts"] for _, snapshot in snapshots(state_manager)]
    assert distinct(attempts_seen) == [0, 1, 2]
    assert attempts_seen.index(2) > attempts_seen.index(1)
    first, last = (c.args[1] for c in (state_manager.save_state.await_args_list[0], state_manager.save_state.await_args_list[-1]))
    assert (first["status"], last["status"]) == ("running", "failed")
    assert last["completed_at"] is not None and first["completed_at"] is None


async def test_resume_reruns_only_unfinished_steps_reusing_stored_outputs(make_engine, log, clock):
    state = InMemoryStateManager()
    engine = make_engine(state_manager=state, id_factory=lambda: "e4")
    definition = workflow(
        probe("a"),
        {"id": "route", "condition": "true", "then": [probe("t1")], "else": [probe("e1")]},
        probe("b", depends_on=["a"], fail_times=1, retries=0),
        {"id": "c", "action": "set_value", "depends_on": ["b"], "inputs": {"from_a": "${a.step}", "from_b": "${b.attempt}"}},
    )
    first = await outcome(engine.execute_workflow(definition, inputs={"x": 1}))
    assert statuses(first) == {"a": "completed", "route": "completed", "t1": "completed", "e1": "skipped",
                               "b": "failed", "c": "skipped"}
    log.entries.clear()
    log.failures_left["b"] = 0

    resumed = await outcome(engine.resume("e4", definition))
    assert log.ran() == ["b"]
    assert resumed["execution_id"] == "e4"
    assert resumed["status"] is WorkflowExecutionStatus.COMPLETED
    assert statuses(resumed) == {"a": "completed", "route": "completed", "t1": "completed", "e1": "skipped",
                                 "b": "completed", "c": "completed"}
    assert resumed["steps"]["e1"]["error"] == "branch 'else' not taken"
    assert resumed["steps"]["route"]["branch"] == "then"
    assert resumed["outputs"]["c"] == {"from_a": "a", "from_b": 1}
    assert resumed["inputs"] == {"x": 1}
    assert resumed["steps"]["a"]["attempts"] == 1


async def test_a_cancelled_run_resumes_without_losing_completed_steps(make_engine, log):
    state = InMemoryStateManager()
    engine = make_engine(state_manager=state, id_factory=lambda: "e5")

    async def stop(inputs, context):
        await engine.cancel(context.execution_id)
        await asyncio.sleep(0)

    engine.register_action("stop", stop)
    definition = workflow(probe("done"), {"id": "interrupt", "action": "stop", "depends_on": ["done"]}, probe("later", depends_on=["interrupt"]))
    first = await outcome(engine.execute_workflow(definition))
    assert statuses(first) == {"done": "completed", "interrupt": "cancelled", "later": "cancelled"}

    engine.register_action("stop", _noop)
    log.entries.clear()
    resumed = await outcome(engine.resume("e5", definition))
    assert log.ran() == ["later"]
    assert statuses(resumed) == {"done": "completed", "interrupt": "completed", "later": "completed"}


async def _noop(inputs, context):
    return None


async def test_resume_of_an_unknown_execution_raises(make_engine):
    result = await outcome(make_engine().resume("ghost", workflow(probe("a"))))
    assert result == Raised("ExecutionNotFoundError: no stored state for execution 'ghost'")
    assert isinstance(result.exception, ExecutionNotFoundError)
    assert result.exception.execution_id == "ghost"


async def test_resume_with_another_workflow_is_rejected(make_engine, log):
    engine = make_engine(id_factory=lambda: "e6")
    first = await outcome(engine.execute_workflow(workflow(probe("a"), workflow_id="one")))
    assert statuses(first) == {"a": "completed"}
    log.entries.clear()
    result = await outcome(engine.resume("e6", workflow(probe("a"), workflow_id="two")))
    assert result == Raised("WorkflowValidationError: workflow: execution 'e6' belongs to workflow 'one', not 'two'")
    assert isinstance(result.exception, WorkflowValidationError)
    assert log.entries == []


@pytest.mark.parametrize(
    ("state", "problem"),
    [
        ({"workflow_id": "wf", "execution_id": "bad"}, "KeyError('inputs')"),
        ({"workflow_id": "wf", "execution_id": "bad", "inputs": {}, "steps": {"a": {"status": "completed"}}},
         "KeyError('output')"),
        ({"workflow_id": "wf", "execution_id": "bad", "inputs": {}, "steps": {"a": "completed"}},
         "AttributeError(\"'str' object has no attribute 'get'\")"),
        ({"workflow_id": "wf", "execution_id": "bad", "inputs": {},
          "steps": {"a": {"status": "completed", "output": 1, "error": None, "attempts": 1, "branch": None},
                    "route": {"status": "completed", "output": 1, "error": None, "attempts": 1, "branch": None},
                    "sub": {"status": "weird", "output": 1, "error": None, "attempts": 1, "branch": None}}},
         "ValueError(\"'weird' is not a valid StepStatus\")"),
    ],
)
async def test_resume_of_unreadable_state_names_the_problem(make_engine, log, state, problem):
    store = InMemoryStateManager()
    await store.save_state("bad", state)
    definition = workflow(probe("a"), {"id": "route", "condition": "true", "then": [probe("sub")]})
    result = await outcome(make_engine(state_manager=store).resume("bad", definition))
    assert result == Raised(f"WorkflowStateError: stored state of execution 'bad' is unreadable: {problem}")
    assert isinstance(result.exception, WorkflowStateError)
    assert result.exception.execution_id == "bad"
    assert log.entries == []


async def test_resume_while_still_running_is_refused(make_engine, log):
    engine = make_engine(id_factory=lambda: "e7")
    task = asyncio.create_task(engine.execute_workflow(workflow({"id": "stuck", "action": "hang"})))
    await settle_until(lambda: log.entries == [("start", "stuck")])
    refused = await outcome(engine.resume("e7", workflow({"id": "stuck", "action": "hang"})))
    assert refused == Raised("WorkflowError: execution 'e7' is still running")
    assert type(refused.exception) is WorkflowError
    assert await engine.cancel("e7") is True
    result = await outcome(finishes(task))
    assert result["status"] == "cancelled"


async def test_a_failing_state_manager_is_logged_and_does_not_change_the_result(make_engine, caplog):
    broken = AsyncMock(name="state_manager")
    broken.save_state.side_effect = OSError("disk full")
    with caplog.at_level(logging.ERROR, logger="core.workflow_engine"):
        result = await outcome(make_engine(state_manager=broken, id_factory=lambda: "e8").execute_workflow(workflow(probe("a"))))
    assert result["status"] == "completed"
    assert broken.save_state.await_count == 4
    assert log_records(caplog) == [("ERROR", "state manager failed to save execution %s", ("e8",))] * 4
    assert caplog.messages == ["state manager failed to save execution e8"] * 4


# --- 10. events ----------------------------------------------------------------------------


async def test_events_arrive_in_causal_order_for_each_step(make_engine, ws_manager):
    definition = workflow(probe("a", fail_times=1, retries=1), probe("b", depends_on=["a"]), probe("c", condition="false"))
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e9")
    result = await outcome(engine.execute_workflow(definition))
    assert result["status"] == "completed"
    ids = {"execution_id": "e9", "workflow_id": "wf"}
    assert events(ws_manager) == [
        {"type": "workflow_started", **ids},
        {"type": "step_started", **ids, "step_id": "a", "attempt": 1},
        {"type": "step_skipped", **ids, "step_id": "c", "reason": "condition is false"},
        {"type": "step_retrying", **ids, "step_id": "a", "attempt": 1, "error": "RuntimeError: a failure 1", "delay": 1.0},
        {"type": "step_started", **ids, "step_id": "a", "attempt": 2},
        {"type": "step_completed", **ids, "step_id": "a", "attempts": 2},
        {"type": "step_started", **ids, "step_id": "b", "attempt": 1},
        {"type": "step_completed", **ids, "step_id": "b", "attempts": 1},
        {"type": "workflow_finished", **ids, "status": "completed", "duration_ms": 1000},
    ]
    trace = event_trace(ws_manager)
    assert trace[0] == ("workflow_started", None)
    assert trace[-1] == ("workflow_finished", None)
    assert [kind for kind, step in trace if step == "a"] == ["step_started", "step_retrying", "step_started", "step_completed"]
    assert [kind for kind, step in trace if step == "b"] == ["step_started", "step_completed"]
    assert [kind for kind, step in trace if step == "c"] == ["step_skipped"]
    all_events = events(ws_manager)
    assert {(e["execution_id"], e["workflow_id"]) for e in all_events} == {("e9", "wf")}
    assert all_events[-1]["status"] == "completed"
    assert all_events[-1]["duration_ms"] == 1000
    started_a = [e["attempt"] for e in all_events if e["type"] == "step_started" and e["step_id"] == "a"]
    assert started_a == [1, 2]
    completed_a = [e for e in all_events if e["type"] == "step_completed" and e["step_id"] == "a"]
    assert [e["attempts"] for e in completed_a] == [2]


async def test_step_failed_event_carries_the_error(make_engine, ws_manager):
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(workflow(probe("a", fail_times=1, retries=0))))
    assert result["status"] == "failed"
    failed = [event for event in events(ws_manager) if event["type"] == "step_failed"]
    assert failed == [{"type": "step_failed", "execution_id": "e", "workflow_id": "wf", "step_id": "a", "attempts": 1,
                       "error": "RuntimeError: a failure 1"}]
    assert [(e["step_id"], e["attempts"], e["error"]) for e in failed] == [("a", 1, "RuntimeError: a failure 1")]
    assert events(ws_manager)[-1] == {"type": "workflow_finished", "execution_id": "e", "workflow_id": "wf",
                                      "status": "failed", "duration_ms": 0}


async def test_a_failing_ws_manager_is_logged_and_does_not_change_the_result(make_engine, caplog):
    broken = AsyncMock(name="ws_manager")
    broken.broadcast.side_effect = ConnectionResetError("socket closed")
    with caplog.at_level(logging.ERROR, logger="core.workflow_engine"):
        result = await outcome(make_engine(ws_manager=broken).execute_workflow(workflow(probe("a"))))
    assert result["status"] == "completed"
    assert log_records(caplog) == [
        ("ERROR", "ws manager failed to broadcast %s", (kind,))
        for kind in ("workflow_started", "step_started", "step_completed", "workflow_finished")
    ]
    assert caplog.messages == [
        "ws manager failed to broadcast workflow_started",
        "ws manager failed to broadcast step_started",
        "ws manager failed to broadcast step_completed",
        "ws manager failed to broadcast workflow_finished",
    ]


# --- 11. analytics -------------------------------------------------------------------------


async def test_analytics_receives_the_finished_execution(make_engine, analytics, clock):
    engine = make_engine(analytics=analytics, id_factory=lambda: "e10")
    session = object()
    definition = workflow(
        probe("a", duration=2), probe("b", fail_times=1, retries=0, continue_on_error=True),
        probe("c", condition="false"), probe("d", depends_on=["a", "b"]),
    )
    result = await outcome(engine.execute_workflow(definition, db_session=session))
    assert analytics.record_execution.await_args_list == [
        call(
            workflow_id="wf",
            execution_id="e10",
            status="partial",
            started_at=EPOCH,
            completed_at=EPOCH + timedelta(seconds=2),
            execution_time_ms=2000,
            total_steps=4,
            completed_steps=2,
            failed_steps=1,
            skipped_steps=1,
            error="step 'b': RuntimeError: b failure 1",
            db_session=session,
        )
    ]
    assert result["duration_ms"] == 2000


async def test_a_failing_analytics_collaborator_is_logged_and_does_not_change_the_result(make_engine, caplog):
    broken = AsyncMock(name="analytics")
    broken.record_execution.side_effect = RuntimeError("db down")
    with caplog.at_level(logging.ERROR, logger="core.workflow_engine"):
        result = await outcome(make_engine(analytics=broken, id_factory=lambda: "e11").execute_workflow(workflow(probe("a"))))
    assert result["status"] == "completed"
    assert result["outputs"] == {"a": {"step": "a", "attempt": 1}}
    assert log_records(caplog) == [("ERROR", "analytics failed to record execution %s", ("e11",))]
    assert caplog.messages == ["analytics failed to record execution e11"]
    assert broken.record_execution.await_count == 1
