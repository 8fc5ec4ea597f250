"""Gold labels: for every unit (passage) of one field, the final category and where it came from,
so that a consumer of the export can tell a reviewer's decision from a unanimous vote from a
statistical guess. Pure NumPy over `Ratings`, vectorised over units."""

from dataclasses import dataclass

import numpy as np

from annotator.agreement.dawid_skene import DawidSkeneResult, dawid_skene
from annotator.agreement.ratings import Ratings

UNANIMOUS, MAJORITY, ESTIMATED, ADJUDICATED = "unanimous", "majority", "estimated", "adjudicated"
SINGLE = "single"
NO_LABEL = -1


@dataclass(frozen=True)
class Gold:
    """Per unit: `label` (category index, -1 where there is neither a value nor an
    adjudication), `source` (one of the source constants, "" where there is no label) and
    `probability` (the Dawid-Skene posterior of the label; 1.0 for an adjudication; NaN where
    there is no label)."""

    label: np.ndarray
    source: np.ndarray
    probability: np.ndarray


def aggregate(
    ratings: Ratings, adjudicated: np.ndarray | None = None, estimate: DawidSkeneResult | None = None
) -> Gold:
    """Decide every unit's gold label, in order of authority:

    1. ADJUDICATED: a reviewer's category (`adjudicated[u] >= 0`) always wins, even over a
       unanimous vote, with probability 1.0.
    2. No values and no adjudication: no label (-1, "", NaN).
    3. SINGLE: exactly one value, taken as the label. One annotator is not agreement, so this is
       kept apart from UNANIMOUS; its probability is still the Dawid-Skene posterior of that
       value, which weighs the annotator's estimated reliability.
    4. UNANIMOUS: two or more values, all equal.
    5. Otherwise the Dawid-Skene estimate (argmax posterior) is the label: MAJORITY when it is
       also the strict plurality of the unit's values, ESTIMATED when it breaks a tie or
       overrules the plurality.

    `probability` is the posterior of the chosen label. `estimate` is fitted here when not given
    and some unit is single or contested; when every unit with values is unanimous no fit is
    needed, and unanimous units get probability 1.0, the value the model approaches when no
    coder ever disagrees."""
    adjudicated = _checked_adjudications(adjudicated, ratings)
    counts = ratings.value_counts()
    n_values = counts.sum(axis=1)
    single = n_values == 1
    unanimous = (n_values >= 2) & (counts.max(axis=1, initial=0) == n_values)
    contested = (n_values >= 2) & ~unanimous
    if estimate is None and (single | contested).any():
        estimate = dawid_skene(ratings)
    label = np.where(n_values > 0, counts.argmax(axis=1), NO_LABEL)
    probability = np.where(n_values > 0, 1.0, np.nan)
    if estimate is not None:
        label, probability = _follow_estimate(label, contested, estimate, ratings)
    source = _sources(single, unanimous, contested, label == majority_vote(ratings))
    return _overruled_by_reviewer(Gold(label, source, probability), adjudicated)


def majority_vote(ratings: Ratings) -> np.ndarray:
    """Per unit the category with more votes than any other; -1 on a tie or without values. The
    baseline that Dawid-Skene is measured against, and what tells MAJORITY from ESTIMATED."""
    counts = ratings.value_counts()
    top = counts.max(axis=1, initial=0)
    strict = (top > 0) & ((counts == top[:, np.newaxis]).sum(axis=1) == 1)
    return np.where(strict, counts.argmax(axis=1), NO_LABEL)


def _checked_adjudications(adjudicated: np.ndarray | None, ratings: Ratings) -> np.ndarray:
    if adjudicated is None:
        return np.full(ratings.n_units, NO_LABEL, dtype=np.int64)
    adjudicated = np.asarray(adjudicated, dtype=np.int64)
    if adjudicated.shape != (ratings.n_units,):
        raise ValueError(f"adjudicated must have one entry per unit ({ratings.n_units})")
    if ((adjudicated < NO_LABEL) | (adjudicated >= ratings.n_categories)).any():
        raise ValueError("adjudicated entries must be a category index or -1")
    return adjudicated


def _follow_estimate(
    label: np.ndarray, contested: np.ndarray, estimate: DawidSkeneResult, ratings: Ratings
) -> tuple[np.ndarray, np.ndarray]:
    """Contested units take the estimate's best category; every labelled unit the posterior of
    its label."""
    posteriors = estimate.posteriors
    if posteriors.shape != (ratings.n_units, ratings.n_categories):
        raise ValueError("estimate was fitted on ratings of a different shape")
    label = np.where(contested, np.argmax(np.nan_to_num(posteriors, nan=-1.0), axis=1), label)
    chosen = np.take_along_axis(posteriors, np.maximum(label, 0)[:, np.newaxis], axis=1)[:, 0]
    return label, np.where(label >= 0, chosen, np.nan)


def _sources(
    single: np.ndarray, unanimous: np.ndarray, contested: np.ndarray, agrees_with_plurality: np.ndarray
) -> np.ndarray:
    source = np.full(len(single), "", dtype=object)
    source[single] = SINGLE
    source[unanimous] = UNANIMOUS
    source[contested & agrees_with_plurality] = MAJORITY
    source[contested & ~agrees_with_plurality] = ESTIMATED
    return source


def _overruled_by_reviewer(gold: Gold, adjudicated: np.ndarray) -> Gold:
    reviewed = adjudicated >= 0
    source = gold.source.copy()
    source[reviewed] = ADJUDICATED
    return Gold(
        label=np.where(reviewed, adjudicated, gold.label).astype(np.int64),
        source=source,
        probability=np.where(reviewed, 1.0, gold.probability),
    )
