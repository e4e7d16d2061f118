"""Async DAG workflow execution.

`WorkflowEngine.execute_workflow` validates a definition (see `workflow_definition`), then runs
every step as soon as all of its dependencies are done, at most `max_concurrent_steps` at a
time. Steps retry with exponential backoff through the injected sleep, may time out, may be
guarded by a condition or branch into `then`/`else` sub-steps, and may `continue_on_error`.
Every step transition goes to the state manager, every event to the ws manager, and the
finished execution to the analytics collaborator. `cancel` stops a running execution and
`resume` finishes a stored one without re-running its completed steps.

A run always finishes: whatever a step's references, condition, action or machinery raise, that
step fails (its error names what went wrong), and the run still ends with a final status, a
`workflow_finished` event and one analytics record. An action's output is kept (stored, given to
later steps, returned) only if it nests at most MAX_NESTING_DEPTH levels of dicts and lists and
can be copied; else the step fails at once with `StepOutputError`.
"""

import asyncio
import copy
import logging
import uuid
from datetime import datetime, timezone

from core.conditions import ConditionEvaluationError, holds
from core.references import resolve
from core.workflow_actions import StepContext, builtin_actions
from core.workflow_collaborators import InMemoryStateManager, NullBroadcaster
from core.workflow_definition import MAX_NESTING_DEPTH, nests_too_deep, parse_inputs, parse_workflow
from core.workflow_errors import (
    ExecutionNotFoundError,
    PermanentStepError,
    StepOutputError,
    StepTimeoutError,
    UnresolvedReferenceError,
    WorkflowError,
    WorkflowStateError,
    WorkflowValidationError,
)
from core.workflow_execution import Execution
from core.workflow_status import StepStatus, WorkflowExecutionStatus

__all__ = [
    "ExecutionNotFoundError",
    "PermanentStepError",
    "StepOutputError",
    "StepStatus",
    "StepTimeoutError",
    "WorkflowEngine",
    "WorkflowExecutionStatus",
    "WorkflowStateError",
    "WorkflowValidationError",
]

logger = logging.getLogger(__name__)


def utc_now():
    return datetime.now(timezone.utc)


def new_execution_id():
    return uuid.uuid4().hex


