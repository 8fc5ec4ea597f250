"""A project's labels as arrays: one row per label set, a column per measured field. The
figures are computed from this, whatever store it was read from. Pure NumPy."""

from dataclasses import dataclass

import numpy as np

from annotator.agreement.fields import MeasuredField
from annotator.agreement.ratings import Ratings

NONE = -1  # no value (the field was not asked, or no adjudication)
UNKNOWN = -2  # a stored value that is not an option of the current schema


@dataclass(frozen=True)
class LabelTable:
    """`unit[i]`, `coder[i]`: the passage and annotator of label set i (indices into
    `unit_ids` and `coder_ids`); `values[field][i]`: its category index for the field, NONE
    when it has none; `week[i]`: index into `weeks` of the ISO week it was last changed in;
    `seconds[i]`: time spent on it (NaN when unknown); `adjudicated[field][u]`: the reviewer's
    category for unit u, NONE when not adjudicated."""

    fields: list[MeasuredField]
    unit: np.ndarray
    coder: np.ndarray
    values: dict[str, np.ndarray]
    week: np.ndarray
    weeks: list[str]
    seconds: np.ndarray
    unit_ids: np.ndarray
    coder_ids: list[int]
    coder_names: list[str]
    adjudicated: dict[str, np.ndarray]

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @property
    def n_coders(self) -> int:
        return len(self.coder_ids)

    def ratings(self, field: MeasuredField, rows: np.ndarray | None = None) -> Ratings:
        """The field's values (of these rows only, when given) as Ratings."""
        present = self.values[field.name] != NONE
        if rows is not None:
            present &= rows
        return Ratings(self.unit[present], self.coder[present], self.values[field.name][present],
                       self.n_units, self.n_coders, len(field.categories))


def categories_from_codes(field: MeasuredField, options: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    """The field's category indices from its source field's option indices (NONE: no value;
    UNKNOWN: a value of an older schema version, no category). A decision field says whether
    the source's value is one of its condition's values (0) or not (1)."""
    if not field.is_decision:
        return np.where(codes == UNKNOWN, NONE, codes)
    excluded = np.isin(np.arange(len(options)), [options.index(value) for value in field.condition if value in options])
    decided = np.where(excluded[np.clip(codes, 0, None)], 0, 1)
    return np.where(codes == NONE, NONE, np.where(codes == UNKNOWN, 1, decided))
