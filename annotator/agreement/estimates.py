"""Dawid-Skene's estimate for units the model was not fitted on: its last E-step, from fitted
priors and per-annotator confusion matrices. Lets an export stream passages a chunk at a time
and still give every one the posterior the whole-project fit gives it. Pure NumPy."""

import numpy as np

from annotator.agreement.dawid_skene import DawidSkeneResult
from annotator.agreement.ratings import Ratings


def estimate_from_parameters(ratings: Ratings, priors: np.ndarray, confusion: np.ndarray) -> DawidSkeneResult:
    """Posteriors of these units under fitted parameters: `priors` (C,) and `confusion`
    (n_coders x C x C, [coder, true, given]) indexed by this Ratings' coder ids. A coder the
    fit never saw should come with uniform rows: their values then change nothing."""
    log_posterior = np.tile(np.log(priors), (ratings.n_units, 1))
    np.add.at(log_posterior, ratings.unit, np.log(confusion[ratings.coder, :, ratings.value]))
    log_posterior -= log_posterior.max(axis=1, keepdims=True)
    posteriors = np.exp(log_posterior)
    posteriors /= posteriors.sum(axis=1, keepdims=True)
    rated = np.bincount(ratings.unit, minlength=ratings.n_units) > 0
    posteriors[~rated] = np.nan
    return DawidSkeneResult(
        posteriors=posteriors,
        priors=np.asarray(priors, dtype=float),
        confusion=confusion,
        accuracy=np.full(ratings.n_coders, np.nan),
        iterations=0,
        converged=True,
    )


def uniform_confusion(categories: int) -> np.ndarray:
    """The confusion matrix of a coder about whom nothing is known."""
    return np.full((categories, categories), 1.0 / categories)
