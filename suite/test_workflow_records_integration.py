"""What the engine records about a run, compared as a whole: every snapshot given to the state
manager, every event, the copies it hands out and keeps, and resuming from stored state.

Runs go through `outcome`, so a run that raises instead of returning fails the comparison.
"""

import copy
from datetime import timedelta
from unittest.mock import AsyncMock, call

from conftest import EPOCH, events, outcome, snapshots
from core.workflow_collaborators import InMemoryStateManager

START = EPOCH.isoformat()
ONE_SECOND_LATER = (EPOCH + timedelta(seconds=1)).isoformat()


def register_cancelling_action(engine):
    """Action `stop`: a second into the step, cancels its own execution, then waits a second more."""

    async def stop(inputs, context):
        await context.sleep(1)
        await engine.cancel(context.execution_id)
        await context.sleep(1)

    engine.register_action("stop", stop)


def step(status, output=None, error=None, attempts=0, branch=None):
    """A step record as it appears in results and snapshots."""
    return {"status": status, "output": output, "error": error, "attempts": attempts, "branch": branch}


def snapshot(steps, status="running", completed_at=None, inputs=None, execution_id="e"):
    return {
        "execution_id": execution_id,
        "workflow_id": "wf",
        "status": status,
        "inputs": {} if inputs is None else inputs,
        "started_at": START,
        "completed_at": completed_at,
        "steps": steps,
    }


ROUTED = {
    "id": "wf",
    "steps": [
        {"id": "a", "action": "set_value", "inputs": {"n": "${input.n}"}},
        {
            "id": "route",
            "depends_on": ["a"],
            "condition": "${a.n} > 0",
            "then": [{"id": "t", "action": "set_value", "inputs": {"v": 1}}],
            "else": [{"id": "f", "action": "set_value"}],
        },
    ],
}


async def test_the_state_manager_receives_a_full_snapshot_at_every_transition(make_engine, state_manager):
    engine = make_engine(state_manager=state_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(ROUTED, inputs={"n": 1}))

    steps = {step_id: step("pending") for step_id in ("a", "route", "t", "f")}
    expected = [snapshot(dict(steps), inputs={"n": 1})]
    for changes in [
        {"a": step("running", attempts=1)},
        {"a": step("completed", {"n": 1}, attempts=1)},
        {"route": step("running", branch="then")},
        {"f": step("skipped", error="branch 'else' not taken")},
        {"t": step("running", attempts=1)},
        {"t": step("completed", {"v": 1}, attempts=1)},
        {"route": step("completed", {"t": {"v": 1}}, branch="then")},
    ]:
        steps = {**steps, **changes}
        expected.append(snapshot(steps, inputs={"n": 1}))
    expected.append(snapshot(steps, status="completed", completed_at=START, inputs={"n": 1}))

    assert snapshots(state_manager) == [("e", expected_snapshot) for expected_snapshot in expected]
    assert result == {
        **expected[-1],
        "status": "completed",
        "outputs": {"a": {"n": 1}, "route": {"t": {"v": 1}}},
        "error": None,
        "duration_ms": 0,
    }


async def test_skipped_failed_and_cancelled_steps_are_saved_with_their_reasons(make_engine, state_manager):
    engine = make_engine(state_manager=state_manager, id_factory=lambda: "e")

    register_cancelling_action(engine)
    definition = {
        "id": "wf",
        "steps": [
            {"id": "bad", "action": "wait", "inputs": {}},
            {"id": "child", "action": "set_value", "depends_on": ["bad"]},
            {"id": "halt", "action": "stop"},
        ],
    }
    result = await outcome(engine.execute_workflow(definition))

    error = "PermanentStepError: wait needs inputs.duration, a number of seconds >= 0, got None"
    final_steps = {
        "bad": step("failed", error=error, attempts=1),
        "child": step("skipped", error="dependency 'bad' failed"),
        "halt": step("cancelled", error="cancelled", attempts=1),
    }
    assert snapshots(state_manager)[-1] == ("e", snapshot(final_steps, status="cancelled", completed_at=ONE_SECOND_LATER))
    assert result == {
        **snapshot(final_steps, status="cancelled", completed_at=ONE_SECOND_LATER),
        "outputs": {},
        "error": f"step 'bad': {error}",
        "duration_ms": 1000,
    }


async def test_every_event_of_a_branching_run_in_order(make_engine, ws_manager):
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow(ROUTED, inputs={"n": 0}))

    ids = {"execution_id": "e", "workflow_id": "wf"}
    assert result["outputs"] == {"a": {"n": 0}, "route": {"f": {}}}
    assert events(ws_manager) == [
        {"type": "workflow_started", **ids},
        {"type": "step_started", **ids, "step_id": "a", "attempt": 1},
        {"type": "step_completed", **ids, "step_id": "a", "attempts": 1},
        {"type": "step_started", **ids, "step_id": "route", "branch": "else"},
        {"type": "step_skipped", **ids, "step_id": "t", "reason": "branch 'then' not taken"},
        {"type": "step_started", **ids, "step_id": "f", "attempt": 1},
        {"type": "step_completed", **ids, "step_id": "f", "attempts": 1},
        {"type": "step_completed", **ids, "step_id": "route", "attempts": 0},
        {"type": "workflow_finished", **ids, "status": "completed", "duration_ms": 0},
    ]


