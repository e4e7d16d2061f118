"""Workflow definitions: turn a raw dict into validated, immutable step specifications.

Everything that can be checked without running an action is checked here, so that a bad
definition fails before any side effect: shape and types of every field, unique step ids,
known dependencies and actions, an acyclic graph, well-formed conditions, and `${...}`
references that point only at workflow inputs or at steps upstream of the referring step.
Nesting is bounded: step and workflow `inputs` and `then`/`else` branches nest at most
MAX_NESTING_DEPTH levels (conditions have their own limits, see `conditions`); the engine holds
action outputs to the same limit (`nests_too_deep`).
"""

import graphlib
import re
from dataclasses import dataclass

from core.conditions import ConditionSyntaxError, parse_condition, references_of
from core.references import INPUT_ROOT, references_in, split_reference
from core.workflow_errors import WorkflowValidationError

STEP_ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
STEP_KEYS = frozenset(
    {"id", "action", "inputs", "depends_on", "retries", "timeout", "condition", "then", "else",
     "continue_on_error"}
)
BRANCHES = ("then", "else")
MAX_NESTING_DEPTH = 32


@dataclass(frozen=True)
class StepSpec:
    """One validated step. `branches` maps "then"/"else" to sub-steps run instead of `action`."""

    id: str
    action: str | None
    inputs: object
    depends_on: tuple
    retries: int | None
    timeout: float | None
    condition: object
    condition_text: str | None
    branches: dict
    continue_on_error: bool

    def sub_steps(self):
        """The step's branch sub-steps, `then` before `else`."""
        return [sub for branch in BRANCHES for sub in self.branches.get(branch, ())]

    def step_ids(self):
        """This step's id followed by the ids of all its (nested) sub-steps."""
        return [self.id, *(sub_id for sub in self.sub_steps() for sub_id in sub.step_ids())]


@dataclass(frozen=True)
class WorkflowSpec:
    """A validated workflow: its id and its top-level steps by id, in definition order."""

    id: str
    steps: dict

    def all_step_ids(self):
        """Top-level and branch sub-step ids, parents before their sub-steps."""
        return [step_id for step in self.steps.values() for step_id in step.step_ids()]


def parse_workflow(definition, known_actions):
    """Validate a raw workflow definition and return its `WorkflowSpec`."""
    if not isinstance(definition, dict):
        raise WorkflowValidationError(f"definition must be a dict, got {type(definition).__name__}")
    workflow_id = definition.get("id")
    if not isinstance(workflow_id, str) or not workflow_id:
        raise WorkflowValidationError("'id' must be a non-empty string")
    raw_steps = definition.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise WorkflowValidationError("'steps' must be a non-empty list")
    steps = [_parse_step(raw, index, known_actions, depth=0) for index, raw in enumerate(raw_steps)]
    _check_unique_ids(steps)
    spec = WorkflowSpec(workflow_id, {step.id: step for step in steps})
    order = _dependency_order(spec)
    upstream = _upstream_sets(spec, order)
    for step in steps:
        _check_references(step, upstream[step.id])
    return spec


def parse_inputs(inputs):
    """Validate the inputs a workflow runs with (None: no inputs) and return them as a dict."""
    if inputs is None:
        return {}
    if not isinstance(inputs, dict):
        raise WorkflowValidationError(f"inputs must be a dict, got {type(inputs).__name__}")
    if nests_too_deep(inputs):
        raise WorkflowValidationError(f"inputs nest deeper than {MAX_NESTING_DEPTH} levels of dicts and lists")
    return inputs


def nests_too_deep(value):
    """Whether dicts and lists (tuples count as lists) nest more than MAX_NESTING_DEPTH levels in `value`;
    a value that contains itself always does."""
    return _nests_deeper_than(value, MAX_NESTING_DEPTH)


