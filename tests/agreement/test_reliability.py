"""Krippendorff's alpha, its bootstrap interval and the agreement shares built from coincidences."""

import math

import numpy as np
import pytest

from annotator.agreement.ratings import Ratings
from annotator.agreement.reliability import (
    LEVELS,
    alpha_confidence_interval,
    coincidence_matrix,
    item_agreement,
    krippendorff_alpha,
    pairable_units,
    pairable_values,
    percent_agreement,
)

_ = np.nan


def noisy_ratings(
    n_units: int, seed: int, n_coders: int = 3, n_categories: int = 5, faithful: float = 0.7, missing: float = 0.1
) -> Ratings:
    """Coders who copy a unit's true category with probability `faithful`, else guess."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_categories, n_units)
    guesses = rng.integers(0, n_categories, (n_coders, n_units))
    matrix = np.where(rng.random((n_coders, n_units)) < faithful, truth, guesses).astype(float)
    matrix[rng.random((n_coders, n_units)) < missing] = np.nan
    return Ratings.from_matrix(matrix, n_categories=n_categories)


def naive_bootstrap_interval(ratings: Ratings, level: str, resamples: int, seed: int) -> tuple[float, float]:
    """The textbook bootstrap: draw pairable units (columns of the reliability data) with
    replacement, one resample at a time."""
    matrix = np.full((ratings.n_coders, ratings.n_units), np.nan)
    matrix[ratings.coder, ratings.unit] = ratings.value
    pairable = np.flatnonzero(ratings.value_counts().sum(axis=1) >= 2)
    rng = np.random.default_rng(seed)
    alphas = []
    for _resample in range(resamples):
        drawn = rng.choice(pairable, size=len(pairable))
        resample = Ratings.from_matrix(matrix[:, drawn], n_categories=ratings.n_categories)
        alphas.append(krippendorff_alpha(resample, level))
    alphas = np.array(alphas)
    low, high = np.quantile(alphas[~np.isnan(alphas)], [0.025, 0.975])
    return low, high


def test_perfect_agreement_gives_alpha_one_at_every_level():
    ratings = Ratings.from_matrix([[0, 1, 2, 1], [0, 1, 2, 1], [0, _, 2, 1]])
    for level in LEVELS:
        assert krippendorff_alpha(ratings, level) == pytest.approx(1.0)


def test_systematic_disagreement_gives_negative_alpha():
    ratings = Ratings.from_matrix([[0, 1, 0, 1], [1, 0, 1, 0]])
    assert krippendorff_alpha(ratings) < 0


def test_units_with_a_single_value_drop_out():
    base = Ratings.from_matrix([[0, 1, 2, 1, 0], [0, 1, 1, 1, 2]])
    with_lone_values = Ratings.from_matrix([[0, 1, 2, 1, 0, 2, _], [0, 1, 1, 1, 2, _, 0]])
    for level in LEVELS:
        assert krippendorff_alpha(with_lone_values, level) == pytest.approx(krippendorff_alpha(base, level))
    assert pairable_units(with_lone_values) == 5
    assert pairable_values(with_lone_values) == 10
    np.testing.assert_allclose(coincidence_matrix(with_lone_values), coincidence_matrix(base))


def test_coincidences_count_each_pairable_value_once():
    ratings = Ratings.from_matrix([[0, 1, 2, _], [0, 2, 2, 1], [1, _, 2, _]])
    coincidences = coincidence_matrix(ratings)
    np.testing.assert_allclose(coincidences, coincidences.T)
    assert pairable_values(ratings) == 8
    assert coincidences.sum() == pytest.approx(8)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_is_nan_when_only_one_category_is_used(level):
    ratings = Ratings.from_matrix([[1, 1, 1], [1, 1, _]], n_categories=3)
    assert math.isnan(krippendorff_alpha(ratings, level))


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_is_nan_without_pairable_values(level):
    lone_values = Ratings.from_matrix([[0, _], [_, 1]], n_categories=2)
    nothing = Ratings.from_triples([], n_categories=2)
    assert math.isnan(krippendorff_alpha(lone_values, level))
    assert math.isnan(krippendorff_alpha(nothing, level))


def test_ordinal_alpha_depends_only_on_the_order_of_categories():
    ratings = noisy_ratings(40, seed=3, n_categories=4)
    spread = Ratings(ratings.unit, ratings.coder, ratings.value * 3, ratings.n_units, ratings.n_coders, 10)
    assert krippendorff_alpha(spread, "ordinal") == pytest.approx(krippendorff_alpha(ratings, "ordinal"))
    assert krippendorff_alpha(spread, "interval") == pytest.approx(krippendorff_alpha(ratings, "interval"))
    uneven = [0, 1, 5, 6]
    assert krippendorff_alpha(ratings, "interval", uneven) != pytest.approx(krippendorff_alpha(ratings, "interval"))


def test_interval_alpha_ignores_the_unit_of_the_category_values():
    ratings = noisy_ratings(40, seed=4, n_categories=4)
    values = np.array([1.0, 2.0, 4.0, 8.0])
    assert krippendorff_alpha(ratings, "interval", 10 * values - 7) == pytest.approx(
        krippendorff_alpha(ratings, "interval", values)
    )


def test_alpha_rejects_unknown_levels_and_misfit_category_values():
    ratings = noisy_ratings(10, seed=5, n_categories=3)
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(ratings, "ratio")
    with pytest.raises(ValueError, match="category_values"):
        krippendorff_alpha(ratings, "interval", [1, 2])


def test_item_agreement_is_the_share_of_agreeing_pairs_per_unit():
    ratings = Ratings.from_matrix([[0, 0, 0, 1], [0, 0, 1, _], [0, 1, 2, _]])
    shares = item_agreement(ratings)
    np.testing.assert_allclose(shares[:3], [1.0, 1 / 3, 0.0])
    assert math.isnan(shares[3])
    assert percent_agreement(ratings) == pytest.approx((1 + 1 / 3 + 0) / 3)


def test_percent_agreement_is_nan_without_pairable_units():
    assert math.isnan(percent_agreement(Ratings.from_matrix([[0, _], [_, 1]])))
    assert math.isnan(percent_agreement(Ratings.from_triples([], n_categories=2)))


@pytest.mark.parametrize("level", LEVELS)
def test_bootstrap_interval_is_reproducible_and_surrounds_the_estimate(level):
    ratings = noisy_ratings(300, seed=6)
    interval = alpha_confidence_interval(ratings, level, seed=11)
    assert alpha_confidence_interval(ratings, level, seed=11) == interval
    assert alpha_confidence_interval(ratings, level, seed=12) != interval
    low, high = interval
    assert low < krippendorff_alpha(ratings, level) < high


def test_bootstrap_interval_narrows_as_units_grow():
    low_few, high_few = alpha_confidence_interval(noisy_ratings(100, seed=7))
    low_many, high_many = alpha_confidence_interval(noisy_ratings(10_000, seed=7))
    assert high_many - low_many < (high_few - low_few) / 4


def test_confidence_level_widens_the_interval():
    ratings = noisy_ratings(200, seed=8)
    low_90, high_90 = alpha_confidence_interval(ratings, confidence=0.90)
    low_99, high_99 = alpha_confidence_interval(ratings, confidence=0.99)
    assert low_99 < low_90 < high_90 < high_99


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_bootstrap_over_count_patterns_matches_resampling_units(level):
    ratings = noisy_ratings(400, seed=9, n_coders=4, missing=0.3)
    fast = alpha_confidence_interval(ratings, level, resamples=2000, seed=1)
    naive = naive_bootstrap_interval(ratings, level, resamples=2000, seed=2)
    assert fast == pytest.approx(naive, abs=0.01)


def test_bootstrap_interval_is_nan_when_alpha_is_undefined():
    one_category = Ratings.from_matrix([[1, 1], [1, 1]], n_categories=3)
    interval = alpha_confidence_interval(one_category)
    assert all(math.isnan(end) for end in interval)
    assert all(math.isnan(end) for end in alpha_confidence_interval(Ratings.from_triples([], n_categories=2)))


def test_bootstrap_rejects_meaningless_settings():
    ratings = noisy_ratings(20, seed=10)
    with pytest.raises(ValueError, match="resamples"):
        alpha_confidence_interval(ratings, resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        alpha_confidence_interval(ratings, confidence=1.0)
