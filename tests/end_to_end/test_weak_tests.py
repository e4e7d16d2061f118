"""End-to-end runs of the gate on tests/fixtures/weak_tests: weak tests beside strong ones.

The fixture's strong tests kill every mutant of inventory/stock.py (mutation score 100%, so
the target passes), while each weak test lands in one class: two assert nothing useful
(covering), one hides its assertion in a branch that never runs (covering), one swallows its
own AssertionError (covering), one only notices crashes (crash-only), one checks its own
data and one mocks the function it claims to test (both not-covering). The gate must reject
exactly the weak tests its `reject` setting names, show the mutants each one let pass, and
honour waivers only while they are valid. Five runs: the default, `reject` with
not-covering, a valid waiver, an expired waiver and a waiver for a test that does not exist
(the last two stop after the preflight).
"""

import pytest

from tests.fixture_runs import FIXTURES, gate_on

FIXTURE = "weak_tests"
SUITE = "tests/test_stock.py::"

STRONG = {
    "test_restock_adds_to_an_item_in_stock_and_leaves_the_input_unchanged",
    "test_restock_adds_a_new_item",
    "test_restock_accepts_a_single_unit",
    "test_restock_rejects_a_non_positive_amount",
    "test_reorder_list_includes_items_at_the_threshold",
    "test_order_size_refills_to_the_target_at_or_below_the_threshold",
    "test_order_size_is_zero_above_the_threshold",
    "test_a_new_ledger_is_empty",
    "test_ledger_balance_sums_the_changes_of_one_item",
}
COVERING = {
    "test_no_assertion_at_all",
    "test_only_is_not_none_isinstance_and_len",
    "test_assertion_in_a_branch_that_never_runs",
    "test_swallows_its_assertion",
}
CRASH_ONLY = {"test_only_notices_crashes"}
NOT_COVERING = {"test_checks_only_its_own_data", "test_mocks_the_function_under_test"}
EXPECTED_CLASSES = {
    **{SUITE + name: "killing" for name in STRONG},
    **{SUITE + name: "covering" for name in COVERING},
    **{SUITE + name: "crash-only" for name in CRASH_ONLY},
    **{SUITE + name: "not-covering" for name in NOT_COVERING},
}
HINTS = {
    "covering": "runs this code but no change to it makes the test fail: assert the exact values it returns "
                "and the effects it has",
    "crash-only": "fails only when the code crashes or hangs: compare what it returns with exact expected values",
    "not-covering": "never reaches the targets: it checks only its own data, or the code it calls is mocked",
}
# The target lines each rejected test executes and the mutants it let pass, as listed under it.
EVIDENCE = {
    "test_assertion_in_a_branch_that_never_runs": (
        "26", ["inventory.stock.order_size#1", "inventory.stock.order_size#2", "inventory.stock.order_size#3"],
    ),
    "test_no_assertion_at_all": (
        "21,26", ["inventory.stock.reorder_list#1", "inventory.stock.order_size#1", "inventory.stock.order_size#2"],
    ),
    "test_only_is_not_none_isinstance_and_len": (
        "21,26", ["inventory.stock.reorder_list#1", "inventory.stock.order_size#1", "inventory.stock.order_size#2"],
    ),
    "test_only_notices_crashes": (
        "12,14-16", ["inventory.stock.restock#1", "inventory.stock.restock#2", "inventory.stock.restock#8"],
    ),
    "test_swallows_its_assertion": (
        "12,14-16", ["inventory.stock.restock#1", "inventory.stock.restock#2", "inventory.stock.restock#6"],
    ),
}
WAIVED = SUITE + "test_only_notices_crashes"
WAIVER_REASON = "smoke test: proves restock runs on a new item; values are checked in test_restock_adds_a_new_item"


def config_with(*lines):
    """The fixture's setup.cfg with `lines` appended to its last section, [mutation_gate]."""
    text = (FIXTURES / FIXTURE / "setup.cfg").read_text()
    assert text.rstrip().splitlines()[-2:] == ["targets =", "    inventory/stock.py = 100"]
    return text.rstrip("\n") + "\n" + "".join(line + "\n" for line in lines)


