"""A project's labels as arrays: one row per label set, a column per measured field. The
figures are computed from this, whatever store it was read from. Pure NumPy."""

from dataclasses import dataclass, field

import numpy as np

from annotator.agreement.fields import MeasuredField
from annotator.agreement.ratings import Ratings
from annotator.agreement.spans import Evidence, MeasuredSpans, PassageCitations, SpanAnswers

NONE = -1  # no value (the field was not asked, no adjudication, or a value the schema no longer has)


@dataclass(frozen=True)
class LabelTable:
    """`unit[i]`, `coder[i]`: the passage and annotator of label set i (indices into
    `unit_ids` and `coder_ids`); `values[field][i]`: its category index for the field, NONE
    when it has none; `week[i]`: index into `weeks` of the ISO week it was last changed in;
    `seconds[i]`: time spent on it (NaN when unknown); `adjudicated[field][u]`: the reviewer's
    category for unit u, NONE when not adjudicated. Fields whose answers are records are read
    apart: `spans` (per span field, the field and its answers) and `evidence` (per evidence
    field at passage level, the field and the label sets' citations)."""

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
    spans: dict[str, tuple[MeasuredSpans, SpanAnswers]] = field(default_factory=dict)
    evidence: dict[str, tuple[Evidence, PassageCitations]] = field(default_factory=dict)

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
        return Ratings(
            self.unit[present],
            self.coder[present],
            self.values[field.name][present],
            self.n_units,
            self.n_coders,
            len(field.categories),
        )
