"""The test plan the kill recorder reads in every mutant's session: which tests may run, in what
order, for how long, and when the session stops.

Each mutant's tests run in one fixed order (runs must be reproducible: a session stops at its
first timeout and, when sampled, after two assertion kills): the tests that execute the fewest
target lines first, then the preflight's order. Specific tests are cheap and fail first,
so a sampled session reaches its assertion kills sooner; the kill recorder also puts
property-based tests last.

A test's time limit is `test_timeout_factor` times its unmutated duration, never below
`test_timeout_floor` seconds; a test the preflight did not time gets the longest limit.
`stop_after_assertions` ends a session once that many tests failed by assertion (0: never);
`records_dir` keeps a credit pass's records apart from the main measurement's.
"""

import json
from collections import Counter

from mutation.model import KillMatrix

PLAN_FILE = "test-plan.json"
# Under `kill_matrix = sampled`, a mutant's session stops once this many tests failed by assertion:
# two, so that a unique kill (no other test kills as strongly) is still known exactly.
SAMPLED_STOP_AFTER_ASSERTIONS = 2


def stop_after_assertions(kill_matrix):
    return SAMPLED_STOP_AFTER_ASSERTIONS if kill_matrix == KillMatrix.SAMPLED else 0


def cheapest_first(preflight_tests, coverage):
    """The preflight's tests, fewest target lines executed first, then in the preflight's order."""
    lines = Counter(test for cov in coverage.values() for tests in cov.tests_by_line.values() for test in tests)
    position = {test: index for index, test in enumerate(preflight_tests)}
    return sorted(preflight_tests, key=lambda test: (lines[test], position[test]))


def time_limits(durations, config):
    return {test: round(max(config.test_timeout_floor, config.test_timeout_factor * seconds), 3)
            for test, seconds in durations.items()}


def write_plan(gate_dir, tests_by_mutant, durations, config, order=(), stop_after=0, records_dir=""):
    """`tests_by_mutant`: the tests each mutant's session may run, in `order` (see `cheapest_first`).

    Returns each test's time limit.
    """
    tests = list(dict.fromkeys([*order, *durations, *sorted({test for names in tests_by_mutant.values() for test in names})]))
    index = {test: position for position, test in enumerate(tests)}
    limits = time_limits(durations, config)
    document = {
        "tests": tests,
        "mutants": {name: [index[test] for test in names] for name, names in tests_by_mutant.items()},
        "limits": limits,
        "default_limit": max(limits.values(), default=config.test_timeout_floor),
        "stop_after_assertions": stop_after,
        "records_dir": records_dir,
    }
    (gate_dir / PLAN_FILE).write_text(json.dumps(document))
    return limits
