"""The plan of every mutant's session: which tests run, in what order, how long each may take,
and when the session stops.

Each mutant's tests run in one fixed order (runs must be reproducible: a session stops at its
first timeout and, when sampled, after its assertion kills): the tests that execute the fewest
target lines first, then the preflight's order. Specific tests are cheap and fail first, so a
sampled session reaches its assertion kills sooner; the kill recorder also puts property-based
tests last.

A test's time limit is `test_timeout_factor` times its unmutated duration, never below
`test_timeout_floor` seconds; a test the preflight did not time gets the longest limit. The
engine's own wall limit for a session is the sum of its tests' limits plus a margin: it only
backs up the per-test limits.
"""

from collections import Counter

from mutation.engine.server import Job
from mutation.model import KillMatrix

# Under `kill_matrix = sampled`, a mutant's session stops once this many tests failed by assertion:
# two, so that a unique kill (no other test kills as strongly) is still known exactly.
SAMPLED_STOP_AFTER_ASSERTIONS = 2
WALL_LIMIT_MARGIN = 15.0


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


class SessionPlan:
    """Turns "these tests may observe this mutant" into the engine's Job for its session."""

    def __init__(self, config, order, durations, stop_after=0):
        self.rank = {test: position for position, test in enumerate(order)}
        self.limits = time_limits(durations, config)
        self.default_limit = max(self.limits.values(), default=config.test_timeout_floor)
        self.stop_after = stop_after

    def limit(self, test):
        return self.limits.get(test, self.default_limit)

    def job(self, mutant, tests, records_dir="", session_name=None, last=(), stretch=None):
        """`session_name` names the records (default: the mutant); `records_dir` keeps a pass's apart.

        `last` are tests run after the others, whatever their rank; `stretch(limit)` lengthens their limits.
        """
        ordered = [*sorted(tests, key=lambda test: (self.rank.get(test, len(self.rank)), test)), *last]
        limits = {test: self.limit(test) for test in ordered}
        limits.update({test: stretch(self.limit(test)) for test in last if stretch is not None})
        return Job(mutant, tuple(ordered), round(sum(limits.values()) + WALL_LIMIT_MARGIN, 3), {
            "session_name": session_name or mutant, "limits": limits, "default_limit": self.default_limit,
            "stop_after_assertions": self.stop_after, "records_dir": records_dir,
        })
