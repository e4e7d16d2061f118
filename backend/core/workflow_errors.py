"""Exceptions raised by the workflow engine, its definition parser and its actions."""


class WorkflowError(Exception):
    """Base class of every error the workflow engine raises on purpose."""


class WorkflowValidationError(WorkflowError, ValueError):
    """A workflow definition is malformed; raised before any step runs."""

    def __init__(self, problem, step_id=None):
        self.problem = problem
        self.step_id = step_id
        where = "workflow" if step_id is None else f"step {step_id!r}"
        super().__init__(f"{where}: {problem}")


class StepTimeoutError(WorkflowError, TimeoutError):
    """A step attempt ran longer than its `timeout`; retryable like any other failure."""

    def __init__(self, step_id, timeout):
        self.step_id = step_id
        self.timeout = timeout
        super().__init__(f"step {step_id!r} timed out after {timeout:g}s")


class PermanentStepError(WorkflowError):
    """Raised by an action for a failure that retrying cannot fix; the step fails at once."""


class StepOutputError(PermanentStepError):
    """An action returned an output the engine cannot keep: one nested past the nesting limit
    (an output that contains itself nests without end) or one that cannot be copied."""

    def __init__(self, step_id, problem):
        self.step_id = step_id
        self.problem = problem
        super().__init__(f"step {step_id!r} returned {problem}")


class UnresolvedReferenceError(PermanentStepError, LookupError):
    """A `${...}` reference names a value that does not exist at run time."""

    def __init__(self, reference, reason):
        self.reference = reference
        super().__init__(f"cannot resolve ${{{reference}}}: {reason}")


class ExecutionNotFoundError(WorkflowError, LookupError):
    """`resume` was asked for an execution that has no stored state."""

    def __init__(self, execution_id):
        self.execution_id = execution_id
        super().__init__(f"no stored state for execution {execution_id!r}")


class WorkflowStateError(WorkflowError):
    """The stored state of an execution cannot be read back."""

    def __init__(self, execution_id, problem):
        self.execution_id = execution_id
        super().__init__(f"stored state of execution {execution_id!r} is unreadable: {problem}")
