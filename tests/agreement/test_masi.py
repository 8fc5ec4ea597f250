"""Krippendorff's alpha with the MASI distance, for fields where an annotator may choose several
options, against NLTK's AnnotationTask(distance=masi_distance).alpha() on the same data (NLTK
is a test oracle only), and MASI's published weights."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance as nltk_masi_distance

from annotator.agreement.distances import masi_distance
from annotator.agreement.ratings import Ratings
from annotator.agreement.reliability import alpha_confidence_interval, krippendorff_alpha

OPTIONS = ("opinion", "quantity", "event", "causal")
SETS = [frozenset(combination) for size in (1, 2, 3) for combination in itertools.combinations(OPTIONS, size)]


def test_masi_weights_as_published():
    a, b = frozenset("ab"), frozenset("abc")
    assert masi_distance(a, a) == 0.0
    assert masi_distance(a, b) == pytest.approx(1 - 2 / 3 * 2 / 3)  # a subset: Jaccard 2/3, monotonicity 2/3
    assert masi_distance(frozenset("ab"), frozenset("bc")) == pytest.approx(1 - 1 / 3 * 1 / 3)  # an overlap
    assert masi_distance(frozenset("a"), frozenset("b")) == 1.0  # disjoint
    for first, second in itertools.product(SETS, repeat=2):
        assert masi_distance(first, second) == pytest.approx(nltk_masi_distance(set(first), set(second)), abs=1e-12)


@st.composite
def set_answers(draw):
    """Per unit and coder, a set of options or nothing."""
    n_units, n_coders = draw(st.integers(2, 12)), draw(st.integers(2, 5))
    cells = st.one_of(st.none(), st.sampled_from(SETS))
    return [[draw(cells) for _ in range(n_coders)] for _ in range(n_units)]


def as_ratings(answers) -> tuple[Ratings, list[frozenset]]:
    categories = sorted({value for row in answers for value in row if value is not None}, key=sorted)
    index = {value: position for position, value in enumerate(categories)}
    triples = [
        (unit, coder, index[value])
        for unit, row in enumerate(answers)
        for coder, value in enumerate(row)
        if value is not None
    ]
    return Ratings.from_triples(triples, len(categories), n_units=len(answers), n_coders=len(answers[0])), categories


def nltk_alpha(answers) -> float:
    data = [
        (f"c{coder}", f"u{unit}", value)
        for unit, row in enumerate(answers)
        for coder, value in enumerate(row)
        if value is not None
    ]
    return AnnotationTask(data=data, distance=nltk_masi_distance).alpha()


@settings(max_examples=300, deadline=None)
@given(set_answers())
def test_masi_alpha_equals_nltk(answers):
    ratings, categories = as_ratings(answers)
    ours = krippendorff_alpha(ratings, "masi", categories)
    pairable = [
        value for row in answers if sum(value is not None for value in row) >= 2 for value in row if value is not None
    ]
    if len(set(pairable)) < 2:
        # Alpha is undefined with no pairable value, or with one kind of value (expected
        # disagreement 0): NaN here, as the krippendorff package has it; NLTK raises or says 1.
        assert np.isnan(ours)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ours == pytest.approx(nltk_alpha(answers), abs=1e-9)


def test_masi_alpha_on_a_worked_case_and_its_interval():
    answers = [
        [frozenset({"opinion"}), frozenset({"opinion", "quantity"}), frozenset({"opinion"})],
        [frozenset({"event"}), frozenset({"event"}), None],
        [frozenset({"causal", "event"}), frozenset({"causal"}), frozenset({"quantity"})],
        [frozenset({"quantity"}), frozenset({"quantity"}), frozenset({"quantity"})],
    ]
    ratings, categories = as_ratings(answers)
    alpha = krippendorff_alpha(ratings, "masi", categories)
    assert alpha == pytest.approx(nltk_alpha(answers), abs=1e-9)
    low, high = alpha_confidence_interval(ratings, "masi", categories, resamples=200)
    assert low <= alpha <= high
    nominal = krippendorff_alpha(ratings, "nominal")
    assert alpha > nominal  # partial overlaps count as partial agreement, not as none
