"""`run --shard K/N` writes `<report_dir>/shard-K-of-N.json` (gate.json and the last run's reports
left alone) and exits 0 unless incomplete; `merge SHARD.json ...` writes gate.json and every report
like a run, exits with the merged verdict, and refuses every bad input with exit 1 and one line."""

import json

import pytest

from mutation import pipeline
from mutation.report import store
from mutation.report.writers import terminal
from tests.factories import gate_document, make_project
from tests.report.test_merge import run_mutants, shards_of


@pytest.fixture
def project(tmp_path, monkeypatch):
    make_project(tmp_path, "targets = pkg/a.py = 90\nreport_dir = out\nreport_formats = markdown, badge\n",
                 files=("pkg/a.py", "tests/test_a.py"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gate(project, gate_cli, *argv):
    return gate_cli("--config", str(project / "setup.cfg"), *argv)


def write_shards(project, shards):
    paths = []
    for name, document in shards:
        store.write(document, project / "shards" / name)
        paths.append(str(project / "shards" / name))
    return paths


@pytest.mark.parametrize(("value", "problem"), [("2", "expected K/N"), ("0/3", "between 1 and 3"),
                                                ("4/3", "between 1 and 3"), ("1/0", "at least 1"), ("a/b", "K/N")])
def test_a_bad_shard_exits_1_with_one_line(project, gate_cli, value, problem):
    code, out, err = gate(project, gate_cli, "run", "--shard", value)

    assert (code, out, len(err.splitlines())) == (1, "", 1)
    assert problem in err


def test_a_shard_run_writes_its_own_document_and_exits_0(project, gate_cli, monkeypatch):
    shard = shards_of(run_mutants())[1][1]  # its scores alone are below the threshold
    seen = []
    monkeypatch.setattr(pipeline, "evaluate",
                        lambda config, read_cache, diff_base, shard=None: seen.append(shard) or shard_doc)
    shard_doc = shard
    last = gate_document(run_mutants())
    store.write(last, project / "out" / "gate.json")
    (project / "out" / "summary.md").write_text("the last run's\n", encoding="utf-8")

    code, out, err = gate(project, gate_cli, "run", "--shard", "2/3")

    assert (code, err, seen) == (0, "", [(2, 3)])
    assert out == terminal.render(shard) + "\nshard: out/shard-2-of-3.json\n"
    assert json.loads((project / "out" / "shard-2-of-3.json").read_text(encoding="utf-8")) == shard
    assert json.loads((project / "out" / "gate.json").read_text(encoding="utf-8")) == last
    assert (project / "out" / "summary.md").read_text(encoding="utf-8") == "the last run's\n"
    assert not (project / "out" / "badge.json").exists()


def test_shard_is_not_part_of_the_configuration(project, gate_cli, monkeypatch):
    configs = []
    monkeypatch.setattr(pipeline, "evaluate",
                        lambda config, read_cache, diff_base, shard=None: configs.append(config) or shards_of(
                            run_mutants())[0][1])

    gate(project, gate_cli, "run", "--shard", "1/3")

    assert not any("shard" in key for key in vars(configs[0]))


def test_a_merge_writes_gate_json_and_every_report_and_exits_with_the_runs_verdict(project, gate_cli):
    paths = write_shards(project, shards_of(run_mutants()))
    single = gate_document(run_mutants())

    code, out, err = gate(project, gate_cli, "merge", *paths[::-1])

    written = store.load(project / "out" / "gate.json")
    # No shard run saved a cache here: the merge says so in one line, and its verdict is the run's.
    assert (code, err) == (single["verdict"]["exit_code"],
                           "mutation-gate: note: result cache not merged (.mutation-gate-cache/results.shard-1-of-3.json "
                           "not found (3 of 3 shard caches missing)); .mutation-gate-cache/results.json left as it was\n")
    assert not (project / ".mutation-gate-cache").exists()
    assert written["verdict"] == single["verdict"] and written["tests"] == single["tests"]
    assert out.startswith(terminal.render(written))
    assert out.endswith("report: out/gate.json\n")
    assert (project / "out" / "summary.md").is_file() and (project / "out" / "badge.json").is_file()


def test_a_merge_refuses_a_waiver_of_a_test_no_shard_ran(project, gate_cli):
    paths = write_shards(project, shards_of(run_mutants()))
    (project / "waivers.toml").write_text('[[waiver]]\ntest = "tests/test_a.py::test_gone"\nreason = "r"\n'
                                          'expires = 2099-01-01\n', encoding="utf-8")
    config = project / "setup.cfg"
    config.write_text(config.read_text(encoding="utf-8") + "waivers = waivers.toml\n", encoding="utf-8")

    code, out, err = gate(project, gate_cli, "merge", *paths)

    assert (code, out, err) == (1, "", "mutation-gate: waivers.toml: tests/test_a.py::test_gone is not a test of "
                                       "the suite any more; remove its waiver\n")
    assert not (project / "out" / "gate.json").exists()


@pytest.mark.parametrize("case", ["missing-file", "not-json", "missing-shard", "duplicate", "other-code",
                                  "other-config", "other-tools", "incomplete", "not-a-shard"])
def test_every_refusal_of_merge_is_exit_1_and_one_line_naming_it(project, gate_cli, case):
    shards = shards_of(run_mutants())
    if case == "other-code":
        shards[2][1]["files"]["pkg/a.py"]["source"] = "def f(x):\n    return x\n"
    if case == "other-config":
        shards[2][1]["run"]["config"]["kill_matrix"] = "full"
    if case == "other-tools":
        shards[2][1]["run"]["tool_versions"]["mutmut"] = "3.9.0"
    if case == "incomplete":
        shards[1][1]["verdict"] = {**shards[1][1]["verdict"], "status": "incomplete", "exit_code": 5}
    if case == "not-a-shard":
        del shards[0][1]["run"]["shard"]
    paths = write_shards(project, shards)
    if case == "missing-file":
        paths[1] = str(project / "shards" / "nowhere.json")
    if case == "not-json":
        (project / "shards" / "shard-2-of-3.json").write_text("{", encoding="utf-8")
    if case == "missing-shard":
        paths = paths[:2]
    if case == "duplicate":
        paths[2] = paths[1]

    code, out, err = gate(project, gate_cli, "merge", *paths)

    assert (code, out, len(err.splitlines())) == (1, "", 1)
    named = {"missing-file": "nowhere.json", "not-json": "shard-2-of-3.json", "missing-shard": "shard 3 of 3",
             "duplicate": "shard-2-of-3.json", "other-code": "shard-3-of-3.json",
             "other-config": "shard-3-of-3.json", "other-tools": "shard-3-of-3.json", "incomplete": "shard-2-of-3.json",
             "not-a-shard": "shard-1-of-3.json"}[case]
    assert named in err
    assert not (project / "out" / "gate.json").exists()


def test_a_shard_that_stops_early_says_so_in_its_own_document_and_merge_refuses_it(project, gate_cli, monkeypatch):
    from mutation.errors import SuiteFailsError

    def red(config, read_cache, diff_base, shard=None):
        raise SuiteFailsError("the suite fails without any mutation: t.py::one")

    monkeypatch.setattr(pipeline, "evaluate", red)
    last = gate_document(run_mutants())
    store.write(last, project / "out" / "gate.json")

    assert gate(project, gate_cli, "run", "--shard", "3/3")[0] == 4
    stopped = json.loads((project / "out" / "shard-3-of-3.json").read_text(encoding="utf-8"))
    assert (stopped["state"], stopped["verdict"]["exit_code"]) == ("stopped", 4)
    assert json.loads((project / "out" / "gate.json").read_text(encoding="utf-8")) == last

    paths = write_shards(project, shards_of(run_mutants())[:2])
    code, out, err = gate(project, gate_cli, "merge", *paths, str(project / "out" / "shard-3-of-3.json"))
    assert (code, out, len(err.splitlines())) == (1, "", 1)
    assert "shard-3-of-3.json: no results" in err
