"""End-to-end runs of the gate on the fixture projects in tests/fixtures.

Each fixture is copied to a temporary directory and judged once per module; the tests then
read the exit code, the terminal output and gate.json. The fixtures use other layouts than
this repository (flat and src), sync and asyncio code, with and without Hypothesis.
"""

import pytest

from mutation.report.store import problem
from tests.fixture_runs import gate_on, run_gate

@pytest.fixture(scope="module")
def fully_tested(tmp_path_factory):
    return gate_on("fully_tested", tmp_path_factory)


@pytest.fixture(scope="module")
def with_survivors(tmp_path_factory):
    return gate_on("with_survivors", tmp_path_factory)


def test_a_fully_tested_module_passes_with_every_mutant_killed_by_an_assertion(fully_tested):
    assert fully_tested.exit_code == 0, fully_tested.stderr
    document = fully_tested.document
    assert problem(document) is None
    assert (document["schema_version"], document["state"]) == (2, "finished")
    assert document["verdict"]["status"] == "pass"
    target = document["targets"][0]
    assert (target["path"], target["mutants"], target["killed"], target["survived"]) == ("calc/ops.py", 15, 15, 0)
    assert (target["mutation_score"], target["test_strength"], target["assertion_score"]) == (100.0, 100.0, 100.0)
    assert all(m["killed_by"] and {k["kind"] for k in m["killed_by"]} == {"assertion"} for m in fully_tested.mutants())
    assert "calc/ops.py" in fully_tested.stdout and "PASS (exit 0)" in fully_tested.stdout


def test_every_mutant_has_a_location_a_diff_and_its_covering_tests(fully_tested):
    by_id = {m["id"]: m for m in fully_tested.mutants()}
    mutant = by_id["calc.ops.is_even#1"]
    assert mutant["file"] == "calc/ops.py"
    assert mutant["function"] == "is_even"
    assert mutant["mutmut_name"] == "calc.ops.x_is_even__mutmut_1"
    assert mutant["start_line"] <= mutant["end_line"]
    assert mutant["diff"].startswith("--- calc/ops.py\n+++ calc/ops.py\n@@ -")
    assert mutant["covered_by"] and all(test.startswith("tests/test_ops.py::") for test in mutant["covered_by"])
    killed_by_tests = {k["test"] for k in mutant["killed_by"]}
    assert killed_by_tests <= set(mutant["covered_by"])


def test_per_test_section_lists_target_lines_and_kills(fully_tested):
    tests = fully_tested.document["tests"]
    kills = {kill["mutant"] for entry in tests.values() for kill in entry["kills"]}
    assert kills == {m["id"] for m in fully_tested.mutants()}
    assert all(set(entry["target_lines"]) == {"calc/ops.py"} for entry in tests.values())


def test_run_metadata_records_versions_configuration_and_phases(fully_tested):
    run = fully_tested.document["run"]
    assert run["tool_versions"]["mutmut"] == "3.8.1"
    assert run["config"]["targets"] == [{"path": "calc/ops.py", "min_score": 100.0}]
    assert set(run["phase_seconds"]) == {"prepare", "preflight", "locate", "mutation", "rerun", "credit", "score"}


def test_survivors_fail_the_target_with_exit_2_and_are_listed_with_diffs(with_survivors):
    assert with_survivors.exit_code == 2, with_survivors.stderr
    target = with_survivors.document["targets"][0]
    assert (target["path"], target["mutants"], target["killed"], target["survived"]) == ("src/shop/pricing.py", 13, 9, 4)
    assert target["mutation_score"] == 69.23
    assert with_survivors.document["verdict"]["reasons"] == ["src/shop/pricing.py: mutation score 69.23% < minimum 100%"]
    survivors = sorted(m["mutmut_name"] for m in with_survivors.mutants("survived"))
    assert survivors == [
        "shop.pricing.x_bulk_discount__mutmut_1",
        "shop.pricing.x_line_total__mutmut_3",
        "shop.pricing.x_line_total__mutmut_4",
        "shop.pricing.x_line_total__mutmut_5",
    ]
    assert "worst survivors (4 of 4" in with_survivors.stdout
    assert "BELOW THRESHOLD (exit 2)" in with_survivors.stdout


