"""Krippendorff's alpha and the statistics built from the coincidence matrix.

Everything starts from the units x categories value counts (`Ratings.value_counts`): a unit
with m values contributes every ordered pair of its values, each weighted 1/(m - 1), to the
coincidence matrix, so each pairable value counts once in total. Units with fewer than two
values cannot be paired and drop out, as Krippendorff's definition says. Nothing here loops
over units: the coincidence matrix is one matrix product, which keeps 100,000 units cheap.

Reference: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability".
"""

import numpy as np

from annotator.agreement.distances import masi_distances
from annotator.agreement.levels import LEVELS, MASI
from annotator.agreement.ratings import Ratings

# Bootstrap draws are made this many (resample, pattern) cells at a time, to bound memory
# when almost every unit has its own count pattern.
_BOOTSTRAP_CELLS_PER_CHUNK = 1 << 22


def coincidence_matrix(ratings: Ratings) -> np.ndarray:
    """C x C matrix of how often category c was paired with category k within a unit; the
    basis of alpha, and worth showing next to it because it says which categories get confused.
    Cell sums are the number of pairable values."""
    return _coincidences(ratings.value_counts())


def pairable_values(ratings: Ratings) -> int:
    """Number of values in units with at least two values: alpha's sample size, since values
    that cannot be paired carry no information about agreement."""
    values_per_unit = ratings.value_counts().sum(axis=1)
    return int(values_per_unit[values_per_unit >= 2].sum())


def pairable_units(ratings: Ratings) -> int:
    """Number of units with at least two values, the units every statistic here is built on."""
    return int(np.count_nonzero(ratings.value_counts().sum(axis=1) >= 2))


def krippendorff_alpha(ratings: Ratings, level: str = "nominal", category_values=None) -> float:
    """Krippendorff's alpha, 1 - observed / expected disagreement, for any number of coders
    and missing values.

    `level` chooses the distance between categories: "nominal" (equal or not), "ordinal"
    (Krippendorff's rank metric from the coincidence marginals, the category indices giving
    the order), "interval" (squared difference of `category_values[c]`, the numeric value of
    each category, by default its index) or "masi" (for answers that are sets of options:
    `category_values[c]` is category c's set, and the distance is MASI's, see
    agreement/distances.py). `category_values` is ignored for nominal and ordinal, which do
    not depend on what the categories are.

    Returns NaN when alpha is undefined: no unit has two values, or expected disagreement is 0
    because all pairable values fall in one category (or in categories of equal value).
    """
    coincidences = coincidence_matrix(ratings)
    positions = _category_values(level, ratings.n_categories, category_values)
    return float(_alpha_from_coincidences(coincidences, level, positions))


