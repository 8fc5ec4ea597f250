"""Distances between values of a field whose answer is a set of options (several may be
chosen): MASI, "Measuring Agreement on Set-valued Items" (Passonneau 2006), the distance
Krippendorff's alpha uses for such fields. Pure."""

from collections.abc import Sequence

import numpy as np


def masi_distance(first: frozenset, second: frozenset) -> float:
    """1 - Jaccard x monotonicity: 0 for equal sets, 1 for disjoint ones; a subset is closer
    (monotonicity 2/3) than an overlap (1/3), Passonneau's weights (some write them .67 and
    .33; NLTK and this use the exact fractions). Two empty sets are equal (distance 0)."""
    union = len(first | second)
    if union == 0:
        return 0.0
    shared = len(first & second)
    if len(first) == len(second) == shared:
        monotonicity = 1.0
    elif shared == min(len(first), len(second)):
        monotonicity = 2 / 3
    elif shared > 0:
        monotonicity = 1 / 3
    else:
        monotonicity = 0.0
    return 1.0 - shared / union * monotonicity


def masi_distances(sets: Sequence[frozenset]) -> np.ndarray:
    """The C x C matrix of MASI distances between these sets (the categories of a field)."""
    return np.asarray([[masi_distance(first, second) for second in sets] for first in sets], dtype=np.float64)
