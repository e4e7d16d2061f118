"""mutmut's verdicts read from its `.meta` files into engine-neutral EngineResults.

Every exit code mutmut 3.8.1 writes maps to one EngineVerdict, with mutmut's reading of it as
the reason; an unreadable `.meta` file or a mismatch between mutmut's mutants and the gate's
fails the run closed (exit 5).
"""

import json

import pytest

from mutation.engine.results import (
    check_names,
    engine_result,
    mutmut_status,
    progress_counts,
    read_exit_codes,
    read_results,
    record_statuses,
)
from mutation.errors import IncompleteMeasurementError
from mutation.model import EngineResult, EngineVerdict


@pytest.mark.parametrize(
    ("exit_code", "expected"),
    [
        (None, EngineResult(EngineVerdict.NOT_RUN, "not checked")),
        (0, EngineResult(EngineVerdict.SURVIVED)),
        (1, EngineResult(EngineVerdict.KILLED)),
        (5, EngineResult(EngineVerdict.NO_TESTS)),
        (33, EngineResult(EngineVerdict.NO_TESTS)),
        (37, EngineResult(EngineVerdict.TYPE_CHECK)),
        (36, EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit 36")),
        (-24, EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit -24")),
        (24, EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit 24")),
        (152, EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit 152")),
        (255, EngineResult(EngineVerdict.TIMED_OUT, "worker ended with exit 255")),
        (2, EngineResult(EngineVerdict.FAILED, "test session interrupted or collection failed (pytest exit 2)")),
        (3, EngineResult(EngineVerdict.FAILED, "pytest internal error (exit 3), never counted as a kill")),
        (4, EngineResult(EngineVerdict.FAILED, "pytest usage error (exit 4)")),
        (-11, EngineResult(EngineVerdict.FAILED, "worker crashed (segfault)")),
        (-9, EngineResult(EngineVerdict.FAILED, "worker was killed (SIGKILL: CPU hard limit or out of memory)")),
        (99, EngineResult(EngineVerdict.FAILED, "suspicious exit code 99")),
    ],
)
def test_each_exit_code_maps_to_one_engine_result(exit_code, expected):
    assert engine_result(exit_code) == expected


@pytest.mark.parametrize(("exit_code", "status"), [(0, "survived"), (1, "killed"), (3, "killed"), (255, "timeout"),
                                                   (33, "no tests"), (-9, "segfault"), (None, "not checked")])
def test_mutmut_status_is_what_plain_mutmut_reports(exit_code, status):
    assert mutmut_status(exit_code) == status


def write_meta(root, work_path, text):
    meta = root / "mutants" / f"{work_path}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(text, encoding="utf-8")
    return meta


def test_read_exit_codes_merges_every_file_and_keeps_null_as_none(tmp_path):
    write_meta(tmp_path, "src/pkg/a.py", json.dumps(
        {"exit_code_by_key": {"pkg.a.x_f__mutmut_1": 1, "pkg.a.x_f__mutmut_2": None}, "durations_by_key": {}}
    ))
    write_meta(tmp_path, "src/pkg/b.py", json.dumps({"exit_code_by_key": {"pkg.b.x_g__mutmut_1": 0}}))

    assert read_exit_codes(tmp_path, ["src/pkg/a.py", "src/pkg/b.py", "src/pkg/unmutated.py"]) == {
        "pkg.a.x_f__mutmut_1": 1,
        "pkg.a.x_f__mutmut_2": None,
        "pkg.b.x_g__mutmut_1": 0,
    }


def test_read_results_gives_every_mutant_mutmut_made_its_engine_result(tmp_path):
    write_meta(tmp_path, "src/pkg/a.py", json.dumps({"exit_code_by_key": {"pkg.a.x_f__mutmut_1": 3,
                                                                          "pkg.a.x_f__mutmut_2": None}}))

    assert read_results(tmp_path, ["src/pkg/a.py"]) == {
        "pkg.a.x_f__mutmut_1": EngineResult(EngineVerdict.FAILED, "pytest internal error (exit 3), never counted as a kill"),
        "pkg.a.x_f__mutmut_2": EngineResult(EngineVerdict.NOT_RUN, "not checked"),
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param('{"exit_code_by_key": {"pkg.a.x_f__mutmut_1": 1', "Expecting ',' delimiter: line 1 column 47 (char 46)",
                     id="truncated-json"),
        pytest.param('{"durations_by_key": {}}', "'exit_code_by_key'", id="missing-exit-code-by-key"),
        pytest.param('{"exit_code_by_key": [1, 0]}', "exit_code_by_key is not an object", id="not-a-dict"),
    ],
)
def test_an_unreadable_meta_file_fails_closed(tmp_path, text, problem):
    meta = write_meta(tmp_path, "src/pkg/a.py", text)

    with pytest.raises(IncompleteMeasurementError) as error:
        read_exit_codes(tmp_path, ["src/pkg/a.py"])

    assert str(error.value) == f"unreadable mutmut results {meta}: {problem}"
    assert error.value.exit_code == 5


def test_check_names_accepts_the_same_set_in_any_order():
    assert check_names(["m.x_f__mutmut_2", "m.x_f__mutmut_1"], {"m.x_f__mutmut_1": 0, "m.x_f__mutmut_2": 1}) is None


@pytest.mark.parametrize(
    ("located", "results", "message"),
    [
        pytest.param(
            ["m.x_f__mutmut_1"], {"m.x_f__mutmut_1": 0, "m.x_f__mutmut_3": 0, "m.x_f__mutmut_2": 0},
            "mutmut's mutants and the gate's differ (2 unknown to the gate, 0 not run by mutmut, e.g. m.x_f__mutmut_2)",
            id="mutmut-has-more",
        ),
        pytest.param(
            ["m.x_f__mutmut_1", "m.x_g__mutmut_1"], {"m.x_f__mutmut_1": 0},
            "mutmut's mutants and the gate's differ (0 unknown to the gate, 1 not run by mutmut, e.g. m.x_g__mutmut_1)",
            id="gate-has-more",
        ),
        pytest.param(
            ["m.x_f__mutmut_1"], {"m.x_f__mutmut_9": 0},
            "mutmut's mutants and the gate's differ (1 unknown to the gate, 1 not run by mutmut, e.g. m.x_f__mutmut_9)",
            id="both",
        ),
    ],
)
def test_check_names_mismatch_stops_the_run(located, results, message):
    with pytest.raises(IncompleteMeasurementError) as error:
        check_names(located, results)

    assert str(error.value) == message


def test_progress_counts_tally_the_recorded_verdicts_and_skip_a_file_being_written(tmp_path):
    write_meta(tmp_path, "src/pkg/a.py", json.dumps({"exit_code_by_key": {
        "a1": 1, "a2": 1, "a3": 0, "a4": 33, "a5": 255, "a6": None, "a7": 37}}))
    write_meta(tmp_path, "src/pkg/b.py", '{"exit_code_by_key": {"b1": ')

    assert progress_counts(tmp_path) == (6, {"killed": 2, "survived": 1, "no tests": 1, "other": 2})


def test_the_gates_statuses_written_into_meta_files_are_what_mutmuts_own_views_show(tmp_path):
    names = ["m.x_f__mutmut_1", "m.x_f__mutmut_2", "m.x_f__mutmut_3", "m.x_f__mutmut_4", "m.x_f__mutmut_5"]
    meta = write_meta(tmp_path, "src/m.py", json.dumps({"exit_code_by_key": dict.fromkeys(names, 0)}))
    statuses = dict(zip(names, ["killed", "timeout", "survived", "no_tests", "unresolved"]))

    record_statuses(tmp_path, ["src/m.py"], statuses)

    written = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    assert [mutmut_status(written[name]) for name in names] == ["killed", "timeout", "survived", "no tests",
                                                               "not checked"]