def alpha_confidence_interval(
    ratings: Ratings,
    level: str = "nominal",
    category_values=None,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval for alpha, resampling the pairable units with replacement
    (units that cannot be paired drop out of alpha, so they do not take part).

    Units with the same value counts contribute the same coincidences, so a resample is fully
    described by how many units it draws of each count pattern: a multinomial draw over the
    patterns, exactly equivalent to drawing units, and cheap however many units there are.
    Deterministic for a given `seed`. Resamples where alpha is undefined are left out; the
    interval is (NaN, NaN) if all of them are.
    """
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    positions = _category_values(level, ratings.n_categories, category_values)
    alphas = _bootstrap_alphas(ratings.value_counts(), level, positions, resamples, seed)
    alphas = alphas[~np.isnan(alphas)]
    if alphas.size == 0:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return float(low), float(high)


def item_agreement(ratings: Ratings) -> np.ndarray:
    """Per unit, the share of agreeing ordered pairs among all ordered pairs of its values
    (1 when all coders agree); NaN for units with fewer than two values. Sorting by it puts
    the most disputed units first."""
    counts = ratings.value_counts()
    values_per_unit = counts.sum(axis=1)
    agreeing_pairs = (counts * (counts - 1)).sum(axis=1)
    all_pairs = values_per_unit * (values_per_unit - 1)
    share = np.full(ratings.n_units, np.nan)
    np.divide(agreeing_pairs, all_pairs, out=share, where=all_pairs > 0)
    return share


def percent_agreement(ratings: Ratings) -> float:
    """Mean over pairable units of the unit's share of agreeing ordered pairs of values (see
    `item_agreement`), as a proportion from 0 to 1. Each unit weighs the same whatever its
    number of coders; unlike alpha it ignores agreement expected by chance. NaN when no unit
    has two values."""
    shares = item_agreement(ratings)
    shares = shares[~np.isnan(shares)]
    return float(shares.mean()) if shares.size else float("nan")


def _coincidences(value_counts: np.ndarray) -> np.ndarray:
    counts = value_counts.astype(np.float64)
    # A matrix-vector product sums the rows several times faster than counts.sum(axis=1).
    weights = _pair_weights(counts @ np.ones(counts.shape[1]))
    coincidences = counts.T @ (counts * weights[:, np.newaxis])
    # A value is not paired with itself: remove n_uc self-pairs from each diagonal cell.
    coincidences[np.diag_indices_from(coincidences)] -= weights @ counts
    return coincidences


def _pair_weights(values_per_unit: np.ndarray) -> np.ndarray:
    """1 / (m - 1) for units with m >= 2 values, 0 for units that cannot be paired."""
    weights = np.zeros(values_per_unit.shape)
    np.divide(1.0, values_per_unit - 1, out=weights, where=values_per_unit >= 2)
    return weights


def _category_values(level: str, n_categories: int, category_values) -> np.ndarray | None:
    if level not in (*LEVELS, MASI):
        raise ValueError(f"level must be one of {', '.join((*LEVELS, MASI))}, not {level!r}")
    if level == MASI:
        if category_values is None or len(category_values) != n_categories:
            raise ValueError(f"masi needs each category's set of options ({n_categories})")
        return masi_distances([frozenset(value) for value in category_values])
    if level != "interval":
        return None
    if category_values is None:
        return np.arange(n_categories, dtype=np.float64)
    values = np.asarray(category_values, dtype=np.float64)
    if values.shape != (n_categories,):
        raise ValueError(f"category_values needs one number per category ({n_categories})")
    return values


def _alpha_from_coincidences(coincidences: np.ndarray, level: str, category_values: np.ndarray | None) -> np.ndarray:
    """Alpha from one coincidence matrix (C x C) or a stack of them (R x C x C)."""
    marginals = coincidences.sum(axis=-1)
    total = marginals.sum(axis=-1)
    distances = _distances(level, marginals, category_values)
    observed = (coincidences * distances).sum(axis=(-2, -1))
    chance = (marginals[..., :, np.newaxis] * marginals[..., np.newaxis, :] * distances).sum(axis=(-2, -1))
    # Expected disagreement is chance / (n - 1); alpha = 1 - observed / expected.
    disagreement_ratio = np.full(np.shape(total), np.nan)
    np.divide((total - 1) * observed, chance, out=disagreement_ratio, where=chance > 0)
    return 1 - disagreement_ratio


def _distances(level: str, marginals: np.ndarray, category_values: np.ndarray | None) -> np.ndarray:
    """Squared distances between categories, broadcastable against the coincidence matrices
    (for masi, the distance matrix itself, as `category_values`)."""
    n_categories = marginals.shape[-1]
    if level == MASI:
        return category_values
    if level == "nominal":
        return 1.0 - np.eye(n_categories)
    if level == "ordinal":
        # Krippendorff's ordinal distance (sum of n_g for g from c to k, minus (n_c + n_k) / 2)
        # is the difference of the categories' mid-ranks in the pooled pairable values.
        positions = np.cumsum(marginals, axis=-1) - marginals / 2
    else:
        positions = category_values
    difference = positions[..., :, np.newaxis] - positions[..., np.newaxis, :]
    return difference * difference


def _bootstrap_alphas(
    value_counts: np.ndarray, level: str, category_values: np.ndarray | None, resamples: int, seed: int
) -> np.ndarray:
    patterns, units_per_pattern = _pairable_count_patterns(value_counts)
    n_units = int(units_per_pattern.sum())
    if n_units == 0:
        return np.full(resamples, np.nan)
    n_categories = value_counts.shape[1]
    pattern_coincidences = _per_unit_coincidences(patterns).reshape(len(patterns), -1)
    rng = np.random.default_rng(seed)
    draw_probability = units_per_pattern / n_units
    chunk = max(1, _BOOTSTRAP_CELLS_PER_CHUNK // len(patterns))
    alphas = []
    for start in range(0, resamples, chunk):
        draws = rng.multinomial(n_units, draw_probability, size=min(chunk, resamples - start))
        coincidences = (draws @ pattern_coincidences).reshape(-1, n_categories, n_categories)
        alphas.append(_alpha_from_coincidences(coincidences, level, category_values))
    return np.concatenate(alphas)


def _pairable_count_patterns(value_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct count rows of pairable units, and how many units share each. A lexsort
    finds them an order of magnitude faster than np.unique(axis=0)."""
    pairable = value_counts[value_counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        return pairable, np.zeros(0, dtype=np.int64)
    rows = pairable[np.lexsort(pairable.T)]
    starts_pattern = np.ones(len(rows), dtype=bool)
    starts_pattern[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    starts = np.flatnonzero(starts_pattern)
    return rows[starts], np.diff(starts, append=len(rows))


def _per_unit_coincidences(value_counts: np.ndarray) -> np.ndarray:
    """Each unit's own C x C coincidences (units x C x C); only for a few distinct patterns."""
    counts = value_counts.astype(np.float64)
    weights = _pair_weights(counts.sum(axis=1))[:, np.newaxis, np.newaxis]
    pairs = counts[:, :, np.newaxis] * counts[:, np.newaxis, :]
    self_pairs = counts[:, :, np.newaxis] * np.eye(counts.shape[1])
    return (pairs - self_pairs) * weights
