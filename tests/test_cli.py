"""The command line: bad arguments are one line and exit 1; `run` writes gate.json and prints the
summary; `survivors`, `show` and `report` answer from a finished report only; a run that ends
early leaves a `stopped` report, never the last one; an unexpected exception is a bug in the gate
(exit 70, with the traceback).
"""

import json
import os
import signal
import subprocess
import sys

import pytest

from mutation import pipeline
from mutation.errors import SuiteFailsError
from mutation.interrupts import Interrupted
from mutation.report import run_state
from mutation.report import queries, store
from mutation.report.writers import FILE_FORMATS, WRITERS, badge, terminal
from tests.factories import gate_document, make_project, mutant_entry

MUTANTS = [
    mutant_entry("pkg.a.f#1", covered_by=["t.py::one"]),
    mutant_entry("pkg.a.f#2", "killed", covered_by=["t.py::one", "t.py::two"], killed_by=[("t.py::two", "assertion")]),
    mutant_entry("pkg.a.Meter.read#1", function="Meter.read", covered_by=["t.py::one", "t.py::two"]),
    mutant_entry("pkg.b.Box.grow#1", target="pkg/b.py", function="Box.grow", covered_by=["t.py::three"]),
]


@pytest.fixture
def project(tmp_path):
    """A valid configuration with report_dir = out; returns the path gate.json is read from."""
    make_project(tmp_path, "targets = pkg/a.py = 90\nreport_dir = out\n", files=("pkg/a.py", "tests/test_a.py"))
    return tmp_path / "out" / "gate.json"


def gate(project, gate_cli, *argv):
    return gate_cli("--config", str(project.parent.parent / "setup.cfg"), *argv)


def write_report(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def finished(project):
    """The project with a finished report of MUTANTS."""
    store.write(gate_document(MUTANTS), project)
    return project


# --- bad arguments ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        pytest.param(["frobnicate"], "argument command: invalid choice: 'frobnicate' "
                                     "(choose from 'init', 'run', 'merge', 'survivors', 'show', 'browse', 'report', 'baseline')",
                     id="unknown-subcommand"),
        pytest.param([], "the following arguments are required: command", id="no-subcommand"),
        pytest.param(["run", "--workers", "abc"], "argument --workers: invalid int value: 'abc'", id="workers-abc"),
        pytest.param(["show"], "the following arguments are required: mutant_id", id="show-without-id"),
        pytest.param(["survivors", "--colour"], "unrecognized arguments: --colour", id="unknown-option"),
    ],
)
def test_bad_arguments_exit_1_with_one_line(gate_cli, argv, problem):
    code, out, err = gate_cli(*argv)

    assert (code, out, len(err.splitlines())) == (1, "", 1)
    assert err.startswith("mutation-gate: ")
    assert err.endswith(f": {problem}\n")


def test_a_bad_argument_line_names_the_program_once(gate_cli):
    assert gate_cli("frobnicate")[2] == (
        "mutation-gate: argument command: invalid choice: 'frobnicate' "
        "(choose from 'init', 'run', 'merge', 'survivors', 'show', 'browse', 'report', 'baseline')\n"
    )


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_workers_below_one(tmp_path, gate_cli, workers):
    config_path = make_project(tmp_path, "targets = pkg/mod.py = 90\n")

    assert gate_cli("--config", str(config_path), "run", "--workers", workers) == (
        1, "", f"mutation-gate: --workers: must be at least 1, got {int(workers)}\n",
    )


# --- answers from the last report -------------------------------------------------------------------

def test_survivors_of_a_target(finished, gate_cli):
    report = store.load(finished)

    assert gate(finished, gate_cli, "survivors", "--target", "pkg/b.py") == (
        0, queries.render_survivors(report, [MUTANTS[3]]) + "\n", "",
    )


def test_survivors_list_each_mutants_nearest_tests_and_sum_up(finished, gate_cli):
    code, out, err = gate(finished, gate_cli, "survivors")

    assert (code, err, out.count("executed by"), out.splitlines()[-1]) == (
        0, "", 3, "3 surviving mutants (2 in pkg/a.py, 1 in pkg/b.py)")
    assert "t.py::one\n  t.py::two\n\npkg.b.Box.grow#1" in out


