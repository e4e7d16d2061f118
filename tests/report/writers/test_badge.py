"""The shields.io endpoint badge: the overall mutation score, coloured against the targets' minimums."""

import json

from mutation.report.writers import badge
from tests.report.hostile import hostile_document


def document(overall, *targets):
    """`targets` are (mutation score, minimum) pairs."""
    return {"overall": {"mutation_score": overall},
            "targets": [{"path": f"pkg/t{n}.py", "mutation_score": score, "min_score": minimum}
                        for n, (score, minimum) in enumerate(targets)]}


def test_render_is_the_endpoint_json_shields_io_reads():
    assert badge.render(document(99.66, (99.66, 90.0))) == (
        '{"schemaVersion": 1, "label": "mutation score", "message": "99.7%", "color": "brightgreen"}\n')


def test_the_hostile_document_gets_a_red_badge():
    assert json.loads(badge.render(hostile_document())) == {
        "schemaVersion": 1, "label": "mutation score", "message": "33.3%", "color": "red"}


def test_no_score_is_n_a_in_lightgrey():
    assert json.loads(badge.render(document(None, (None, 90.0)))) == {
        "schemaVersion": 1, "label": "mutation score", "message": "n/a", "color": "lightgrey"}


def test_the_message_never_rounds_a_survivor_up_to_100():
    assert [badge.message(score) for score in (0.0, 33.33, 99.66, 99.94, 99.95, 99.99, 100.0)] == [
        "0.0%", "33.3%", "99.7%", "99.9%", "99.9%", "99.9%", "100.0%"]


def test_the_colour_is_red_below_the_lowest_minimum_yellow_within_5_points_green_above():
    assert badge.color(document(89.99, (89.99, 90.0))) == "red"
    assert badge.color(document(90.0, (90.0, 90.0))) == "yellow"
    assert badge.color(document(94.99, (94.99, 90.0))) == "yellow"
    assert badge.color(document(95.0, (95.0, 90.0))) == "brightgreen"


def test_the_lowest_minimum_of_the_targets_sets_the_bands():
    assert badge.color(document(82.0, (100.0, 95.0), (80.0, 80.0))) == "yellow"
    assert badge.color(document(85.0, (100.0, 95.0), (80.0, 80.0))) == "brightgreen"


def test_a_target_below_its_own_minimum_makes_it_red_whatever_the_overall_score():
    assert badge.color(document(97.0, (100.0, 80.0), (94.0, 95.0))) == "red"


def test_targets_without_a_minimum_or_a_score_set_no_band():
    # no minimum at all: the lowest is 0, so 4% is within 5 points of it and 5% is above
    assert badge.color(document(4.0, (4.0, None))) == "yellow"
    assert badge.color(document(5.0, (5.0, None))) == "brightgreen"
    # the target without a minimum pulls the overall score below the other's minimum
    assert badge.color(document(60.0, (20.0, None), (100.0, 90.0))) == "red"
    # a target without mutants has no score: its minimum sets no band
    assert badge.color(document(92.0, (None, 80.0), (92.0, 90.0))) == "yellow"
