"""Where a run that cannot read its configuration records that it stopped: the `report_dir`
written in the file, the default one, or (for a file that cannot be parsed) only a report
already at the default place; never a report dir the configuration refuses."""

import json

import pytest

from mutation import pipeline
from mutation.errors import ConfigError
from mutation.run_guard import guarded_run
from tests.factories import gate_document, make_project, mutant_entry

EARLIER = '{"earlier": "pass"}'


def run_on(config_path):
    with pytest.raises(ConfigError) as stopped:
        guarded_run(config_path, {}, print)
    return str(stopped.value)


def state_at(path):
    return json.loads(path.read_text(encoding="utf-8"))["state"] if path.exists() else None


@pytest.mark.parametrize(("section", "report"), [
    ("targets = pkg/none.py = 90\nreport_dir = out\n", "out/gate.json"),
    ("targets = pkg/none.py = 90\n", "reports/mutation/gate.json"),
], ids=["written-report-dir", "default-report-dir"])
def test_a_refused_configuration_is_recorded_where_the_report_would_go(tmp_path, section, report):
    config = make_project(tmp_path, section)

    assert run_on(config) == "setup.cfg [mutation_gate] targets: pkg/none.py: no such file or directory"
    assert state_at(tmp_path / report) == "stopped"


def test_a_report_dir_the_configuration_refuses_is_never_written(tmp_path):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = ../elsewhere\n")

    assert run_on(config).endswith("report_dir: '../elsewhere' must be a subdirectory of the project, "
                                   "e.g. .mutation-gate")
    assert sorted(path.name for path in tmp_path.parent.iterdir() if path.name == "elsewhere") == []
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("earlier", [True, False], ids=["earlier-report", "no-earlier-report"])
def test_an_unparsable_configuration_replaces_only_a_report_at_the_default_place(tmp_path, earlier):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\n")
    config.write_text("[mutation_gate\n", encoding="utf-8")
    default = tmp_path / "reports" / "mutation" / "gate.json"
    if earlier:
        default.parent.mkdir(parents=True)
        default.write_text(EARLIER, encoding="utf-8")

    assert run_on(config).startswith("setup.cfg: unreadable: ")
    assert state_at(default) == ("stopped" if earlier else None)


def test_a_finished_run_returns_its_document_and_where_it_was_written(tmp_path, monkeypatch):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = out\n")
    document = gate_document([mutant_entry("pkg.mod.f#1", "killed", target="pkg/mod.py", covered_by=["t.py::one"],
                                           killed_by=[("t.py::one", "assertion")])])
    monkeypatch.setattr(pipeline, "evaluate", lambda loaded: document)

    assert guarded_run(config, {}, print) == (document, tmp_path / "out" / "gate.json")
    assert (state_at(tmp_path / "out" / "gate.json"), (tmp_path / ".mutation-gate.lock").exists()) == (
        "finished", False)