def test_verbose_survivors_show_every_covering_test(finished, gate_cli):
    assert gate(finished, gate_cli, "survivors", "--verbose", "--file", "pkg/b.py") == (
        0, f"{queries.render_mutant(MUTANTS[3])}\n\n1 surviving mutants (1 in pkg/b.py)\n", "",
    )


def test_survivors_of_a_function(finished, gate_cli):
    code, out, err = gate(finished, gate_cli, "survivors", "--function", "read")

    assert (code, out.splitlines()[0], out.splitlines()[-1], err) == (
        0, "pkg.a.Meter.read#1  [survived]", "1 surviving mutants (1 in pkg/a.py)", "",
    )


def test_survivors_none(finished, gate_cli):
    assert gate(finished, gate_cli, "survivors", "--target", "pkg/a.py", "--function", "grow") == (
        0, "0 surviving mutants\n", "")


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("--target", "pkg/c.py"),
         "--target pkg/c.py: no such target in the last report (targets: pkg/a.py, pkg/b.py)"),
        (("--file", "pkg/a"), "--file pkg/a: no such file in the last report (files: pkg/a.py, pkg/b.py)"),
        (("--target", "pkg/a.py", "--function", "write"),
         "--function write: no such function in the last report (functions: Meter.read, Box.grow, f)"),
    ],
)
def test_survivors_filtered_by_something_not_in_the_report(finished, gate_cli, argv, problem):
    assert gate(finished, gate_cli, "survivors", *argv) == (1, "", f"mutation-gate: {problem}\n")


@pytest.mark.parametrize("name", ["pkg.a.f#2", "pkg.a.x_f__mutmut_2"])
def test_show_by_id_or_mutmut_name(finished, gate_cli, name):
    assert gate(finished, gate_cli, "show", name) == (0, queries.render_mutant(MUTANTS[1]) + "\n", "")


def test_show_unknown_id(finished, gate_cli):
    assert gate(finished, gate_cli, "show", "pkg.a.f#99") == (
        1, "", "mutation-gate: no mutant 'pkg.a.f#99' in the last gate report\n",
    )


@pytest.mark.parametrize("argv", [("survivors",), ("show", "pkg.a.f#1"), ("report",), ("browse",)])
def test_without_a_report(project, gate_cli, argv):
    assert gate(project, gate_cli, *argv) == (
        1, "", f"mutation-gate: {project}: no gate report yet; run `mutation-gate run` first\n",
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"mutants": [', "unreadable gate report: Expecting value: line 1 column 14 (char 13)"),
        ("", "unreadable gate report: Expecting value: line 1 column 1 (char 0)"),
        ('{"mutants": []}', "not a gate report"),
        ("[1, 2]", "not a gate report"),
        ('{"schema_version": 1, "mutants": []}', "gate report of schema version 1; this gate reads version 2"),
        ('{"schema_version": 2, "mutants": []}', "not a valid gate report: (document): must contain ['state'] "
                                                 "properties"),
        ('{"schema_version": 2, "state": "paused"}', "not a valid gate report: state: must be one of "
                                                     "['finished', 'running', 'stopped']"),
    ],
    ids=["truncated", "empty", "no-schema-version", "not-an-object", "other-schema-version", "no-state",
         "unknown-state"],
)
def test_a_corrupt_report(project, gate_cli, text, problem):
    write_report(project, text)

    assert gate(project, gate_cli, "survivors") == (1, "", f"mutation-gate: {project}: {problem}\n")


def test_a_report_of_the_wrong_shape_names_the_first_problem(finished, gate_cli):
    document = json.loads(finished.read_text(encoding="utf-8"))
    document["mutants"][1]["status"] = "dead"
    write_report(finished, json.dumps(document))

    assert gate(finished, gate_cli, "show", "pkg.a.f#2") == (
        1, "", f"mutation-gate: {finished}: not a valid gate report: mutants/1/status: must be one of "
               "['killed', 'timeout', 'survived', 'no_tests', 'type_check', 'excluded', 'unresolved', 'not_measured', 'flaky']\n",
    )


# --- report ----------------------------------------------------------------------------------------

def test_report_renders_the_last_runs_summary(finished, gate_cli):
    assert gate(finished, gate_cli, "report") == (0, terminal.render(json.loads(finished.read_text())) + "\n", "")


def test_report_from_a_given_file_needs_no_configuration(finished, gate_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "setup.cfg").unlink()

    assert gate_cli("report", "--format", "terminal", "--from", str(finished)) == (
        0, terminal.render(json.loads(finished.read_text())) + "\n", "",
    )


