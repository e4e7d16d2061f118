"""Fault injection for the workflow engine (issue 13, points 6 and 7).

Run-time faults: references, conditions and values that raise while a step runs, and action
outputs nested past the limit, containing themselves or that cannot be copied. Each probe
asserts the failed step's exact error, the final status (in the result and in the stored
state), the final `workflow_finished` event and the one analytics record.

Validation faults: definitions and inputs nested past the documented limits or holding
oversized literals. Each probe asserts the exact `WorkflowValidationError` naming the step and
the limit, and that nothing ran: no state saved, no event, no analytics record, no action.
"""

import decimal
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest

from conftest import EPOCH, Raised, finishes, log_records, outcome
from core.conditions import MAX_CONDITION_DEPTH, MAX_NUMBER_LENGTH
from core.references import resolve
from core.workflow_collaborators import InMemoryStateManager
from core.workflow_definition import MAX_NESTING_DEPTH
from core.workflow_errors import PermanentStepError, StepOutputError

EXECUTION_ID = "fault"
HUGE_INDEX = "1" * 5000


def workflow(*steps):
    return {"id": "wf", "steps": list(steps)}


def step(status, output=None, error=None, attempts=0, branch=None):
    """A step record as it appears in results and snapshots."""
    return {"status": status, "output": output, "error": error, "attempts": attempts, "branch": branch}


