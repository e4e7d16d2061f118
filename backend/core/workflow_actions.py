"""Step actions: the context an action receives and the built-in actions.

An action is an async callable `(inputs, context) -> output`. `inputs` are the step's inputs
with every `${...}` reference resolved; `context` is a `StepContext`.
"""

from dataclasses import dataclass

from core.workflow_errors import PermanentStepError


@dataclass(frozen=True)
class StepContext:
    """What an action may know about the run it is part of.

    `dependencies` maps each direct dependency to its `{status, output, error}`: a step that
    runs after a `continue_on_error` failure sees that failure here.
    """

    execution_id: str
    workflow_id: str
    step_id: str
    attempt: int
    workflow_inputs: dict
    dependencies: dict
    sleep: object


def builtin_actions():
    """The actions every engine knows, by name."""
    return {"set_value": set_value, "wait": wait}


async def set_value(inputs, context):
    """Output the step's (resolved) inputs unchanged."""
    return inputs


async def wait(inputs, context):
    """Sleep `inputs.duration` seconds through the engine's sleep."""
    duration = inputs.get("duration") if isinstance(inputs, dict) else None
    if type(duration) not in (int, float) or duration < 0:
        raise PermanentStepError(f"wait needs inputs.duration, a number of seconds >= 0, got {duration!r}")
    await context.sleep(duration)
    return {"waited": duration}