def test_report_in_an_unknown_format(finished, gate_cli):
    assert gate(finished, gate_cli, "report", "--format", "pdf") == (
        1, "", "mutation-gate: --format: unknown format 'pdf' (known: terminal, stryker, html, junit, sarif, markdown, badge)\n",
    )


# --- run ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("flags", "read_cache"), [((), True), (("--no-cache",), False)], ids=["default", "no-cache"])
def test_run_reads_the_result_cache_unless_no_cache_is_given(project, gate_cli, monkeypatch, flags, read_cache):
    seen = []
    result = gate_document([mutant_entry("pkg.a.f#1", "killed", covered_by=["t.py::one"],
                                         killed_by=[("t.py::one", "assertion")])])
    monkeypatch.setattr(pipeline, "evaluate", lambda config, read_cache, diff_base=None: seen.append(read_cache) or result)

    assert gate(project, gate_cli, "run", *flags)[0] == 0
    assert seen == [read_cache]


def test_run_passes_the_diff_base_on(project, gate_cli, monkeypatch):
    seen = []
    result = gate_document([mutant_entry("pkg.a.f#1", "killed", covered_by=["t.py::one"],
                                         killed_by=[("t.py::one", "assertion")])])
    monkeypatch.setattr(pipeline, "evaluate", lambda config, read_cache, diff_base: seen.append(diff_base) or result)

    assert gate(project, gate_cli, "run", "--diff", "origin/main")[0] == 0
    assert seen == ["origin/main"]


def test_run_writes_the_report_prints_the_summary_and_exits_with_the_verdict(project, gate_cli, monkeypatch):
    result = gate_document([mutant_entry("pkg.a.f#1", "killed", covered_by=["t.py::one"],
                                         killed_by=[("t.py::one", "assertion")]),
                            mutant_entry("pkg.a.f#2", covered_by=["t.py::one"])])
    monkeypatch.setattr(pipeline, "evaluate", lambda config, read_cache, diff_base=None: result)
    monkeypatch.chdir(project.parent.parent)

    code, out, err = gate(project, gate_cli, "run")

    assert (code, err) == (2, "")
    assert out == terminal.render(result) + "\nreport: out/gate.json\n"
    assert json.loads(project.read_text(encoding="utf-8")) == result


def test_an_unexpected_exception_is_an_internal_error(project, gate_cli, monkeypatch):
    def crash(config, read_cache, diff_base=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "evaluate", crash)

    code, out, err = gate(project, gate_cli, "run")

    lines = err.splitlines()
    assert (code, out, lines[0], lines[-2], lines[-1]) == (
        70, "", "Traceback (most recent call last):", "RuntimeError: boom",
        "mutation-gate: internal error (exit 70); please report it with the traceback above",
    )


def test_an_interrupted_run_is_incomplete(project, gate_cli, monkeypatch):
    def interrupt(config, read_cache, diff_base=None):
        raise Interrupted(signal.SIGTERM)

    monkeypatch.setattr(pipeline, "evaluate", interrupt)

    assert gate(project, gate_cli, "run") == (
        5, "", "mutation-gate: interrupted by SIGTERM; every process of the run was stopped and nothing was judged "
               "(exit 5)\n",
    )
    assert stopped_verdict(project) == {"exit_code": 5, "status": "incomplete",
                                        "reasons": ["interrupted by SIGTERM; nothing was judged"]}


# --- no earlier verdict outlives a run that ends early ------------------------------------------------

def stopped_verdict(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["state"], store.problem(document)) == ("stopped", None)
    return document["verdict"]


def test_a_red_suite_replaces_the_last_pass_with_a_stopped_report(finished, gate_cli, monkeypatch):
    def red(config, read_cache, diff_base=None):
        raise SuiteFailsError("the suite fails without any mutation: t.py::one")

    monkeypatch.setattr(pipeline, "evaluate", red)

    assert gate(finished, gate_cli, "run")[0] == 4
    assert stopped_verdict(finished) == {"exit_code": 4, "status": "suite fails",
                                         "reasons": ["the suite fails without any mutation: t.py::one"]}
    code, out, err = gate(finished, gate_cli, "survivors")
    assert (code, out) == (1, "")
    assert err.startswith(f"mutation-gate: {finished}: no results: the last run, started at ")
    assert err.endswith(", did not finish (exit 4: the suite fails without any mutation: t.py::one)\n")


