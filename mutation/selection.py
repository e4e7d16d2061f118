"""The file the kill recorder reads in every mutant's run: which tests may run, and for how long.

Each mutant's tests run in one fixed order (runs must be reproducible: a session stops at its
first timeout and, when sampled, after two assertion kills): the tests that execute the fewest
target lines first, then the preflight's order. Specific tests are cheap and fail first,
so a sampled session reaches its assertion kills sooner; the kill recorder also puts
property-based tests last.

A test's time limit is `test_timeout_factor` times its unmutated duration, never below
`test_timeout_floor` seconds; a test the preflight did not time gets the longest limit.
`stop_after_assertions` ends a session once that many tests failed by assertion (0: never);
`records_dir` keeps a pass's records apart from the main run's.
"""

import json
from collections import Counter


def run_order(preflight_tests, coverage):
    """The preflight's tests, fewest target lines executed first, then in the preflight's order."""
    lines = Counter(test for cov in coverage.values() for tests in cov.tests_by_line.values() for test in tests)
    position = {test: index for index, test in enumerate(preflight_tests)}
    return sorted(preflight_tests, key=lambda test: (lines[test], position[test]))


def time_limits(durations, config):
    return {test: round(max(config.test_timeout_floor, config.test_timeout_factor * seconds), 3)
            for test, seconds in durations.items()}


def write_selection(gate_dir, tests_by_mutant, durations, config, order=(), stop_after_assertions=0, records_dir=""):
    """`tests_by_mutant`: the tests each mutant's session may run, in `order` (see `run_order`)."""
    tests = list(dict.fromkeys([*order, *durations, *sorted({test for names in tests_by_mutant.values() for test in names})]))
    index = {test: position for position, test in enumerate(tests)}
    limits = time_limits(durations, config)
    document = {
        "tests": tests,
        "mutants": {name: [index[test] for test in names] for name, names in tests_by_mutant.items()},
        "limits": limits,
        "default_limit": max(limits.values(), default=config.test_timeout_floor),
        "stop_after_assertions": stop_after_assertions,
        "records_dir": records_dir,
    }
    (gate_dir / "selection.json").write_text(json.dumps(document))
    return limits
