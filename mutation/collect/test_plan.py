"""The plan of every mutant's session: which tests run, in what order, how long each may take,
and when the session stops.

Each mutant's tests run in one fixed order (runs must be reproducible: a session stops at its
first timeout and, when sampled, at its first assertion kill): the tests that execute the
fewest target lines first, then the preflight's order. Specific tests are cheap and fail
first, so a sampled session reaches its kill sooner; the kill recorder also puts
property-based tests last. A sampled session goes on past a crash, because a later test may
yet fail by assertion, which is what the assertion score counts, but only within a crash
budget: after its first failure it runs the tests that fit in `crash_budget` seconds (or in as
long again as it took to get there, if longer) and skips those that do not, so one slow test
is not paid for by every mutant that crashes everything. The budget counts the preflight's
durations of the tests run, not the clock: which tests a session runs then depends on the plan
and the tests' outcomes alone, never on the machine's load, so a mutant's killers are the same
in every run and in every shard of one.

A test's time limit is `test_timeout_factor` times its duration, never below
`test_timeout_floor` seconds; a test never timed gets the longest limit. Durations are the
preflight's until the engine's copy has run the suite once with no mutant active (`calibrate`):
mutmut's trampolines can make a hot loop several times slower, and a limit taken from the
original code would call that slowdown a hang. The
engine's own wall limit for a session is the sum of its tests' limits plus a margin: it only
backs up the per-test limits, for a hang no signal can interrupt (a loop inside C code, such as
`list()` over an endless iterator), which is why the margin is short: a forked session starts
warm, and each test's limit already covers its setup and teardown.
"""

from collections import Counter
from dataclasses import dataclass

from mutation.engine.server import Job
from mutation.model import KillMatrix

WALL_LIMIT_MARGIN = 5.0


@dataclass(frozen=True)
class StopRule:
    """A session stops once `assertions` tests failed by assertion or `failures` tests failed
    of any kind (0: never); it always stops at its first timeout. After its first failure it
    only runs the tests that fit in its crash budget (0: no budget; see the module docstring)."""

    assertions: int = 0
    failures: int = 0
    crash_budget: float = 0.0


CRASH_BUDGET_SECONDS = 1.0
# Under `kill_matrix = sampled` (`full` never stops early).
SAMPLED = StopRule(assertions=1, crash_budget=CRASH_BUDGET_SECONDS)


def stop_rule(kill_matrix):
    return SAMPLED if kill_matrix == KillMatrix.SAMPLED else StopRule()


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

    def __init__(self, config, order, durations, stop=StopRule()):
        self.config = config
        self.rank = {test: position for position, test in enumerate(order)}
        self.stop = stop
        self.planned = dict(durations)  # the preflight's, which the crash budget counts (never calibrated)
        self._time(dict(durations))

    def _time(self, durations):
        self.durations = durations
        self.limits = time_limits(durations, self.config)
        self.default_limit = max(self.limits.values(), default=self.config.test_timeout_floor)

    def calibrate(self, measured):
        """Take each test's duration on the engine's copy where it is the longer one."""
        self._time({test: max(seconds, measured.get(test, 0.0)) for test, seconds in self.durations.items()})

    def limit(self, test):
        return self.limits.get(test, self.default_limit)

    def job(self, mutant, tests, records_dir="", session_name=None, last=(), stretch=None, stop=None,
            last_once_unkilled=False):
        """`session_name` names the records (default: the mutant); `records_dir` keeps a pass's apart.

        `last` are tests run after the others, whatever their rank (with `last_once_unkilled`, only
        while no test has failed); `stretch(limit)` lengthens their limits; `stop` replaces the
        plan's stop rule.
        """
        stop = stop or self.stop
        ordered = [*sorted(tests, key=lambda test: (self.rank.get(test, len(self.rank)), test)), *last]
        limits = {test: self.limit(test) for test in ordered}
        limits.update({test: stretch(self.limit(test)) for test in last if stretch is not None})
        return Job(mutant, tuple(ordered), round(sum(limits.values()) + WALL_LIMIT_MARGIN, 3), {
            "session_name": session_name or mutant, "limits": limits, "default_limit": self.default_limit,
            "stop_after_assertions": stop.assertions, "stop_after_failures": stop.failures,
            "crash_budget": stop.crash_budget, "records_dir": records_dir,
            "durations": {test: round(self.planned.get(test, self.default_limit), 4) for test in ordered},
            "only_while_unkilled": list(last) if last_once_unkilled else [],
        })