def test_a_bad_configuration_replaces_the_last_pass_with_a_stopped_report(finished, gate_cli):
    config = finished.parent.parent / "setup.cfg"
    config.write_text(config.read_text(encoding="utf-8").replace("= 90", "= 900"), encoding="utf-8")

    assert gate(finished, gate_cli, "run") == (
        1, "", "mutation-gate: setup.cfg [mutation_gate] targets: pkg/a.py: 900 is outside 0-100\n",
    )
    assert stopped_verdict(finished) == {"exit_code": 1, "status": "usage error",
                                         "reasons": ["setup.cfg [mutation_gate] targets: pkg/a.py: 900 is outside 0-100"]}


def test_an_internal_error_replaces_the_last_pass_with_a_stopped_report(finished, gate_cli, monkeypatch):
    def crash(config, read_cache, diff_base=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "evaluate", crash)

    assert gate(finished, gate_cli, "run")[0] == 70
    assert stopped_verdict(finished) == {"exit_code": 70, "status": "internal error",
                                         "reasons": ["internal error: RuntimeError: boom"]}


def test_while_a_run_is_measuring_the_report_says_running(finished, gate_cli, monkeypatch):
    seen = []

    def look(config, read_cache, diff_base=None):
        seen.append(json.loads(finished.read_text(encoding="utf-8")))
        raise SuiteFailsError("red")

    monkeypatch.setattr(pipeline, "evaluate", look)
    gate(finished, gate_cli, "run")

    assert [(document["state"], document["run"]["pid"], document["verdict"]) for document in seen] == [
        ("running", os.getpid(), {"exit_code": None, "status": "running", "reasons": []})]
    assert run_state.describe(seen[0]) == (f"the run started at {seen[0]['run']['started_at']} (pid {os.getpid()}) "
                                           "has not finished; it is still running")


@pytest.mark.parametrize("command", [("survivors",), ("show", "pkg.a.f#1"), ("report",), ("browse",)])
def test_no_answer_comes_from_an_unfinished_run(finished, gate_cli, command):
    store.write(run_state.stopped(finished.parent.parent / "setup.cfg", "2026-12-01T10:00:00+00:00", 5,
                                  "interrupted by SIGINT; nothing was judged"), finished)

    assert gate(finished, gate_cli, *command) == (
        1, "", f"mutation-gate: {finished}: no results: the last run, started at 2026-12-01T10:00:00+00:00, did not "
               "finish (exit 5: interrupted by SIGINT; nothing was judged)\n",
    )


def test_a_run_whose_process_is_gone_says_it_was_killed(finished, gate_cli):
    document = run_state.running(finished.parent.parent / "setup.cfg", "2026-12-01T10:00:00+00:00")
    document["run"]["pid"] = dead_pid()
    store.write(document, finished)

    assert gate(finished, gate_cli, "survivors") == (
        1, "", f"mutation-gate: {finished}: no results: the run started at 2026-12-01T10:00:00+00:00 (pid "
               f"{document['run']['pid']}) has not finished; that process is gone, so it was killed before it could "
               "say why\n",
    )


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_run_writes_its_report_formats_and_publishes_under_github_actions(project, gate_cli, monkeypatch, tmp_path):
    result = gate_document([mutant_entry("pkg.a.f#1", covered_by=["t.py::one"])], report_formats=["badge", "markdown"])
    monkeypatch.setattr(pipeline, "evaluate", lambda config, read_cache, diff_base=None: result)
    monkeypatch.chdir(project.parent.parent)
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")

    code, out, err = gate(project, gate_cli, "run")

    lines = out.splitlines()
    assert (code, err) == (3, "")
    assert [line for line in lines if " out/" in line] == [
        "badge report: out/badge.json", "markdown report: out/summary.md", "report: out/gate.json"]
    assert (project.parent / "badge.json").read_text(encoding="utf-8") == badge.render(result)
    assert summary.read_text(encoding="utf-8") == (project.parent / "summary.md").read_text(encoding="utf-8")
    assert [line.split("::")[1] for line in lines if line.startswith("::")] == [
        "error file=t.py,title=rejected test (covering)%3A t.py%3A%3Aone",
        "error file=pkg/a.py,line=2,col=14,endLine=2,endColumn=19,title=surviving mutant pkg.a.f#1"]


