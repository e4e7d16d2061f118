"""The Stryker report of a gate.json document: every status, exact locations and replacements,
tests by short id in their files, thresholds from the targets, and the official schema."""

import json

import pytest

from mutation.errors import FormatUnavailable
from mutation.report.writers import stryker
from tests.factories import gate_document, mutant_entry, per_test_entry
from tests.report.hostile import HOSTILE_SOURCE, HOSTILE_TEST, PLAIN_TEST, hostile_document
from tests.report.stryker_schema import check_stryker

T1 = "tests/test_a.py::test_one"
T2 = "tests/test_a.py::TestB::test_two[x::y]"
T3 = "tests/test_c.py::test_three"
SOURCE = "def f(x):\n    return x + 1\n"
STATUSES = ["killed", "survived", "timeout", "no_tests", "type_check", "excluded", "unresolved"]


def exact_mutant(mutant_id, status="survived", **fields):
    """A mutant of SOURCE whose span (`x + 1`, line 2) and diff agree, as the engine records them."""
    entry = mutant_entry(mutant_id, status, line=2, **fields)
    entry.update(start_column=11, end_column=16)
    return entry


def status_document():
    """One mutant of each status; the killed one by two tests (assertion, crash)."""
    kills = {"killed": [(T1, "assertion"), (T3, "crash")], "timeout": [(T2, "timeout")]}
    reasons = {"type_check": "mypy: unsupported operand", "excluded": "x - 1 is the same here",
               "unresolved": "the worker stopped"}
    mutants = [exact_mutant(f"pkg.a.f#{number}", status, covered_by=[] if status == "no_tests" else [T1, T2, T3],
                            killed_by=kills.get(status, ()), tests_run=[T1] if status == "killed" else None,
                            reason=reasons.get(status, ""))
               for number, status in enumerate(STATUSES, start=1)]
    return gate_document(mutants, sources={"pkg/a.py": SOURCE})


def mutants_of(report):
    return {mutant["id"]: mutant for entry in report["files"].values() for mutant in entry["mutants"]}


def names_by_id(report):
    """Short id -> full node id, from the report's testFiles."""
    return {test["id"]: f"{path}::{test['name']}" for path, entry in report["testFiles"].items()
            for test in entry["tests"]}


def test_each_status_maps_to_strykers():
    mutants = mutants_of(stryker.report(status_document()))

    assert {mutant_id: mutant["status"] for mutant_id, mutant in mutants.items()} == {
        "pkg.a.f#1": "Killed", "pkg.a.f#2": "Survived", "pkg.a.f#3": "Timeout", "pkg.a.f#4": "NoCoverage",
        "pkg.a.f#5": "CompileError", "pkg.a.f#6": "Ignored", "pkg.a.f#7": "Pending",
    }


def test_the_status_reason_says_how_each_test_killed_or_why_the_gate_set_it_aside():
    mutants = mutants_of(stryker.report(status_document()))

    assert {mutant_id: mutant.get("statusReason") for mutant_id, mutant in mutants.items()} == {
        "pkg.a.f#1": f"assertion failed in {T1}; crashed (no assertion failed) in {T3}",
        "pkg.a.f#2": None,
        "pkg.a.f#3": f"timed out in {T2}",
        "pkg.a.f#4": None,
        "pkg.a.f#5": "mypy: unsupported operand",
        "pkg.a.f#6": "x - 1 is the same here",
        "pkg.a.f#7": "the worker stopped",
    }


def test_an_excluded_mutant_without_a_reason_takes_its_exclusions():
    document = gate_document([exact_mutant("pkg.a.f#1", "excluded")], sources={"pkg/a.py": SOURCE})
    document["exclusions"] = [{"file": "pkg/a.py", "function": "f", "mutation": " return x - 1 ",
                               "reason": "equivalent: x is never read"}]

    assert mutants_of(stryker.report(document))["pkg.a.f#1"]["statusReason"] == "equivalent: x is never read"


def test_a_mutant_entry_in_full():
    mutant = mutants_of(stryker.report(status_document()))["pkg.a.f#1"]

    assert mutant == {
        "id": "pkg.a.f#1",
        "mutatorName": "ArithmeticOperator",
        "replacement": "x - 1",
        "location": {"start": {"line": 2, "column": 12}, "end": {"line": 2, "column": 17}},
        "status": "Killed",
        "static": False,
        "coveredBy": ["1", "0", "2"],  # T1, T2, T3: "TestB" sorts before "test_one"
        "testsCompleted": 1,
        "killedBy": ["1", "2"],
        "statusReason": f"assertion failed in {T1}; crashed (no assertion failed) in {T3}",
    }