def waiver_file(test, expires):
    return f'[[waiver]]\ntest = "{test}"\nreason = "{WAIVER_REASON}"\nexpires = {expires}\n'


def with_waiver(tmp_path_factory, test, expires):
    return gate_on(FIXTURE, tmp_path_factory, {
        "setup.cfg": config_with("waivers = waivers.toml"),
        "waivers.toml": waiver_file(test, expires),
    })


def block(stdout, first_line):
    """The lines from `first_line` up to the next blank line of the terminal report."""
    lines = stdout.splitlines()
    start = lines.index(first_line)
    end = lines.index("", start)
    return lines[start:end]


def expected_rejection(run, name, test_class):
    """The terminal block for a rejected test, built from the exact lines and mutants expected."""
    executes, unnoticed = EVIDENCE[name]
    by_id = {mutant["id"]: mutant for mutant in run.document["mutants"]}
    lines = [f"REJECTED {test_class}: {SUITE}{name}", f"  hint: {HINTS[test_class]}",
             f"  executes inventory/stock.py:{executes}"]
    for mutant_id in unnoticed:
        lines.append(f"  passed under {mutant_id} (killed):")
        lines += ["    " + line for line in by_id[mutant_id]["diff"].splitlines()]
    return lines


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    return gate_on(FIXTURE, tmp_path_factory)


@pytest.fixture(scope="module")
def strict_run(tmp_path_factory):
    return gate_on(FIXTURE, tmp_path_factory, {"setup.cfg": config_with("reject = covering crash-only not-covering")})


@pytest.fixture(scope="module")
def waived_run(tmp_path_factory):
    return with_waiver(tmp_path_factory, WAIVED, "2099-01-01")


def test_weak_tests_fail_the_gate_with_exit_3_although_every_mutant_is_killed(default_run):
    assert default_run.exit_code == 3, default_run.stderr
    document = default_run.document
    assert document["verdict"]["status"] == "rejected tests"
    assert document["verdict"]["reasons"] == ["5 tests raise coverage without asserting behaviour"]
    assert document["verdict"]["targets"] == {"inventory/stock.py": {"status": "pass", "problems": []}}
    target = document["targets"][0]
    assert (target["path"], target["mutants"], target["killed"], target["survived"]) == ("inventory/stock.py", 27, 27, 0)
    assert (target["mutation_score"], target["assertion_score"]) == (100.0, 77.78)
    lines = default_run.stdout.splitlines()
    assert lines[lines.index("verdict: REJECTED TESTS (exit 3)") + 1] == "  5 tests raise coverage without asserting behaviour"
    assert lines[-1] == "report: reports/mutation/gate.json"


def test_every_test_lands_in_its_expected_class(default_run):
    tests = default_run.document["tests"]
    assert {test: entry["class"] for test, entry in tests.items()} == EXPECTED_CLASSES
    assert ("tests: 9 killing, 1 crash-only, 4 covering, 2 not-covering "
            "(1 redundant: another test kills each of their mutants as strongly)") in default_run.stdout.splitlines()


def test_the_class_rests_on_what_each_weak_test_executed_and_killed(default_run):
    tests = default_run.document["tests"]
    counts = {
        test.removeprefix(SUITE): (entry["mutants_covered"], entry["killed_by_assertion"], entry["killed_by_crash"],
                                   entry["killed_by_timeout"])
        for test, entry in tests.items() if entry["class"] != "killing"
    }
    assert counts == {
        "test_no_assertion_at_all": (6, 0, 0, 0),
        "test_only_is_not_none_isinstance_and_len": (6, 0, 0, 0),
        "test_assertion_in_a_branch_that_never_runs": (5, 0, 0, 0),
        "test_swallows_its_assertion": (11, 0, 0, 0),
        "test_only_notices_crashes": (11, 0, 5, 0),
        "test_checks_only_its_own_data": (0, 0, 0, 0),
        "test_mocks_the_function_under_test": (0, 0, 0, 0),
    }
    assert tests[SUITE + "test_checks_only_its_own_data"]["target_lines"] == {}
    assert tests[SUITE + "test_mocks_the_function_under_test"]["target_lines"] == {}
    crashes = {kill["mutant"] for kill in tests[WAIVED]["kills"]}
    assert crashes == {f"inventory.stock.restock#{n}" for n in (6, 7, 11, 12, 13)}
    assert {kill["kind"] for kill in tests[WAIVED]["kills"]} == {"crash"}


