"""Dawid-Skene: recovers known annotators from simulated data, beats majority vote where
annotators differ in skill, matches a plain-loop reference, and survives degenerate input."""

import numpy as np
import pytest

from annotator.agreement.dawid_skene import dawid_skene
from annotator.agreement.ratings import Ratings


def confusion_with_accuracy(rng, accuracy, n_categories):
    """A confusion matrix whose diagonal is `accuracy`, its errors spread unevenly."""
    confusion = np.empty((n_categories, n_categories))
    for true in range(n_categories):
        errors = rng.dirichlet(np.full(n_categories - 1, 3.0)) * (1 - accuracy)
        confusion[true] = np.insert(errors, true, accuracy)
    return confusion


def simulate(rng, n_units, priors, confusions, coverage=1.0):
    """Ratings drawn from known truth and known confusion matrices; each coder rates each unit
    with probability `coverage`."""
    n_categories = len(priors)
    truth = rng.choice(n_categories, n_units, p=priors)
    units, coders, values = [], [], []
    for coder, confusion in enumerate(confusions):
        cumulative = confusion.cumsum(axis=1)[truth]
        given = np.minimum((rng.random(n_units)[:, None] > cumulative).sum(axis=1), n_categories - 1)
        rated = rng.random(n_units) < coverage
        units.append(np.flatnonzero(rated))
        coders.append(np.full(rated.sum(), coder))
        values.append(given[rated])
    ratings = Ratings(
        np.concatenate(units), np.concatenate(coders), np.concatenate(values), n_units, len(confusions), n_categories
    )
    return ratings, truth


def majority_vote_accuracy(ratings, truth):
    """Majority vote's accuracy with ties broken by a fair coin (in expectation), so the
    comparison does not count every tie as a loss for majority vote."""
    counts = ratings.value_counts()
    top = counts.max(axis=1)
    winners = (counts == top[:, None]) & (top[:, None] > 0)
    credit = winners[np.arange(len(truth)), truth] / np.maximum(winners.sum(axis=1), 1)
    return credit.mean()


def estimate_accuracy(result, truth):
    return (result.posteriors.argmax(axis=1) == truth).mean()


def reference_dawid_skene(ratings, iterations, smoothing=0.01):
    """Dawid-Skene written the slow, obvious way, one unit at a time."""
    n_categories = ratings.n_categories
    counts = ratings.value_counts().astype(float)
    rated = counts.sum(axis=1) > 0
    posteriors = counts[rated] / counts[rated].sum(axis=1, keepdims=True)
    rated_ids = np.flatnonzero(rated)
    values_of = {unit: [] for unit in rated_ids}
    for unit, coder, value in zip(ratings.unit, ratings.coder, ratings.value, strict=True):
        values_of[unit].append((coder, value))
    for _ in range(iterations):
        priors = (posteriors.sum(axis=0) + smoothing) / (len(posteriors) + n_categories * smoothing)
        confusion = np.full((ratings.n_coders, n_categories, n_categories), smoothing)
        for row, unit in enumerate(rated_ids):
            for coder, value in values_of[unit]:
                confusion[coder, :, value] += posteriors[row]
        confusion /= confusion.sum(axis=2, keepdims=True)
        for row, unit in enumerate(rated_ids):
            log_posterior = np.log(priors) + sum(np.log(confusion[coder, :, value]) for coder, value in values_of[unit])
            weights = np.exp(log_posterior - log_posterior.max())
            posteriors[row] = weights / weights.sum()
    return posteriors, priors, confusion


def assert_rows_are_distributions(posteriors):
    defined = ~np.isnan(posteriors).any(axis=1)
    assert np.allclose(posteriors[defined].sum(axis=1), 1.0)
    assert ((posteriors[defined] >= 0) & (posteriors[defined] <= 1)).all()


def test_recovers_known_accuracies_and_priors():
    rng = np.random.default_rng(7)
    true_accuracy = [0.95, 0.9, 0.7, 0.55, 0.45]
    priors = np.array([0.4, 0.3, 0.2, 0.1])
    confusions = [confusion_with_accuracy(rng, accuracy, 4) for accuracy in true_accuracy]
    ratings, truth = simulate(rng, 5000, priors, confusions)

    result = dawid_skene(ratings)

    assert result.converged
    assert np.abs(result.accuracy - true_accuracy).max() < 0.03
    assert np.abs(result.priors - priors).max() < 0.02
    assert np.abs(result.confusion - np.array(confusions)).max() < 0.1


