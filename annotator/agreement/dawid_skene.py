"""Dawid & Skene (1979): estimate each unit's true category together with every coder's confusion
matrix, by expectation-maximisation. Majority vote trusts every coder equally; this model learns
from the data whom to trust, so one careful annotator can outweigh two careless ones.

Pure NumPy over `Ratings`, vectorised over units and values: the only Python loops run over
iterations and categories. Three choices serve speed without changing the result:

- Units with the same response pattern (the same coders giving the same values) have the same
  posterior, so EM runs once per pattern, weighted by how many units share it, as Dawid and
  Skene did themselves. With 3 coders and 9 categories, 100,000 units have at most 729 patterns.
- Inside the fit, posteriors are stored categories x patterns, so that normalising a unit's
  posterior is a reduction over a handful of long rows rather than over many tiny ones.
- EM creeps where annotators are hard to tell apart (thousands of steps, each shorter than the
  last). SQUAREM (Varadhan & Roland 2008) extrapolates along EM's own path and keeps a jump
  only when the objective EM increases does not fall, so it reaches the same fixed point in
  several times fewer steps.
"""

from dataclasses import dataclass

import numpy as np

from annotator.agreement.ratings import Ratings

# Only a guard against a fit that never settles (a fit that reaches it says so): plain EM took up
# to 4,300 steps on three annotators near chance, SQUAREM a few hundred (docs/benchmarks.md).
MAX_ITERATIONS = 10_000

# Collapsing identical patterns pads every unit to the longest one; beyond this many cells per
# value, the padding would cost more than the collapsing saves, so every unit stays its own pattern.
_MAX_PADDING_PER_VALUE = 4


@dataclass(frozen=True)
class DawidSkeneResult:
    """What the model believes after fitting.

    `posteriors[u, k]`: probability that unit `u` is truly category `k` (NaN rows for units
    without values from an estimable coder). `priors[k]`: share of units truly in category `k`.
    `confusion[c, j, l]`: probability that coder `c` gives `l` to a unit whose true category is
    `j` (uniform rows for coders who are not estimable, and for true categories a coder never
    met). `accuracy[c]`: probability that coder `c` gives the true category,
    `sum_j priors[j] * confusion[c, j, j]`, NaN for a coder who is not estimable (see
    `estimable_coders`). `iterations`: E-steps computed (EM steps and extrapolations);
    `converged` is False when `max_iterations` ran out first."""

    posteriors: np.ndarray
    priors: np.ndarray
    confusion: np.ndarray
    accuracy: np.ndarray
    iterations: int
    converged: bool


@dataclass(frozen=True)
class _Patterns:
    """The values as EM sees them: one entry per value of each distinct response pattern."""

    pattern: np.ndarray  # per value: which pattern it belongs to
    pair: np.ndarray  # per value: coder * n_categories + value, one index per matrix column
    multiplicity: np.ndarray  # per pattern: how many units share it
    pattern_of_unit: np.ndarray  # per rated unit: its pattern
    rated_units: np.ndarray  # ids of the units with at least one value
    n_coders: int
    n_categories: int

    @property
    def n_patterns(self) -> int:
        return len(self.multiplicity)


def dawid_skene(
    ratings: Ratings,
    max_iterations: int = MAX_ITERATIONS,
    tolerance: float = 1e-8,
    smoothing: float = 0.01,
    accelerated: bool = True,
) -> DawidSkeneResult:
    """Fit the model by EM, starting from majority vote (each unit's vote proportions), and stop
    once no posterior moves by `tolerance` or more from one step (with `accelerated`, one
    SQUAREM cycle) to the next. `smoothing` pseudo-counts keep every probability above zero:
    without them one surprising value would veto a category forever, which is also why it must
    be positive. Units without values do not enter the fit, nor do the values of coders who are
    not estimable. `accelerated=False` takes plain EM steps, one per iteration."""
    if smoothing <= 0:
        raise ValueError("smoothing must be positive, or a single value can rule a category out")
    if max_iterations < 1:
        raise ValueError("max_iterations must be at least 1")
    estimable = estimable_coders(ratings)
    patterns = _response_patterns(ratings.of_coders(estimable))
    fit = _squarem if accelerated else _plain_em
    point, iterations, converged = fit(patterns, smoothing, max_iterations, tolerance)
    priors, confusion = _unpack(point.parameters, patterns)
    return DawidSkeneResult(
        posteriors=_per_unit(point.posteriors, patterns, ratings.n_units),
        priors=priors,
        confusion=confusion,
        accuracy=_coder_accuracy(priors, confusion, estimable),
        iterations=iterations,
        converged=converged,
    )