def test_the_location_is_the_source_text_the_replacement_takes_the_place_of():
    report = stryker.report(status_document())
    source = report["files"]["pkg/a.py"]["source"].splitlines()
    mutant = mutants_of(report)["pkg.a.f#2"]
    start, end = mutant["location"]["start"], mutant["location"]["end"]

    assert start["line"] == end["line"] == 2
    assert source[1][start["column"] - 1:end["column"] - 1] == "x + 1"
    mutated = source[1][:start["column"] - 1] + mutant["replacement"] + source[1][end["column"] - 1:]
    assert mutated == "    return x - 1"


def test_killed_by_and_covered_by_name_the_tests_of_test_files():
    report = stryker.report(status_document())
    names = names_by_id(report)
    mutants = mutants_of(report)

    assert [names[test] for test in mutants["pkg.a.f#1"]["killedBy"]] == [T1, T3]
    assert [names[test] for test in mutants["pkg.a.f#3"]["coveredBy"]] == [T1, T2, T3]
    assert "killedBy" not in mutants["pkg.a.f#2"]
    assert mutants["pkg.a.f#4"]["coveredBy"] == []


def test_tests_get_short_ids_in_node_id_order_grouped_by_file():
    document = status_document()
    document["tests"][T1]["body"] = "tests/test_a.py:12"
    document["tests"][T2]["body"] = "tests/helpers.py:40"  # defined in another file: no location
    document["tests"][T3]["body"] = ""

    document["test_files"] = {"tests/test_a.py": "def test_one():\n    assert True\n"}

    assert stryker.report(document)["testFiles"] == {
        "tests/test_a.py": {"source": "def test_one():\n    assert True\n", "tests": [
            {"id": "0", "name": "TestB::test_two[x::y]"},
            {"id": "1", "name": "test_one", "location": {"start": {"line": 12, "column": 1}}},
        ]},
        "tests/test_c.py": {"tests": [{"id": "2", "name": "test_three"}]},
    }


def test_a_test_is_located_only_in_a_file_whose_source_the_report_holds():
    document = status_document()
    document["tests"][T1]["body"] = "tests/test_a.py:12"

    assert stryker.report(document)["testFiles"]["tests/test_a.py"] == {"tests": [
        {"id": "0", "name": "TestB::test_two[x::y]"}, {"id": "1", "name": "test_one"}]}


def test_a_test_a_mutant_names_beyond_the_reports_tests_gets_the_next_id():
    document = gate_document([exact_mutant("pkg.a.f#1", covered_by=[T1])], tests={T1: per_test_entry()},
                             sources={"pkg/a.py": SOURCE})
    document["mutants"][0]["covered_by"] = [T1, "loose_test"]

    report = stryker.report(document)

    assert mutants_of(report)["pkg.a.f#1"]["coveredBy"] == ["0", "1"]
    assert report["testFiles"]["loose_test"] == {"tests": [{"id": "1", "name": "loose_test"}]}
    check_stryker(report)


@pytest.mark.parametrize(("bars", "expected"), [
    ([90.0, 90.0], {"high": 90, "low": 90}),
    ([60.0], {"high": 80, "low": 60}),
    ([85.5, 95.2], {"high": 96, "low": 85}),
    ([0.0], {"high": 80, "low": 0}),
    ([100.0], {"high": 100, "low": 100}),
    ([], {"high": 80, "low": 60}),
])
def test_thresholds_come_from_the_targets_min_scores(bars, expected):
    assert stryker.thresholds({"targets": [{"min_score": bar} for bar in bars]}) == expected


def test_the_reports_frame_names_the_gate_its_tools_phases_root_and_config():
    document = status_document()
    document["run"]["tool_versions"] = {"mutation-gate": "9.9.9", "mutmut": "3.8.1", "hypothesis": None}
    document["run"]["config"]["project_root"] = "/home/me/project"
    document["run"]["phase_seconds"] = {"prepare": 1.5, "preflight": 10.0, "locate": 0.25, "mutation": 100.0,
                                        "rerun": 2.0, "credit": 3.0, "score": 0.5}

    report = stryker.report(document)

    assert {key: report[key] for key in ("schemaVersion", "projectRoot", "framework", "performance")} == {
        "schemaVersion": "2",
        "projectRoot": "/home/me/project",
        "framework": {"name": "mutation-gate", "version": "9.9.9",
                      "dependencies": {"mutation-gate": "9.9.9", "mutmut": "3.8.1"}},
        "performance": {"setup": 1750, "initialRun": 10000, "mutation": 105500},
    }
    assert report["config"] == document["run"]["config"]
    check_stryker(report)


