"""The plan of each mutant's session: the order its tests run in, their time limits, the stop rule,
and the engine's Job that carries all of it to the kill recorder."""

import pytest

from mutation.collect.coverage_map import FileCoverage
from mutation.collect.test_plan import (
    SAMPLED, WALL_LIMIT_MARGIN, SessionPlan, StopRule, cheapest_first, stop_rule, time_limits,
)
from mutation.engine.server import Job
from mutation.model import KillMatrix
from tests.factories import gate_config

A, B, C, D = "t.py::a", "t.py::b", "t.py::c", "t.py::d"


def coverage(tests_by_line):
    return FileCoverage("m.py", frozenset(tests_by_line), frozenset(tests_by_line), tests_by_line, 0, 0)


def test_cheapest_first_puts_tests_executing_fewer_target_lines_first_then_keeps_the_preflights_order():
    files = {
        "m.py": coverage({1: {A, B, C}, 2: {A, B}, 3: {A}}),
        "n.py": coverage({1: {C}}),
    }

    # A runs 3 lines, B 2, C 2 (over two files), D none.
    assert cheapest_first([A, B, C, D], files) == [D, B, C, A]


def test_time_limits_are_the_factor_times_the_duration_never_below_the_floor_rounded_to_milliseconds():
    config = gate_config(test_timeout_factor=10.0, test_timeout_floor=0.5)

    assert time_limits({A: 0.01, B: 0.2, C: 0.12341}, config) == {A: 0.5, B: 2.0, C: 1.234}


def test_a_sampled_kill_matrix_stops_at_the_first_assertion_within_a_crash_budget_and_a_full_one_never():
    assert (SAMPLED, stop_rule(KillMatrix.SAMPLED), stop_rule(KillMatrix.FULL)) == (
        StopRule(assertions=1, crash_budget=1.0), StopRule(assertions=1, crash_budget=1.0), StopRule(),
    )


def test_calibrating_keeps_each_tests_longer_duration_and_recomputes_the_limits():
    calibrated = plan()
    calibrated.calibrate({A: 0.3, B: 0.1, D: 9.0})

    assert (calibrated.limits, calibrated.default_limit) == ({A: 3.0, B: 2.0}, 3.0)


def test_a_job_can_replace_the_plans_stop_rule():
    job = plan(SAMPLED).job("m1", [A], stop=StopRule())

    assert (job.context["stop_after_assertions"], job.context["crash_budget"]) == (0, 0.0)


def plan(stop=StopRule(), durations=None, order=(B, A, C)):
    config = gate_config(test_timeout_factor=10.0, test_timeout_floor=0.5)
    return SessionPlan(config, list(order), {A: 0.01, B: 0.2} if durations is None else durations, stop)


def test_a_job_runs_its_tests_in_the_plans_order_with_each_limit_the_default_limit_and_the_stop_rule():
    job = plan(StopRule(assertions=2, failures=5)).job("m.x_f__mutmut_1", [C, A, B], records_dir="credit-1")

    # C has no preflight duration: it gets the longest limit (B's).
    assert job == Job("m.x_f__mutmut_1", (B, A, C), round(2.0 + 0.5 + 2.0 + WALL_LIMIT_MARGIN, 3), {
        "session_name": "m.x_f__mutmut_1", "limits": {B: 2.0, A: 0.5, C: 2.0}, "default_limit": 2.0,
        "stop_after_assertions": 2, "stop_after_failures": 5, "crash_budget": 0.0, "records_dir": "credit-1",
        "durations": {B: 0.2, A: 0.01, C: 2.0}, "only_while_unkilled": [],
    })


def test_calibration_lengthens_the_limits_but_the_crash_budget_keeps_counting_the_preflights_durations():
    calibrated = plan()
    calibrated.calibrate({A: 0.3})

    job = calibrated.job("m1", [A, B])
    assert (job.context["limits"], job.context["durations"]) == ({B: 2.0, A: 3.0}, {B: 0.2, A: 0.01})


def test_tests_the_plan_does_not_rank_run_after_the_ranked_ones_in_name_order():
    job = plan(order=(B,)).job("m1", [D, A, B, C])

    assert job.tests == (B, A, C, D)


def test_a_plan_without_timed_tests_limits_every_test_to_the_floor_and_never_stops_early():
    job = plan(durations={}).job("m1", [A])

    assert (job.wall_limit, job.context) == (0.5 + WALL_LIMIT_MARGIN, {
        "session_name": "m1", "limits": {A: 0.5}, "default_limit": 0.5,
        "stop_after_assertions": 0, "stop_after_failures": 0, "crash_budget": 0.0, "records_dir": "",
        "durations": {A: 0.5}, "only_while_unkilled": [],
    })


def test_last_tests_run_after_the_others_whatever_their_rank_with_only_their_limits_stretched():
    job = plan().job("m1", [C, A], "timeout-recheck", session_name="re-m1", last=[B], stretch=lambda limit: limit * 3)

    assert (job.tests, job.wall_limit, job.context["limits"], job.context["session_name"],
            job.context["records_dir"]) == (
        (A, C, B), round(0.5 + 2.0 + 6.0 + WALL_LIMIT_MARGIN, 3), {A: 0.5, C: 2.0, B: 6.0}, "re-m1", "timeout-recheck",
    )


def test_last_tests_keep_their_own_limits_without_a_stretch():
    job = plan().job("m1", [], last=[A, B])

    assert (job.tests, job.context["limits"], job.wall_limit) == ((A, B), {A: 0.5, B: 2.0}, 2.5 + WALL_LIMIT_MARGIN)


@pytest.mark.parametrize(("test", "limit"), [(A, 0.5), (B, 2.0), (D, 2.0)])
def test_limit_is_the_tests_own_or_the_default(test, limit):
    assert plan().limit(test) == limit
