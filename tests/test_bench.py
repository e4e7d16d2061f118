"""The pure parts of scripts/bench.py (plain mutmut's layout and settings, the agreement table,
the differences and their reasons) and of scripts/real_projects.py (pins, ini sections)."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load("bench")
real_projects = load("real_projects")


def gate_entry(status, *, reason="", killed_by=(), covered_by=(), tests_run=()):
    return {"status": status, "reason": reason, "killed_by": list(killed_by), "covered_by": list(covered_by),
            "tests_run": list(tests_run)}


@pytest.mark.parametrize(("package_root", "files", "expected"), [
    ("src", ["src/pkg/a.py"], (["src"], ["src/pkg/a.py"], None)),
    (".", ["pkg/a.py", "pkg/b.py", "other/c.py", "top.py"], (["other", "pkg", "top.py"],
                                                             ["pkg/a.py", "pkg/b.py", "other/c.py", "top.py"], None)),
    ("backend", ["backend/core/x.py"], (["src"], ["src/core/x.py"], "backend")),
])
def test_plain_layout(package_root, files, expected):
    assert bench.plain_layout(package_root, files) == expected


def test_plain_settings_keep_the_projects_keys_and_add_the_gates():
    project = {"also_copy": "\n.pytest.ini", "pytest_add_cli_args": "\n-p\nno:cov", "debug": "false"}
    settings = bench.plain_settings(project, source_paths=["src"], files=["src/p/a.py"], suite="tests",
                                    pytest_args=("-o", "x=1 2"), also_copy=[".pytest.ini", "conftest.py"])
    assert settings == {"also_copy": [".pytest.ini", "conftest.py"], "pytest_add_cli_args": ["-p", "no:cov", "-o", "x=1 2"],
                        "debug": "false", "source_paths": ["src"], "only_mutate": ["src/p/a.py"],
                        "pytest_add_cli_args_test_selection": ["tests"]}


def test_plain_settings_leave_out_empty_lists():
    settings = bench.plain_settings({}, source_paths=["pkg"], files=["pkg/a.py"], suite="tests", pytest_args=(),
                                    also_copy=[])
    assert settings == {"source_paths": ["pkg"], "only_mutate": ["pkg/a.py"],
                        "pytest_add_cli_args_test_selection": ["tests"]}


def test_also_copied_names_a_suite_mutmut_misses_and_pytests_root_files(tmp_path):
    (tmp_path / ".pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text("")
    assert bench.also_copied(tmp_path, "suite", ["src"]) == ["suite", ".pytest.ini", "conftest.py"]
    assert bench.also_copied(tmp_path, "tests", ["src"]) == [".pytest.ini", "conftest.py"]
    assert bench.also_copied(tmp_path, "pkg/tests", ["pkg"]) == [".pytest.ini", "conftest.py"]


def test_agreement_counts_every_name_on_either_side():
    plain = {"a": "killed", "b": "survived", "c": "survived", "d": "killed"}
    gate = {"a": "killed", "b": "no_tests", "c": "survived", "e": "killed"}
    assert bench.agreement(plain, gate) == Counter({("killed", "killed"): 1, ("survived", "no_tests"): 1,
                                                    ("survived", "survived"): 1, ("killed", "(absent)"): 1,
                                                    ("(absent)", "killed"): 1})


def test_table_rows_are_mutmuts_columns_the_gates_with_totals():
    counts = {("killed", "killed"): 10, ("survived", "no_tests"): 2, ("survived", "survived"): 3}
    assert bench.table(counts) == [
        "mutmut \\ gate   killed survived no_tests    total",
        "killed              10        .        .       10",
        "survived             .        3        2        5",
    ]


@pytest.mark.parametrize(("entry", "reason"), [
    (gate_entry("no_tests"), "no test executes the mutated statement"),
    (gate_entry("unresolved", reason="pytest internal error (exit 3), never counted as a kill"),
     "pytest internal error (exit 3), never counted as a kill"),
    (gate_entry("killed", killed_by=[{"test": "t::a", "kind": "crash"}, {"test": "t::b", "kind": "crash"}]),
     "crash in t::a (+1 more)"),
    (gate_entry("timeout", killed_by=[{"test": "t::slow", "kind": "timeout"}]), "timeout in t::slow"),
    (gate_entry("killed", killed_by=[{"test": "t::slow", "kind": "timeout"}, {"test": "t::c", "kind": "crash"},
                                     {"test": "t::a", "kind": "assertion"}]), "assertion in t::a (+2 more)"),
    (gate_entry("survived", covered_by=["t::a", "t::b"], tests_run=["t::a"]),
     "the 1 tests run under it passed (2 execute the mutated statement)"),
    (gate_entry("type_check"), "type_check"),
])
def test_gate_reason(entry, reason):
    assert bench.gate_reason(entry) == reason


def test_differences_skip_statuses_that_mean_the_same():
    plain = {"m.x_f__mutmut_1": "killed", "m.x_f__mutmut_2": "no tests", "m.x_f__mutmut_3": "survived",
             "m.x_g__mutmut_1": "segfault"}
    gate = {"m.x_f__mutmut_1": gate_entry("killed", killed_by=[{"test": "t::a", "kind": "assertion"}]),
            "m.x_f__mutmut_2": gate_entry("no_tests"), "m.x_f__mutmut_3": gate_entry("no_tests")}
    codes = {"m.x_f__mutmut_1": 1, "m.x_f__mutmut_2": 33, "m.x_f__mutmut_3": 0, "m.x_g__mutmut_1": -11}
    assert bench.differences(plain, gate, {"m.x_f": 4}, codes) == [
        {"name": "m.x_f__mutmut_3", "mutmut": "survived", "mutmut_exit": 0, "gate": "no_tests",
         "reason": "no test executes the mutated statement", "mutmut_tests": 4},
        {"name": "m.x_g__mutmut_1", "mutmut": "segfault", "mutmut_exit": -11, "gate": "(absent)",
         "reason": "the gate has no such mutant", "mutmut_tests": None},
    ]


def test_mutmut_statuses_follow_mutmuts_own_reading_of_exit_codes():
    assert bench.mutmut_statuses({"a": 0, "b": 1, "c": 3, "d": 33, "e": None, "f": -24, "g": 99}) == {
        "a": "survived", "b": "killed", "c": "killed", "d": "no tests", "e": "not checked", "f": "timeout",
        "g": "suspicious"}


def test_gate_mutants_are_keyed_by_engine_name_or_mutmut_name():
    document = {"mutants": [{"engine_name": "a.x_f__mutmut_1", "status": "killed"},
                            {"mutmut_name": "a.x_f__mutmut_2", "status": "survived"}]}
    assert sorted(bench.gate_mutants(document)) == ["a.x_f__mutmut_1", "a.x_f__mutmut_2"]


def test_summary_table_has_one_line_per_result():
    result = {"project": "p-1.0", "gate_commit": "abc1234", "ratio": 0.5,
              "plain": {"seconds": 100.0, "exit_code": 0}, "gate": {"seconds": 50.0, "exit_code": 3},
              "agreement": [{"mutmut": "killed", "gate": "killed", "count": 8},
                            {"mutmut": "survived", "gate": "no_tests", "count": 2}],
              "differences": [{"mutmut": "survived", "gate": "no_tests"}] * 2,
              "mutmut_overrides": {"process_isolation": "forkserver"}}
    header, line = bench.summary_table([result])
    assert header.split() == ["project", "gate", "mutmut", "s", "exit", "gate", "s", "exit", "ratio", "mutants", "agree",
                              "differences"]
    assert line.split() == ["p-1.0", "abc1234", "100.0", "0", "50.0", "3", "0.50x", "10", "8", "2",
                            "survived->no_tests;", "mutmut", "process_isolation=forkserver"]


def test_requirement_takes_the_pinned_version_or_keeps_an_explicit_one():
    versions = {"pytest": "9.2.0", "pytest-cov": "7.1.0"}
    assert real_projects.requirement("pytest", versions) == "pytest==9.2.0"
    assert real_projects.requirement("pytest-timeout==2.4.0", versions) == "pytest-timeout==2.4.0"
    with pytest.raises(SystemExit, match="nosuch: no pinned version"):
        real_projects.requirement("nosuch", versions)


def test_pinned_versions_read_name_version_lines(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("# pins\nPyYAML==6.0.3\npytest==9.2.0  # test runner\n-e .\n")
    assert real_projects.pinned_versions(path) == {"pyyaml": "6.0.3", "pytest": "9.2.0"}


def test_gate_section_puts_this_scripts_keys_over_existing_ones():
    project = real_projects.Project("p", "1.0", ("src/p/a.py", "src/p/b.py"), "tests", "src",
                                    pytest_args=("-o", "python_files=a.py b.py"))
    assert real_projects.gate_section(project, {"report_dir": "out", "suite": "old", "targets": "\nx.py = 90"}) == [
        "[mutation_gate]", "# written by scripts/real_projects.py", "report_dir = out", "suite = tests", "targets =",
        "    src/p/a.py = 0", "    src/p/b.py = 0", "package_root = src", "workers = 2",
        "pytest_args = -o 'python_files=a.py b.py'",
    ]


def test_with_section_replaces_a_section_or_adds_it_at_the_end():
    text = "[a]\nx = 1\n\n[mutation_gate]\nold = 1\n\n[b]\ny = 2\n"
    assert real_projects.with_section(text, ["[mutation_gate]", "new = 2"]) == "[a]\nx = 1\n\n[b]\ny = 2\n\n[mutation_gate]\nnew = 2\n"
    assert real_projects.with_section("", ["[mutmut]", "k = v"]) == "[mutmut]\nk = v\n"
