"""A mutant's expected time for the shard split: the recorded durations (in the restored result
cache's preflight record) of the tests its last measurement ran, else of its covering tests, plus
a session's own cost; the same on every machine; no record, a split by count."""

from mutation.collect.shards import SESSION_SECONDS, expected_seconds, partition, split_digest
from tests.factories import mutant


def test_a_new_mutant_expects_the_sum_of_its_covering_tests_recorded_durations():
    record = {"tests": {"t::a": {"duration": 0.5}, "t::b": {"duration": 2.0}, "t::c": {"duration": True}}}

    assert expected_seconds(record, {"m1": ["t::a", "t::b"], "m2": ["t::b", "t::unknown"], "m3": ["t::c"],
                                     "m4": []}) == {"m1": 2.5 + SESSION_SECONDS, "m2": 2.0 + SESSION_SECONDS}


def test_a_measured_mutant_expects_the_tests_its_last_measurement_ran():
    record = {"tests": {"t::a": {"duration": 0.5}, "t::b": {"duration": 2.0}}}

    estimates = expected_seconds(record, {"m1": ["t::a", "t::b"], "m2": ["t::a", "t::b"]}, {"m1": ["t::a"]})

    assert estimates == {"m1": 0.5 + SESSION_SECONDS, "m2": 2.5 + SESSION_SECONDS}


def test_without_a_record_there_is_no_estimate():
    assert expected_seconds(None, {"m1": ["t::a"]}) == {}
    assert expected_seconds({"tests": "garbled"}, {"m1": ["t::a"]}) == {}


def test_the_estimates_balance_the_partition():
    mutants = [mutant(f"pkg.mod.x_f__mutmut_{n}", lines=(n, n)) for n in range(1, 5)]
    covered_by = {m.engine_name: ["t::slow"] if m.start_line == 1 else ["t::fast"] for m in mutants}
    record = {"tests": {"t::slow": {"duration": 4.0}, "t::fast": {"duration": 1.0}}}

    assert partition(mutants, expected_seconds(record, covered_by), 2) == [
        ["pkg.mod.x_f__mutmut_1"], [f"pkg.mod.x_f__mutmut_{n}" for n in range(2, 5)]]
    # Its last measurement ran only the fast test: the slow one is no longer expected.
    assert partition(mutants, expected_seconds(record, covered_by, {"pkg.mod.x_f__mutmut_1": ["t::fast"]}), 2) == [
        [f"pkg.mod.x_f__mutmut_{n}" for n in range(1, 3)], [f"pkg.mod.x_f__mutmut_{n}" for n in range(3, 5)]]
    assert partition(mutants, expected_seconds(None, covered_by), 2) == [
        [f"pkg.mod.x_f__mutmut_{n}" for n in range(1, 3)], [f"pkg.mod.x_f__mutmut_{n}" for n in range(3, 5)]]


def test_the_split_digest_changes_with_the_estimates_only():
    mutants = [mutant(f"pkg.mod.x_f__mutmut_{n}", lines=(n, n)) for n in range(1, 4)]

    assert split_digest(mutants, {}) == split_digest(mutants[::-1], {})
    assert split_digest(mutants, {}) != split_digest(mutants, {"pkg.mod.x_f__mutmut_1": 2.0})
    assert split_digest(mutants, {"pkg.mod.x_f__mutmut_1": 2.0}) != split_digest(mutants, {"pkg.mod.x_f__mutmut_1": 2.5})
