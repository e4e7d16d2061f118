"""The code mutmut never mutates: `find_blind_spots` lists what computes something there."""

from mutation.engine.unmutable import BlindSpot, find_blind_spots

SKIPPED_BY_MUTMUT = '''\
"""A module."""
import functools
from dataclasses import dataclass, field

LIMIT = 10
NAMES = ("a", "b")
registry = build_registry()
TIMEOUT: float = 2.5
DOUBLE = LIMIT * 2


@functools.lru_cache(maxsize=None)
def cached(x):
    return x + 1


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
    label: str = "p"

    @staticmethod
    def origin():
        return Point(0)

    @classmethod
    def make(cls):
        return cls(1)

    @property
    def norm(self):
        return self.x + self.y

    class Inner:
        LEVEL = 2

        def method(self):
            return 1

    SCALE = 3
    HALF = SCALE / 2


@register("plugin")
@functools.total_ordering
class Plain:
    def ok(self):
        return 2


if __name__ == "__main__":
    cached(1)
'''


def test_blind_spots_are_the_code_mutmut_skips():
    assert find_blind_spots("pkg/mod.py", SKIPPED_BY_MUTMUT) == [
        BlindSpot("pkg/mod.py", 7, "module statement", "registry"),
        BlindSpot("pkg/mod.py", 9, "module statement", "DOUBLE"),
        BlindSpot("pkg/mod.py", 13, "decorated function (@functools.lru_cache)", "cached"),
        BlindSpot("pkg/mod.py", 33, "decorated function (@property)", "norm"),
        BlindSpot("pkg/mod.py", 39, "method of a nested class", "method"),
        BlindSpot("pkg/mod.py", 43, "class body statement", "HALF"),
        BlindSpot("pkg/mod.py", 48, "class decorator", "Plain"),
        BlindSpot("pkg/mod.py", 53, "module statement", "if"),
    ]


def test_plain_data_has_no_blind_spots():
    code = "from os import path\nimport json\nA = 1\nB: int\nC: str = 'c'\nD = ('x', None)\n\n\ndef f():\n    return A + 1\n"

    assert find_blind_spots("m.py", code) == []


def test_decorated_function_nested_in_a_function_is_a_blind_spot():
    code = "import functools\n\n\ndef outer(f):\n    @functools.wraps(f)\n    def inner(*args):\n" \
           "        return f(*args) + 1\n    return inner\n"

    assert find_blind_spots("m.py", code) == [BlindSpot("m.py", 6, "decorated nested function (@functools.wraps)", "inner")]
