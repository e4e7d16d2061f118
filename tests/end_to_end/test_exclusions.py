"""Equivalent-mutant exclusions on a real run: a matched entry takes its mutant out of every score
with its reason kept in the report; an entry that matches nothing, or lacks its reason, stops the
run with exit 1 before anything is measured."""

import pytest

from tests.fixture_runs import FIXTURES, gate_on

FIXTURE = "with_survivors"
BOUNDARY = '''[[equivalent]]
file = "src/shop/pricing.py"
function = "bulk_discount"
mutation = "if quantity > BULK_THRESHOLD:"
reason = "the pricing rules leave the boundary open: 10 or 11 items both qualify"
'''


def with_exclusions(tmp_path_factory, text):
    config = (FIXTURES / FIXTURE / "setup.cfg").read_text(encoding="utf-8")
    return gate_on(FIXTURE, tmp_path_factory, {"setup.cfg": config.rstrip("\n") + "\nexclusions = equivalent.toml\n",
                                               "equivalent.toml": text})


@pytest.fixture(scope="module")
def excluded_run(tmp_path_factory):
    return with_exclusions(tmp_path_factory, BOUNDARY)


def test_an_excluded_mutant_is_reported_with_its_reason_and_scored_by_nobody(excluded_run):
    assert excluded_run.exit_code == 2, excluded_run.stderr
    (excluded,) = excluded_run.mutants("excluded")
    assert (excluded["mutmut_name"], excluded["reason"], excluded["killed_by"]) == (
        "shop.pricing.x_bulk_discount__mutmut_1",
        "the pricing rules leave the boundary open: 10 or 11 items both qualify",
        [],
    )
    target = excluded_run.document["targets"][0]
    assert (target["mutants"], target["killed"], target["survived"], target["excluded"]) == (13, 9, 3, 1)
    assert target["mutation_score"] == 75.0  # 9 of the 12 mutants left
    assert excluded_run.document["exclusions"] == [{
        "file": "src/shop/pricing.py", "function": "bulk_discount", "mutation": "if quantity > BULK_THRESHOLD:",
        "reason": "the pricing rules leave the boundary open: 10 or 11 items both qualify",
    }]
    # Its function's other mutants are all killed: the function is tested once the equivalent one is left out.
    function = excluded_run.document["functions"]["src/shop/pricing.py::bulk_discount"]
    assert (function["class"], function["mutants"], function["detected"]) == ("tested", 2, 2)


def test_an_entry_that_matches_no_mutant_stops_the_run(tmp_path_factory):
    run = with_exclusions(tmp_path_factory, BOUNDARY.replace("quantity > BULK", "quantity != BULK"))

    assert (run.exit_code, run.stopped()[0]) == (1, 1)
    assert run.stderr.splitlines()[-1] == (
        "mutation-gate: equivalent.toml entry 1: no mutant of src/shop/pricing.py::bulk_discount puts "
        "'if quantity != BULK_THRESHOLD:' in place; remove the entry"
    )


def test_an_entry_without_a_reason_stops_the_run(tmp_path_factory):
    run = with_exclusions(tmp_path_factory, BOUNDARY.rsplit("reason", 1)[0])

    assert (run.exit_code, run.stopped()[0]) == (1, 1)
    assert run.stderr.splitlines()[-1] == "mutation-gate: equivalent.toml entry 1: missing 'reason'"
