"""Storing and loading gate.json: atomic writes, and every unreadable or invalid report refused in one line."""

import json
from pathlib import Path

import pytest

from mutation.errors import ConfigError
from mutation.report.store import load, problem, write
from tests.factories import gate_document, mutant_entry

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


def test_a_valid_document_has_no_problem():
    assert problem(DOCUMENT) is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["targets"][0].pop("mutation_score"), "targets/0: must contain ['mutation_score'] properties"),
        (lambda d: d["mutants"][0].update(start_line=0), "mutants/0/start_line: must be bigger than or equal to 1"),
        (lambda d: d["mutants"][0]["killed_by"][0].update(kind="fluke"),
         "mutants/0/killed_by/0/kind: must be one of ['assertion', 'crash', 'timeout']"),
        (lambda d: d["verdict"].update(exit_code=7), "verdict/exit_code: must be one of [0, 2, 3, 5]"),
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
