"""The shared vocabulary: statuses as text, a mutant's stable key, and the one percent helper."""

import json

import pytest

from mutation.model import DETECTED, JUDGED, UNSCORED, MutantKey, MutantStatus, TestClass, percent
from tests.factories import mutant


def test_statuses_are_written_as_their_text():
    assert json.dumps({"status": MutantStatus.NO_TESTS, "class": TestClass.CRASH_ONLY}) == (
        '{"status": "no_tests", "class": "crash-only"}'
    )


def test_the_status_groups():
    assert (DETECTED, UNSCORED) == ({"killed", "timeout"}, {"type_check", "excluded", "not_measured"})
    assert JUDGED == {"killed", "timeout", "survived", "no_tests"}


def test_a_mutants_key_is_its_file_function_and_stripped_mutated_text():
    located = mutant("pkg.mod.xǁBoxǁgrow__mutmut_7", function="Box.grow", mutated_text="  return n - 1\n")

    assert located.key == MutantKey("pkg/mod.py", "Box.grow", "return n - 1")


@pytest.mark.parametrize(("part", "whole", "expected"), [(1, 3, 33.33), (2, 3, 66.67), (3, 3, 100.0), (0, 5, 0.0),
                                                          (0, 0, None)])
def test_percent_rounds_to_two_decimals_and_is_none_over_nothing(part, whole, expected):
    assert percent(part, whole) == expected
