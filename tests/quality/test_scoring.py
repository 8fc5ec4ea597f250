"""Scoring against gold, the Wilson interval, and the pausing and passing rules."""

import pytest

from annotator.quality.scoring import Accuracy, accuracy_per_field, passes, score_answer, should_pause, wilson_interval


def test_each_field_the_gold_has_is_scored_and_a_multiple_choice_in_any_order_is_right():
    gold = {"stance": "favor", "topics": ["a", "b"], "note": None}
    scores = score_answer(gold, {"stance": "against", "topics": ["b", "a"]}, ["stance", "topics", "note"])
    assert scores == {"stance": False, "topics": True}


def test_the_wilson_interval_holds_the_share_and_stays_within_zero_and_one():
    low, high = wilson_interval(3, 10)
    assert low < 0.3 < high
    assert wilson_interval(0, 5)[0] == 0.0 and wilson_interval(5, 5)[1] == pytest.approx(1.0)
    assert wilson_interval(30, 100)[1] - wilson_interval(30, 100)[0] < high - low  # narrows with more answers


def test_accuracy_is_counted_per_field():
    figures = accuracy_per_field([{"stance": True, "claim": True}, {"stance": False}])
    assert figures == {"stance": Accuracy(1, 2), "claim": Accuracy(1, 1)}
    assert figures["stance"].as_dict()["accuracy"] == 0.5


def test_an_annotator_is_paused_only_after_the_minimum_and_below_the_threshold():
    assert not should_pause(4, 0, 4, 0.7, 5)
    assert should_pause(5, 3, 5, 0.7, 5)
    assert not should_pause(5, 4, 5, 0.7, 5)
    assert not should_pause(50, 0, 50, None, 5)


def test_the_pass_mark_is_reached_at_or_above_it():
    assert passes(4, 5, 0.8) and not passes(3, 5, 0.8) and not passes(0, 0, 0.5)
