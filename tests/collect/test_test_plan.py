"""The test plan: each mutant's tests, the order they run in, their time limits and the stop rule."""

import json

from mutation.collect.coverage_map import FileCoverage
from mutation.collect.test_plan import PLAN_FILE, cheapest_first, stop_after_assertions, write_plan
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


def test_the_plan_lists_tests_in_order_with_indices_limits_and_the_stop_rule(tmp_path):
    config = gate_config(tmp_path, test_timeout_factor=10.0, test_timeout_floor=0.5)

    limits = write_plan(tmp_path, {"m1": [A, C], "m2": [B]}, {A: 0.01, B: 0.2}, config, order=[B, A], stop_after=2,
                        records_dir="credit-1")

    assert limits == {A: 0.5, B: 2.0}
    assert json.loads((tmp_path / PLAN_FILE).read_text()) == {
        "tests": [B, A, C],
        "mutants": {"m1": [1, 2], "m2": [0]},
        "limits": {A: 0.5, B: 2.0},
        "default_limit": 2.0,
        "stop_after_assertions": 2,
        "records_dir": "credit-1",
    }


def test_a_plan_without_timed_tests_limits_every_test_to_the_floor(tmp_path):
    write_plan(tmp_path, {"m1": [A]}, {}, gate_config(tmp_path, test_timeout_floor=3.0))

    plan = json.loads((tmp_path / PLAN_FILE).read_text())
    assert (plan["limits"], plan["default_limit"], plan["stop_after_assertions"], plan["records_dir"]) == ({}, 3.0, 0, "")


def test_a_sampled_kill_matrix_stops_after_two_assertion_kills_and_a_full_one_never():
    assert (stop_after_assertions(KillMatrix.SAMPLED), stop_after_assertions(KillMatrix.FULL)) == (2, 0)