def estimable_coders(ratings: Ratings) -> np.ndarray:
    """Per coder: whether they gave a value to a unit that another coder also rated. Only
    other coders' values on the same units tell how reliable a coder is; a coder who shares
    no unit with anyone has a confusion matrix the data do not determine (EM only drifts along
    equally likely ones, so it would be whatever the iteration count left it at), and their
    values say nothing about anyone else's."""
    shared = np.bincount(ratings.unit, minlength=ratings.n_units)[ratings.unit] >= 2
    return np.bincount(ratings.coder[shared], minlength=ratings.n_coders) > 0


def _response_patterns(ratings: Ratings) -> _Patterns:
    """Group units whose sets of (coder, value) pairs are identical."""
    pair = ratings.coder * ratings.n_categories + ratings.value
    order = np.lexsort((pair, ratings.unit))
    rated_units, unit = np.unique(ratings.unit[order], return_inverse=True)
    pair = pair[order]
    values_per_unit = np.bincount(unit, minlength=len(rated_units))
    width = int(values_per_unit.max(initial=0))
    if not 0 < len(rated_units) * width <= _MAX_PADDING_PER_VALUE * len(pair):
        return _Patterns(
            unit,
            pair,
            np.ones(len(rated_units), np.int64),
            np.arange(len(rated_units)),
            rated_units,
            ratings.n_coders,
            ratings.n_categories,
        )
    padded = np.full((len(rated_units), width), -1, dtype=np.int64)
    first_value_of_unit = np.cumsum(values_per_unit) - values_per_unit
    padded[unit, np.arange(len(pair)) - first_value_of_unit[unit]] = pair
    distinct, pattern_of_unit, multiplicity = _distinct_rows(padded)
    pattern, column = np.nonzero(distinct >= 0)
    return _Patterns(
        pattern,
        distinct[pattern, column],
        multiplicity,
        pattern_of_unit,
        rated_units,
        ratings.n_coders,
        ratings.n_categories,
    )


