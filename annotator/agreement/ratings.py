"""The shape every agreement statistic reads: one field's values as parallel arrays, one entry
per value an annotator (coder) gave a passage (unit). Pure NumPy, no database, no Flask."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Ratings:
    """Values of one field. `unit[i]`, `coder[i]`, `value[i]` describe the i-th value: category
    index `value[i]` (0 .. n_categories-1, in the schema's option order, which is the scale's
    order for ordinal fields) given by coder `coder[i]` to unit `unit[i]`. A coder gives a unit
    at most one value; units or coders without values may exist (ids run 0 .. n-1)."""

    unit: np.ndarray  # int64
    coder: np.ndarray  # int64
    value: np.ndarray  # int64
    n_units: int
    n_coders: int
    n_categories: int

    def __post_init__(self):
        if not (len(self.unit) == len(self.coder) == len(self.value)):
            raise ValueError("unit, coder and value must have the same length")

    @classmethod
    def from_triples(
        cls, triples, n_categories: int, n_units: int | None = None, n_coders: int | None = None
    ) -> "Ratings":
        """From (unit, coder, value) triples of small integers."""
        array = np.asarray(list(triples), dtype=np.int64).reshape(-1, 3)
        unit, coder, value = array[:, 0], array[:, 1], array[:, 2]
        return cls(
            unit,
            coder,
            value,
            n_units if n_units is not None else int(unit.max(initial=-1)) + 1,
            n_coders if n_coders is not None else int(coder.max(initial=-1)) + 1,
            n_categories,
        )

    @classmethod
    def from_matrix(cls, matrix, n_categories: int | None = None) -> "Ratings":
        """From a coders x units matrix of category indices, NaN (or None) where missing: the
        layout of Krippendorff's reliability data."""
        data = np.asarray(matrix, dtype=float)
        coder, unit = np.nonzero(~np.isnan(data))
        value = data[coder, unit].astype(np.int64)
        categories = n_categories if n_categories is not None else int(value.max(initial=-1)) + 1
        return cls(unit.astype(np.int64), coder.astype(np.int64), value, data.shape[1], data.shape[0], categories)

    def of_coders(self, coders: np.ndarray) -> "Ratings":
        """Only the values of the coders where the mask `coders` (one entry per coder) is True
        (these very ratings when it is True for every coder)."""
        coders = np.asarray(coders, dtype=bool)
        if coders.all():
            return self
        kept = coders[self.coder]
        return Ratings(
            self.unit[kept], self.coder[kept], self.value[kept], self.n_units, self.n_coders, self.n_categories
        )

    def value_counts(self) -> np.ndarray:
        """units x categories: how many coders gave each unit each value."""
        flat = np.bincount(self.unit * self.n_categories + self.value, minlength=self.n_units * self.n_categories)
        return flat.reshape(self.n_units, self.n_categories)
