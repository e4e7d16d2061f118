"""The selection file: each mutant's tests, the order they run in, their time limits and the stop rule."""

import json

from mutation.config import GateConfig
from mutation.coverage_map import FileCoverage
from mutation.selection import run_order, write_selection

A, B, C, D = "t.py::a", "t.py::b", "t.py::c", "t.py::d"


def coverage(tests_by_line):
    return FileCoverage("m.py", frozenset(tests_by_line), frozenset(tests_by_line), tests_by_line, 0, 0)


def test_run_order_puts_tests_executing_fewer_target_lines_first_then_keeps_the_preflights_order():
    files = {
        "m.py": coverage({1: {A, B, C}, 2: {A, B}, 3: {A}}),
        "n.py": coverage({1: {C}}),
    }

    # A runs 3 lines, B 2, C 2 (over two files), D none.
    assert run_order([A, B, C, D], files) == [D, B, C, A]


def test_selection_lists_tests_in_run_order_with_indices_limits_and_the_stop_rule(tmp_path):
    config = GateConfig(project_root=tmp_path, config_path=tmp_path / "setup.cfg", targets=(),
                        test_timeout_factor=10.0, test_timeout_floor=0.5)

    limits = write_selection(tmp_path, {"m1": [A, C], "m2": [B]}, {A: 0.01, B: 0.2}, config, order=[B, A],
                             stop_after_assertions=2, records_dir="credit-1")

    assert limits == {A: 0.5, B: 2.0}
    assert json.loads((tmp_path / "selection.json").read_text()) == {
        "tests": [B, A, C],
        "mutants": {"m1": [1, 2], "m2": [0]},
        "limits": {A: 0.5, B: 2.0},
        "default_limit": 2.0,
        "stop_after_assertions": 2,
        "records_dir": "credit-1",
    }