def _distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`np.unique(matrix, axis=0)` with inverse and counts, by lexsort: several times faster."""
    order = np.lexsort(matrix.T[::-1])
    sorted_rows = matrix[order]
    starts_new_row = np.ones(len(matrix), dtype=bool)
    starts_new_row[1:] = (sorted_rows[1:] != sorted_rows[:-1]).any(axis=1)
    row_id_sorted = np.cumsum(starts_new_row) - 1
    row_id = np.empty(len(matrix), dtype=np.int64)
    row_id[order] = row_id_sorted
    return sorted_rows[starts_new_row], row_id, np.bincount(row_id_sorted)


@dataclass(frozen=True)
class _Point:
    """Parameters of the model as one vector (priors, then every confusion matrix, so that EM's
    path is vector arithmetic), the posteriors they give, and their objective: the
    log-likelihood of the values plus the log density of the smoothing's Dirichlet prior,
    which every EM step increases."""

    parameters: np.ndarray
    posteriors: np.ndarray
    objective: float


def _plain_em(patterns: _Patterns, smoothing: float, max_iterations: int, tolerance: float) -> tuple[_Point, int, bool]:
    point, iterations = _step(patterns, _vote_proportions(patterns), smoothing), 1
    while iterations < max_iterations:
        following, iterations = _step(patterns, point.posteriors, smoothing), iterations + 1
        moved = np.abs(following.posteriors - point.posteriors).max(initial=0.0)
        point = following
        if moved < tolerance:
            return point, iterations, True
    return point, iterations, False


def _squarem(patterns: _Patterns, smoothing: float, max_iterations: int, tolerance: float) -> tuple[_Point, int, bool]:
    """SQUAREM's scheme S3: from a point, two EM steps; then a jump along the path they trace,
    as far as their lengths suggest, kept only where the objective does not fall below the
    second step's (else halved back, down to the second step itself). A cycle that reaches
    `max_iterations` is finished."""
    point, iterations = _step(patterns, _vote_proportions(patterns), smoothing), 1
    while iterations < max_iterations:
        first = _step(patterns, point.posteriors, smoothing)
        second = _step(patterns, first.posteriors, smoothing)
        jumped, extrapolations = _jump(patterns, point, first, second, smoothing)
        iterations += 2 + extrapolations
        moved = np.abs(jumped.posteriors - point.posteriors).max(initial=0.0)
        point = jumped
        if moved < tolerance:
            return point, iterations, True
    return point, iterations, False


def _jump(patterns: _Patterns, start: _Point, first: _Point, second: _Point, smoothing: float) -> tuple[_Point, int]:
    """The extrapolated point, and how many were evaluated to find it."""
    step = first.parameters - start.parameters
    bend = second.parameters - first.parameters - step
    length = np.linalg.norm(bend)
    alpha = -np.linalg.norm(step) / length if length > 0 else -1.0
    evaluated = 0
    while alpha < -1:
        candidate = start.parameters - 2 * alpha * step + alpha**2 * bend
        if (candidate > 0).all():
            evaluated += 1
            point = _evaluate(patterns, candidate, smoothing)
            if point.objective >= second.objective:
                return point, evaluated
        alpha = (alpha - 1) / 2 if alpha < -2 else -1.0
    return second, evaluated


def _step(patterns: _Patterns, posteriors: np.ndarray, smoothing: float) -> _Point:
    """One EM step: parameters from these posteriors (M), and what they give (E)."""
    priors, confusion = _maximise(patterns, posteriors, smoothing)
    return _evaluate(patterns, np.concatenate([priors, confusion.ravel()]), smoothing)


def _evaluate(patterns: _Patterns, parameters: np.ndarray, smoothing: float) -> _Point:
    posteriors, log_likelihood = _expect(patterns, *_unpack(parameters, patterns))
    return _Point(parameters, posteriors, log_likelihood + smoothing * float(np.log(parameters).sum()))


def _unpack(parameters: np.ndarray, patterns: _Patterns) -> tuple[np.ndarray, np.ndarray]:
    categories = patterns.n_categories
    return parameters[:categories], parameters[categories:].reshape(patterns.n_coders, categories, categories)


def _vote_proportions(patterns: _Patterns) -> np.ndarray:
    """Majority vote as a soft start, categories x patterns: a unit coded 2:1 starts at 2/3, 1/3."""
    value = patterns.pair % patterns.n_categories
    votes = np.bincount(
        value * patterns.n_patterns + patterns.pattern, minlength=patterns.n_categories * patterns.n_patterns
    )
    votes = votes.reshape(patterns.n_categories, patterns.n_patterns).astype(float)
    return votes / votes.sum(axis=0)


def _maximise(patterns: _Patterns, posteriors: np.ndarray, smoothing: float) -> tuple[np.ndarray, np.ndarray]:
    """M-step: priors and confusion matrices as posterior-weighted counts, smoothed."""
    n_categories, n_coders = patterns.n_categories, patterns.n_coders
    weighted_posteriors = posteriors * patterns.multiplicity
    n_rated_units = patterns.multiplicity.sum()
    priors = (weighted_posteriors.sum(axis=1) + smoothing) / (n_rated_units + n_categories * smoothing)
    counts = np.empty((n_coders, n_categories, n_categories))
    for true in range(n_categories):
        given = np.bincount(
            patterns.pair, weighted_posteriors[true, patterns.pattern], minlength=n_coders * n_categories
        )
        counts[:, true, :] = given.reshape(n_coders, n_categories)
    counts += smoothing
    return priors, counts / counts.sum(axis=2, keepdims=True)


def _expect(patterns: _Patterns, priors: np.ndarray, confusion: np.ndarray) -> tuple[np.ndarray, float]:
    """E-step in the log domain, so a unit with many values cannot underflow to 0/0; and the
    log-likelihood of the values under these parameters."""
    # log_given[j, c * K + l] = log P(coder c gives l | true category j)
    log_given = np.log(confusion).transpose(1, 0, 2).reshape(patterns.n_categories, -1)
    log_posterior = np.empty((patterns.n_categories, patterns.n_patterns))
    for true in range(patterns.n_categories):
        log_posterior[true] = np.bincount(
            patterns.pattern, log_given[true, patterns.pair], minlength=patterns.n_patterns
        )
    log_posterior += np.log(priors)[:, np.newaxis]
    return _normalise_log(log_posterior, patterns.multiplicity)


def _normalise_log(log_weights: np.ndarray, multiplicity: np.ndarray) -> tuple[np.ndarray, float]:
    """Columns of log weights to probabilities, shifted by the column maximum so exp cannot
    underflow; and the sum of the columns' log totals, each counted `multiplicity` times."""
    shift = log_weights.max(axis=0, initial=-np.inf)
    weights = np.exp(log_weights - shift)
    totals = weights.sum(axis=0)
    return weights / totals, float((shift + np.log(totals)) @ multiplicity)


def _per_unit(posteriors: np.ndarray, patterns: _Patterns, n_units: int) -> np.ndarray:
    """Back from categories x patterns to units x categories, NaN for units without values."""
    per_unit = np.full((n_units, patterns.n_categories), np.nan)
    per_unit[patterns.rated_units] = posteriors.T[patterns.pattern_of_unit]
    return per_unit


def _coder_accuracy(priors: np.ndarray, confusion: np.ndarray, estimable: np.ndarray) -> np.ndarray:
    """Chance of a coder giving the true category on a unit drawn from the priors; NaN for a coder
    who is not estimable, whose confusion matrix is pure smoothing."""
    accuracy = np.einsum("j,cjj->c", priors, confusion)
    accuracy[~estimable] = np.nan
    return accuracy