def test_report_renders_every_format_with_all(finished, gate_cli, monkeypatch):
    monkeypatch.chdir(finished.parent)

    code, out, err = gate(finished, gate_cli, "report", "--format", "all")

    assert (code, err) == (0, "")
    assert out.splitlines() == [f"{name} report: {WRITERS[name].filename}" for name in FILE_FORMATS]
    assert sorted(path.name for path in finished.parent.iterdir()) == sorted(
        ["gate.json", *(WRITERS[name].filename for name in FILE_FORMATS)])


def test_report_in_html_without_the_viewers_bundle_writes_no_page_and_exits_1(finished, gate_cli, monkeypatch):
    monkeypatch.setenv("MUTATION_GATE_ELEMENTS_JS", str(finished.parent / "gone.js"))

    code, out, err = gate(finished, gate_cli, "report", "--format", "badge", "--format", "html")

    assert (code, out, err) == (1, f"badge report: {os.path.relpath(finished.parent / 'badge.json')}\n",
                                f"mutation-gate: html report not written: MUTATION_GATE_ELEMENTS_JS="
                                f"{finished.parent / 'gone.js'}: no such file\n")
    assert not (finished.parent / "mutation.html").exists()


def test_a_run_without_the_viewers_bundle_keeps_its_verdict_and_says_why_in_one_line(project, gate_cli, monkeypatch):
    result = gate_document([mutant_entry("pkg.a.f#1", "killed", covered_by=["t.py::one"],
                                         killed_by=[("t.py::one", "assertion")])], report_formats=["html"])
    monkeypatch.setattr(pipeline, "evaluate", lambda config, read_cache, diff_base=None: result)
    monkeypatch.setenv("MUTATION_GATE_ELEMENTS_JS", "/nowhere/elements.js")

    code, out, err = gate(project, gate_cli, "run")

    assert (code, err) == (0, "mutation-gate: html report not written: MUTATION_GATE_ELEMENTS_JS=/nowhere/elements.js: "
                              "no such file\n")
    assert not (project.parent / "mutation.html").exists()


# --- baseline update --------------------------------------------------------------------------------

def test_baseline_update_writes_the_baseline_of_the_last_complete_run(finished, gate_cli):
    assert gate(finished, gate_cli, "baseline", "update") == (
        0, "mutation-baseline.json: 2 targets, 3 survivors recorded\n", "")
    written = json.loads((finished.parent.parent / "mutation-baseline.json").read_text(encoding="utf-8"))
    assert written["targets"]["pkg/a.py"] == {"mutants": 3, "detected": 1, "mutation_score": 33.33}


def test_baseline_update_refuses_to_lower_the_baseline_unless_allowed(finished, gate_cli):
    killed_all = [dict(entry, status="killed", killed_by=[{"test": "t.py::two", "kind": "assertion"}])
                  for entry in MUTANTS]
    better = finished.parent / "better.json"
    store.write(gate_document(killed_all), better)
    gate(finished, gate_cli, "baseline", "update", "--from", str(better))

    code, out, err = gate(finished, gate_cli, "baseline", "update")
    assert (code, out, len(err.splitlines())) == (1, "", 1)
    assert err.startswith("mutation-gate: mutation-baseline.json: the run would lower 7 figures, e.g. pkg/a.py: "
                          "detected 1 < 3; pass --allow-lower to accept\n")
    assert gate(finished, gate_cli, "baseline", "update", "--allow-lower")[0] == 0


def test_baseline_update_refuses_an_incomplete_run_with_exit_1(project, gate_cli):
    store.write(gate_document([*MUTANTS, mutant_entry("pkg.a.f#3", "unresolved", reason="worker crashed")]), project)

    assert gate(project, gate_cli, "baseline", "update") == (
        1, "", f"mutation-gate: {project}: an incomplete run (1 mutants could not be measured); a baseline is made "
               "from a complete run only\n")
    assert not (project.parent.parent / "mutation-baseline.json").exists()


def test_a_bad_baseline_file_stops_every_command_with_one_line(finished, gate_cli):
    (finished.parent.parent / "mutation-baseline.json").write_text("{}", encoding="utf-8")

    assert gate(finished, gate_cli, "survivors") == (
        1, "", "mutation-gate: mutation-baseline.json: not a mutation baseline: version None, expected 1; fix it, or "
               "delete it and run `mutation-gate baseline update`\n")
