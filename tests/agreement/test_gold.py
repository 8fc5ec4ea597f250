"""Gold labels: every unit gets its final category and the source that decided it, with a
reviewer's adjudication always winning."""

import numpy as np
import pytest

from annotator.agreement.dawid_skene import DawidSkeneResult
from annotator.agreement.gold import ADJUDICATED, ESTIMATED, MAJORITY, SINGLE, UNANIMOUS, aggregate, majority_vote
from annotator.agreement.ratings import Ratings
from tests.agreement.test_dawid_skene import confusion_with_accuracy, simulate

NaN = np.nan


def estimate_with(posteriors):
    """A Dawid-Skene result whose posteriors are chosen by the test, not fitted."""
    posteriors = np.asarray(posteriors, dtype=float)
    n_categories = posteriors.shape[1]
    return DawidSkeneResult(
        posteriors=posteriors,
        priors=np.full(n_categories, 1 / n_categories),
        confusion=np.full((1, n_categories, n_categories), 1 / n_categories),
        accuracy=np.full(1, NaN),
        iterations=1,
        converged=True,
    )


# coders x units; unit 2 is a tie, unit 3 has one value, unit 4 none
MATRIX = [[1, 0, 0, 2, NaN], [1, 0, 2, NaN, NaN], [1, 2, NaN, NaN, NaN]]
POSTERIORS = [[0.01, 0.98, 0.01], [0.90, 0.02, 0.08], [0.30, 0.10, 0.60], [0.05, 0.15, 0.80], [NaN, NaN, NaN]]


@pytest.fixture
def gold():
    return aggregate(Ratings.from_matrix(MATRIX, 3), estimate=estimate_with(POSTERIORS))


def test_identical_values_are_unanimous(gold):
    assert (gold.label[0], gold.source[0], gold.probability[0]) == (1, UNANIMOUS, 0.98)


def test_plurality_backed_by_the_estimate_is_majority(gold):
    assert (gold.label[1], gold.source[1], gold.probability[1]) == (0, MAJORITY, 0.90)


def test_tie_is_broken_by_the_estimate(gold):
    assert (gold.label[2], gold.source[2], gold.probability[2]) == (2, ESTIMATED, 0.60)


def test_one_value_is_single_not_unanimous(gold):
    assert (gold.label[3], gold.source[3], gold.probability[3]) == (2, SINGLE, 0.80)


def test_unit_without_values_has_no_label(gold):
    assert (gold.label[4], gold.source[4]) == (-1, "")
    assert np.isnan(gold.probability[4])


def test_estimate_can_overrule_the_plurality():
    ratings = Ratings.from_matrix([[0], [0], [1]], 2)

    gold = aggregate(ratings, estimate=estimate_with([[0.3, 0.7]]))

    assert (gold.label[0], gold.source[0], gold.probability[0]) == (1, ESTIMATED, 0.7)


def test_adjudication_always_wins():
    ratings = Ratings.from_matrix(MATRIX, 3)
    adjudicated = np.array([0, -1, 1, -1, 2])

    gold = aggregate(ratings, adjudicated, estimate=estimate_with(POSTERIORS))

    assert gold.label.tolist() == [0, 0, 1, 2, 2]
    assert gold.source.tolist() == [ADJUDICATED, MAJORITY, ADJUDICATED, SINGLE, ADJUDICATED]
    assert gold.probability[[0, 2, 4]].tolist() == [1.0, 1.0, 1.0]


def test_fits_the_estimate_itself_when_units_are_contested():
    ratings = Ratings.from_matrix(MATRIX, 3)

    gold = aggregate(ratings)

    assert gold.source.tolist() == [UNANIMOUS, MAJORITY, ESTIMATED, SINGLE, ""]
    assert gold.label[[0, 1, 3, 4]].tolist() == [1, 0, 2, -1]
    assert gold.label[2] in (0, 2)
    assert ((gold.probability[:4] > 0) & (gold.probability[:4] <= 1)).all()


def test_all_unanimous_needs_no_estimate():
    ratings = Ratings.from_matrix([[0, 1, NaN], [0, 1, NaN]], 2)

    gold = aggregate(ratings)

    assert gold.source.tolist() == [UNANIMOUS, UNANIMOUS, ""]
    assert gold.probability[:2].tolist() == [1.0, 1.0]


def test_estimate_overrules_poor_coders_mostly_for_the_better():
    rng = np.random.default_rng(11)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.9, 0.85, 0.4, 0.4, 0.4]]
    ratings, truth = simulate(rng, 3000, np.full(3, 1 / 3), confusions, coverage=0.8)

    gold = aggregate(ratings)
    overruled = (gold.source == ESTIMATED) & (majority_vote(ratings) >= 0)

    assert overruled.sum() > 100
    assert (gold.label[overruled] == truth[overruled]).mean() > 0.6
    assert (majority_vote(ratings)[overruled] == truth[overruled]).mean() < 0.3
    labelled = gold.label >= 0
    assert ((gold.probability[labelled] >= 0) & (gold.probability[labelled] <= 1)).all()


def test_adjudications_must_fit_the_ratings():
    ratings = Ratings.from_matrix(MATRIX, 3)

    with pytest.raises(ValueError):
        aggregate(ratings, np.array([0, 1]))
    with pytest.raises(ValueError):
        aggregate(ratings, np.array([0, 1, 3, -1, -1]))


def test_majority_vote_is_strict_plurality():
    ratings = Ratings.from_matrix([[0, 0, 1, NaN], [0, 1, 1, NaN], [1, 2, NaN, NaN]], 3)

    assert majority_vote(ratings).tolist() == [0, -1, 1, -1]
