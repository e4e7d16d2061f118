"""Timeouts re-checked: which sessions get a re-check, which tests it runs and for how long, and how
its outcome replaces the first timeouts."""

import pytest

from mutation.collect.outcomes import UNINTERRUPTIBLE
from mutation.collect.timeouts import (
    RECHECK_FACTOR,
    RECHECK_FLOOR,
    merge_recheck,
    recheck_limit,
    recheck_tests,
    status_of,
    timed_out_sessions,
)
from mutation.model import MutantStatus
from tests.factories import outcome

T1, T2, T3, T4, T5 = (f"t.py::test_{n}" for n in range(1, 6))


def test_only_sessions_with_a_timeout_kill_are_rechecked_with_the_tests_that_hung():
    outcomes = {
        "m.x_f__mutmut_1": outcome("timeout", (T2, "timeout"), ran=[T1]),
        "m.x_f__mutmut_2": outcome("killed", (T1, "assertion"), (T3, "timeout")),
        "m.x_f__mutmut_3": outcome("killed", (T1, "assertion"), (T2, "crash")),
        "m.x_f__mutmut_4": outcome("survived", ran=[T1, T2]),
        "m.x_f__mutmut_5": outcome("unresolved", reason="worker crashed"),
    }

    assert timed_out_sessions(outcomes) == {"m.x_f__mutmut_1": [T2], "m.x_f__mutmut_2": [T3]}


def test_a_recheck_runs_the_covering_tests_never_run_in_their_order_then_the_hung_ones():
    first = outcome("timeout", (T2, "crash"), (T4, "timeout"), ran=[T1])

    assert recheck_tests(first, [T5, T1, T2, T3, T4], [T4]) == ([T5, T3], [T4])


@pytest.mark.parametrize(("limit", "expected"), [(0.1, RECHECK_FLOOR), (0.5, 5.0), (0.75, 7.5), (2.0, 20.0)])
def test_a_recheck_limit_is_ten_times_the_limit_and_at_least_five_seconds(limit, expected):
    assert (RECHECK_FACTOR, RECHECK_FLOOR, recheck_limit(limit)) == (10.0, 5.0, expected)


def test_a_hung_test_that_passes_on_its_recheck_leaves_a_survivor_that_ran_every_test():
    first = outcome("timeout", (T2, "timeout"), ran=[T1])

    merged = merge_recheck(first, outcome("survived", ran=[T3, T2]), [T2])

    assert merged == outcome("survived", ran=[T1, T3, T2])


def test_a_hung_test_that_hangs_again_keeps_its_timeout():
    first = outcome("timeout", (T2, "timeout"), ran=[T1])

    merged = merge_recheck(first, outcome("timeout", (T2, "timeout"), ran=[T3]), [T2])

    assert merged == outcome("timeout", (T2, "timeout"), ran=[T1, T3])


def test_a_recheck_kill_replaces_the_first_timeout_and_earlier_kills_stay_first():
    first = outcome("killed", (T1, "crash"), (T2, "timeout"), ran=[T1])

    merged = merge_recheck(first, outcome("killed", (T2, "assertion"), (T1, "crash"), ran=[T3, T2]), [T2])

    assert merged == outcome("killed", (T1, "crash"), (T2, "assertion"), ran=[T1, T3, T2])


def test_a_hung_test_the_recheck_skipped_because_another_test_killed_keeps_its_first_timeout():
    first = outcome("timeout", (T2, "timeout"), ran=[T1])

    merged = merge_recheck(first, outcome("killed", (T3, "crash"), ran=[T3]), [T2])

    assert merged == outcome("killed", (T2, "timeout"), (T3, "crash"), ran=[T1, T3])


def test_a_timeout_of_a_test_not_rechecked_stays():
    first = outcome("timeout", (T2, "timeout"), (T3, "timeout"))

    merged = merge_recheck(first, outcome("survived", ran=[T2]), [T2])

    assert merged == outcome("timeout", (T3, "timeout"), ran=[T2])


@pytest.mark.parametrize(("recheck", "reason"), [
    (outcome("unresolved", reason="worker crashed (segfault)"), "worker crashed (segfault)"),
    (outcome("unresolved"), "unresolved"),
    (outcome("no_tests"), "no_tests"),
])
def test_a_recheck_that_could_not_be_measured_leaves_the_mutant_unresolved_whatever_it_had(recheck, reason):
    first = outcome("killed", (T1, "assertion"), (T2, "timeout"), ran=[T1])

    assert merge_recheck(first, recheck, [T2]) == outcome(
        "unresolved", ran=[T1], reason=f"timeout re-check could not be measured: {reason}",
    )


@pytest.mark.parametrize(("kills", "status"), [
    ([], MutantStatus.SURVIVED),
    ([(T1, "timeout")], MutantStatus.TIMEOUT),
    ([(T1, "timeout"), (T2, "timeout")], MutantStatus.TIMEOUT),
    ([(T1, "timeout"), (T2, "crash")], MutantStatus.KILLED),
    ([(T1, "assertion")], MutantStatus.KILLED),
])
def test_the_status_of_kills_is_killed_unless_every_kill_is_a_timeout(kills, status):
    assert status_of(outcome("killed", *kills).killed_by) == status


def test_a_test_no_signal_could_interrupt_is_not_given_a_longer_run_only_the_untried_tests_are():
    first = outcome("timeout", (T2, "timeout"), ran=[T1], reason=UNINTERRUPTIBLE)

    assert recheck_tests(first, [T1, T2, T3], [T2]) == ([T3], [])
