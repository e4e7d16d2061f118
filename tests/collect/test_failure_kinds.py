"""How the kill recorder names a failure's kind, doctests included, and where a test's body is."""

import doctest
import sys
import unittest
from pathlib import Path
from types import SimpleNamespace

import pytest

from mutation.collect.kill_recorder import MutantTestTimeout, error_kind, body_of


def unexpected(error):
    try:
        raise error
    except BaseException:
        return doctest.UnexpectedException(None, None, sys.exc_info())


class MultipleDoctestFailure(Exception):
    """Named like pytest's own, which carries the failures of one doctest item."""

    def __init__(self, failures):
        super().__init__()
        self.failures = failures


@pytest.mark.parametrize(("error", "kind"), [
    (AssertionError("x"), "assertion"),
    (doctest.DocTestFailure(None, None, "got 2"), "assertion"),
    (unexpected(KeyError("k")), "crash"),
    (unexpected(AssertionError("in an example")), "assertion"),
    (unexpected(MutantTestTimeout("hung")), "timeout"),
    (MultipleDoctestFailure([unexpected(KeyError("k")), doctest.DocTestFailure(None, None, "1")]), "assertion"),
    (MultipleDoctestFailure([unexpected(KeyError("k")), unexpected(MutantTestTimeout("t"))]), "timeout"),
    (ExceptionGroup("g", [ValueError(), AssertionError()]), "assertion"),
    (ValueError("v"), "crash"),
])
def test_each_failure_gets_its_kind(error, kind):
    assert error_kind(error) == kind


def a_test_function():
    pass


def test_a_tests_body_is_the_file_and_line_of_its_function():
    item = SimpleNamespace(obj=a_test_function, nodeid="tests/collect/test_failure_kinds.py::a_test_function[1]")
    line = a_test_function.__code__.co_firstlineno

    assert body_of(item, Path(__file__).parents[2]) == f"tests/collect/test_failure_kinds.py:{line}"


def test_a_test_without_a_function_is_its_id_without_parameters(tmp_path):
    item = SimpleNamespace(obj=None, nodeid="README.rst::README[x-1]")

    assert body_of(item, tmp_path) == "README.rst::README"


def raised_inside(function):
    try:
        function()
    except BaseException as error:  # noqa: BLE001 - the test inspects whatever it raised
        return error
    raise AssertionError("nothing raised")


def wrong_error_in_a_raises_block():
    with pytest.raises(ValueError):
        {}["missing"]


class Case(unittest.TestCase):
    def runTest(self):
        pass

    def wrong_error_in_assert_raises(self):
        with self.assertRaises(ValueError):
            int(None)

    def wrong_error_through_the_callable_form(self):
        self.assertRaises(ValueError, int, None)


def wrong_error_through_pytests_callable_form():
    pytest.raises(ValueError, int, None)


def error_outside_any_raises_block():
    with pytest.raises(ValueError):
        int("x")
    {}["missing"]


@pytest.mark.parametrize(("function", "kind"), [
    (wrong_error_in_a_raises_block, "assertion"),
    (Case().wrong_error_in_assert_raises, "assertion"),
    (Case().wrong_error_through_the_callable_form, "assertion"),
    (wrong_error_through_pytests_callable_form, "assertion"),
    (error_outside_any_raises_block, "crash"),
    (lambda: int(None), "crash"),
])
def test_a_wrong_exception_where_the_test_expected_one_is_an_assertion(function, kind):
    assert error_kind(raised_inside(function)) == kind
