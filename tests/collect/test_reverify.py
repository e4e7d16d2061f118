"""Re-verification of survivors and timeouts: which outcomes are re-run, and how two runs combine."""

import dataclasses

from mutation.collect.reverify import combine, combine_all, history_record, needs_reverify
from mutation.collect.reverify import tests_involved as involved
from mutation.model import DETECTED, UNSCORED, MutantStatus
from tests.factories import killed, outcome

SURVIVOR = outcome("survived", ran=("t::a", "t::b"))
TIMEOUT = outcome("timeout", ("t::hang", "timeout"), ran=("t::a",))
KILLED = killed(("t::b", "assertion"), ran=("t::a", "t::b"))


def test_only_survivors_and_timeouts_measured_in_this_run_are_re_verified():
    outcomes = {"m.x_1": SURVIVOR, "m.x_2": TIMEOUT, "m.x_3": KILLED, "m.x_4": outcome("no_tests"),
                "m.x_5": SURVIVOR, "m.x_6": outcome("unresolved"), "m.x_7": outcome("excluded")}
    # m.x_5 was reused from the cache: not among this run's measured mutants.
    measured = {name: ["t::a"] for name in ("m.x_1", "m.x_2", "m.x_3", "m.x_4", "m.x_6", "m.x_7")}
    assert needs_reverify(outcomes, measured) == ["m.x_1", "m.x_2"]


def test_two_runs_that_agree_keep_the_first_outcome():
    again = outcome("survived", ran=("t::a",))
    assert combine(SURVIVOR, again) == dataclasses.replace(SURVIVOR, runs=(SURVIVOR, again))
    hung = outcome("timeout", ("t::other", "timeout"))
    assert combine(TIMEOUT, hung) == dataclasses.replace(TIMEOUT, runs=(TIMEOUT, hung))


def test_a_re_run_that_could_not_be_measured_decides_nothing():
    lost = outcome("unresolved", reason="crash")
    assert combine(SURVIVOR, lost) == dataclasses.replace(SURVIVOR, runs=(SURVIVOR, lost))


def test_the_history_records_both_runs_whether_they_disagree_and_the_tests_involved():
    assert history_record(combine(SURVIVOR, KILLED)) == {"runs": ["survived", "killed"], "flaky": True,
                                                         "tests": ["t::b"]}
    assert history_record(combine(SURVIVOR, SURVIVOR)) == {"runs": ["survived", "survived"], "flaky": False,
                                                           "tests": []}


def test_a_survivor_killed_on_its_re_run_is_flaky_with_both_outcomes_and_the_tests_involved():
    flaky = combine(SURVIVOR, KILLED)
    assert flaky.status == MutantStatus.FLAKY
    assert flaky.runs == (SURVIVOR, KILLED)
    assert flaky.killed_by == () and not flaky.detected  # never counted as killed
    assert "survived then killed" in flaky.reason and "t::b" in flaky.reason
    assert flaky.tests_run == SURVIVOR.tests_run


def test_a_timeout_that_survives_or_is_killed_on_its_re_run_is_flaky():
    assert combine(TIMEOUT, SURVIVOR).status == MutantStatus.FLAKY
    assert combine(TIMEOUT, KILLED).runs == (TIMEOUT, KILLED)
    assert involved(TIMEOUT, KILLED) == ("t::hang", "t::b")


def test_flaky_is_in_no_numerator_and_in_the_denominator():
    assert MutantStatus.FLAKY not in DETECTED and MutantStatus.FLAKY not in UNSCORED


def test_combine_all_combines_only_the_re_run_mutants():
    combined = combine_all({"m.x_1": SURVIVOR, "m.x_2": TIMEOUT, "m.x_3": KILLED},
                           {"m.x_1": KILLED, "m.x_2": TIMEOUT})
    assert combined == {"m.x_1": combine(SURVIVOR, KILLED), "m.x_2": combine(TIMEOUT, TIMEOUT)}
