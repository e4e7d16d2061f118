"""Per-function verdicts: tested, partially tested, pseudo-tested, not covered or unmutated."""

from mutation.verdicts.per_function import classify_functions, defined_functions
from tests.factories import mutant_entry

STRONG, RUNNER = "t.py::strong", "t.py::runner"


def mutant(mutant_id, status, covered_by, killed_by=(), function="f"):
    return mutant_entry(mutant_id, status, function=function, target="m.py", covered_by=covered_by,
                        killed_by=killed_by)


MUTANTS = [
    mutant("m.f#1", "killed", [STRONG, RUNNER], [(STRONG, "assertion")]),
    mutant("m.f#2", "killed", [STRONG], [(STRONG, "assertion")]),
    mutant("m.g#1", "timeout", [RUNNER], [(RUNNER, "timeout")], function="g"),
    mutant("m.g#2", "survived", [STRONG, RUNNER], function="g"),
    mutant("m.h#1", "excluded", [RUNNER], function="h"),
]


SOURCE = '''\
def f():
    pass


def g():
    pass


def h():
    pass


def bare():
    pass


class Box:
    def put(self):
        pass

    class Inner:
        def hidden(self):
            pass
'''


def test_functions_are_tested_partially_pseudo_not_covered_or_unmutated():
    mutants = MUTANTS + [
        mutant("m.Box.put#1", "survived", [STRONG], function="Box.put"),
        mutant("m.bare#1", "no_tests", [], function="bare"),
    ]

    verdicts = classify_functions({"mutants": mutants, "files": {"m.py": {"target": "m.py", "source": SOURCE}}})

    assert {key: (v["class"], v["mutants"], v["detected"]) for key, v in verdicts.items()} == {
        "m.py::Box.Inner.hidden": ("unmutated", 0, 0),
        "m.py::Box.put": ("pseudo-tested", 1, 0),
        "m.py::bare": ("not covered", 1, 0),
        "m.py::f": ("tested", 2, 2),
        "m.py::g": ("partially tested", 2, 1),
    }
    assert verdicts["m.py::Box.Inner.hidden"]["line"] == 22


def test_defined_functions_include_methods_and_nested_classes():
    assert defined_functions(SOURCE) == [
        ("f", 1), ("g", 5), ("h", 9), ("bare", 13), ("Box.put", 18), ("Box.Inner.hidden", 22),
    ]