def nested_list(depth, leaf=1):
    """`leaf` inside `depth` lists: nested_list(2) == [[1]]."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def nested_tuple(depth, leaf=1):
    """`leaf` inside `depth` tuples: nested_tuple(2) == ((1,),)."""
    value = leaf
    for _ in range(depth):
        value = (value,)
    return value


def nested_dict(depth, leaf=1):
    """`leaf` inside `depth` dicts, each keyed "k": nested_dict(2) == {"k": {"k": 1}}."""
    value = leaf
    for _ in range(depth):
        value = {"k": value}
    return value


def nested_branches(depth):
    """A step `b0` whose `then` branch nests `depth` levels deep, ending in step `leaf`."""
    inner = {"id": "leaf", "action": "set_value", "inputs": {"v": 1}}
    for level in reversed(range(depth)):
        inner = {"id": f"b{level}", "condition": "true", "then": [inner]}
    return inner


@dataclass
class Probe:
    """What one run produced and left behind."""

    result: object
    stored: object
    events: list
    analytics: list
    saves: int


class Opaque:
    """A value that neither JSON nor `str` can write as text."""

    def __str__(self):
        raise RuntimeError("no text for you")


class NoTruth:
    """A value whose truth cannot be told."""

    def __bool__(self):
        raise ValueError("truth is unknowable")


class Uncopyable:
    """A value that refuses to be copied."""

    def __deepcopy__(self, memo):
        raise RuntimeError("no copies")


class Box:
    """A plain object holding another value: `copy.deepcopy` walks into it, the depth limit does not."""

    def __init__(self, inner):
        self.inner = inner


def boxes(depth):
    """1 inside `depth` nested `Box`es."""
    value = 1
    for _ in range(depth):
        value = Box(value)
    return value


def self_containing_list():
    loop = [1]
    loop.append(loop)
    return loop


def self_containing_dict():
    loop = {"v": 1}
    loop["self"] = {"again": loop}
    return loop


def returning(value):
    """An action that returns `value` whatever its inputs."""

    async def action(inputs, context):
        return value

    return action


class BrokenMapping(dict):
    """A dict whose key lookups raise (a stand-in for any value that breaks the engine)."""

    def __contains__(self, key):
        raise RuntimeError("lookups are broken")


class Recorder:
    """Stands in for the ws manager and the analytics collaborator, keeping what each receives.

    (Plain lists, not mocks: one probe makes over a thousand attempts.)
    """

    def __init__(self):
        self.events = []
        self.records = []

    async def broadcast(self, event):
        self.events.append(event)

    async def record_execution(self, **fields):
        self.records.append(fields)


class CountingStateManager(InMemoryStateManager):
    """The in-memory state manager, counting its saves."""

    def __init__(self):
        super().__init__()
        self.saves = 0

    async def save_state(self, execution_id, state):
        self.saves += 1
        await super().save_state(execution_id, state)


@pytest.fixture
def run(make_engine):
    """Run a definition on fresh recording collaborators, returning a `Probe`."""

    async def run_probe(definition, inputs=None, actions=None, **options):
        state = CountingStateManager()
        recorder = Recorder()
        engine = make_engine(state_manager=state, ws_manager=recorder, analytics=recorder,
                             id_factory=lambda: EXECUTION_ID, **options)
        for name, action in (actions or {}).items():
            engine.register_action(name, action)
        result = await outcome(finishes(engine.execute_workflow(definition, inputs=inputs), ticks=20000))
        stored = await state.get_state(EXECUTION_ID)
        return Probe(result=result, stored=stored, events=recorder.events, analytics=recorder.records, saves=state.saves)

    return run_probe


def finished_event(status, duration_ms=0):
    return {"type": "workflow_finished", "execution_id": EXECUTION_ID, "workflow_id": "wf", "status": status,
            "duration_ms": duration_ms}


def analytics_record(status, error, total=1, completed=0, failed=1, skipped=0, duration_ms=0):
    return dict(workflow_id="wf", execution_id=EXECUTION_ID, status=status, started_at=EPOCH,
                completed_at=EPOCH + timedelta(milliseconds=duration_ms), execution_time_ms=duration_ms, total_steps=total,
                completed_steps=completed, failed_steps=failed, skipped_steps=skipped, error=error, db_session=None)


def assert_finished_failed(probe, failed_step, error, total=1, completed=0, skipped=0, attempts=0, branch=None,
                           duration_ms=0):
    """The run ended `failed` because `failed_step` failed with `error`, and said so everywhere."""
    record = step("failed", error=error, attempts=attempts, branch=branch)
    assert probe.result["steps"][failed_step] == record
    assert probe.result["status"] == "failed"
    assert probe.result["error"] == f"step {failed_step!r}: {error}"
    assert probe.stored["status"] == "failed"
    assert probe.stored["steps"][failed_step] == record
    assert probe.events[-1] == finished_event("failed", duration_ms)
    assert [event["type"] for event in probe.events].count("workflow_finished") == 1
    assert probe.analytics == [
        analytics_record("failed", f"step {failed_step!r}: {error}", total=total, completed=completed, skipped=skipped,
                         duration_ms=duration_ms)
    ]


def assert_rejected(probe, log, step_id, problem):
    """Validation refused the run with `problem`, naming `step_id`, before anything happened."""
    where = "workflow" if step_id is None else f"step {step_id!r}"
    assert probe.result == Raised(f"WorkflowValidationError: {where}: {problem}")
    assert probe.result.exception.step_id == step_id
    assert probe.result.exception.problem == problem
    assert (probe.stored, probe.events, probe.analytics, probe.saves) == (None, [], [], 0)
    assert log.entries == []


# --- 6. a workflow always finishes: references ---------------------------------------------


@pytest.mark.parametrize(
    ("reference", "items", "reason"),
    [
        ("input.items.²", [1, 2, 3], "no index '²' in a list of 3"),
        ("input.items.٣", [1, 2, 3, 4], "no index '٣' in a list of 4"),
        (f"input.items.{HUGE_INDEX}", [1], f"no index {HUGE_INDEX!r} in a list of 1"),
        (f"input.items.{'9' * 4000}", [1], f"no index {'9' * 4000!r} in a list of 1"),
    ],
    ids=["superscript-two", "arabic-indic-three", "5000-digits", "4000-digits"],
)
async def test_a_list_index_that_is_not_an_ascii_number_fails_the_step(run, log, reference, items, reason):
    error = f"cannot resolve ${{{reference}}}: {reason}"
    probe = await run(
        workflow({"id": "use", "action": "probe", "inputs": {"v": f"${{{reference}}}"}}, {"id": "free", "action": "probe"}),
        inputs={"items": items},
    )
    assert_finished_failed(probe, "use", error, total=2, completed=1)
    assert probe.result["steps"]["free"] == step("completed", {"step": "free", "attempt": 1}, attempts=1)
    assert log.ran() == ["free"]


@pytest.mark.parametrize(
    ("reference", "reason"),
    [("input.items.²", "no index '²' in a list of 3"), (f"input.items.{HUGE_INDEX}", f"no index {HUGE_INDEX!r} in a list of 3")],
    ids=["superscript-two", "5000-digits"],
)
async def test_a_condition_on_a_bad_list_index_fails_the_step(run, log, reference, reason):
    condition = f"${{{reference}}} == 1"
    error = f"condition {condition!r}: cannot resolve ${{{reference}}}: {reason}"
    probe = await run(workflow({"id": "a", "action": "probe", "condition": condition}), inputs={"items": [1, 2, 3]})
    assert_finished_failed(probe, "a", error)
    assert log.entries == []


async def test_a_leading_zero_index_of_ascii_digits_still_resolves(run):
    probe = await run(workflow({"id": "a", "action": "set_value", "inputs": {"v": "${input.items.002}"}}),
                      inputs={"items": [10, 11, 12]})
    assert probe.result["outputs"] == {"a": {"v": 12}}
    assert probe.events[-1] == finished_event("completed")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (10 ** 5000, "int value cannot be written as text (ValueError)"),
        (Opaque(), "Opaque value cannot be written as text (RuntimeError)"),
    ],
    ids=["5001-digit-int", "no-str"],
)
async def test_interpolating_a_value_that_has_no_text_fails_the_step(run, log, value, reason):
    error = f"cannot resolve ${{input.v}}: {reason}"
    probe = await run(workflow({"id": "a", "action": "probe", "inputs": {"t": "v=${input.v}"}}), inputs={"v": value})
    assert_finished_failed(probe, "a", error)
    assert log.entries == []


def test_interpolating_a_value_that_contains_itself_uses_its_text():
    """JSON cannot write a value that contains itself; its `str` can."""
    assert resolve({"t": "v=${a.loop}"}, {"a": {"loop": self_containing_list()}}) == {"t": "v=[1, [...]]"}


# --- 6. a workflow always finishes: conditions ---------------------------------------------


@pytest.mark.parametrize(
    ("condition", "value", "reason"),
    [
        ("${input.v}", NoTruth(), "cannot evaluate: ValueError: truth is unknowable"),
        ("not ${input.v}", NoTruth(), "cannot evaluate: ValueError: truth is unknowable"),
        ("${input.v} or true", NoTruth(), "cannot evaluate: ValueError: truth is unknowable"),
        ("${input.v} < 1", decimal.Decimal("NaN"), "cannot evaluate: InvalidOperation: [<class 'decimal.InvalidOperation'>]"),
    ],
    ids=["truth", "not", "or", "decimal-nan"],
)
async def test_a_condition_whose_values_raise_fails_the_step(run, log, condition, value, reason):
    probe = await run(workflow({"id": "a", "action": "probe", "condition": condition}), inputs={"v": value})
    assert_finished_failed(probe, "a", f"condition {condition!r}: {reason}")
    assert log.entries == []


async def test_a_branch_condition_whose_values_raise_fails_the_step_and_runs_no_branch(run, log):
    condition = "${input.v}"
    error = f"condition {condition!r}: cannot evaluate: ValueError: truth is unknowable"
    probe = await run(
        workflow({"id": "route", "condition": condition, "then": [{"id": "t", "action": "probe"}],
                  "else": [{"id": "e", "action": "probe"}]}),
        inputs={"v": NoTruth()},
    )
    assert_finished_failed(probe, "route", error)
    assert (probe.result["steps"]["t"], probe.result["steps"]["e"]) == (step("pending"), step("pending"))
    assert log.entries == []


# --- 6. a workflow always finishes: anything else a step raises -----------------------------


async def test_a_value_that_breaks_the_engine_fails_its_step_and_the_run_finishes(run, log, caplog):
    error = "unexpected RuntimeError: lookups are broken"
    with caplog.at_level(logging.ERROR, logger="core.workflow_engine"):
        probe = await run(
            workflow({"id": "use", "action": "probe", "inputs": {"v": "${input.m.key}"}},
                     {"id": "after", "action": "probe", "depends_on": ["use"]}),
            inputs={"m": BrokenMapping(key=1)},
        )
    assert_finished_failed(probe, "use", error, total=2, skipped=1)
    assert probe.result["steps"]["after"] == step("skipped", error="dependency 'use' failed")
    assert log_records(caplog) == [("ERROR", "step %s of execution %s raised", ("use", EXECUTION_ID))]
    assert log.entries == []


async def test_a_sub_step_that_breaks_the_engine_fails_every_unfinished_step_of_its_tree(run, log, caplog):
    error = "unexpected RuntimeError: lookups are broken"
    definition = workflow({
        "id": "route", "condition": "true",
        "then": [{"id": "first", "action": "probe"},
                 {"id": "broken", "action": "probe", "inputs": {"v": "${input.m.key}"}},
                 {"id": "last", "action": "probe"}],
        "else": [{"id": "other", "action": "probe"}],
    })
    with caplog.at_level(logging.ERROR, logger="core.workflow_engine"):
        probe = await run(definition, inputs={"m": BrokenMapping(key=1)})
    assert_finished_failed(probe, "route", error, branch="then")
    assert probe.result["steps"] == {
        "route": step("failed", error=error, branch="then"),
        "first": step("completed", {"step": "first", "attempt": 1}, attempts=1),
        "broken": step("failed", error=error),
        "last": step("failed", error=error),
        "other": step("skipped", error="branch 'else' not taken"),
    }
    failures = [event for event in probe.events if event["type"] == "step_failed"]
    assert failures == [
        {"type": "step_failed", "execution_id": EXECUTION_ID, "workflow_id": "wf", "step_id": step_id,
         "attempts": 0, "error": error}
        for step_id in ("route", "broken", "last")
    ]
    assert probe.stored["steps"] == probe.result["steps"]
    assert log_records(caplog) == [("ERROR", "step %s of execution %s raised", ("route", EXECUTION_ID))]
    assert log.ran() == ["first"]


async def test_retries_past_the_float_range_keep_the_capped_backoff(run, clock):
    """Attempt 1025 backs off base * 2**1024 seconds: more than a float holds, so the cap applies."""

    async def always_fails(inputs, context):
        raise RuntimeError("down")

    probe = await run(workflow({"id": "a", "action": "always_fails", "retries": 1025}), actions={"always_fails": always_fails},
                      retry_backoff_seconds=0.25, max_backoff_seconds=0.5)
    assert_finished_failed(probe, "a", "RuntimeError: down", attempts=1026, duration_ms=512250)
    assert clock.sleeps == [0.25] + [0.5] * 1024


# --- 6. a workflow always finishes: action outputs -------------------------------------------


TOO_DEEP = f"StepOutputError: step 'a' returned an output nested deeper than {MAX_NESTING_DEPTH} levels of dicts and lists"


def test_step_output_error_is_a_permanent_step_error_naming_step_and_problem():
    error = StepOutputError("s", "an output nested too deep")
    assert isinstance(error, PermanentStepError)
    assert (error.step_id, error.problem, str(error)) == ("s", "an output nested too deep",
                                                          "step 's' returned an output nested too deep")


@pytest.mark.parametrize(
    "output",
    [
        nested_list(MAX_NESTING_DEPTH + 1),
        {"v": nested_dict(MAX_NESTING_DEPTH)},
        nested_dict(MAX_NESTING_DEPTH, leaf=[]),
        {"w": 1, "v": [nested_tuple(MAX_NESTING_DEPTH - 1)]},
        nested_list(600),
        nested_dict(5000),
        self_containing_list(),
        self_containing_dict(),
    ],
    ids=["lists-33", "dicts-33", "dicts-32-around-an-empty-list", "tuples-33-after-a-shallow-value", "lists-600", "dicts-5000", "list-contains-itself",
         "dict-contains-itself"],
)
async def test_an_output_nested_past_the_limit_fails_its_step_at_once(run, log, caplog, output):
    with caplog.at_level(logging.DEBUG, logger="core.workflow_engine"):
        probe = await run(
            workflow({"id": "a", "action": "deep"}, {"id": "after", "action": "probe", "depends_on": ["a"]}),
            actions={"deep": returning(output)},
        )
    assert_finished_failed(probe, "a", TOO_DEEP, total=2, skipped=1, attempts=1)
    assert probe.result["steps"]["after"] == step("skipped", error="dependency 'a' failed")
    assert probe.stored["steps"] == probe.result["steps"]
    assert [event["type"] for event in probe.events] == [
        "workflow_started", "step_started", "step_failed", "step_skipped", "workflow_finished"]
    assert log_records(caplog) == []
    assert log.entries == []


@pytest.mark.parametrize(
    "output",
    [
        nested_list(MAX_NESTING_DEPTH),
        nested_dict(MAX_NESTING_DEPTH - 1, leaf=[]),
        {"v": nested_tuple(MAX_NESTING_DEPTH - 1, leaf="x")},
        {"a": nested_list(MAX_NESTING_DEPTH - 1), "b": nested_list(MAX_NESTING_DEPTH - 1)},
        {"same": [1], "again": [1], "x": None},
    ],
    ids=["lists-32", "dicts-31-around-an-empty-list", "tuples-31-in-a-dict", "two-at-the-limit", "shared-not-looping"],
)
async def test_an_output_nested_up_to_the_limit_is_kept_and_passed_on(run, output):
    probe = await run(
        workflow({"id": "a", "action": "deep"},
                 {"id": "b", "action": "set_value", "depends_on": ["a"], "inputs": "${a}"}),
        actions={"deep": returning(output)},
    )
    assert probe.result["outputs"] == {"a": output, "b": output}
    assert probe.result["status"] == "completed"
    assert probe.stored["status"] == "completed"
    assert probe.stored["steps"]["a"] == step("completed", output, attempts=1)
    assert probe.events[-1] == finished_event("completed")
    assert probe.analytics == [analytics_record("completed", None, total=2, completed=2, failed=0)]


async def test_an_output_that_shares_a_value_keeps_it_shared_once_copied(run):
    shared = [1]
    probe = await run(workflow({"id": "a", "action": "deep"}), actions={"deep": returning({"x": shared, "y": shared})})
    output = probe.result["outputs"]["a"]
    assert output == {"x": [1], "y": [1]}
    assert output["x"] is output["y"]
    assert output["x"] is not shared


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ({"v": Uncopyable()}, "RuntimeError"),
        ({"lock": threading.Lock()}, "TypeError"),
        (boxes(1000), "RecursionError"),
        ([boxes(5000)], "RecursionError"),
    ],
    ids=["refuses-copies", "a-lock", "1000-nested-objects", "5000-nested-objects-in-a-list"],
)
async def test_an_output_that_cannot_be_copied_fails_its_step_at_once(run, caplog, output, reason):
    with caplog.at_level(logging.DEBUG, logger="core.workflow_engine"):
        probe = await run(workflow({"id": "a", "action": "deep", "retries": 2}), actions={"deep": returning(output)})
    assert_finished_failed(probe, "a", f"StepOutputError: step 'a' returned an output that cannot be copied ({reason})",
                           attempts=1)
    assert log_records(caplog) == []


async def test_an_output_past_the_limit_fails_a_step_with_a_timeout(run):
    probe = await run(workflow({"id": "a", "action": "deep", "timeout": 5}), actions={"deep": returning(self_containing_list())})
    assert_finished_failed(probe, "a", TOO_DEEP, attempts=1)


async def test_a_sub_step_output_past_the_limit_fails_its_branch(run, log):
    probe = await run(
        workflow({"id": "route", "condition": "true",
                  "then": [{"id": "a", "action": "deep"}, {"id": "later", "action": "probe"}],
                  "else": [{"id": "other", "action": "probe"}]}),
        actions={"deep": returning(nested_list(600))},
    )
    assert_finished_failed(probe, "route", "sub-step 'a' failed", branch="then")
    assert probe.result["steps"] == {
        "route": step("failed", error="sub-step 'a' failed", branch="then"),
        "a": step("failed", error=TOO_DEEP, attempts=1),
        "later": step("skipped", error="sub-step 'a' failed"),
        "other": step("skipped", error="branch 'else' not taken"),
    }
    assert probe.stored["steps"] == probe.result["steps"]
    assert log.entries == []


async def test_an_output_past_the_limit_with_continue_on_error_ends_the_run_partial(run, log):
    probe = await run(
        workflow({"id": "a", "action": "deep", "continue_on_error": True},
                 {"id": "after", "action": "probe", "depends_on": ["a"]}),
        actions={"deep": returning(self_containing_dict())},
    )
    failed = step("failed", error=TOO_DEEP, attempts=1)
    assert probe.result["steps"]["a"] == failed
    assert probe.result["outputs"] == {"after": {"step": "after", "attempt": 1}}
    assert (probe.result["status"], probe.stored["status"]) == ("partial", "partial")
    assert probe.result["error"] == f"step 'a': {TOO_DEEP}"
    assert probe.stored["steps"] == probe.result["steps"]
    assert probe.events[-1] == finished_event("partial")
    assert [event["type"] for event in probe.events].count("workflow_finished") == 1
    assert probe.analytics == [analytics_record("partial", f"step 'a': {TOO_DEEP}", total=2, completed=1)]
    assert log.calls[0][2].dependencies == {"a": {"status": "failed", "output": None, "error": TOO_DEEP}}


# --- 7. bounded parsing: conditions ----------------------------------------------------------


def nesting_error(condition, column):
    return (f"malformed condition {condition!r}: nested deeper than {MAX_CONDITION_DEPTH} levels of parentheses "
            f"and 'not' at column {column}")


def test_the_documented_limits():
    assert (MAX_CONDITION_DEPTH, MAX_NUMBER_LENGTH, MAX_NESTING_DEPTH) == (32, 64, 32)


@pytest.mark.parametrize(
    ("condition", "column"),
    [
        ("(" * 300 + "true" + ")" * 300, 33),
        ("(" * 33 + "true" + ")" * 33, 33),
        ("not " * 1000 + "true", 129),
        ("not " * 33 + "true", 129),
        ("not (" * 16 + "not true" + ")" * 16, 81),
        ("(" * 31 + "(true) and ((true))" + ")" * 31, 44),
        ("(" * 31 + "not true and not (true)" + ")" * 31, 49),
    ],
    ids=["300-parens", "33-parens", "1000-nots", "33-nots", "parens-and-nots-together", "after-a-closed-paren",
         "after-a-finished-not"],
)
async def test_a_condition_nested_past_the_limit_is_rejected(run, log, condition, column):
    probe = await run(workflow({"id": "a", "action": "probe", "condition": condition}))
    assert_rejected(probe, log, "a", nesting_error(condition, column))


@pytest.mark.parametrize(
    "condition",
    [
        "(" * 32 + "true" + ")" * 32,
        "not " * 32 + "true",
        "not (" * 16 + "true" + ")" * 16,
        " and ".join(["(true)"] * 40),
        " and ".join(["not true == false"] * 40),
        "(" * 31 + "(true) and (true)" + ")" * 31,
    ],
    ids=["32-parens", "32-nots", "16-parens-16-nots", "40-sibling-parens", "40-sibling-nots", "siblings-at-the-limit"],
)
async def test_a_condition_nested_up_to_the_limit_runs(run, condition):
    probe = await run(workflow({"id": "a", "action": "probe", "condition": condition}))
    assert probe.result["steps"]["a"] == step("completed", {"step": "a", "attempt": 1}, attempts=1)
    assert probe.events[-1] == finished_event("completed")


@pytest.mark.parametrize(
    ("condition", "column"),
    [
        ("1" * 5000 + " == 1", 1),
        ("${input.n} == " + "9" * 65, 15),
        ("1 < -" + "1" * 64, 5),
        ("0." + "5" * 63 + " > 0", 1),
    ],
    ids=["5000-digits", "65-digits", "negative-65-characters", "float-65-characters"],
)
async def test_a_number_longer_than_the_limit_is_rejected(run, log, condition, column):
    probe = await run(workflow({"id": "a", "action": "probe", "condition": condition}))
    problem = f"malformed condition {condition!r}: number longer than {MAX_NUMBER_LENGTH} characters at column {column}"
    assert_rejected(probe, log, "a", problem)


async def test_a_number_of_the_limit_length_is_read(run):
    probe = await run(
        workflow({"id": "a", "action": "probe", "condition": "${input.n} == " + "9" * 64},
                 {"id": "b", "action": "probe", "condition": "-" + "1" * 63 + " < 0 and 0." + "5" * 62 + " > 0.5"}),
        inputs={"n": int("9" * 64)},
    )
    assert (probe.result["steps"]["a"]["status"], probe.result["steps"]["b"]["status"]) == ("completed", "completed")


# --- 7. bounded parsing: inputs and branches -----------------------------------------------


@pytest.mark.parametrize(
    "inputs",
    [nested_dict(MAX_NESTING_DEPTH + 1), {"v": nested_list(MAX_NESTING_DEPTH)}, {"w": 1, "v": nested_list(MAX_NESTING_DEPTH)},
     {"v": nested_tuple(MAX_NESTING_DEPTH)}],
    ids=["dicts-33", "dict-and-lists-33", "second-value-too-deep", "dict-and-tuples-33"],
)
async def test_step_inputs_nested_past_the_limit_are_rejected(run, log, inputs):
    probe = await run(workflow({"id": "a", "action": "probe", "depends_on": []}, {"id": "b", "action": "set_value", "inputs": inputs}))
    assert_rejected(probe, log, "b", f"'inputs' nest deeper than {MAX_NESTING_DEPTH} levels of dicts and lists")


async def test_step_inputs_that_contain_themselves_are_rejected(run, log):
    loop = {"v": "${input.x}"}
    loop["self"] = loop
    probe = await run(workflow({"id": "a", "action": "set_value", "inputs": loop}))
    assert_rejected(probe, log, "a", f"'inputs' nest deeper than {MAX_NESTING_DEPTH} levels of dicts and lists")


async def test_step_inputs_nested_up_to_the_limit_run(run):
    inputs = nested_dict(MAX_NESTING_DEPTH, leaf="${input.x}")
    probe = await run(workflow({"id": "a", "action": "set_value", "inputs": inputs}), inputs={"x": 7})
    assert probe.result["outputs"] == {"a": nested_dict(MAX_NESTING_DEPTH, leaf=7)}
    assert probe.events[-1] == finished_event("completed")


async def test_branches_nested_past_the_limit_are_rejected_naming_the_step_too_deep(run, log):
    probe = await run(workflow(nested_branches(MAX_NESTING_DEPTH + 1)))
    assert_rejected(probe, log, "leaf", f"'then'/'else' branches nest deeper than {MAX_NESTING_DEPTH} levels")
    probe = await run(workflow(nested_branches(400)))
    assert_rejected(probe, log, f"b{MAX_NESTING_DEPTH + 1}",
                    f"'then'/'else' branches nest deeper than {MAX_NESTING_DEPTH} levels")


async def test_a_branch_that_contains_itself_is_rejected(run, log):
    looping = {"id": "a", "condition": "true", "then": []}
    looping["then"].append(looping)
    probe = await run(workflow(looping))
    assert_rejected(probe, log, "a", f"'then'/'else' branches nest deeper than {MAX_NESTING_DEPTH} levels")


async def test_branches_nested_up_to_the_limit_run(run):
    probe = await run(workflow(nested_branches(MAX_NESTING_DEPTH)))
    assert probe.result["steps"]["leaf"] == step("completed", {"v": 1}, attempts=1)
    assert probe.result["steps"]["b0"]["status"] == "completed"
    assert probe.result["steps"][f"b{MAX_NESTING_DEPTH - 1}"]["output"] == {"leaf": {"v": 1}}
    assert probe.events[-1] == finished_event("completed")


@pytest.mark.parametrize(
    "inputs",
    [nested_dict(MAX_NESTING_DEPTH + 1), {"v": nested_list(MAX_NESTING_DEPTH)}, {"x": 1, "v": nested_list(MAX_NESTING_DEPTH)},
     {"v": nested_tuple(600)}],
    ids=["dicts-33", "lists-33", "second-value-too-deep", "tuples-600"],
)
async def test_workflow_inputs_nested_past_the_limit_are_rejected(run, log, inputs):
    probe = await run(workflow({"id": "a", "action": "probe"}), inputs=inputs)
    assert_rejected(probe, log, None, f"inputs nest deeper than {MAX_NESTING_DEPTH} levels of dicts and lists")


async def test_workflow_inputs_nested_up_to_the_limit_run(run):
    inputs = {"v": nested_list(MAX_NESTING_DEPTH - 1, leaf=5)}
    probe = await run(workflow({"id": "a", "action": "set_value", "inputs": {"v": "${input.v}"}}), inputs=inputs)
    assert probe.result["outputs"] == {"a": inputs}
    assert probe.result["inputs"] == inputs
    assert probe.events[-1] == finished_event("completed")
