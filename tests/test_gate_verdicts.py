"""Per-test verdicts, per-function verdicts and waivers, on small hand-built gate documents."""

import datetime

import pytest

from mutation.config import GateConfig, TargetSpec
from mutation.errors import ConfigError
from mutation.function_verdicts import classify_functions, defined_functions
from mutation.test_verdicts import HINTS, classify_tests, line_ranges
from mutation.waivers import check_waived_tests_exist, load_waivers

STRONG, CRASHER, RUNNER, BYSTANDER = "t.py::strong", "t.py::crasher", "t.py::runner", "t.py::bystander"


def mutant(mutant_id, status, covered_by, killed_by=(), function="f", line=1):
    return {
        "id": mutant_id, "file": "m.py", "function": function, "start_line": line, "status": status,
        "covered_by": list(covered_by), "killed_by": [{"test": test, "kind": kind} for test, kind in killed_by],
        "diff": f"diff of {mutant_id}",
    }


def document(mutants):
    tests = {test: {"duration": 0.1, "target_lines": {}, "kills": []} for test in (STRONG, CRASHER, RUNNER, BYSTANDER)}
    tests[STRONG]["target_lines"] = {"m.py": [1, 2]}
    tests[RUNNER]["target_lines"] = {"m.py": [1]}
    for entry in mutants:
        for kill in entry["killed_by"]:
            tests[kill["test"]]["kills"].append({"mutant": entry["id"], "kind": kill["kind"]})
    return {"mutants": mutants, "tests": tests}


MUTANTS = [
    mutant("m.f#1", "killed", [STRONG, CRASHER, RUNNER], [(STRONG, "assertion"), (CRASHER, "crash")], line=1),
    mutant("m.f#2", "killed", [STRONG, CRASHER], [(STRONG, "assertion")], line=2),
    mutant("m.g#1", "timeout", [CRASHER, RUNNER], [(CRASHER, "timeout")], function="g", line=5),
    mutant("m.g#2", "survived", [STRONG, RUNNER], function="g", line=6),
    mutant("m.h#1", "excluded", [RUNNER], function="h", line=9),
]


def test_each_test_gets_its_class_counts_and_rejection():
    verdicts = classify_tests(document(MUTANTS), reject=("covering", "crash-only"), waivers={})

    summary = {
        test: (v["class"], v["mutants_covered"], v["killed_by_assertion"], v["killed_by_crash"], v["killed_by_timeout"],
               v["unique_kills"], v["redundant"], v["rejected"])
        for test, v in verdicts.items()
    }
    assert summary == {
        STRONG: ("killing", 3, 2, 0, 0, 2, False, False),
        CRASHER: ("crash-only", 3, 0, 1, 1, 1, False, True),
        RUNNER: ("covering", 3, 0, 0, 0, 0, False, True),
        BYSTANDER: ("not-covering", 0, 0, 0, 0, 0, False, False),
    }
    assert verdicts[RUNNER]["hint"] == HINTS["covering"]
    assert verdicts[BYSTANDER]["hint"] == HINTS["not-covering"]


def test_unnoticed_mutants_list_survivors_first():
    verdicts = classify_tests(document(MUTANTS), reject=(), waivers={})

    assert verdicts[RUNNER]["unnoticed"] == ["m.g#2", "m.f#1", "m.g#1"]
    assert verdicts[CRASHER]["unnoticed"] == ["m.f#2"]
    assert verdicts[STRONG]["unnoticed"] == ["m.g#2"]


def test_an_assertion_kill_stays_unique_when_others_only_crash_on_that_mutant():
    mixed = [mutant("m.f#1", "killed", [STRONG, CRASHER], [(STRONG, "assertion"), (CRASHER, "crash")])]

    verdicts = classify_tests(document(mixed), reject=(), waivers={})

    assert (verdicts[STRONG]["unique_kills"], verdicts[STRONG]["redundant"]) == (1, False)
    assert (verdicts[CRASHER]["unique_kills"], verdicts[CRASHER]["redundant"]) == (0, True)


