"""Storing and loading gate.json: atomic writes, and every unreadable or invalid report refused in one line."""

import json
import os
import stat
from pathlib import Path

import pytest

from mutation.errors import ConfigError
from mutation import atomic_files
from mutation.report import run_state
from mutation.report.store import load, problem, write
from tests.factories import gate_document, mutant_entry
from tests.report_schema import schema_errors

DOCUMENT = gate_document([mutant_entry("pkg.a.f#1", "killed", covered_by=["t.py::one"],
                                       killed_by=[("t.py::one", "assertion")])])


def test_a_document_written_is_loaded_back_unchanged(tmp_path):
    write(DOCUMENT, tmp_path / "reports" / "gate.json")

    assert load(tmp_path / "reports" / "gate.json") == json.loads(json.dumps(DOCUMENT))
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == ["gate.json"]


def test_writing_replaces_the_old_report_in_one_step(tmp_path, monkeypatch):
    path = tmp_path / "gate.json"
    path.write_text("old report", encoding="utf-8")
    replaced = []
    monkeypatch.setattr("os.replace", lambda source, target: replaced.append((source, target)))

    write(DOCUMENT, path)

    ((source, target),) = replaced
    assert (path.read_text(encoding="utf-8"), target) == ("old report", path)
    assert json.loads(Path(source).read_text(encoding="utf-8")) == json.loads(json.dumps(DOCUMENT))



@pytest.fixture
def umask(request):
    """The process umask set to `request.param` for one test, the store's reading of it forgotten."""
    before = os.umask(request.param)
    atomic_files.new_file_mode.cache_clear()
    yield request.param
    os.umask(before)
    atomic_files.new_file_mode.cache_clear()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)], indirect=["umask"])
def test_the_report_has_the_usual_mode_under_the_umask_and_the_umask_stays(tmp_path, umask, mode):
    path = tmp_path / "gate.json"

    write(DOCUMENT, path)

    assert (stat.S_IMODE(path.stat().st_mode), os.umask(umask)) == (mode, umask)

def test_a_valid_document_has_no_problem():
    assert problem(DOCUMENT) is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["targets"][0].pop("mutation_score"), "targets/0: must contain ['mutation_score'] properties"),
        (lambda d: d["mutants"][0].update(start_line=0), "mutants/0/start_line: must be bigger than or equal to 1"),
        (lambda d: d["mutants"][0]["killed_by"][0].update(kind="fluke"),
         "mutants/0/killed_by/0/kind: must be one of ['assertion', 'crash', 'timeout']"),
        (lambda d: d["verdict"].update(exit_code=8), "verdict/exit_code: must be one of [0, 2, 3, 5, 6, 7]"),
        (lambda d: d.pop("tests"), "(document): must contain ['tests'] properties"),
    ],
    ids=["missing-score", "line-zero", "unknown-kind", "unknown-exit-code", "no-tests"],
)
def test_a_problem_names_where_and_what(change, expected):
    document = json.loads(json.dumps(DOCUMENT))
    change(document)

    assert problem(document) == expected


def test_a_directory_is_not_a_report(tmp_path):
    with pytest.raises(ConfigError) as error:
        load(tmp_path)

    assert str(error.value) == f"{tmp_path}: is a directory, not a gate report"


def test_a_report_that_is_not_utf8_is_unreadable(tmp_path):
    (tmp_path / "gate.json").write_bytes(b'{"mutants": "\xe9"}')

    with pytest.raises(ConfigError) as error:
        load(tmp_path / "gate.json")

    assert str(error.value).startswith(f"{tmp_path / 'gate.json'}: unreadable gate report: 'utf-8' codec can't decode")


@pytest.mark.parametrize("change", [
    lambda d: d["mutants"][0].update(status="dead"),
    lambda d: d.update(state="running"),
    lambda d: d["verdict"].pop("reasons"),
], ids=["unknown-status", "running-with-results", "no-reasons"])
def test_jsonschema_and_the_gates_own_check_both_refuse_a_broken_document(change):
    document = json.loads(json.dumps(DOCUMENT))
    change(document)

    assert (problem(document) is None, schema_errors(document) == []) == (False, False)


@pytest.mark.parametrize("document", [
    run_state.running("/p/setup.cfg", "2026-12-01T10:00:00+00:00"),
    run_state.stopped("/p/setup.cfg", "2026-12-01T10:00:00+00:00", 4, "the suite fails"),
], ids=["running", "stopped"])
def test_a_report_without_a_verdict_matches_the_schema_but_is_not_loaded(tmp_path, document):
    write(document, tmp_path / "gate.json")

    with pytest.raises(ConfigError, match=r": no results: ") as refused:
        load(tmp_path / "gate.json")
    assert (problem(document), schema_errors(document), str(refused.value).count("\n")) == (None, [], 0)


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "gate.json"
    path.write_text("old report", encoding="utf-8")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write(DOCUMENT, path)

    assert [(entry.name, entry.read_text(encoding="utf-8")) for entry in tmp_path.iterdir()] == [
        ("gate.json", "old report")]