async def test_each_cancelled_step_is_announced_once(make_engine, ws_manager):
    engine = make_engine(ws_manager=ws_manager, id_factory=lambda: "e")

    register_cancelling_action(engine)
    definition = {"id": "wf", "steps": [
        {"id": "halt", "action": "stop"},
        {"id": "next", "action": "stop", "depends_on": ["halt"]},
    ]}
    result = await outcome(engine.execute_workflow(definition))

    ids = {"execution_id": "e", "workflow_id": "wf"}
    assert result["status"] == "cancelled"
    assert events(ws_manager) == [
        {"type": "workflow_started", **ids},
        {"type": "step_started", **ids, "step_id": "halt", "attempt": 1},
        {"type": "step_cancelled", **ids, "step_id": "next"},
        {"type": "step_cancelled", **ids, "step_id": "halt"},
        {"type": "workflow_finished", **ids, "status": "cancelled", "duration_ms": 1000},
    ]


# --- copies: what the engine hands out never aliases what callers and actions keep ----------


async def test_the_result_does_not_change_when_the_caller_changes_its_inputs(make_engine):
    inputs = {"order": {"items": [1]}}
    definition = {"id": "wf", "steps": [{"id": "a", "action": "set_value"}]}
    result = await outcome(make_engine().execute_workflow(definition, inputs=inputs))
    inputs["order"]["items"].append(2)
    assert result["inputs"] == {"order": {"items": [1]}}


async def test_the_result_does_not_change_when_an_action_changes_the_output_it_returned(make_engine, state_manager):
    kept = {"items": [1]}

    async def share(inputs, context):
        return kept

    engine = make_engine(actions={"share": share}, state_manager=state_manager, id_factory=lambda: "e")
    result = await outcome(engine.execute_workflow({"id": "wf", "steps": [{"id": "a", "action": "share"}]}))
    kept["items"].append(2)

    assert result["steps"]["a"] == step("completed", {"items": [1]}, attempts=1)
    assert result["outputs"] == {"a": {"items": [1]}}
    assert snapshots(state_manager)[-1][1]["steps"]["a"] == step("completed", {"items": [1]}, attempts=1)
    assert (await state_manager.get_state("e"))["steps"]["a"] == step("completed", {"items": [1]}, attempts=1)


async def test_resume_does_not_change_the_state_it_was_given(make_engine):
    stored = snapshot({"a": step("completed", {"items": [1]}, attempts=1), "b": step("failed", error="boom", attempts=1)},
                      status="failed", completed_at=START)
    original = copy.deepcopy(stored)
    store = AsyncMock(name="state_manager")
    store.get_state.return_value = stored

    async def append(inputs, context):
        inputs["items"].append(2)
        return len(inputs["items"])

    definition = {"id": "wf", "steps": [
        {"id": "a", "action": "set_value"},
        {"id": "b", "action": "append", "depends_on": ["a"], "inputs": {"items": "${a.items}"}},
    ]}
    resumed = await outcome(make_engine(state_manager=store, actions={"append": append}).resume("e", definition))

    assert resumed["outputs"]["b"] == 2
    assert stored == original


# --- resume --------------------------------------------------------------------------------


async def test_resume_runs_steps_the_stored_state_does_not_know_yet(make_engine, log):
    state = InMemoryStateManager()
    engine = make_engine(state_manager=state, id_factory=lambda: "e")
    first = await outcome(engine.execute_workflow({"id": "wf", "steps": [{"id": "a", "action": "probe"}]}))
    assert first["outputs"] == {"a": {"step": "a", "attempt": 1}}
    log.entries.clear()

    grown = {"id": "wf", "steps": [
        {"id": "a", "action": "probe"},
        {"id": "b", "action": "set_value", "depends_on": ["a"], "inputs": {"from_a": "${a.step}"}},
    ]}
    resumed = await outcome(engine.resume("e", grown))

    assert log.entries == []
    assert resumed == {
        **snapshot({"a": step("completed", {"step": "a", "attempt": 1}, attempts=1),
                    "b": step("completed", {"from_a": "a"}, attempts=1)},
                   status="completed", completed_at=START),
        "outputs": {"a": {"step": "a", "attempt": 1}, "b": {"from_a": "a"}},
        "error": None,
        "duration_ms": 0,
    }


async def test_resume_hands_the_db_session_to_analytics(make_engine, analytics):
    state = InMemoryStateManager()
    engine = make_engine(state_manager=state, analytics=analytics, id_factory=lambda: "e")
    definition = {"id": "wf", "steps": [{"id": "a", "action": "probe", "inputs": {"fail_times": 1}, "retries": 0}]}
    first = await outcome(engine.execute_workflow(definition))
    assert first["status"] == "failed"

    session = object()
    resumed = await outcome(engine.resume("e", definition, db_session=session))

    assert resumed["status"] == "completed"
    assert analytics.record_execution.await_args_list[1:] == [
        call(
            workflow_id="wf", execution_id="e", status="completed", started_at=EPOCH, completed_at=EPOCH,
            execution_time_ms=0, total_steps=1, completed_steps=1, failed_steps=0, skipped_steps=0, error=None,
            db_session=session,
        )
    ]