def test_beats_majority_vote_when_reliable_coders_are_outvoted():
    rng = np.random.default_rng(11)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.9, 0.85, 0.4, 0.4, 0.4]]
    ratings, truth = simulate(rng, 5000, np.full(3, 1 / 3), confusions)

    result = dawid_skene(ratings)

    assert estimate_accuracy(result, truth) >= majority_vote_accuracy(ratings, truth) + 0.05


def test_no_worse_than_majority_vote_when_coders_are_equally_skilled():
    rng = np.random.default_rng(13)
    confusions = [confusion_with_accuracy(rng, 0.7, 3) for _ in range(5)]
    ratings, truth = simulate(rng, 5000, np.full(3, 1 / 3), confusions)

    result = dawid_skene(ratings)

    assert estimate_accuracy(result, truth) >= majority_vote_accuracy(ratings, truth) - 0.005


@pytest.mark.parametrize("shape", ["everyone rates everything", "one unit rated by all, the rest by one"])
def test_matches_a_unit_by_unit_reference(shape):
    rng = np.random.default_rng(3)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.9, 0.7, 0.6, 0.5]]
    if shape == "everyone rates everything":
        ratings, _ = simulate(rng, 80, [0.5, 0.3, 0.2], confusions, coverage=0.8)
    else:  # wide and sparse: too uneven for collapsing identical response patterns
        triples = [(0, coder, coder % 3) for coder in range(8)]
        triples += [(unit, unit % 8, int(rng.integers(3))) for unit in range(1, 40)]
        ratings = Ratings.from_triples(triples, n_categories=3)

    result = dawid_skene(ratings, max_iterations=15, tolerance=0.0, accelerated=False)
    posteriors, priors, confusion = reference_dawid_skene(ratings, iterations=15)

    rated = ~np.isnan(result.posteriors).any(axis=1)
    assert np.allclose(result.posteriors[rated], posteriors)
    assert np.allclose(result.priors, priors)
    assert np.allclose(result.confusion, confusion)


def test_order_of_values_does_not_matter():
    rng = np.random.default_rng(5)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.9, 0.6, 0.5]]
    ratings, _ = simulate(rng, 300, [0.5, 0.3, 0.2], confusions, coverage=0.7)
    shuffle = rng.permutation(len(ratings.unit))
    shuffled = Ratings(
        ratings.unit[shuffle],
        ratings.coder[shuffle],
        ratings.value[shuffle],
        ratings.n_units,
        ratings.n_coders,
        ratings.n_categories,
    )

    assert np.allclose(dawid_skene(ratings).posteriors, dawid_skene(shuffled).posteriors, equal_nan=True)


def with_a_loner(rng):
    """Three coders rate units 0-299 together; a fourth rates units 300-399, alone."""
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.9, 0.7, 0.6, 0.8]]
    together, _ = simulate(rng, 300, [0.5, 0.3, 0.2], confusions[:3])
    alone, _ = simulate(rng, 100, [0.5, 0.3, 0.2], confusions[3:])
    ratings = Ratings(
        np.concatenate([together.unit, alone.unit + 300]),
        np.concatenate([together.coder, alone.coder + 3]),
        np.concatenate([together.value, alone.value]),
        400,
        4,
        3,
    )
    return ratings, together


@pytest.mark.parametrize("iterations", [1, 100, 1000])
def test_a_coder_who_shares_no_unit_has_no_accuracy_whatever_the_iterations(iterations):
    ratings, _ = with_a_loner(np.random.default_rng(19))

    result = dawid_skene(ratings, max_iterations=iterations, tolerance=0.0)

    assert np.isnan(result.accuracy[3]) and np.isfinite(result.accuracy[:3]).all()
    assert np.allclose(result.confusion[3], 1 / 3)


def test_a_coder_who_shares_no_unit_changes_nothing_for_the_others():
    ratings, together = with_a_loner(np.random.default_rng(23))

    result, without = dawid_skene(ratings), dawid_skene(together)

    assert np.isnan(result.posteriors[300:]).all()  # nobody else to weigh their values against
    assert np.allclose(result.posteriors[:300], without.posteriors)
    assert np.allclose(result.priors, without.priors) and np.allclose(result.accuracy[:3], without.accuracy)


def test_a_single_coder_is_not_estimable():
    ratings = Ratings.from_matrix([[0, 1, 2, 2, 1, 0]], n_categories=3)

    result = dawid_skene(ratings)

    assert np.isnan(result.accuracy).all() and np.isnan(result.posteriors).all()


