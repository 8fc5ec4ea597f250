"""Kappa statistics and the agreement of coders with each other and with adjudicated gold.

Fleiss' kappa for many raters, Cohen's kappa (unweighted or weighted) for each pair of coders,
confusion matrices, and per-coder shares of agreeing pairs: the figures that tell a project
lead which annotator to talk to. Vectorised over values; loops only over pairs of coders.
"""

from dataclasses import dataclass

import numpy as np

from annotator.agreement.ratings import Ratings

WEIGHTS = (None, "linear", "quadratic")

_MISSING = -1


@dataclass(frozen=True)
class FleissResult:
    """`kappa` when Fleiss' kappa applies to the data, else None and a `reason` to show."""

    kappa: float | None
    reason: str | None


def fleiss_kappa(ratings: Ratings) -> FleissResult:
    """Fleiss' kappa over the units that have any value. It assumes every unit was rated by
    the same number of raters; rather than return a misleading number when that fails (or
    when agreement by chance is certain), it says why it does not apply."""
    counts = ratings.value_counts()
    counts = counts[counts.sum(axis=1) > 0]
    if len(counts) == 0:
        return FleissResult(None, "Fleiss' kappa needs rated units; here no unit has a value")
    raters = counts.sum(axis=1)
    fewest, most = int(raters.min()), int(raters.max())
    if fewest != most:
        return FleissResult(
            None,
            f"Fleiss' kappa needs the same number of raters for every unit; here units have {fewest} to {most} raters",
        )
    if most < 2:
        return FleissResult(None, "Fleiss' kappa needs at least two raters per unit; here every unit has 1 rater")
    return _fleiss_kappa_of_complete_counts(counts, most)


def _fleiss_kappa_of_complete_counts(counts: np.ndarray, raters: int) -> FleissResult:
    category_share = counts.sum(axis=0) / counts.sum()
    chance_agreement = float(category_share @ category_share)
    if chance_agreement >= 1:
        return FleissResult(
            None,
            "Fleiss' kappa is undefined when every value is the same "
            "category, since agreement by chance is then certain",
        )
    unit_agreement = ((counts * (counts - 1)).sum(axis=1)) / (raters * (raters - 1))
    observed_agreement = float(unit_agreement.mean())
    return FleissResult((observed_agreement - chance_agreement) / (1 - chance_agreement), None)


def confusion_matrix(first: np.ndarray, second: np.ndarray, n_categories: int) -> np.ndarray:
    """Counts of (first's category, second's category) over paired values: rows are `first`,
    columns `second`. Shows which categories two raters confuse, not just how often."""
    first, second = np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)
    if first.shape != second.shape:
        raise ValueError("first and second must have the same length")
    cells = np.bincount(first * n_categories + second, minlength=n_categories * n_categories)
    return cells.reshape(n_categories, n_categories)


def cohen_kappa(first: np.ndarray, second: np.ndarray, n_categories: int, weights: str | None = None) -> float:
    """Cohen's kappa of two raters on their shared units, corrected for the agreement their
    own category frequencies would produce by chance. `weights` "linear" or "quadratic" give
    partial credit to near misses on ordinal scales (disagreement |i - j| or (i - j)^2 between
    category indices). NaN when undefined: no shared units, or chance disagreement 0 (both
    raters used one and the same category throughout)."""
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    confusion = confusion_matrix(first, second, n_categories).astype(np.float64)
    total = confusion.sum()
    if total == 0:
        return float("nan")
    chance = np.outer(confusion.sum(axis=1), confusion.sum(axis=0)) / total
    disagreement = _disagreement_weights(n_categories, weights)
    chance_disagreement = float((disagreement * chance).sum())
    if chance_disagreement <= 0:
        return float("nan")
    return 1 - float((disagreement * confusion).sum()) / chance_disagreement


def _disagreement_weights(n_categories: int, weights: str | None) -> np.ndarray:
    distance = np.abs(np.subtract.outer(np.arange(n_categories), np.arange(n_categories))).astype(np.float64)
    if weights is None:
        return (distance > 0).astype(np.float64)
    return distance if weights == "linear" else distance * distance