def test_a_report_without_phase_times_or_root_leaves_them_out():
    report = stryker.report(status_document())

    assert "performance" not in report and "projectRoot" not in report
    assert report["files"]["pkg/a.py"]["language"] == "python"
    assert report["files"]["pkg/a.py"]["source"] == SOURCE


def test_every_status_matches_the_official_schema():
    check_stryker(stryker.report(status_document()))


def test_a_report_of_several_files_and_targets_matches_the_official_schema():
    mutants = [
        exact_mutant("pkg.a.f#1", "killed", covered_by=[T1], killed_by=[(T1, "assertion")]),
        mutant_entry("pkg.b.g#1", "survived", function="g", target="pkg/b.py", covered_by=[T2, T3]),
        mutant_entry("pkg.b.g#2", "no_tests", function="g", target="pkg/b.py", file="pkg/helper.py"),
    ]
    report = stryker.report(gate_document(mutants, sources={"pkg/a.py": SOURCE}, min_score=72.5))

    assert sorted(report["files"]) == ["pkg/a.py", "pkg/b.py", "pkg/helper.py"]
    assert report["thresholds"] == {"high": 80, "low": 72}
    check_stryker(report)


def test_the_hostile_document_round_trips_its_names_and_source_exactly():
    text = stryker.render(hostile_document())
    report = json.loads(text)

    check_stryker(report)
    assert report == stryker.report(hostile_document())
    assert report["files"]["pkg/a.py"]["source"] == HOSTILE_SOURCE
    assert sorted(names_by_id(report).values()) == sorted([HOSTILE_TEST, PLAIN_TEST])
    assert mutants_of(report)["pkg.a.g#1"]["replacement"] == 'return text + "XX<!-- ]]> `|` -->XX"'


def test_render_is_compact_json_keeping_non_ascii_text():
    document = gate_document([exact_mutant("pkg.a.f#1", covered_by=["tests/test_ü.py::test_é"])],
                             sources={"pkg/a.py": "def f(x):\n    return x + 1  # ≠\n"})

    text = stryker.render(document)

    assert text.startswith('{"schemaVersion":"2","thresholds":{"high":90,"low":90},"files":{"pkg/a.py":')
    assert '"tests/test_ü.py":{"tests":[{"id":"0","name":"test_é"}]}' in text
    assert "# ≠" in text


def test_a_mutant_of_a_file_the_report_does_not_hold_is_one_clear_error():
    document = status_document()
    document["mutants"][0]["file"] = "pkg/gone.py"

    with pytest.raises(FormatUnavailable) as error:
        stryker.report(document)

    assert str(error.value) == "mutant pkg.a.f#1: its file 'pkg/gone.py' is not among the report's files"


def test_the_schema_check_lists_the_first_errors_with_their_paths():
    report = stryker.report(status_document())
    report["thresholds"] = {"high": 80}
    mutants = report["files"]["pkg/a.py"]["mutants"]
    mutants[0]["status"] = "Dead"
    mutants[1]["location"]["start"]["column"] = 0

    with pytest.raises(AssertionError) as error:
        check_stryker(report)

    assert str(error.value).split("\n") == [
        "the Stryker report does not match mutation-testing-report-schema: 3 errors, the first 3:",
        "  $.files['pkg/a.py'].mutants[0].status: 'Dead' is not one of ['Killed', 'Survived', 'NoCoverage', "
        "'CompileError', 'RuntimeError', 'Timeout', 'Ignored', 'Pending']",
        "  $.files['pkg/a.py'].mutants[1].location.start.column: 0 is less than the minimum of 1",
        "  $.thresholds: 'low' is a required property",
    ]


def test_the_machine_the_run_measured_on_is_the_reports_system():
    document = status_document()
    without = stryker.report(document)
    document["run"]["system"] = {"ci": True, "os": {"platform": "linux"}, "cpu": {"logicalCores": 2},
                                 "ram": {"total": 24000}}

    report = stryker.report(document)

    assert ("system" in without, report["system"]) == (False, document["run"]["system"])
    check_stryker(report)
