"""Fleiss' and Cohen's kappa, confusion matrices, and how each coder agrees with the others and with gold."""

import math

import numpy as np
import pytest

from annotator.agreement.kappa import (
    FleissResult,
    agreement_with_reference,
    coder_agreement,
    cohen_kappa,
    confusion_matrix,
    confusion_with_reference,
    fleiss_kappa,
    paired_values,
    pairwise_kappas,
)
from annotator.agreement.ratings import Ratings

_ = np.nan


def test_fleiss_kappa_refuses_units_with_different_numbers_of_raters():
    ratings = Ratings.from_matrix([[0, 1, 1], [0, 1, _], [0, _, 1]])
    assert fleiss_kappa(ratings) == FleissResult(
        None, "Fleiss' kappa needs the same number of raters for every unit; here units have 2 to 3 raters"
    )


def test_fleiss_kappa_ignores_units_nobody_rated():
    rated = Ratings.from_matrix([[0, 1, 1, 2], [0, 1, 2, 2]])
    with_empty_units = Ratings.from_matrix([[0, _, 1, 1, 2, _], [0, _, 1, 2, 2, _]])
    assert fleiss_kappa(with_empty_units).kappa == pytest.approx(fleiss_kappa(rated).kappa)


def test_fleiss_kappa_counts_raters_per_unit_not_coder_identities():
    # Fleiss' kappa allows different raters for each unit, as long as there are as many.
    ratings = Ratings.from_matrix([[0, _, 1, 1], [0, 1, _, 2], [_, 1, 1, _]])
    result = fleiss_kappa(ratings)
    assert result.reason is None and result.kappa is not None


def test_fleiss_kappa_needs_two_raters_and_some_values():
    single_rater = fleiss_kappa(Ratings.from_matrix([[0, 1, 2]]))
    assert single_rater.kappa is None and "at least two raters" in single_rater.reason
    nothing = fleiss_kappa(Ratings.from_triples([], n_categories=2, n_units=3, n_coders=2))
    assert nothing.kappa is None and "no unit" in nothing.reason


def test_fleiss_kappa_is_undefined_when_every_value_is_one_category():
    result = fleiss_kappa(Ratings.from_matrix([[1, 1], [1, 1]], n_categories=3))
    assert result.kappa is None and "same category" in result.reason


def test_fleiss_kappa_is_one_for_perfect_agreement():
    assert fleiss_kappa(Ratings.from_matrix([[0, 1, 2], [0, 1, 2], [0, 1, 2]])).kappa == pytest.approx(1.0)


def test_confusion_matrix_puts_the_first_rater_in_rows():
    matrix = confusion_matrix([0, 0, 1, 2], [1, 1, 1, 0], 3)
    assert matrix.tolist() == [[0, 2, 0], [0, 1, 0], [1, 0, 0]]
    with pytest.raises(ValueError, match="same length"):
        confusion_matrix([0, 1], [0], 3)


def test_cohen_kappa_is_one_for_perfect_agreement_and_symmetric():
    assert cohen_kappa([0, 1, 2, 1], [0, 1, 2, 1], 3) == pytest.approx(1.0)
    first, second = [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 0]
    for weights in (None, "linear", "quadratic"):
        assert cohen_kappa(first, second, 3, weights) == pytest.approx(cohen_kappa(second, first, 3, weights))


def test_cohen_kappa_is_nan_when_undefined():
    assert math.isnan(cohen_kappa([], [], 3))
    assert math.isnan(cohen_kappa([1, 1, 1], [1, 1, 1], 3))


def test_weights_make_no_difference_with_two_categories():
    first, second = [0, 1, 1, 0, 1, 0], [0, 1, 0, 0, 1, 1]
    plain = cohen_kappa(first, second, 2)
    assert cohen_kappa(first, second, 2, "linear") == pytest.approx(plain)
    assert cohen_kappa(first, second, 2, "quadratic") == pytest.approx(plain)


def test_weighted_kappa_credits_near_misses():
    near_misses = ([0, 1, 2, 3, 4, 0, 2, 4], [1, 2, 3, 4, 3, 0, 2, 4])
    assert (
        cohen_kappa(*near_misses, 5, "quadratic")
        > cohen_kappa(*near_misses, 5, "linear")
        > cohen_kappa(*near_misses, 5)
    )


def test_cohen_kappa_rejects_unknown_weights():
    with pytest.raises(ValueError, match="weights"):
        cohen_kappa([0, 1], [0, 1], 2, weights="cubic")


def test_pairwise_kappas_cover_pairs_with_shared_units_only():
    ratings = Ratings.from_matrix(
        [
            [0, 1, 2, 0, _, _],
            [0, 1, 1, _, _, _],
            [_, _, _, _, 1, 2],
            [0, 2, 2, 0, 1, 2],
        ]
    )
    kappas = pairwise_kappas(ratings)
    assert set(kappas) == {(0, 1), (0, 3), (1, 3), (2, 3)}
    assert {pair: shared for pair, (_kappa, shared) in kappas.items()} == {(0, 1): 3, (0, 3): 4, (1, 3): 3, (2, 3): 2}
    assert kappas[(2, 3)][0] == pytest.approx(1.0)
    assert kappas[(0, 3)][0] == pytest.approx(cohen_kappa([0, 1, 2, 0], [0, 2, 2, 0], 3))


def test_pairwise_weighted_kappas_pass_the_weights_on():
    ratings = Ratings.from_matrix([[0, 1, 2, 3, 2], [1, 1, 3, 3, 0]])
    first, second = paired_values(ratings, 0, 1)
    assert first.tolist() == [0, 1, 2, 3, 2] and second.tolist() == [1, 1, 3, 3, 0]
    kappa, shared = pairwise_kappas(ratings, weights="linear")[(0, 1)]
    assert (kappa, shared) == (pytest.approx(cohen_kappa(first, second, 4, "linear")), 5)
    assert kappa != pytest.approx(cohen_kappa(first, second, 4))


def test_coder_agreement_is_the_share_of_agreeing_pairs_with_other_coders():
    ratings = Ratings.from_matrix(
        [
            [0, 1, 2, 1],
            [0, 1, 1, _],
            [0, 2, 1, _],
            [_, _, _, _],
        ]
    )
    # Coder 0: unit 0 agrees with 2 of 2, unit 1 with 1 of 2, unit 2 with 0 of 2; unit 3 has no partner.
    agreement = coder_agreement(ratings)
    np.testing.assert_allclose(agreement[:3], [3 / 6, 4 / 6, 3 / 6])
    assert math.isnan(agreement[3])


def test_agreement_with_reference_scores_values_against_gold():
    ratings = Ratings.from_matrix(
        [
            [0, 1, 2, 1],
            [0, 2, 2, _],
            [_, _, _, 0],
        ]
    )
    reference = np.array([0, 1, 2, -1])
    agreement = agreement_with_reference(ratings, reference)
    np.testing.assert_allclose(agreement[:2], [1.0, 2 / 3])
    assert math.isnan(agreement[2])


def test_confusion_with_reference_puts_gold_in_rows():
    ratings = Ratings.from_matrix([[0, 1, 2, 1], [0, 2, 2, _]])
    confusion = confusion_with_reference(ratings, np.array([0, 1, -1, 1]))
    assert confusion.tolist() == [[2, 0, 0], [0, 2, 1], [0, 0, 0]]


def test_reference_must_cover_every_unit():
    ratings = Ratings.from_matrix([[0, 1], [0, 1]])
    with pytest.raises(ValueError, match="one entry per unit"):
        agreement_with_reference(ratings, np.array([0]))