def test_exactly_the_covering_and_crash_only_tests_are_rejected(default_run):
    document = default_run.document
    rejected = sorted(SUITE + name for name in COVERING | CRASH_ONLY)
    assert document["rejected_tests"] == rejected
    assert {test for test, entry in document["tests"].items() if entry["rejected"]} == set(rejected)
    assert all(entry["waiver"] is None for entry in document["tests"].values())
    listed = [line for line in default_run.stdout.splitlines() if line.startswith("REJECTED ")]
    assert listed == [f"REJECTED {document['tests'][test]['class']}: {test}" for test in rejected]


@pytest.mark.parametrize("name", sorted(COVERING | CRASH_ONLY))
def test_a_rejected_test_is_listed_with_its_hint_and_the_mutants_it_let_pass(default_run, name):
    test_class = EXPECTED_CLASSES[SUITE + name]
    listed = block(default_run.stdout, f"REJECTED {test_class}: {SUITE}{name}")
    assert listed == expected_rejection(default_run, name, test_class)
    assert default_run.document["tests"][SUITE + name]["unnoticed"] == EVIDENCE[name][1]
    assert sum(line.startswith("  passed under ") for line in listed) == 3


def test_the_evidence_shows_the_diff_of_each_mutant_that_passed(default_run):
    listed = block(default_run.stdout, f"REJECTED covering: {SUITE}test_swallows_its_assertion")
    assert listed[-8:] == [
        "  passed under inventory.stock.restock#6 (killed):",
        "    --- inventory/stock.py",
        "    +++ inventory/stock.py",
        "    @@ -13,3 +13,3 @@",
        "             raise ValueError(\"amount must be positive\")",
        "    -    updated = dict(levels)",
        "    +    updated = None",
        "         updated[item] = updated.get(item, 0) + amount",
    ]


def test_not_covering_tests_are_only_warned_about_by_default(default_run):
    tests = default_run.document["tests"]
    assert all(tests[SUITE + name]["rejected"] is False for name in NOT_COVERING)
    assert block(default_run.stdout, "warning: 2 tests never reach a target (not-covering):") == [
        "warning: 2 tests never reach a target (not-covering):",
        f"  {SUITE}test_checks_only_its_own_data",
        f"  {SUITE}test_mocks_the_function_under_test",
    ]


def test_strong_tests_unique_kills_and_redundancy(default_run):
    # Under `kill_matrix = sampled` a session stops at its first assertion kill, so a kill is
    # unique among the kills observed: a test that reached a mutant first keeps it.
    tests = default_run.document["tests"]
    assert {test.removeprefix(SUITE): (entry["unique_kills"], entry["redundant"])
            for test, entry in tests.items() if entry["class"] == "killing"} == {
        "test_restock_adds_to_an_item_in_stock_and_leaves_the_input_unchanged": (2, False),
        "test_restock_adds_a_new_item": (1, False),
        "test_restock_accepts_a_single_unit": (1, False),
        "test_restock_rejects_a_non_positive_amount": (4, False),
        "test_reorder_list_includes_items_at_the_threshold": (1, False),
        "test_order_size_refills_to_the_target_at_or_below_the_threshold": (3, False),
        "test_order_size_is_zero_above_the_threshold": (2, False),
        "test_a_new_ledger_is_empty": (3, False),
        "test_ledger_balance_sums_the_changes_of_one_item": (4, False),
    }
    # The crash-only test kills nothing another test does not kill as well.
    assert (tests[WAIVED]["unique_kills"], tests[WAIVED]["redundant"]) == (0, True)


