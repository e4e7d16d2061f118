"""Whether a test's own body asserts anything, read from its source."""

import functools
import unittest

import pytest

from mutation.collect.test_source import asserts


def plain_assert():
    assert 1 + 1 == 2


def unittest_style(self):
    self.assertEqual(1, 1)


def expects_an_error():
    with pytest.raises(ValueError):
        int("x")


def mock_check(mock):
    mock.assert_called_once_with(1)


def raises_its_own_assertion_error(found):
    if found != {"a"}:
        raise AssertionError(f"missing: {found}")


def runs_only():
    sorted([3, 1, 2])


def decorated(function):
    @functools.wraps(function)
    def wrapper(*args):
        return function(*args)
    return wrapper


@decorated
def wrapped_runs_only():
    sorted([1])


class Case(unittest.TestCase):
    def test_method(self):
        self.assertTrue(True)


@pytest.mark.parametrize(("function", "expected"), [
    (plain_assert, True), (raises_its_own_assertion_error, True), (unittest_style, True), (expects_an_error, True), (mock_check, True),
    (runs_only, False), (wrapped_runs_only, False), (Case("test_method").test_method, True),
    (len, True),  # no source to read: taken to assert, so that nothing is rejected on a guess
    (None, True),
])
def test_a_body_asserts_when_it_holds_an_assertion_of_any_kind(function, expected):
    assert asserts(function) is expected
