"""`survivors` and `show`: the mutants a developer asks about, read from a gate.json document."""

import pytest

from mutation.errors import ConfigError
from mutation.report import queries
from tests.factories import A_DIFF, mutant_entry as mutant

MUTANTS = [
    mutant("pkg.a.f#1", covered_by=["t.py::one"]),
    mutant("pkg.a.f#2", "killed", covered_by=["t.py::one", "t.py::two"], killed_by=[("t.py::two", "assertion")]),
    mutant("pkg.a.Meter.read#1", function="Meter.read", covered_by=["t.py::one", "t.py::two"]),
    mutant("pkg.helper.g#1", file="pkg/helper.py", function="g", covered_by=[]),
    mutant("pkg.b.Box.grow#1", target="pkg/b.py", function="Box.grow", covered_by=["t.py::three"]),
    mutant("pkg.b.Box.grow#2", "unresolved", target="pkg/b.py", function="Box.grow", reason="not checked"),
]


def document(mutants=MUTANTS):
    return {"mutants": mutants}


def ids(mutants):
    return [mutant["id"] for mutant in mutants]


@pytest.mark.parametrize(
    ("target", "function", "expected"),
    [
        (None, None, ["pkg.a.f#1", "pkg.a.Meter.read#1", "pkg.helper.g#1", "pkg.b.Box.grow#1"]),
        ("pkg/a.py", None, ["pkg.a.f#1", "pkg.a.Meter.read#1", "pkg.helper.g#1"]),
        ("pkg/helper.py", None, ["pkg.helper.g#1"]),
        ("pkg/b.py", None, ["pkg.b.Box.grow#1"]),
        (None, "f", ["pkg.a.f#1"]),
        (None, "read", ["pkg.a.Meter.read#1"]),
        (None, "Meter.read", ["pkg.a.Meter.read#1"]),
        (None, "ead", []),
        ("pkg/b.py", "f", []),
        ("pkg/c.py", None, []),
    ],
)
def test_survivors_filters(target, function, expected):
    assert ids(queries.survivors(document(), target, function)) == expected


def test_find_mutant_by_id_or_mutmut_name():
    assert queries.find_mutant(document(), "pkg.a.f#2") is MUTANTS[1]
    assert queries.find_mutant(document(), "pkg.b.xǁBoxǁgrow__mutmut_2") is MUTANTS[5]


def test_find_unknown_mutant_is_a_user_error():
    with pytest.raises(ConfigError) as error:
        queries.find_mutant(document(), "pkg.a.f#9")

    assert str(error.value) == "no mutant 'pkg.a.f#9' in the last gate report"


SHOWN_KILLED = f"""\
pkg.a.f#2  [killed]
  mutmut name: pkg.a.x_f__mutmut_2
  location:    pkg/a.py:2:13-2:18 in f (target pkg/a.py)

{A_DIFF}

killed by:
  t.py::two  (assertion)
executed by 2 tests:
  t.py::one
  t.py::two"""

SHOWN_UNRESOLVED = f"""\
pkg.b.Box.grow#2  [unresolved]
  mutmut name: pkg.b.xǁBoxǁgrow__mutmut_2
  location:    pkg/b.py:2:13-2:18 in Box.grow (target pkg/b.py)
  reason:      not checked

{A_DIFF}

executed by 0 tests:"""


@pytest.mark.parametrize(("index", "shown"), [(1, SHOWN_KILLED), (5, SHOWN_UNRESOLVED)])
def test_render_mutant(index, shown):
    assert queries.render_mutant(MUTANTS[index]) == shown