def test_unique_kills_and_redundancy_agree_with_the_killers_of_each_mutant(default_run):
    # A kill is unique when no other test kills the mutant at least as strongly (assertion > crash),
    # in its own session or in a credit pass.
    strength = {}
    for mutant in default_run.mutants():
        kills = strength.setdefault(mutant["id"], {})
        for kill in [*mutant["killed_by"], *mutant.get("credited_by", ())]:
            kills[kill["test"]] = max(kills.get(kill["test"], 0), 2 if kill["kind"] == "assertion" else 1)
    for test, entry in default_run.document["tests"].items():
        killed = {kill["mutant"] for kill in entry["kills"]}
        unique = {m for m in killed if all(s < strength[m][test] for t, s in strength[m].items() if t != test)}
        assert entry["unique_kills"] == len(unique)
        assert entry["redundant"] == (bool(killed) and not unique)


def test_every_function_is_tested(default_run):
    functions = default_run.document["functions"]
    assert {key: (entry["class"], entry["mutants"], entry["detected"]) for key, entry in functions.items()} == {
        "inventory/stock.py::Ledger.__init__": ("tested", 1, 1),
        "inventory/stock.py::Ledger.balance": ("tested", 5, 5),
        "inventory/stock.py::Ledger.record": ("tested", 1, 1),
        "inventory/stock.py::order_size": ("tested", 5, 5),
        "inventory/stock.py::reorder_list": ("tested", 1, 1),
        "inventory/stock.py::restock": ("tested", 14, 14),
    }
    assert "functions: 6 tested, 0 partially tested, 0 pseudo-tested, 0 not covered, 0 unmutated" in (
        default_run.stdout.splitlines())


def test_rejecting_not_covering_rejects_the_tests_that_never_reach_a_target(strict_run):
    assert strict_run.exit_code == 3, strict_run.stderr
    document = strict_run.document
    assert document["run"]["config"]["reject"] == ["covering", "crash-only", "not-covering"]
    assert {test: entry["class"] for test, entry in document["tests"].items()} == EXPECTED_CLASSES
    assert document["rejected_tests"] == sorted(SUITE + name for name in COVERING | CRASH_ONLY | NOT_COVERING)
    assert document["verdict"]["reasons"] == ["7 tests raise coverage without asserting behaviour"]
    for name in sorted(NOT_COVERING):
        # Nothing executed, so nothing to show but the hint.
        assert block(strict_run.stdout, f"REJECTED not-covering: {SUITE}{name}") == [
            f"REJECTED not-covering: {SUITE}{name}",
            f"  hint: {HINTS['not-covering']}",
        ]
    assert "warning: " not in strict_run.stdout


def test_a_valid_waiver_lifts_the_rejection_of_its_test_only(waived_run):
    assert waived_run.exit_code == 3, waived_run.stderr
    document = waived_run.document
    entry = document["tests"][WAIVED]
    assert (entry["class"], entry["rejected"]) == ("crash-only", False)
    assert entry["waiver"] == f"{WAIVER_REASON} (until 2099-01-01)"
    assert [test for test, other in document["tests"].items() if other["waiver"] is not None] == [WAIVED]
    assert document["rejected_tests"] == sorted(SUITE + name for name in COVERING)
    assert document["verdict"]["reasons"] == ["4 tests raise coverage without asserting behaviour"]
    assert f"REJECTED crash-only: {WAIVED}" not in waived_run.stdout.splitlines()
    assert [line for line in waived_run.stdout.splitlines() if line.startswith("REJECTED ")] == [
        f"REJECTED covering: {SUITE}{name}" for name in sorted(COVERING)
    ]


def test_an_expired_waiver_stops_the_run_with_exit_1(tmp_path_factory):
    run = with_waiver(tmp_path_factory, WAIVED, "2000-01-01")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[-1] == (
        f"mutation-gate: waivers.toml waiver 1: the waiver for {WAIVED} expired on 2000-01-01"
    )
    assert run.stopped() == (1, f"waivers.toml waiver 1: the waiver for {WAIVED} expired on 2000-01-01")


def test_a_waiver_for_a_test_that_does_not_exist_stops_the_run_with_exit_1(tmp_path_factory):
    missing = SUITE + "test_that_was_deleted"
    run = with_waiver(tmp_path_factory, missing, "2099-01-01")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[-1] == (
        f"mutation-gate: waivers.toml: {missing} is not a test of the suite any more; remove its waiver"
    )
    assert run.stopped() == (1, f"waivers.toml: {missing} is not a test of the suite any more; remove its waiver")