def test_survivors_and_show_answer_from_the_last_report(with_survivors):
    listed = run_gate(with_survivors.root, "survivors", "--function", "bulk_discount")
    assert listed.exit_code == 0
    assert "shop.pricing.bulk_discount#1  [survived]" in listed.stdout
    assert listed.stdout.strip().endswith("1 surviving mutants (1 in src/shop/pricing.py)")
    shown = run_gate(with_survivors.root, "show", "shop.pricing.bulk_discount#1")
    assert shown.exit_code == 0
    assert "location:    src/shop/pricing.py:" in shown.stdout
    assert "\n-" in shown.stdout and "\n+" in shown.stdout


def test_a_suite_that_fails_unmutated_exits_4_naming_the_failing_test(tmp_path_factory):
    run = gate_on("failing_suite", tmp_path_factory)
    assert run.exit_code == 4
    assert "the suite fails without mutation (pytest exit 1, 1 failing tests)" in run.stderr
    assert "tests/test_account.py::test_balance_after_deposit_is_wrong" in run.stderr
    assert run.stopped()[0] == 4


def test_a_mutant_that_loops_forever_is_a_timeout_killed_by_the_hung_test(tmp_path_factory):
    run = gate_on("infinite_loop", tmp_path_factory)
    assert run.exit_code == 0, run.stderr
    timeouts = {m["mutmut_name"]: m for m in run.mutants("timeout")}
    assert sorted(timeouts) == ["loops.count.x_triangular__mutmut_8", "loops.count.x_triangular__mutmut_9"]
    for mutant in timeouts.values():
        assert mutant["killed_by"] and {k["kind"] for k in mutant["killed_by"]} == {"timeout"}
    assert run.document["targets"][0]["timeout"] == 2


def test_a_module_level_cache_does_not_hide_mutants(tmp_path_factory):
    run = gate_on("module_cache_leak", tmp_path_factory)
    assert run.exit_code == 0, run.stderr
    assert run.document["targets"][0]["mutation_score"] == 100.0
    assert run.mutants("survived") == []


def test_an_asyncio_and_hypothesis_project_is_judged_the_same_way(tmp_path_factory):
    run = gate_on("asyncio_hypothesis", tmp_path_factory)
    assert run.exit_code == 0, run.stderr
    target = run.document["targets"][0]
    assert (target["path"], target["mutants"], target["mutation_score"]) == ("src/streams/merge.py", 22, 100.0)


def test_a_plugin_crash_is_never_counted_as_a_kill(tmp_path_factory):
    crashing_plugin = (
        "import os\n\n"
        "def pytest_runtest_logreport(report):\n"
        "    if '__mutmut_' in os.environ.get('MUTANT_UNDER_TEST', ''):\n"
        "        raise RuntimeError('plugin bug')\n"
    )
    run = gate_on("fully_tested", tmp_path_factory, {"conftest.py": crashing_plugin})
    assert run.exit_code == 5, run.stderr
    assert run.document["verdict"]["status"] == "incomplete"
    assert {m["status"] for m in run.mutants()} == {"unresolved"}
    assert "pytest internal error (exit 3), never counted as a kill" in run.document["verdict"]["reasons"][0]


def test_two_fresh_runs_give_identical_statuses_and_killers(with_survivors, tmp_path_factory):
    again = gate_on("with_survivors", tmp_path_factory)
    assert again.statuses() == with_survivors.statuses()
    assert again.killers() == with_survivors.killers()


def test_the_report_command_prints_the_same_summary_as_the_run(fully_tested):
    rendered = run_gate(fully_tested.root, "report", "--format", "terminal", "--from",
                        str(fully_tested.root / "reports" / "mutation" / "gate.json"))

    assert (rendered.exit_code, rendered.stderr) == (0, "")
    summary = fully_tested.stdout.split("stryker report: ", 1)[0]
    assert rendered.stdout == summary
    assert summary.endswith("PASS (exit 0)\n")