def test_a_test_whose_kills_all_have_other_killers_is_redundant():
    shared = [mutant("m.f#1", "killed", [STRONG, CRASHER], [(STRONG, "assertion"), (CRASHER, "assertion")])]

    verdicts = classify_tests(document(shared), reject=(), waivers={})

    assert (verdicts[STRONG]["redundant"], verdicts[STRONG]["unique_kills"]) == (True, 0)
    assert (verdicts[CRASHER]["redundant"], verdicts[CRASHER]["class"]) == (True, "killing")


def test_waived_and_unrejected_classes_are_not_rejected():
    verdicts = classify_tests(document(MUTANTS), reject=("covering", "not-covering"), waivers={RUNNER: "smoke test"})

    assert {test: (v["rejected"], v["waiver"]) for test, v in verdicts.items()} == {
        STRONG: (False, None), CRASHER: (False, None), RUNNER: (False, "smoke test"), BYSTANDER: (True, None),
    }


@pytest.mark.parametrize(
    ("lines", "text"),
    [([1, 2, 3, 7, 9, 10], "1-3,7,9-10"), ([5], "5"), ([4, 2, 3], "2-4"), ([], "")],
)
def test_line_ranges_compress_consecutive_lines(lines, text):
    assert line_ranges(lines) == text


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

    verdicts = classify_functions({"mutants": mutants}, {"m.py": SOURCE})

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


def waiver_config(tmp_path, text):
    (tmp_path / "waivers.toml").write_text(text, encoding="utf-8")
    return GateConfig(project_root=tmp_path, config_path=tmp_path / "setup.cfg", targets=(TargetSpec("m.py", 90),),
                      waivers="waivers.toml")


TODAY = datetime.date(2026, 11, 24)


def test_a_valid_waiver_gives_its_reason_and_expiry(tmp_path):
    config = waiver_config(tmp_path, '[[waiver]]\ntest = "t.py::smoke"\nreason = "boot check"\nexpires = 2026-11-24\n')

    waivers = load_waivers(config, TODAY)

    assert waivers == {"t.py::smoke": "boot check (until 2026-11-24)"}
    check_waived_tests_exist(config, waivers, {"t.py::smoke"})


def test_a_waiver_for_a_test_that_is_gone_fails(tmp_path):
    config = waiver_config(tmp_path, '[[waiver]]\ntest = "t.py::gone"\nreason = "r"\nexpires = 2027-01-01\n')

    with pytest.raises(ConfigError) as error:
        check_waived_tests_exist(config, load_waivers(config, TODAY), {"t.py::smoke"})

    assert str(error.value) == "waivers.toml: t.py::gone is not a test of the suite any more; remove its waiver"


def test_no_waiver_file_means_no_waivers(tmp_path):
    config = GateConfig(project_root=tmp_path, config_path=tmp_path / "setup.cfg", targets=())

    assert load_waivers(config, TODAY) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2026-11-23\n',
         "waivers.toml waiver 1: the waiver for t.py::smoke expired on 2026-11-23"),
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2027-01-01T00:00:00\n',
         "waivers.toml waiver 1: expires must be a date like 2027-03-31, got datetime.datetime(2027, 1, 1, 0, 0)"),
        ('[[waiver]]\ntest = "t.py::smoke"\nexpires = 2027-01-01\n', "waivers.toml waiver 1: missing 'reason'"),
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = "soon"\n',
         "waivers.toml waiver 1: expires must be a date like 2027-03-31, got 'soon'"),
        ("[[waiver]\n", "waivers.toml: unreadable: Expected ']]' at the end of an array declaration (at line 1, column 9)"),
    ],
    ids=["expired", "date-time", "no-reason", "not-a-date", "not-toml"],
)
def test_bad_waivers_are_configuration_errors(tmp_path, text, message):
    config = waiver_config(tmp_path, text)

    with pytest.raises(ConfigError) as error:
        load_waivers(config, TODAY)

    assert str(error.value) == message
