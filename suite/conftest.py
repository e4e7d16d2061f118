"""Shared fixtures of the integration suite: virtual time, recording actions, mocked collaborators,
and `outcome`/`returned`/`iterated`/`Raised` for comparing what a call produced, value or
exception, with one `==`.

Hypothesis runs derandomized with no example database and no deadline everywhere, so a run
(and a mutation run) is reproducible; set HYPOTHESIS_PROFILE=explore to search randomly.
"""

import asyncio
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from unittest.mock import AsyncMock

import pytest
from hypothesis import HealthCheck, settings

from core.workflow_collaborators import InMemoryStateManager
from core.workflow_engine import WorkflowEngine

settings.register_profile(
    "deterministic",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Raised:
    """What a call raised, standing in for the value it should have returned.

    Equal to another `Raised` with the same `error` text ("<ExceptionType>: <message>").
    Indexing gives itself, so an assertion on any part of the expected result fails (showing
    this value) instead of crashing. `exception` keeps the exception itself for checks of its
    attributes; it takes no part in comparisons.
    """

    error: str
    exception: BaseException | None = field(default=None, compare=False, repr=False)

    def __getitem__(self, key):
        return self


def _raised(error):
    # Only `Exception`s get here: the gate's per-test time limit interrupts a hanging test with
    # a BaseException, so a hang is reported as the timeout it is, never compared as a value.
    return Raised(f"{type(error).__name__}: {error}", error)


async def outcome(awaitable):
    """The awaited value, or `Raised(...)` for any `Exception` it raised (cancellation propagates)."""
    try:
        return await awaitable
    except Exception as error:  # noqa: BLE001 - the exception *is* the outcome being compared
        return _raised(error)


def returned(function, *args, **kwargs):
    """`function(*args, **kwargs)`, or `Raised(...)` for any `Exception` it raised: sync `outcome`."""
    try:
        return function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the exception *is* the outcome being compared
        return _raised(error)


async def iterated(aiterable):
    """The items `async for` gives, then `Raised(...)` for any `Exception` the iteration raised."""
    items = []
    try:
        async for item in aiterable:
            items.append(item)
    except Exception as error:  # noqa: BLE001 - the exception *is* the outcome being compared
        items.append(_raised(error))
    return items


class FakeClock:
    """Virtual time for the engine's injected `sleep` and `clock`.

    `sleep(s)` records `s`, yields to the event loop once per whole second (at least once),
    so longer sleeps finish after shorter ones started at the same time, then advances time.
    """

    def __init__(self, start=EPOCH):
        self.start = start
        self.elapsed = 0.0
        self.sleeps = []

    def now(self):
        return self.start + timedelta(seconds=self.elapsed)

    async def sleep(self, seconds):
        self.sleeps.append(seconds)
        for _ in range(1 + int(seconds)):
            await asyncio.sleep(0)
        self.elapsed += seconds


class ActionLog:
    """Actions that record what ran, in order, with the inputs and context they received."""

    def __init__(self, clock):
        self.clock = clock
        self.entries = []
        self.calls = []
        self.active = 0
        self.max_active = 0
        self.failures_left = {}

    def ran(self):
        return [step_id for kind, step_id in self.entries if kind == "start"]

    def position(self, kind, step_id):
        return self.entries.index((kind, step_id))

    async def probe(self, inputs, context):
        """Sleeps `inputs.duration` ticks; fails the first `inputs.fail_times` attempts."""
        self.calls.append((context.step_id, inputs, context))
        self.entries.append(("start", context.step_id))
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await self.clock.sleep(inputs.get("duration", 0))
        finally:
            self.active -= 1
        self.entries.append(("end", context.step_id))
        left = self.failures_left.setdefault(context.step_id, inputs.get("fail_times", 0))
        if left:
            self.failures_left[context.step_id] = left - 1
            raise RuntimeError(f"{context.step_id} failure {inputs.get('fail_times', 0) - left + 1}")
        return {"step": context.step_id, "attempt": context.attempt}

    async def hang(self, inputs, context):
        """Never finishes on its own."""
        self.entries.append(("start", context.step_id))
        await asyncio.Event().wait()

    def actions(self):
        return {"probe": self.probe, "hang": self.hang}


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def log(clock):
    return ActionLog(clock)


@pytest.fixture
def ws_manager():
    return AsyncMock(name="ws_manager")


@pytest.fixture
def state_manager():
    return AsyncMock(name="state_manager", wraps=InMemoryStateManager())


@pytest.fixture
def analytics():
    return AsyncMock(name="analytics")


@pytest.fixture
def make_engine(clock, log):
    """Build an engine on virtual time with the recording actions; keyword overrides win."""

    def make(**overrides):
        options = {"sleep": clock.sleep, "clock": clock.now, "actions": log.actions(), **overrides}
        return WorkflowEngine(**options)

    return make


async def settle_until(predicate, ticks=500):
    """Yield to the event loop until `predicate()` holds; fail (not hang) if it never does."""
    for _ in range(ticks):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"still false after {ticks} event-loop ticks")


async def finishes(awaitable, ticks=2000):
    """Await `awaitable` as a task that must finish within `ticks` event-loop ticks.

    Virtual time never advances by itself, so a run that waits for something that never
    happens (a timeout or a cancellation that does not work) would hang the test; this fails
    it instead, after cancelling the task (and giving it as many ticks again to wind down).
    """
    task = asyncio.ensure_future(awaitable)
    for _ in range(ticks):
        if task.done():
            return task.result()
        await asyncio.sleep(0)
    task.cancel()
    for _ in range(ticks):
        if task.done():
            break
        await asyncio.sleep(0)
    raise AssertionError(f"did not finish within {ticks} event-loop ticks")


def events(ws_manager):
    """Every broadcast event dict, in order."""
    return [call.args[0] for call in ws_manager.broadcast.await_args_list]


def event_trace(ws_manager):
    """The broadcast events as (type, step_id) pairs, in order."""
    return [(event.get("type"), event.get("step_id")) for event in events(ws_manager)]


def snapshots(state_manager):
    """Every (execution_id, snapshot) pair given to `save_state`, in order."""
    return [call.args for call in state_manager.save_state.await_args_list]


def saved_transitions(state_manager, step_id):
    """The statuses one step went through across all `save_state` calls, without repeats."""
    statuses = []
    for _, snapshot in snapshots(state_manager):
        status = step_status(snapshot, step_id)
        if not statuses or statuses[-1] != status:
            statuses.append(status)
    return statuses


def step_status(snapshot, step_id):
    """One step's status in a snapshot or result; `None` when the snapshot has no such entry."""
    try:
        return snapshot["steps"][step_id]["status"]
    except (KeyError, TypeError):
        return None


def log_records(caplog):
    """The captured log records as (level, message template, arguments), without formatting them."""
    return [(record.levelname, record.msg, record.args) for record in caplog.records]
