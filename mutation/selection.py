"""The file the kill recorder reads in every mutant's run: which tests may run, and for how long.

A test's time limit is `test_timeout_factor` times its unmutated duration, never below
`test_timeout_floor` seconds; a test the preflight did not time gets the longest limit.
"""

import json


def time_limits(durations, config):
    return {test: round(max(config.test_timeout_floor, config.test_timeout_factor * seconds), 3)
            for test, seconds in durations.items()}


def write_selection(gate_dir, covered_by, durations, config):
    # In the preflight's order: the kill recorder runs each mutant's tests in this order.
    tests = list(dict.fromkeys([*durations, *sorted({test for names in covered_by.values() for test in names})]))
    index = {test: position for position, test in enumerate(tests)}
    limits = time_limits(durations, config)
    document = {
        "tests": tests,
        "mutants": {name: [index[test] for test in names] for name, names in covered_by.items()},
        "limits": limits,
        "default_limit": max(limits.values(), default=config.test_timeout_floor),
    }
    (gate_dir / "selection.json").write_text(json.dumps(document))
    return limits