class WorkflowEngine:
    """Runs workflow definitions; see the module docstring for the behaviour."""

    def __init__(
        self,
        *,
        state_manager=None,
        ws_manager=None,
        analytics=None,
        actions=None,
        max_concurrent_steps=5,
        max_retries=3,
        retry_backoff_seconds=1.0,
        max_backoff_seconds=60.0,
        sleep=asyncio.sleep,
        clock=utc_now,
        id_factory=new_execution_id,
    ):
        _require_int("max_concurrent_steps", max_concurrent_steps, minimum=1)
        _require_int("max_retries", max_retries, minimum=0)
        self._state_manager = state_manager or InMemoryStateManager()
        self._ws_manager = ws_manager or NullBroadcaster()
        self._analytics = analytics
        self._actions = {**builtin_actions(), **(actions or {})}
        self._max_concurrent_steps = max_concurrent_steps
        self._max_retries = max_retries
        self._retry_backoff_seconds = retry_backoff_seconds
        self._max_backoff_seconds = max_backoff_seconds
        self._sleep = sleep
        self._clock = clock
        self._new_id = id_factory
        self._running = {}

    def register_action(self, name, action):
        """Add or replace an action available to workflow steps."""
        self._actions[name] = action

    async def execute_workflow(self, workflow_def, db_session=None, inputs=None):
        """Validate and run a workflow; returns the execution result dict."""
        spec = parse_workflow(workflow_def, self._actions)
        execution = Execution.start(self._new_id(), spec, parse_inputs(inputs), self._clock())
        return await self._run(execution, db_session)

    async def resume(self, execution_id, workflow_def, db_session=None):
        """Finish a stored execution, re-running only the steps that had not completed."""
        spec = parse_workflow(workflow_def, self._actions)
        if execution_id in self._running:
            raise WorkflowError(f"execution {execution_id!r} is still running")
        state = await self._state_manager.get_state(execution_id)
        if state is None:
            raise ExecutionNotFoundError(execution_id)
        try:
            execution = Execution.restore(spec, state, self._clock())
        except WorkflowValidationError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise WorkflowStateError(execution_id, repr(error)) from None
        return await self._run(execution, db_session)

    async def cancel(self, execution_id):
        """Cancel a running execution; returns False when it is not running."""
        execution = self._running.get(execution_id)
        if execution is None:
            return False
        execution.cancel_requested = True
        for task in execution.tasks:
            task.cancel()
        return True

    async def _run(self, execution, db_session):
        self._running[execution.execution_id] = execution
        try:
            await self._emit(execution, "workflow_started")
            await self._save(execution)
            await self._run_all_steps(execution)
        except asyncio.CancelledError:
            execution.cancel_requested = True
            await self._finish(execution, db_session)
            raise
        finally:
            del self._running[execution.execution_id]
        return await self._finish(execution, db_session)

    async def _run_all_steps(self, execution):
        done = {step_id: asyncio.Event() for step_id in execution.spec.steps}
        slots = asyncio.Semaphore(self._max_concurrent_steps)
        steps = list(execution.spec.steps.values())
        execution.tasks = [asyncio.create_task(self._run_when_ready(execution, step, done, slots)) for step in steps]
        results = await asyncio.gather(*execution.tasks, return_exceptions=True)
        for step, result in zip(steps, results):
            if isinstance(result, asyncio.CancelledError):
                # Cancelled before it ever started: its own handler never ran.
                await self._cancel_tree(execution, step)
            elif isinstance(result, BaseException):
                raise result

    async def _run_when_ready(self, execution, step, done, slots):
        """One top-level step: wait for its dependencies, then run it, skip it or cancel it."""
        try:
            for dependency in step.depends_on:
                await done[dependency].wait()
            if execution.steps[step.id].status is StepStatus.COMPLETED:
                return
            blocked_by = self._blocking_dependency(execution, step)
            if blocked_by is not None:
                await self._skip_tree(execution, step, blocked_by)
                return
            async with slots:
                if execution.cancel_requested:
                    raise asyncio.CancelledError
                await self._run_step(execution, step, step.depends_on)
        except asyncio.CancelledError:
            await self._cancel_tree(execution, step)
        except Exception as error:  # noqa: BLE001 - a step that breaks the engine fails; the run goes on
            logger.exception("step %s of execution %s raised", step.id, execution.execution_id)
            await self._fail_tree(execution, step, f"unexpected {_describe(error)}")
        finally:
            done[step.id].set()

    def _blocking_dependency(self, execution, step):
        """Why a step cannot run: a dependency that was skipped or failed without continue_on_error."""
        for dependency in step.depends_on:
            status = execution.steps[dependency].status
            if status is StepStatus.SKIPPED:
                return f"dependency {dependency!r} was skipped"
            if status is StepStatus.FAILED and not execution.spec.steps[dependency].continue_on_error:
                return f"dependency {dependency!r} failed"
        return None

    async def _run_step(self, execution, step, dependency_ids):
        """Run one step (top level or sub-step) to a final status, returning whether it completed."""
        if step.condition is None:
            return await self._run_action(execution, step, dependency_ids)
        try:
            condition_holds = holds(step.condition, self._scope(execution))
        except (UnresolvedReferenceError, ConditionEvaluationError) as error:
            return await self._fail(execution, step, f"condition {step.condition_text!r}: {error}")
        if step.branches:
            return await self._run_branch(execution, step, "then" if condition_holds else "else", dependency_ids)
        if condition_holds:
            return await self._run_action(execution, step, dependency_ids)
        await self._skip_tree(execution, step, "condition is false")
        return True

    async def _run_branch(self, execution, step, branch, dependency_ids):
        """Run the sub-steps of the chosen branch in order; the other branch is skipped."""
        record = execution.steps[step.id]
        record.status = StepStatus.RUNNING
        record.branch = branch
        await self._save(execution)
        await self._emit(execution, "step_started", step_id=step.id, branch=branch)
        other = "else" if branch == "then" else "then"
        for sub in step.branches.get(other, ()):
            await self._skip_tree(execution, sub, f"branch {other!r} not taken")
        chosen = step.branches.get(branch, ())
        for position, sub in enumerate(chosen):
            if not await self._run_step(execution, sub, dependency_ids):
                for later in chosen[position + 1:]:
                    await self._skip_tree(execution, later, f"sub-step {sub.id!r} failed")
                return await self._fail(execution, step, f"sub-step {sub.id!r} failed")
        output = {sub.id: execution.steps[sub.id].output for sub in chosen}
        return await self._complete(execution, step, output)

    async def _run_action(self, execution, step, dependency_ids):
        """The retry loop: attempts `_execute_step` until it succeeds or the budget is spent."""
        try:
            inputs = resolve(step.inputs, self._scope(execution))
        except UnresolvedReferenceError as error:
            return await self._fail(execution, step, str(error))
        record = execution.steps[step.id]
        retries = self._max_retries if step.retries is None else step.retries
        attempt = 0
        while True:
            attempt += 1
            record.status = StepStatus.RUNNING
            record.attempts = attempt
            await self._save(execution)
            await self._emit(execution, "step_started", step_id=step.id, attempt=attempt)
            context = self._context(execution, step, attempt, dependency_ids)
            try:
                output = await self._execute_step(step, inputs, context)
            except Exception as error:  # noqa: BLE001 - any action failure is the step's failure
                record.error = _describe(error)
                if attempt > retries or isinstance(error, PermanentStepError):
                    return await self._fail(execution, step, record.error)
                delay = self._backoff(attempt)
                await self._emit(
                    execution, "step_retrying", step_id=step.id, attempt=attempt, error=record.error, delay=delay
                )
                await self._sleep(delay)
            else:
                return await self._complete(execution, step, output)

    async def _execute_step(self, step, inputs, context):
        """One attempt of a step's action, bounded by its timeout; returns the checked output."""
        action = self._actions[step.action]
        if step.timeout is None:
            output = await action(inputs, context)
        else:
            output = await self._with_timeout(action(inputs, context), step)
        return _checked_output(step.id, output)

    async def _with_timeout(self, awaitable, step):
        """Race the action against the injected sleep; the action wins a tie."""
        action = asyncio.ensure_future(awaitable)
        timer = asyncio.ensure_future(self._sleep(step.timeout))
        try:
            done, _ = await asyncio.wait({action, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
            action.cancel()
        if action in done:
            return action.result()
        raise StepTimeoutError(step.id, step.timeout)

    def _backoff(self, attempt):
        # A larger power of two overflows float arithmetic; base * 2 ** 1023 seconds is past any cap.
        return min(self._max_backoff_seconds, self._retry_backoff_seconds * 2 ** min(attempt - 1, 1023))

    def _scope(self, execution):
        return {"input": execution.inputs, **execution.completed_outputs()}

    def _context(self, execution, step, attempt, dependency_ids):
        dependencies = {
            dep: {
                "status": execution.steps[dep].status.value,
                "output": execution.steps[dep].output,
                "error": execution.steps[dep].error,
            }
            for dep in dependency_ids
        }
        return StepContext(
            execution_id=execution.execution_id,
            workflow_id=execution.spec.id,
            step_id=step.id,
            attempt=attempt,
            workflow_inputs=execution.inputs,
            dependencies=dependencies,
            sleep=self._sleep,
        )

    async def _complete(self, execution, step, output):
        record = execution.steps[step.id]
        record.status = StepStatus.COMPLETED
        record.output = output
        record.error = None
        await self._save(execution)
        await self._emit(execution, "step_completed", step_id=step.id, attempts=record.attempts)
        return True

    async def _fail(self, execution, step, error):
        record = execution.steps[step.id]
        record.status = StepStatus.FAILED
        record.error = error
        await self._save(execution)
        await self._emit(execution, "step_failed", step_id=step.id, attempts=record.attempts, error=error)
        return False

    async def _skip_tree(self, execution, step, reason):
        """Mark a step and all its sub-steps skipped."""
        for step_id in step.step_ids():
            execution.steps[step_id].status = StepStatus.SKIPPED
            execution.steps[step_id].error = reason
            await self._emit(execution, "step_skipped", step_id=step_id, reason=reason)
        await self._save(execution)

    async def _cancel_tree(self, execution, step):
        """Mark every unfinished step in a step's tree cancelled."""
        for step_id in step.step_ids():
            record = execution.steps[step_id]
            if record.status in (StepStatus.PENDING, StepStatus.RUNNING):
                record.status = StepStatus.CANCELLED
                record.error = "cancelled"
                await self._emit(execution, "step_cancelled", step_id=step_id)
        await self._save(execution)

    async def _fail_tree(self, execution, step, error):
        """Mark every unfinished step in a step's tree failed with `error`."""
        for step_id in step.step_ids():
            record = execution.steps[step_id]
            if record.status in (StepStatus.PENDING, StepStatus.RUNNING):
                record.status = StepStatus.FAILED
                record.error = error
                await self._emit(execution, "step_failed", step_id=step_id, attempts=record.attempts, error=error)
        await self._save(execution)

    async def _finish(self, execution, db_session):
        execution.completed_at = self._clock()
        execution.status = execution.final_status()
        await self._save(execution)
        await self._emit(
            execution, "workflow_finished", status=execution.status.value, duration_ms=execution.duration_ms()
        )
        await self._record_analytics(execution, db_session)
        return execution.result()

    async def _save(self, execution):
        try:
            await self._state_manager.save_state(execution.execution_id, execution.snapshot())
        except Exception:  # noqa: BLE001 - a broken state store must not break the run it records
            logger.exception("state manager failed to save execution %s", execution.execution_id)

    async def _emit(self, execution, event_type, **fields):
        event = {"type": event_type, "execution_id": execution.execution_id, "workflow_id": execution.spec.id, **fields}
        try:
            await self._ws_manager.broadcast(event)
        except Exception:  # noqa: BLE001 - subscribers must not change the workflow's result
            logger.exception("ws manager failed to broadcast %s", event_type)

    async def _record_analytics(self, execution, db_session):
        if self._analytics is None:
            return
        try:
            await self._analytics.record_execution(
                workflow_id=execution.spec.id,
                execution_id=execution.execution_id,
                status=execution.status.value,
                started_at=execution.started_at,
                completed_at=execution.completed_at,
                execution_time_ms=execution.duration_ms(),
                total_steps=len(execution.spec.steps),
                completed_steps=execution.count(StepStatus.COMPLETED),
                failed_steps=execution.count(StepStatus.FAILED),
                skipped_steps=execution.count(StepStatus.SKIPPED),
                error=execution.first_error(),
                db_session=db_session,
            )
        except Exception:  # noqa: BLE001 - analytics must never change the workflow's result
            logger.exception("analytics failed to record execution %s", execution.execution_id)


def _require_int(name, value, minimum):
    if type(value) is not int or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _checked_output(step_id, output):
    """`output`, once it is known to nest within the limit and to copy, as snapshots and results copy it."""
    if nests_too_deep(output):
        raise StepOutputError(step_id, f"an output nested deeper than {MAX_NESTING_DEPTH} levels of dicts and lists")
    try:
        copy.deepcopy(output)
    except Exception as error:  # noqa: BLE001 - whatever copying raises, the output cannot be kept
        raise StepOutputError(step_id, f"an output that cannot be copied ({type(error).__name__})") from None
    return output


def _describe(error):
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