def test_coders_agreeing_everywhere_are_judged_reliable():
    ratings = Ratings.from_matrix([[0, 1, 2, 1, 0, 2]] * 3, n_categories=3)

    result = dawid_skene(ratings)

    assert result.converged
    assert_rows_are_distributions(result.posteriors)
    assert (result.posteriors.argmax(axis=1) == [0, 1, 2, 1, 0, 2]).all()
    assert (result.accuracy > 0.99).all()


def test_units_without_values_get_nan_and_change_nothing():
    matrix = [[0, 1, 1, 2, 0], [0, 1, 2, 2, 1], [1, 1, 2, 0, 0]]
    with_gaps = [row[:2] + [np.nan] + row[2:] + [np.nan] for row in matrix]

    plain, gapped = dawid_skene(Ratings.from_matrix(matrix, 3)), dawid_skene(Ratings.from_matrix(with_gaps, 3))

    assert np.isnan(gapped.posteriors[[2, 6]]).all()
    assert np.allclose(np.delete(gapped.posteriors, [2, 6], axis=0), plain.posteriors)
    assert np.allclose(gapped.priors, plain.priors)
    assert np.allclose(gapped.confusion, plain.confusion)


def test_category_never_used_gets_a_negligible_prior():
    ratings = Ratings.from_matrix([[0, 1, 1, 0], [0, 1, 0, 0]], n_categories=4)

    result = dawid_skene(ratings)

    assert_rows_are_distributions(result.posteriors)
    assert result.priors[[2, 3]].max() < 0.01
    assert result.posteriors[:, [2, 3]].max() < 0.01


def test_coder_without_values_has_no_accuracy():
    ratings = Ratings.from_triples([(0, 0, 1), (0, 2, 1), (1, 0, 0), (1, 2, 1)], n_categories=2, n_coders=3)

    result = dawid_skene(ratings)

    assert np.isnan(result.accuracy[1])
    assert np.isfinite(result.accuracy[[0, 2]]).all()


def test_no_values_at_all():
    ratings = Ratings.from_triples([], n_categories=3, n_units=4, n_coders=2)

    result = dawid_skene(ratings)

    assert result.posteriors.shape == (4, 3) and np.isnan(result.posteriors).all()
    assert np.allclose(result.priors, 1 / 3)
    assert np.isnan(result.accuracy).all()


def test_runs_until_converged_where_a_hundred_iterations_were_not_enough():
    rng = np.random.default_rng(28)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.7, 0.6, 0.5]]
    ratings, _ = simulate(rng, 1000, [0.5, 0.3, 0.2], confusions)

    result = dawid_skene(ratings)
    converged = dawid_skene(ratings, max_iterations=100_000, tolerance=1e-12, accelerated=False)

    assert result.converged
    assert (result.posteriors.argmax(axis=1) == converged.posteriors.argmax(axis=1)).all()
    assert np.abs(result.accuracy - converged.accuracy).max() < 1e-3


@pytest.mark.parametrize("seed", [22, 34, 39])
def test_acceleration_reaches_the_fixed_point_of_plain_em_in_far_fewer_steps(seed):
    rng = np.random.default_rng(seed)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.7, 0.6, 0.5]]
    ratings, _ = simulate(rng, 1000, [0.5, 0.3, 0.2], confusions)

    accelerated = dawid_skene(ratings)
    plain = dawid_skene(ratings, max_iterations=100_000, tolerance=1e-13, accelerated=False)

    assert accelerated.converged and plain.converged
    # Stopping at a step under 1e-8 leaves a slow EM up to ~1e-6 from its fixed point (seed 34:
    # 1.05e-6 with NumPy 2.x's summation order); 100 iterations left gold 0.55% apart.
    assert np.abs(accelerated.posteriors - plain.posteriors).max() < 1e-5
    assert np.abs(accelerated.confusion - plain.confusion).max() < 1e-5
    assert accelerated.iterations * 5 < plain.iterations


def test_reports_when_iterations_run_out():
    rng = np.random.default_rng(17)
    confusions = [confusion_with_accuracy(rng, accuracy, 3) for accuracy in [0.8, 0.6, 0.5]]
    ratings, _ = simulate(rng, 500, [0.5, 0.3, 0.2], confusions)

    plain, accelerated = (
        dawid_skene(ratings, max_iterations=2, accelerated=False),
        dawid_skene(ratings, max_iterations=2),
    )

    assert plain.iterations == 2 and not plain.converged
    assert accelerated.iterations >= 2 and not accelerated.converged  # its cycle of steps is finished


def test_smoothing_must_be_positive():
    with pytest.raises(ValueError):
        dawid_skene(Ratings.from_matrix([[0, 1]], 2), smoothing=0)
