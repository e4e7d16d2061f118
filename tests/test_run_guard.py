"""Where a run that cannot read its configuration records that it stopped: the `report_dir`
written in the file, the default one, or (for a file that cannot be parsed) only a report
already at the default place; never a report dir the configuration refuses."""

import json

import pytest

from mutation import pipeline
from mutation.errors import ConfigError
from mutation.report.writers import FILE_FORMATS, WRITERS
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
    monkeypatch.setattr(pipeline, "evaluate", lambda loaded, read_cache, diff_base=None: document)

    assert guarded_run(config, {}, print) == (document, tmp_path / "out" / "gate.json")
    assert (state_at(tmp_path / "out" / "gate.json"), (tmp_path / ".mutation-gate.lock").exists()) == (
        "finished", False)


def earlier_reports(report_dir):
    """Every format's file as an earlier run left it, and a file of the user's own."""
    report_dir.mkdir(parents=True, exist_ok=True)
    for name in (*(WRITERS[name].filename for name in FILE_FORMATS), "notes.txt"):
        (report_dir / name).write_text("earlier", encoding="utf-8")
    return report_dir


def test_a_stopped_run_leaves_no_report_file_of_an_earlier_run(tmp_path, monkeypatch):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = out\n")
    report_dir = earlier_reports(tmp_path / "out")

    def stop(loaded, read_cache, diff_base=None):
        raise ConfigError("the suite is gone")

    monkeypatch.setattr(pipeline, "evaluate", stop)

    assert run_on(config) == "the suite is gone"
    assert sorted(path.name for path in report_dir.iterdir()) == ["gate.json", "notes.txt"]
    assert state_at(report_dir / "gate.json") == "stopped"


def test_a_run_removes_the_earlier_reports_before_it_measures(tmp_path, monkeypatch):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = out\n")
    report_dir = earlier_reports(tmp_path / "out")
    seen = []
    monkeypatch.setattr(pipeline, "evaluate", lambda loaded, read_cache, diff_base=None: seen.append(sorted(p.name for p in report_dir.iterdir()))
                        or gate_document([mutant_entry("pkg.mod.f#1", target="pkg/mod.py")]))

    guarded_run(config, {}, print)

    assert seen == [["gate.json", "notes.txt"]]
    assert state_at(report_dir / "gate.json") == "finished"


@pytest.mark.parametrize("read_cache", [True, False], ids=["reads-the-cache", "no-cache"])
def test_the_run_reads_the_result_cache_unless_told_not_to(tmp_path, monkeypatch, read_cache):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = out\n")
    seen = []
    monkeypatch.setattr(pipeline, "evaluate", lambda loaded, read_cache, diff_base=None: seen.append(read_cache)
                        or gate_document([mutant_entry("pkg.mod.f#1", target="pkg/mod.py")]))

    guarded_run(config, {}, print, read_cache)

    assert seen == [read_cache]


def test_the_run_passes_the_diff_base_on(tmp_path, monkeypatch):
    config = make_project(tmp_path, "targets = pkg/mod.py = 90\nreport_dir = out\n")
    seen = []
    monkeypatch.setattr(pipeline, "evaluate", lambda loaded, read_cache, diff_base: seen.append(diff_base)
                        or gate_document([mutant_entry("pkg.mod.f#1", target="pkg/mod.py")]))

    guarded_run(config, {}, print, True, "origin/main")

    assert seen == ["origin/main"]
