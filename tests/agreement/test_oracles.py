"""Random data against independent implementations: the `krippendorff` package for alpha,
statsmodels for Fleiss' kappa, scikit-learn for Cohen's kappa and confusion matrices.

Undefined values: the `krippendorff` package raises ValueError when the data hold fewer than
two distinct values or no unit with two values, and returns NaN (0 / 0) when all pairable
values are one category. Our alpha is NaN in exactly those cases, and equal to 1e-9 otherwise.
statsmodels and scikit-learn likewise give NaN where our Fleiss' kappa is None or our Cohen's
kappa is NaN.
"""

import math
import warnings

import krippendorff
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import cohen_kappa_score
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from annotator.agreement.kappa import cohen_kappa, confusion_matrix, fleiss_kappa, pairwise_kappas
from annotator.agreement.ratings import Ratings
from annotator.agreement.reliability import LEVELS, krippendorff_alpha
from tests.agreement.test_published_values import KRIPPENDORFF_EXAMPLE

EXAMPLES = settings(max_examples=300, deadline=None)


def categories(shape, n_categories):
    """Every cell drawn on its own: hypothesis' default fill would repeat one value."""
    return arrays(np.int64, shape, elements=st.integers(0, n_categories - 1), fill=st.nothing())


def flags(shape):
    return arrays(np.bool_, shape, elements=st.booleans(), fill=st.nothing())


@st.composite
def reliability_data(draw, max_coders=5, max_units=25, max_categories=6):
    """Coders x units category indices with NaN for missing values; coders copy a shared
    'true' category often enough that high agreement is as likely as chance agreement."""
    n_coders = draw(st.integers(2, max_coders))
    n_units = draw(st.integers(1, max_units))
    n_categories = draw(st.integers(2, max_categories))
    truth = draw(categories(n_units, n_categories))
    guesses = draw(categories((n_coders, n_units), n_categories))
    copies_truth = draw(flags((n_coders, n_units)))
    missing = draw(categories((n_coders, n_units), 4)) == 0
    matrix = np.where(copies_truth, truth, guesses).astype(float)
    matrix[missing] = np.nan
    return matrix, n_categories


def package_alpha(matrix: np.ndarray, level: str) -> float:
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
    except ValueError:
        return float("nan")


def assert_same_or_both_nan(ours: float, theirs: float) -> None:
    if math.isnan(theirs):
        assert math.isnan(ours), ours
    else:
        assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9), (ours, theirs)


def test_krippendorff_example_agrees_with_the_package():
    ratings = Ratings.from_matrix(KRIPPENDORFF_EXAMPLE - 1, n_categories=5)
    for level in LEVELS:
        ours = krippendorff_alpha(ratings, level, category_values=[1, 2, 3, 4, 5])
        assert_same_or_both_nan(ours, package_alpha(KRIPPENDORFF_EXAMPLE, level))


@EXAMPLES
@given(reliability_data(), st.sampled_from(LEVELS))
def test_alpha_matches_the_krippendorff_package(data, level):
    matrix, n_categories = data
    ours = krippendorff_alpha(Ratings.from_matrix(matrix, n_categories), level)
    assert_same_or_both_nan(ours, package_alpha(matrix, level))


@EXAMPLES
@given(reliability_data(), st.data())
def test_interval_alpha_with_category_values_matches_the_package(data, draw):
    matrix, n_categories = data
    values = draw.draw(st.lists(st.integers(-50, 50), min_size=n_categories, max_size=n_categories, unique=True))
    as_values = np.full(matrix.shape, np.nan)
    given_values = ~np.isnan(matrix)
    as_values[given_values] = np.asarray(values, dtype=float)[matrix[given_values].astype(int)]
    ours = krippendorff_alpha(Ratings.from_matrix(matrix, n_categories), "interval", category_values=values)
    assert_same_or_both_nan(ours, package_alpha(as_values, "interval"))


@st.composite
def fleiss_data(draw):
    """Every unit rated by the same number of raters, drawn from a larger pool of coders so
    that who rated a unit varies from unit to unit."""
    n_raters = draw(st.integers(2, 6))
    n_coders = n_raters + draw(st.integers(0, 3))
    n_units = draw(st.integers(1, 25))
    n_categories = draw(st.integers(2, 5))
    values = draw(categories((n_units, n_raters), n_categories))
    first_coder = draw(categories(n_units, n_coders))
    unit = np.repeat(np.arange(n_units), n_raters)
    coder = (first_coder[:, np.newaxis] + np.arange(n_raters)).ravel() % n_coders
    return Ratings(unit, coder, values.ravel(), n_units, n_coders, n_categories)


@EXAMPLES
@given(fleiss_data())
def test_fleiss_kappa_matches_statsmodels(ratings):
    with np.errstate(divide="ignore", invalid="ignore"):
        theirs = float(statsmodels_fleiss_kappa(ratings.value_counts()))
    result = fleiss_kappa(ratings)
    if math.isnan(theirs):
        assert result.kappa is None and result.reason
    else:
        assert result.reason is None
        assert math.isclose(result.kappa, theirs, rel_tol=1e-9, abs_tol=1e-9)


def sklearn_kappa(first, second, n_categories, weights) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(first, second, labels=list(range(n_categories)), weights=weights))


@st.composite
def rater_pairs(draw):
    n_categories = draw(st.integers(2, 6))
    length = draw(st.integers(1, 40))
    first = draw(categories(length, n_categories))
    agrees = draw(flags(length))
    second = np.where(agrees, first, draw(categories(length, n_categories)))
    return first, second, n_categories


@EXAMPLES
@given(rater_pairs(), st.sampled_from([None, "linear", "quadratic"]))
def test_cohen_kappa_matches_scikit_learn(pair, weights):
    first, second, n_categories = pair
    ours = cohen_kappa(first, second, n_categories, weights)
    assert_same_or_both_nan(ours, sklearn_kappa(first, second, n_categories, weights))


@EXAMPLES
@given(rater_pairs())
def test_confusion_matrix_matches_scikit_learn(pair):
    first, second, n_categories = pair
    theirs = sklearn_confusion_matrix(first, second, labels=list(range(n_categories)))
    assert confusion_matrix(first, second, n_categories).tolist() == theirs.tolist()


@settings(max_examples=100, deadline=None)
@given(reliability_data(), st.sampled_from([None, "linear", "quadratic"]))
def test_pairwise_kappas_match_scikit_learn_on_shared_units(data, weights):
    matrix, n_categories = data
    kappas = pairwise_kappas(Ratings.from_matrix(matrix, n_categories), weights)
    for first_coder in range(len(matrix)):
        for second_coder in range(first_coder + 1, len(matrix)):
            shared = ~np.isnan(matrix[first_coder]) & ~np.isnan(matrix[second_coder])
            if not shared.any():
                assert (first_coder, second_coder) not in kappas
                continue
            kappa, n_shared = kappas[(first_coder, second_coder)]
            assert n_shared == shared.sum()
            first, second = matrix[first_coder, shared].astype(int), matrix[second_coder, shared].astype(int)
            assert_same_or_both_nan(kappa, sklearn_kappa(first, second, n_categories, weights))
