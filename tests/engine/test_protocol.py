"""Which mutant a test process is running under, as mutmut tells its workers."""

import pytest

from mutation.engine.protocol import MUTANT_ENV, active_mutant


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("pkg.mod.x_f__mutmut_3", "pkg.mod.x_f__mutmut_3"),
        ("pkg.mod.xǁBoxǁgrow__mutmut_12", "pkg.mod.xǁBoxǁgrow__mutmut_12"),
        ("stats", None),
        ("fail", None),
        ("", None),
    ],
)
def test_active_mutant_is_set_only_while_a_mutants_tests_run(value, expected):
    assert active_mutant({MUTANT_ENV: value}) == expected


def test_no_mutant_is_active_without_the_variable():
    assert active_mutant({}) is None
