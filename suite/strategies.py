"""Hypothesis strategies for workflow definitions: random DAGs and graphs with a cycle."""

from hypothesis import strategies as st


def step_ids(count):
    return [f"s{index}" for index in range(count)]


@st.composite
def dag_workflows(draw, max_steps=8):
    """An acyclic workflow of `probe` steps in shuffled order.

    Each step depends only on lower-numbered steps, sleeps 0-3 ticks, fails its first
    `fail_times` attempts, has its own retry budget and maybe `continue_on_error`.
    """
    ids = step_ids(draw(st.integers(min_value=1, max_value=max_steps)))
    steps = []
    for index, step_id in enumerate(ids):
        depends_on = draw(st.lists(st.sampled_from(ids[:index]), unique=True, max_size=3)) if index else []
        steps.append(
            {
                "id": step_id,
                "action": "probe",
                "depends_on": depends_on,
                "inputs": {
                    "duration": draw(st.integers(min_value=0, max_value=3)),
                    "fail_times": draw(st.sampled_from([0, 0, 0, 1, 2, 3])),
                },
                "retries": draw(st.integers(min_value=0, max_value=2)),
                "continue_on_error": draw(st.booleans()),
            }
        )
    return {"id": "random-dag", "steps": draw(st.permutations(steps))}


@st.composite
def cyclic_workflows(draw, max_steps=8):
    """A random DAG with a dependency cycle threaded through some of its steps.

    Returns (definition, cycle) where `cycle` lists the steps the added cycle runs through.
    """
    definition = draw(dag_workflows(max_steps=max_steps))
    by_id = {step["id"]: step for step in definition["steps"]}
    cycle = draw(st.lists(st.sampled_from(sorted(by_id)), min_size=1, max_size=len(by_id), unique=True))
    for dependent, dependency in zip(cycle, cycle[1:] + cycle[:1]):
        if dependency not in by_id[dependent]["depends_on"]:
            by_id[dependent]["depends_on"] = by_id[dependent]["depends_on"] + [dependency]
    return definition, cycle


def expected_outcomes(definition):
    """Plain-Python reference of each step's final status and attempt count for a `dag_workflows` run."""
    by_id = {step["id"]: step for step in definition["steps"]}
    outcomes = {}
    for step_id in sorted(by_id, key=lambda name: int(name[1:])):
        step = by_id[step_id]
        blocked = any(
            outcomes[dep][0] == "skipped"
            or (outcomes[dep][0] == "failed" and not by_id[dep]["continue_on_error"])
            for dep in step["depends_on"]
        )
        if blocked:
            outcomes[step_id] = ("skipped", 0)
        elif step["inputs"]["fail_times"] <= step["retries"]:
            outcomes[step_id] = ("completed", step["inputs"]["fail_times"] + 1)
        else:
            outcomes[step_id] = ("failed", step["retries"] + 1)
    return outcomes


def expected_workflow_status(definition, outcomes):
    by_id = {step["id"]: step for step in definition["steps"]}
    failed = [step_id for step_id, (status, _) in outcomes.items() if status == "failed"]
    if any(not by_id[step_id]["continue_on_error"] for step_id in failed):
        return "failed"
    return "partial" if failed else "completed"
