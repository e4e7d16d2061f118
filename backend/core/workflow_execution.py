"""The record of one workflow execution: per-step records, snapshots for the state manager,
the final status, and the result dict returned to callers."""

import copy
from dataclasses import dataclass, field
from datetime import datetime

from core.workflow_errors import WorkflowValidationError
from core.workflow_status import StepStatus, WorkflowExecutionStatus


@dataclass
class StepRecord:
    status: StepStatus = StepStatus.PENDING
    output: object = None
    error: str | None = None
    attempts: int = 0
    branch: str | None = None

    def as_dict(self):
        return {
            "status": self.status.value,
            "output": copy.deepcopy(self.output),
            "error": self.error,
            "attempts": self.attempts,
            "branch": self.branch,
        }


@dataclass
class Execution:
    execution_id: str
    spec: object
    inputs: dict
    started_at: datetime
    steps: dict
    status: WorkflowExecutionStatus = WorkflowExecutionStatus.RUNNING
    completed_at: datetime | None = None
    cancel_requested: bool = False
    tasks: list = field(default_factory=list)

    @classmethod
    def start(cls, execution_id, spec, inputs, started_at):
        steps = {step_id: StepRecord() for step_id in spec.all_step_ids()}
        return cls(execution_id, spec, inputs, started_at, steps)

    @classmethod
    def restore(cls, spec, state, started_at):
        """Continue a stored execution: completed steps keep their records, the rest start over."""
        if state.get("workflow_id") != spec.id:
            raise WorkflowValidationError(
                f"execution {state.get('execution_id')!r} belongs to workflow "
                f"{state.get('workflow_id')!r}, not {spec.id!r}"
            )
        execution = cls.start(state["execution_id"], spec, state["inputs"], started_at)
        stored_steps = state["steps"]
        for step in spec.steps.values():
            if stored_steps.get(step.id, {}).get("status") == StepStatus.COMPLETED.value:
                for step_id in step.step_ids():
                    execution.steps[step_id] = _stored_record(stored_steps[step_id])
        return execution

    def completed_outputs(self):
        """Outputs of every completed step (top level and sub-steps), by step id."""
        return {
            step_id: record.output
            for step_id, record in self.steps.items()
            if record.status is StepStatus.COMPLETED
        }

    def final_status(self):
        if self.cancel_requested:
            return WorkflowExecutionStatus.CANCELLED
        failed = [step for step in self.spec.steps.values() if self.steps[step.id].status is StepStatus.FAILED]
        if any(not step.continue_on_error for step in failed):
            return WorkflowExecutionStatus.FAILED
        if failed:
            return WorkflowExecutionStatus.PARTIAL
        return WorkflowExecutionStatus.COMPLETED

    def first_error(self):
        for step_id in self.spec.steps:
            record = self.steps[step_id]
            if record.status is StepStatus.FAILED:
                return f"step {step_id!r}: {record.error}"
        return None

    def count(self, status):
        """How many top-level steps ended in `status`."""
        return sum(1 for step_id in self.spec.steps if self.steps[step_id].status is status)

    def duration_ms(self):
        return round((self.completed_at - self.started_at).total_seconds() * 1000)

    def snapshot(self):
        """A JSON-like copy of the whole execution, as given to the state manager."""
        return {
            "execution_id": self.execution_id,
            "workflow_id": self.spec.id,
            "status": self.status.value,
            "inputs": copy.deepcopy(self.inputs),
            "started_at": self.started_at.isoformat(),
            "completed_at": None if self.completed_at is None else self.completed_at.isoformat(),
            "steps": {step_id: record.as_dict() for step_id, record in self.steps.items()},
        }

    def result(self):
        """The dict `execute_workflow` and `resume` return."""
        return {
            **self.snapshot(),
            "status": self.status,
            "outputs": {
                step_id: copy.deepcopy(self.steps[step_id].output)
                for step_id in self.spec.steps
                if self.steps[step_id].status is StepStatus.COMPLETED
            },
            "error": self.first_error(),
            "duration_ms": self.duration_ms(),
        }


def _stored_record(stored):
    return StepRecord(
        status=StepStatus(stored["status"]),
        output=copy.deepcopy(stored["output"]),
        error=stored["error"],
        attempts=stored["attempts"],
        branch=stored["branch"],
    )
