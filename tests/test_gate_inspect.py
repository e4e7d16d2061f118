"""Answers read from the last gate.json: `survivors`, `show`, the terminal summary, and exit 70.

`mutation.inspect` and `mutation-gate survivors|show` read `<report_dir>/gate.json`; a missing
or unreadable report is a user error (exit 1, one line). Any unexpected exception is a bug in
the gate: exit 70 with the traceback. `mutation.report_terminal.render` prints the summary.
"""

import json

import pytest

from mutation import cli, inspect, report_terminal
from mutation.errors import ConfigError

A_DIFF = "--- pkg/a.py\n+++ pkg/a.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x + 1\n+    return x - 1"


def mutant(id, status="survived", *, target="pkg/a.py", file=None, function="f", covered_by=(), killed_by=(),
           reason="", line=2, diff=A_DIFF):
    """A gate.json mutant entry; `id` is `<module>.<function>#<n>` and gives mutmut's name."""
    qualified, _, number = id.rpartition("#")
    module = qualified[: -len(function) - 1]
    mangled = f"xǁ{function.replace('.', 'ǁ')}" if "." in function else f"x_{function}"
    return {
        "id": id,
        "mutmut_name": f"{module}.{mangled}__mutmut_{number}",
        "target": target,
        "file": file or target,
        "function": function,
        "start_line": line,
        "start_column": 13,
        "end_line": line,
        "end_column": 18,
        "diff": diff,
        "status": status,
        "reason": reason,
        "killed_by": [{"test": test, "kind": kind} for test, kind in killed_by],
        "covered_by": list(covered_by),
    }


MUTANTS = [
    mutant("pkg.a.f#1", covered_by=["t.py::one"]),
    mutant("pkg.a.f#2", "killed", covered_by=["t.py::one", "t.py::two"], killed_by=[("t.py::two", "assertion")]),
    mutant("pkg.a.Meter.read#1", function="Meter.read", covered_by=["t.py::one", "t.py::two"]),
    mutant("pkg.helper.g#1", file="pkg/helper.py", function="g", covered_by=[]),
    mutant("pkg.b.Box.grow#1", target="pkg/b.py", function="Box.grow", covered_by=["t.py::three"]),
    mutant("pkg.b.Box.grow#2", "unresolved", target="pkg/b.py", function="Box.grow", reason="not checked"),
]


def document(mutants=MUTANTS):
    return {"schema_version": 1, "mutants": mutants}


def ids(mutants):
    return [mutant["id"] for mutant in mutants]


@pytest.mark.parametrize(
    ("target", "function", "expected"),
    [
        (None, None, ["pkg.a.f#1", "pkg.a.Meter.read#1", "pkg.helper.g#1", "pkg.b.Box.grow#1"]),
        ("pkg/a.py", None, ["pkg.a.f#1", "pkg.a.Meter.read#1", "pkg.helper.g#1"]),
        ("pkg/helper.py", None, ["pkg.helper.g#1"]),
        ("pkg/b.py", None, ["pkg.b.Box.grow#1"]),
        (None, "f", ["pkg.a.f#1"]),
        (None, "read", ["pkg.a.Meter.read#1"]),
        (None, "Meter.read", ["pkg.a.Meter.read#1"]),
        (None, "ead", []),
        ("pkg/b.py", "f", []),
        ("pkg/c.py", None, []),
    ],
)
def test_survivors_filters(target, function, expected):
    assert ids(inspect.survivors(document(), target, function)) == expected


def test_find_mutant_by_id_or_mutmut_name():
    assert inspect.find_mutant(document(), "pkg.a.f#2") is MUTANTS[1]
    assert inspect.find_mutant(document(), "pkg.b.xǁBoxǁgrow__mutmut_2") is MUTANTS[5]


def test_find_unknown_mutant_is_a_user_error():
    with pytest.raises(ConfigError) as error:
        inspect.find_mutant(document(), "pkg.a.f#9")

    assert str(error.value) == "no mutant 'pkg.a.f#9' in the last gate report"


SHOWN_KILLED = f"""\
pkg.a.f#2  [killed]
  mutmut name: pkg.a.x_f__mutmut_2
  location:    pkg/a.py:2:13-2:18 in f (target pkg/a.py)

{A_DIFF}

killed by:
  t.py::two  (assertion)
executed by 2 tests:
  t.py::one
  t.py::two"""

