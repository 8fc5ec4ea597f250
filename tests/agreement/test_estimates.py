"""Posteriors from fitted parameters equal the whole fit's own, so chunks give the same gold."""

import numpy as np

from annotator.agreement.dawid_skene import dawid_skene
from annotator.agreement.estimates import estimate_from_parameters
from annotator.agreement.gold import aggregate
from annotator.agreement.ratings import Ratings


def test_the_last_e_step_reproduces_the_fits_posteriors_and_gold():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 4, 3000)
    triples = [
        (unit, coder, value if rng.random() < skill else rng.integers(0, 4))
        for unit, value in enumerate(truth)
        for coder, skill in enumerate((0.9, 0.7, 0.5))
    ]
    ratings = Ratings.from_triples(triples, 4)
    fitted = dawid_skene(ratings, tolerance=1e-10, max_iterations=500)
    again = estimate_from_parameters(ratings, fitted.priors, fitted.confusion)
    assert np.allclose(again.posteriors, fitted.posteriors, atol=1e-6)
    first_half = Ratings.from_triples([t for t in triples if t[0] < 1500], 4, n_coders=3)
    chunk = aggregate(first_half, estimate=estimate_from_parameters(first_half, fitted.priors, fitted.confusion))
    whole = aggregate(ratings, estimate=fitted)
    assert (chunk.label == whole.label[:1500]).all() and (chunk.source == whole.source[:1500]).all()