def _nests_deeper_than(value, limit):
    """Whether dicts and lists inside `value` nest more than `limit` levels; never recurses past the limit."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, (list, tuple)):
        return False
    return limit == 0 or any(_nests_deeper_than(item, limit - 1) for item in value)


def _parse_step(raw, index, known_actions, depth):
    if not isinstance(raw, dict):
        raise WorkflowValidationError(f"step #{index + 1} must be a dict, got {type(raw).__name__}")
    step_id = raw.get("id")
    if not isinstance(step_id, str) or not STEP_ID_PATTERN.fullmatch(step_id):
        raise WorkflowValidationError(
            f"step #{index + 1} needs an 'id' of letters, digits, '_' or '-', got {step_id!r}"
        )
    if step_id == INPUT_ROOT:
        raise WorkflowValidationError(f"{INPUT_ROOT!r} is reserved for workflow inputs", step_id)
    if depth > MAX_NESTING_DEPTH:
        raise WorkflowValidationError(f"'then'/'else' branches nest deeper than {MAX_NESTING_DEPTH} levels", step_id)
    unknown = sorted(set(raw) - STEP_KEYS)
    if unknown:
        raise WorkflowValidationError(f"unknown field(s) {', '.join(unknown)}", step_id)
    condition_text, condition = _parse_condition_field(raw, step_id)
    branches = {
        branch: tuple(_parse_step(sub, i, known_actions, depth + 1) for i, sub in enumerate(raw[branch]))
        for branch in BRANCHES
        if _branch_list(raw, branch, step_id)
    }
    action = _parse_action(raw, step_id, known_actions, has_branches=bool(branches))
    if branches and condition is None:
        raise WorkflowValidationError("'then'/'else' need a 'condition'", step_id)
    return StepSpec(
        id=step_id,
        action=action,
        inputs=_parse_step_inputs(raw, step_id),
        depends_on=_parse_depends_on(raw, step_id, nested=depth > 0),
        retries=_parse_retries(raw, step_id),
        timeout=_parse_timeout(raw, step_id),
        condition=condition,
        condition_text=condition_text,
        branches=branches,
        continue_on_error=_parse_flag(raw, "continue_on_error", step_id),
    )


def _parse_step_inputs(raw, step_id):
    inputs = raw.get("inputs", {})
    if nests_too_deep(inputs):
        raise WorkflowValidationError(f"'inputs' nest deeper than {MAX_NESTING_DEPTH} levels of dicts and lists", step_id)
    return inputs


def _parse_condition_field(raw, step_id):
    text = raw.get("condition")
    if text is None:
        return None, None
    if not isinstance(text, str):
        raise WorkflowValidationError("'condition' must be a string", step_id)
    try:
        return text, parse_condition(text)
    except ConditionSyntaxError as error:
        raise WorkflowValidationError(f"malformed condition {text!r}: {error}", step_id) from None


def _branch_list(raw, branch, step_id):
    value = raw.get(branch)
    if value is None:
        return False
    if not isinstance(value, list):
        raise WorkflowValidationError(f"'{branch}' must be a list of steps", step_id)
    return True


def _parse_action(raw, step_id, known_actions, has_branches):
    action = raw.get("action")
    if has_branches:
        if action is not None:
            raise WorkflowValidationError("has both 'action' and 'then'/'else'; use one", step_id)
        return None
    if not isinstance(action, str):
        raise WorkflowValidationError("missing 'action'", step_id)
    if action not in known_actions:
        raise WorkflowValidationError(
            f"unknown action {action!r} (known: {', '.join(sorted(known_actions))})", step_id
        )
    return action


def _parse_depends_on(raw, step_id, nested):
    depends_on = raw.get("depends_on", [])
    if nested and depends_on:
        raise WorkflowValidationError("'depends_on' is not allowed in 'then'/'else' sub-steps", step_id)
    if not isinstance(depends_on, list) or not all(isinstance(dep, str) for dep in depends_on):
        raise WorkflowValidationError("'depends_on' must be a list of step ids", step_id)
    return tuple(dict.fromkeys(depends_on))


def _parse_retries(raw, step_id):
    retries = raw.get("retries")
    if retries is None:
        return None
    if type(retries) is not int or retries < 0:
        raise WorkflowValidationError(f"'retries' must be an integer >= 0, got {retries!r}", step_id)
    return retries


def _parse_timeout(raw, step_id):
    timeout = raw.get("timeout")
    if timeout is None:
        return None
    if type(timeout) not in (int, float) or not timeout > 0:
        raise WorkflowValidationError(f"'timeout' must be a number of seconds > 0, got {timeout!r}", step_id)
    return float(timeout)


def _parse_flag(raw, key, step_id):
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise WorkflowValidationError(f"{key!r} must be true or false", step_id)
    return value


def _check_unique_ids(steps):
    seen = set()
    for step_id in (step_id for step in steps for step_id in step.step_ids()):
        if step_id in seen:
            raise WorkflowValidationError("duplicate step id", step_id)
        seen.add(step_id)


def _dependency_order(spec):
    """Top-level step ids, dependencies first; rejects unknown dependencies and cycles."""
    for step in spec.steps.values():
        for dependency in step.depends_on:
            if dependency not in spec.steps:
                raise WorkflowValidationError(f"depends on unknown step {dependency!r}", step.id)
    sorter = graphlib.TopologicalSorter({step.id: step.depends_on for step in spec.steps.values()})
    try:
        return list(sorter.static_order())
    except graphlib.CycleError as error:
        cycle = list(reversed(error.args[1]))
        raise WorkflowValidationError(
            f"dependency cycle {' -> '.join(cycle)} (each step depends on the next)", cycle[0]
        ) from None


def _upstream_sets(spec, order):
    """For each top-level step, every step it transitively depends on."""
    upstream = {}
    for step_id in order:
        deps = spec.steps[step_id].depends_on
        upstream[step_id] = set(deps).union(*(upstream[dep] for dep in deps))
    return upstream


def _check_references(step, visible):
    """References may name workflow inputs, upstream steps and, in branches, earlier siblings."""
    references = references_in(step.inputs)
    if step.condition is not None:
        references += references_of(step.condition)
    for reference in references:
        root, _ = split_reference(reference)
        if root != INPUT_ROOT and root not in visible:
            raise WorkflowValidationError(
                f"reference ${{{reference}}} names {root!r}, which is not upstream of this step", step.id
            )
    for branch in step.branches.values():
        siblings = set()
        for sub in branch:
            _check_references(sub, visible | siblings)
            siblings.add(sub.id)