SHOWN_UNRESOLVED = f"""\
pkg.b.Box.grow#2  [unresolved]
  mutmut name: pkg.b.xǁBoxǁgrow__mutmut_2
  location:    pkg/b.py:2:13-2:18 in Box.grow (target pkg/b.py)
  reason:      not checked

{A_DIFF}

executed by 0 tests:"""


@pytest.mark.parametrize(("index", "shown"), [(1, SHOWN_KILLED), (5, SHOWN_UNRESOLVED)])
def test_render_mutant(index, shown):
    assert inspect.render_mutant(MUTANTS[index]) == shown


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A valid configuration with report_dir = out; returns the path gate.json is read from."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("def f(x):\n    return x + 1\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "setup.cfg").write_text("[mutation_gate]\ntargets = pkg/a.py = 90\nreport_dir = out\n", encoding="utf-8")
    return tmp_path / "out" / "gate.json"


def write_report(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def gate(project, capsys, *argv):
    code = cli.main(["--config", str(project.parent.parent / "setup.cfg"), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_survivors_of_a_target(project, capsys):
    write_report(project, json.dumps(document()))

    assert gate(project, capsys, "survivors", "--target", "pkg/b.py") == (
        0, inspect.render_mutant(MUTANTS[4]) + "\n\n1 surviving mutants\n", "",
    )


def test_cli_survivors_of_a_function(project, capsys):
    write_report(project, json.dumps(document()))

    code, out, err = gate(project, capsys, "survivors", "--function", "read")

    assert (code, out.splitlines()[0], out.splitlines()[-1], err) == (
        0, "pkg.a.Meter.read#1  [survived]", "1 surviving mutants", "",
    )


def test_cli_survivors_none(project, capsys):
    write_report(project, json.dumps(document()))

    assert gate(project, capsys, "survivors", "--target", "pkg/c.py") == (0, "0 surviving mutants\n", "")


@pytest.mark.parametrize("name", ["pkg.a.f#2", "pkg.a.x_f__mutmut_2"])
def test_cli_show_by_id_or_mutmut_name(project, capsys, name):
    write_report(project, json.dumps(document()))

    assert gate(project, capsys, "show", name) == (0, SHOWN_KILLED + "\n", "")


def test_cli_show_unknown_id(project, capsys):
    write_report(project, json.dumps(document()))

    assert gate(project, capsys, "show", "pkg.a.f#99") == (
        1, "", "mutation-gate: no mutant 'pkg.a.f#99' in the last gate report\n",
    )


@pytest.mark.parametrize("argv", [("survivors",), ("show", "pkg.a.f#1")])
def test_cli_without_a_report(project, capsys, argv):
    assert gate(project, capsys, *argv) == (
        1, "", f"mutation-gate: {project}: no gate report yet; run `mutation-gate run` first\n",
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"mutants": [', "unreadable gate report: Expecting value: line 1 column 14 (char 13)"),
        ("", "unreadable gate report: Expecting value: line 1 column 1 (char 0)"),
        ('{"schema_version": 1}', "not a gate report"),
        ("[1, 2]", "not a gate report"),
    ],
    ids=["truncated", "empty", "no-mutants", "not-an-object"],
)
def test_cli_with_a_corrupt_report(project, capsys, text, problem):
    write_report(project, text)

    assert gate(project, capsys, "survivors") == (1, "", f"mutation-gate: {project}: {problem}\n")


def test_cli_run_writes_the_report_prints_the_summary_and_exits_with_the_verdict(project, capsys, monkeypatch):
    result = summary_document()
    monkeypatch.setattr(cli, "run_gate", lambda config: result)
    monkeypatch.chdir(project.parent.parent)

    code, out, err = gate(project, capsys, "run")

    assert (code, err) == (2, "")
    assert out == report_terminal.render(result) + "\nreport: out/gate.json\n"
    assert json.loads(project.read_text(encoding="utf-8")) == result


def test_cli_unexpected_exception_is_an_internal_error(project, capsys, monkeypatch):
    def crash(config):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "run_gate", crash)

    code, out, err = gate(project, capsys, "run")

    lines = err.splitlines()
    assert (code, out, lines[0], lines[-2], lines[-1]) == (
        70, "", "Traceback (most recent call last):", "RuntimeError: boom",
        "mutation-gate: internal error (exit 70); please report it with the traceback above",
    )


def test_cli_interrupted_run_is_incomplete(project, capsys, monkeypatch):
    def interrupt(config):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_gate", interrupt)

    assert gate(project, capsys, "run") == (5, "", "mutation-gate: interrupted; nothing was judged\n")


# --- the terminal summary --------------------------------------------------------------------------


def target_row(path, files, counts, scores, min_score, coverage):
    mutants, killed, survived, timeout, no_tests = counts
    mutation, assertion, strength = scores
    return {
        "path": path, "files": files, "min_score": min_score, "mutants": mutants, "killed": killed,
        "survived": survived, "timeout": timeout, "no_tests": no_tests, "mutation_score": mutation,
        "assertion_score": assertion, "test_strength": strength, "line_coverage": coverage[0],
        "branch_coverage": coverage[1],
    }


def summary_document():
    survivors = [
        mutant(f"pkg.a.f#{n}", covered_by=[f"t.py::t{i}" for i in range(tests)], line=n, diff=f"diff of f#{n}")
        for n, tests in [(1, 1), (2, 3), (3, 0), (4, 3), (5, 2), (6, 5)]
    ]
    return {
        "targets": [
            target_row("pkg/a.py", ["pkg/a.py", "pkg/helper.py"], (10, 3, 6, 1, 0), (40.0, 25.0, 44.444), 90,
                       (87.5, 66.666)),
            target_row("pkg/empty.py", ["pkg/empty.py"], (0, 0, 0, 0, 0), (None, None, None), 72.5, (100.0, 100.0)),
        ],
        "overall": {"mutants": 10, "killed": 3, "survived": 6, "timeout": 1, "no_tests": 0, "mutation_score": 40.0,
                    "assertion_score": 25.0},
        "mutants": [mutant("pkg.a.f#7", "killed", covered_by=["t.py::t0"] * 9), *survivors],
        "unmutated": [
            {"file": "pkg/a.py", "line": 3, "kind": "module statement", "name": "REGISTRY"},
            {"file": "pkg/helper.py", "line": 12, "kind": "decorated function (@property)", "name": "size"},
        ],
        "verdict": {
            "exit_code": 2, "status": "below threshold",
            "reasons": ["pkg/a.py: mutation score 40.00% < minimum 90%"],
            "targets": {"pkg/a.py": {"status": "below threshold", "problems": []},
                        "pkg/empty.py": {"status": "pass", "problems": [], "note": "no mutants to measure"}},
        },
    }


def test_render_summary():
    assert report_terminal.render(summary_document()).split("\n") == [
        "",
        "target        mutants  killed  survived  timeout  no tests  mutation  assertion    min          verdict",
        "pkg/a.py           10       3         6        1         0     40.0%      25.0%    90%  below threshold",
        "pkg/empty.py        0       0         0        0         0       n/a        n/a  72.5%             pass",
        "overall            10       3         6        1         0     40.0%      25.0%" + " " * 24,
        "",
        "  pkg/a.py: +1 helper modules, line coverage 87.5%, branch coverage 66.7%, test strength 44.4%",
        "  pkg/empty.py: +0 helper modules, line coverage 100.0%, branch coverage 100.0%, test strength n/a",
        "",
        "worst survivors (5 of 6; `mutation-gate survivors` lists all):",
        "",
        "pkg.a.f#6  (pkg/a.py:6, executed by 5 tests)",
        "diff of f#6",
        "",
        "pkg.a.f#2  (pkg/a.py:2, executed by 3 tests)",
        "diff of f#2",
        "",
        "pkg.a.f#4  (pkg/a.py:4, executed by 3 tests)",
        "diff of f#4",
        "",
        "pkg.a.f#5  (pkg/a.py:5, executed by 2 tests)",
        "diff of f#5",
        "",
        "pkg.a.f#1  (pkg/a.py:1, executed by 1 tests)",
        "diff of f#1",
        "",
        "unmutated code mutmut cannot judge (2):",
        "  pkg/a.py:3  module statement  REGISTRY",
        "  pkg/helper.py:12  decorated function (@property)  size",
        "",
        "verdict: BELOW THRESHOLD (exit 2)",
        "  pkg/a.py: mutation score 40.00% < minimum 90%",
    ]


def test_render_without_survivors_or_unmutated_code_goes_from_table_to_verdict():
    summary = summary_document()
    summary["mutants"] = summary["mutants"][:1]
    summary["unmutated"] = []
    summary["verdict"] = {**summary["verdict"], "exit_code": 0, "status": "pass", "reasons": []}

    assert report_terminal.render(summary).split("\n")[-3:] == [
        "  pkg/empty.py: +0 helper modules, line coverage 100.0%, branch coverage 100.0%, test strength n/a",
        "",
        "verdict: PASS (exit 0)",
    ]