def paired_values(ratings: Ratings, first_coder: int, second_coder: int) -> tuple[np.ndarray, np.ndarray]:
    """The two coders' values on the units both of them rated, in unit order: the input of
    `cohen_kappa` and `confusion_matrix` for that pair."""
    grid = _coder_unit_grid(ratings)
    return _shared(grid[first_coder], grid[second_coder])


def pairwise_kappas(ratings: Ratings, weights: str | None = None) -> dict[tuple[int, int], tuple[float, int]]:
    """Cohen's kappa for every pair of coders (i < j) who share at least one unit, with the
    number of shared units, so a kappa on three units is not read like one on three hundred."""
    grid = _coder_unit_grid(ratings)
    kappas = {}
    for first_coder in range(ratings.n_coders):
        for second_coder in range(first_coder + 1, ratings.n_coders):
            first, second = _shared(grid[first_coder], grid[second_coder])
            if len(first):
                kappa = cohen_kappa(first, second, ratings.n_categories, weights)
                kappas[(first_coder, second_coder)] = (kappa, len(first))
    return kappas


def _coder_unit_grid(ratings: Ratings) -> np.ndarray:
    """coders x units matrix of category indices, -1 where a coder gave the unit no value."""
    grid = np.full((ratings.n_coders, ratings.n_units), _MISSING, dtype=np.int64)
    grid[ratings.coder, ratings.unit] = ratings.value
    return grid


def _shared(first_row: np.ndarray, second_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    both = (first_row != _MISSING) & (second_row != _MISSING)
    return first_row[both], second_row[both]


def coder_agreement(ratings: Ratings) -> np.ndarray:
    """Per coder, the share of agreeing pairs among all pairs of one of their values with
    another coder's value on the same unit: how often the others agree with them. NaN for a
    coder who shares no unit with anyone."""
    counts = ratings.value_counts()
    values_per_unit = counts.sum(axis=1)
    agreeing_others = counts[ratings.unit, ratings.value] - 1
    all_others = values_per_unit[ratings.unit] - 1
    return _share_per_coder(ratings, agreeing_others, all_others)


def agreement_with_reference(ratings: Ratings, reference: np.ndarray) -> np.ndarray:
    """Per coder, the share of their values that equal the adjudicated (gold) category, over
    the units that have one. `reference` holds each unit's gold category, -1 where there is
    none. NaN for a coder with no value on a unit with gold."""
    gold = _reference_of_values(ratings, reference)
    judged = gold != _MISSING
    return _share_per_coder(ratings, (ratings.value == gold) & judged, judged)


def confusion_with_reference(ratings: Ratings, reference: np.ndarray) -> np.ndarray:
    """Counts of (gold category, coder's category) over all values on units with gold: rows are
    the reference, columns the coders' values. Shows which categories annotators get wrong."""
    gold = _reference_of_values(ratings, reference)
    judged = gold != _MISSING
    return confusion_matrix(gold[judged], ratings.value[judged], ratings.n_categories)


def _reference_of_values(ratings: Ratings, reference: np.ndarray) -> np.ndarray:
    """For every value, the gold category of its unit (-1 where none)."""
    reference = np.asarray(reference, dtype=np.int64)
    if reference.shape != (ratings.n_units,):
        raise ValueError(f"reference needs one entry per unit ({ratings.n_units})")
    return reference[ratings.unit]


def _share_per_coder(ratings: Ratings, hits: np.ndarray, trials: np.ndarray) -> np.ndarray:
    hits_per_coder = np.bincount(ratings.coder, weights=hits, minlength=ratings.n_coders)
    trials_per_coder = np.bincount(ratings.coder, weights=trials, minlength=ratings.n_coders)
    share = np.full(ratings.n_coders, np.nan)
    np.divide(hits_per_coder, trials_per_coder, out=share, where=trials_per_coder > 0)
    return share
