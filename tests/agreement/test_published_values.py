"""The agreement statistics reproduce the values printed in the papers and manuals that define them."""

import numpy as np
import pytest

from annotator.agreement.kappa import cohen_kappa, confusion_matrix, fleiss_kappa
from annotator.agreement.ratings import Ratings
from annotator.agreement.reliability import (
    coincidence_matrix,
    krippendorff_alpha,
    pairable_units,
    pairable_values,
)

_ = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": observers A-D x 12 units, values 1..5.
KRIPPENDORFF_EXAMPLE = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ]
)

# Fleiss (1971): 30 patients, each diagnosed by 6 of the psychiatrists into 5 categories
# (the `diagnoses` data of R's irr package, also in statsmodels' tests).
FLEISS_1971_DIAGNOSES = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects x 5 categories, 14 raters each.
WIKIPEDIA_FLEISS_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)

# SAS/STAT User's Guide, PROC FREQ AGREE example (also statsmodels' tests): rater 1 x rater 2.
SAS_COHEN_TABLE = np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]])


def krippendorff_ratings() -> Ratings:
    return Ratings.from_matrix(KRIPPENDORFF_EXAMPLE - 1, n_categories=5)


def ratings_from_counts(counts: np.ndarray) -> Ratings:
    """Units x categories counts as values from raters 0, 1, 2, ... of each unit."""
    triples = []
    for unit, row in enumerate(counts):
        categories = np.repeat(np.arange(len(row)), row)
        triples += [(unit, rater, category) for rater, category in enumerate(categories)]
    return Ratings.from_triples(triples, n_categories=counts.shape[1])


def pairs_from_table(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    first, second = np.indices(table.shape)
    return np.repeat(first.ravel(), table.ravel()), np.repeat(second.ravel(), table.ravel())


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_krippendorff_alpha_reproduces_the_reliability_data_example(level, published):
    alpha = krippendorff_alpha(krippendorff_ratings(), level, category_values=[1, 2, 3, 4, 5])
    assert round(alpha, 3) == published


def test_krippendorff_example_coincidences_match_the_paper():
    third = 1 / 3
    expected = np.array(
        [
            [7, 4 * third, third, third, 0],
            [4 * third, 10, 4 * third, third, 0],
            [third, 4 * third, 8, third, 0],
            [third, third, third, 4, 0],
            [0, 0, 0, 0, 3],
        ]
    )
    np.testing.assert_allclose(coincidence_matrix(krippendorff_ratings()), expected)
    assert coincidence_matrix(krippendorff_ratings()).sum(axis=0).tolist() == pytest.approx([9, 13, 10, 5, 3])


def test_krippendorff_example_drops_the_unit_with_a_single_value():
    assert pairable_units(krippendorff_ratings()) == 11
    assert pairable_values(krippendorff_ratings()) == 40


def test_fleiss_1971_diagnoses_kappa():
    ratings = Ratings.from_matrix(FLEISS_1971_DIAGNOSES.T - 1, n_categories=5)
    result = fleiss_kappa(ratings)
    assert result.reason is None
    assert round(result.kappa, 3) == 0.430


def test_wikipedia_fleiss_example_kappa():
    result = fleiss_kappa(ratings_from_counts(WIKIPEDIA_FLEISS_COUNTS))
    assert round(result.kappa, 3) == 0.210


def test_sas_cohen_example_kappa_and_linear_weighted_kappa():
    first, second = pairs_from_table(SAS_COHEN_TABLE)
    assert confusion_matrix(first, second, 3).tolist() == SAS_COHEN_TABLE.tolist()
    assert round(cohen_kappa(first, second, 3), 4) == 0.4842
    assert round(cohen_kappa(first, second, 3, weights="linear"), 4) == 0.4701
