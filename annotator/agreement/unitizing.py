"""Krippendorff's alpha for unitizing (alpha-u): do annotators agree on where the spans of a text
begin and end, and on their labels? Also pairwise span F1, which a reviewer reads more easily.

A continuum is a stretch of characters (a passage) that every one of its annotators segmented:
each marked spans (start, end, label), end exclusive, in the same coordinates as the passage.
Per label c, an annotator's continuum falls into sections: their spans labelled c (units) and
the stretches between them (gaps). Two annotators' sections that overlap are compared:

- two units: (difference of starts)^2 + (difference of ends)^2;
- a unit lying wholly inside the other annotator's gap: its length^2 (one saw a unit, the other
  saw none there);
- anything else: 0.

Observed disagreement cuD_o sums these over ordered pairs of annotators, divided by
m (m - 1) L^2; expected disagreement cuD_e is what the same units and gaps would give placed at
random (Krippendorff's closed form, in `_expected`); alpha = 1 - D_o / D_e per label, and over
all labels 1 - sum(D_o) / sum(D_e). This is the formulation of Krippendorff (2004), Content
Analysis, 2nd ed. (its worked example on p. 254), for discrete continua (characters), which is also what DKPro
Statistics implements; its values tend to those of Krippendorff (1995), "On the reliability of
unitizing continuous data", as the continuum gets long. Krippendorff et al. (2016, Quality &
Quantity 50) revised it because with more than two annotators it "behaves not as expected";
that later family is not implemented here.

Several continua (passages) are pooled as sections of one continuum of their total length: a
gap ends where its passage ends. A passage with fewer than two annotators cannot be compared
and drops out, as units with one value do in alpha. Passages may have different numbers of
annotators: m L and m (m - 1) L^2 are then read as the pooled counts sum(m_p L_p) and
L * sum(m_p (m_p - 1) L_p), which equal them when every passage has the same m (an extension
of ours; the literature assumes the same annotators throughout).

Undefined values are NaN, as in `reliability.krippendorff_alpha` (the figures turn NaN into
null): alpha of a label nobody used, and the overall alpha when nobody marked any span or no
passage has two annotators. Invalid input (a span outside its passage, empty, or overlapping
another span of the same annotator and label) raises ValueError.

Everything is computed on flat arrays (`Unitizations`: one row per passage, per annotator of a
passage, per span), with no Python loop over passages: 100,000 passages of three annotators
cost a few tenths of a second, bootstrap included. Overlapping units are found by one sort and a
binary search per unit, so the work grows with the number of spans and of overlaps, not with
the square of a passage's spans.

The bootstrap resamples passages; above `BOOTSTRAP_BLOCKS` pairable passages it resamples
that many blocks of consecutive passages instead (a block bootstrap). Every statistic of
alpha-u is a sum over passages or a product of two such sums, so resampling blocks of
independent passages gives the sums the variance that resampling passages gives them, while a
resample costs a draw over a thousand blocks instead of 100,000 passages (drawing 100,000
counts a thousand times alone takes seconds). Up to that many passages each passage is its own
block: the plain bootstrap.
"""

import functools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Span = tuple[int, int, str]  # (start, end, label), end exclusive

BOOTSTRAP_BLOCKS = 1000  # the most blocks of passages the bootstrap resamples
# Bootstrap draws are made this many (resample, block or length) cells at a time, to bound memory.
_BOOTSTRAP_CELLS_PER_CHUNK = 1 << 22


@dataclass(frozen=True)
class Continuum:
    """Characters `start` to `end` (end exclusive) and the spans each annotator marked there.
    Every annotator who segmented the passage is a key, with an empty list if they marked no
    span: for them the whole passage is a gap."""

    start: int
    end: int
    spans: Mapping[Hashable, Sequence[Span]]

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError(f"a continuum needs start < end, not {self.start}..{self.end}")
        for annotator, spans in self.spans.items():
            _check_spans(spans, self.start, self.end, annotator)

    @property
    def length(self) -> int:
        return self.end - self.start

    def units(self, annotator: Hashable, label: str) -> list[tuple[int, int]]:
        """The annotator's spans with this label as (start, end), in order."""
        return sorted((start, end) for start, end, span_label in self.spans[annotator] if span_label == label)


@dataclass(frozen=True)
class Disagreement:
    """Observed and expected disagreement of one label (or their sums over all labels)."""

    observed: float
    expected: float

    @property
    def alpha(self) -> float:
        """1 - observed / expected; NaN when nothing could be expected to disagree (no units)."""
        return 1 - self.observed / self.expected if self.expected > 0 else float("nan")


@dataclass(frozen=True)
class UnitizingAlpha:
    """Alpha-u over all labels (`overall`) and for each label on its own (`labels`)."""

    overall: Disagreement
    labels: dict[str, Disagreement]
    continua: int  # the pairable continua it was computed on


@dataclass(frozen=True)
class SpanF1:
    """Two annotators' spans on the continua both segmented. `exact`: same start, end and
    label; `overlap`: same label and at least one shared character (a span counts as matched if
    it overlaps any span of the other). NaN when neither marked a span."""

    exact: float
    overlap: float
    first_spans: int
    second_spans: int
    continua: int


@dataclass(frozen=True)
class Intervals:
    """Bootstrap intervals (low, high) of alpha-u over all labels and per label, from one set of
    resamples; (NaN, NaN) where alpha-u is undefined in every resample."""

    overall: tuple[float, float]
    labels: dict[str, tuple[float, float]]


@dataclass(frozen=True, eq=False)
class Unitizations:
    """Continua and the spans each annotator marked there, as flat arrays: one entry per
    continuum (`continuum_start`, `continuum_end`), per annotator who segmented a continuum
    (`segmentation_continuum`, `segmentation_coder`: they may have marked nothing, and then see
    one gap) and per span (`span_segmentation`: the row of its annotator and continuum, its
    `span_start`, `span_end` and `span_label`). Coders index `coders` (sorted, so that a pair
    of annotators is named first < second), labels index `labels`. The shape alpha-u and span
    F1 are computed on without a loop per passage."""

    continuum_start: np.ndarray
    continuum_end: np.ndarray
    segmentation_continuum: np.ndarray
    segmentation_coder: np.ndarray
    span_segmentation: np.ndarray
    span_start: np.ndarray
    span_end: np.ndarray
    span_label: np.ndarray
    labels: tuple[str, ...]
    coders: tuple[Hashable, ...]

    def __post_init__(self):
        _check_continua(self)

    @classmethod
    def of(cls, continua: "Sequence[Continuum] | Unitizations") -> "Unitizations":
        """These continua as arrays (given arrays are returned as they are)."""
        if isinstance(continua, Unitizations):
            return continua
        coders = sorted({coder for continuum in continua for coder in continuum.spans})
        labels = sorted({span[2] for continuum in continua for spans in continuum.spans.values() for span in spans})
        coder_index, label_index = _positions(coders), _positions(labels)
        rows = [(position, coder) for position, continuum in enumerate(continua) for coder in continuum.spans]
        spans = [
            (row, start, end, label_index[label])
            for row, (position, coder) in enumerate(rows)
            for start, end, label in continua[position].spans[coder]
        ]
        row_array = _int_columns([(position, coder_index[coder]) for position, coder in rows], 2)
        span_array = _int_columns(spans, 4)
        return cls(
            continuum_start=np.array([continuum.start for continuum in continua], dtype=np.int64),
            continuum_end=np.array([continuum.end for continuum in continua], dtype=np.int64),
            segmentation_continuum=row_array[:, 0],
            segmentation_coder=row_array[:, 1],
            span_segmentation=span_array[:, 0],
            span_start=span_array[:, 1],
            span_end=span_array[:, 2],
            span_label=span_array[:, 3],
            labels=tuple(labels),
            coders=tuple(coders),
        )

    @property
    def n_continua(self) -> int:
        return len(self.continuum_start)

    @property
    def span_continuum(self) -> np.ndarray:
        return self.segmentation_continuum[self.span_segmentation]

    @property
    def span_coder(self) -> np.ndarray:
        return self.segmentation_coder[self.span_segmentation]

    def annotators(self) -> np.ndarray:
        """How many annotators segmented each continuum."""
        return np.bincount(self.segmentation_continuum, minlength=self.n_continua)

    def pairable(self) -> "Unitizations":
        """Only the continua at least two annotators segmented (the others cannot be compared),
        numbered afresh in their order."""
        keep = self.annotators() >= 2
        if keep.all():
            return self
        kept_rows = keep[self.segmentation_continuum]
        kept_spans = kept_rows[self.span_segmentation]
        return Unitizations(
            continuum_start=self.continuum_start[keep],
            continuum_end=self.continuum_end[keep],
            segmentation_continuum=(np.cumsum(keep) - 1)[self.segmentation_continuum[kept_rows]],
            segmentation_coder=self.segmentation_coder[kept_rows],
            span_segmentation=(np.cumsum(kept_rows) - 1)[self.span_segmentation[kept_spans]],
            span_start=self.span_start[kept_spans],
            span_end=self.span_end[kept_spans],
            span_label=self.span_label[kept_spans],
            labels=self.labels,
            coders=self.coders,
        )


def unitizing_alpha(continua: "Sequence[Continuum] | Unitizations") -> UnitizingAlpha:
    """Krippendorff's alpha-u over these continua pooled, overall and per label, with the
    observed and expected disagreement behind each."""
    return _alpha(_study(Unitizations.of(continua)))


def unitizing_alpha_with_intervals(
    continua: "Sequence[Continuum] | Unitizations", resamples: int = 1000, seed: int = 0, confidence: float = 0.95
) -> tuple[UnitizingAlpha, Intervals]:
    """`unitizing_alpha` and `unitizing_alpha_intervals` from one reading of the spans."""
    study = _study(Unitizations.of(continua))
    return _alpha(study), _intervals(study, resamples, seed, confidence)


def _alpha(study: "_Study") -> UnitizingAlpha:
    blocks, labels = _blocked(study, np.zeros(len(study.lengths), dtype=np.int64), 1)
    one = np.ones((1, 1))
    per_label = {}
    for label, sections in labels.items():
        observed, expected = _disagreement(blocks, sections, one)
        per_label[label] = Disagreement(float(observed[0]), float(expected[0]))
    overall = Disagreement(
        sum(disagreement.observed for disagreement in per_label.values()),
        sum(disagreement.expected for disagreement in per_label.values()),
    )
    return UnitizingAlpha(overall, per_label, len(study.lengths))


def unitizing_alpha_intervals(
    continua: "Sequence[Continuum] | Unitizations", resamples: int = 1000, seed: int = 0, confidence: float = 0.95
) -> Intervals:
    """Percentile bootstrap intervals for alpha-u over all labels and for each label, from one
    set of resamples of the pairable continua (blocks of them beyond `BOOTSTRAP_BLOCKS`, see the
    module's docstring), as `reliability.alpha_confidence_interval` resamples units. A resample
    is the count of draws of each block (a multinomial draw); every statistic of alpha-u is a
    sum over continua, or a product of two such sums, so a resample costs a few matrix products
    over the blocks. Deterministic for a given `seed`. Resamples where alpha is undefined are
    left out."""
    return _intervals(_study(Unitizations.of(continua)), resamples, seed, confidence)


def _intervals(study: "_Study", resamples: int, seed: int, confidence: float) -> Intervals:
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    observed, expected = _bootstrap_disagreements(study, resamples, seed)
    tail = (1 - confidence) / 2
    labels = {
        label: _percentiles(1 - _ratio(observed[:, column], expected[:, column]), tail)
        for column, label in enumerate(study.labels)
    }
    return Intervals(_percentiles(1 - _ratio(observed.sum(axis=1), expected.sum(axis=1)), tail), labels)


def unitizing_alpha_confidence_interval(
    continua: "Sequence[Continuum] | Unitizations",
    label: str | None = None,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """The bootstrap interval of `unitizing_alpha_intervals` for alpha-u over all labels (or
    for `label`; (NaN, NaN) for a label nobody used)."""
    intervals = unitizing_alpha_intervals(continua, resamples, seed, confidence)
    if label is None:
        return intervals.overall
    return intervals.labels.get(label, (float("nan"), float("nan")))


def pairwise_span_f1(continua: "Sequence[Continuum] | Unitizations") -> dict[tuple[Hashable, Hashable], SpanF1]:
    """Span F1 for every pair of annotators (first < second) who share a continuum, summed over
    the continua they share: exact = 2 |same spans| / (|first's| + |second's|); overlap =
    2 P R / (P + R), P the share of first's spans that overlap one of second's with the same
    label, R the same share of second's spans. Symmetric in the two annotators. Spans of one
    annotator may overlap here (F1 needs no segmentation)."""
    data = Unitizations.of(continua)
    pair_keys, first_rows, second_rows = _annotator_pairs(data)
    if not len(pair_keys):
        return {}
    pairs, pair_of = _distinct_with_inverse(pair_keys, max(len(data.coders), 1) ** 2)
    spans_per_row = np.bincount(data.span_segmentation, minlength=len(data.segmentation_continuum))
    counts = np.stack(
        [
            np.bincount(pair_of, spans_per_row[first_rows], minlength=len(pairs)),
            np.bincount(pair_of, spans_per_row[second_rows], minlength=len(pairs)),
            _counted_by_pair(pairs, *_exact_matches(data), len(data.coders)),
            *_overlap_matches(data, pairs),
            np.bincount(pair_of, minlength=len(pairs)),
        ],
        axis=1,
    )
    n_coders = max(len(data.coders), 1)
    return {
        (data.coders[key // n_coders], data.coders[key % n_coders]): _span_f1(*(int(count) for count in row))
        for key, row in zip(pairs.tolist(), counts, strict=True)
    }


def macro_span_f1(pairs: Mapping[tuple[Hashable, Hashable], SpanF1]) -> tuple[float, float]:
    """(exact, overlap) F1 averaged over pairs of annotators, each pair weighing the same; pairs
    where neither marked a span are left out. NaN when no pair is left."""
    exact = [pair.exact for pair in pairs.values() if not np.isnan(pair.exact)]
    overlap = [pair.overlap for pair in pairs.values() if not np.isnan(pair.overlap)]
    return (float(np.mean(exact)) if exact else float("nan"), float(np.mean(overlap)) if overlap else float("nan"))


# --- validation and construction -----------------------------------------------------------


def _check_spans(spans: Sequence[Span], start: int, end: int, annotator: Hashable) -> None:
    for span_start, span_end, _label in spans:
        if not start <= span_start < span_end <= end:
            raise ValueError(f"span {span_start}..{span_end} of {annotator!r} is empty or outside {start}..{end}")
    for label in {span[2] for span in spans}:
        same_label = sorted((span[0], span[1]) for span in spans if span[2] == label)
        for (_, first_end), (second_start, _) in zip(same_label, same_label[1:], strict=False):
            if second_start < first_end:
                raise ValueError(f"spans of {annotator!r} labelled {label!r} overlap at {second_start}")


def _check_continua(data: Unitizations) -> None:
    """Every continuum non-empty, every span non-empty and inside its continuum, each annotator
    at most once per continuum."""
    empty = np.flatnonzero(data.continuum_end <= data.continuum_start)
    if len(empty):
        first = empty[0]
        raise ValueError(
            f"a continuum needs start < end, not {data.continuum_start[first]}..{data.continuum_end[first]}"
        )
    continuum = data.span_continuum
    outside = np.flatnonzero(
        (data.span_start >= data.span_end)
        | (data.span_start < data.continuum_start[continuum])
        | (data.span_end > data.continuum_end[continuum])
    )
    if len(outside):
        span = outside[0]
        raise ValueError(
            f"span {data.span_start[span]}..{data.span_end[span]} of {data.coders[data.span_coder[span]]!r} is empty "
            f"or outside {data.continuum_start[continuum[span]]}..{data.continuum_end[continuum[span]]}"
        )
    rows = data.segmentation_continuum * max(len(data.coders), 1) + data.segmentation_coder
    if len(_distinct(rows, data.n_continua * max(len(data.coders), 1))) != len(rows):
        raise ValueError("an annotator segmented the same continuum twice")


def _positions(values: Sequence) -> dict:
    return {value: position for position, value in enumerate(values)}


def _distinct(keys: np.ndarray, bound: int) -> np.ndarray:
    """The distinct values of non-negative integers below `bound`, sorted: by counting when the
    bound is small, else a sort and one comparison (np.unique's hash table is several times
    slower on a few hundred thousand integers)."""
    if bound <= 4 * len(keys) + (1 << 20):
        return np.flatnonzero(np.bincount(keys, minlength=bound))
    keys = np.sort(keys)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first]


def _distinct_with_inverse(keys: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of non-negative integers below `bound` (sorted) and each key's
    position among them: by counting when the bound is small, else by np.unique."""
    if bound > 1 << 22:
        return np.unique(keys, return_inverse=True)
    present = np.bincount(keys, minlength=bound) > 0
    return np.flatnonzero(present), (np.cumsum(present) - 1)[keys]


def sort_order(*columns: tuple[np.ndarray, int]) -> np.ndarray:
    """The order that sorts by the first column, then the next...; each column given with a
    bound on its non-negative values, so that one sort of a combined key does it when the key
    fits 62 bits (a lexsort otherwise)."""
    size = 1
    for _, bound in columns:
        size *= max(bound, 1)
    if size >= 1 << 62:
        return np.lexsort(tuple(column for column, _ in reversed(columns)))
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for column, bound in columns:
        key = key * max(bound, 1) + column
    return np.argsort(key, kind="stable")


def _int_columns(rows, width: int) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, width)


# --- the statistics, as sums over continua -------------------------------------------------


@dataclass(frozen=True)
class _Sections:
    """One label's units and gaps over the pairable continua: per continuum the sum of
    distances over ordered pairs of annotators, and every unit and gap as (continuum, length,
    how many annotators have a section of that length there)."""

    distance_sums: np.ndarray
    unit_continuum: np.ndarray
    unit_length: np.ndarray
    gap_continuum: np.ndarray
    gap_length: np.ndarray
    gap_count: np.ndarray


@dataclass(frozen=True)
class _Study:
    lengths: np.ndarray  # per pairable continuum
    annotators: np.ndarray
    labels: dict[str, _Sections]  # labels in order of their names


@dataclass(frozen=True)
class _Blocks:
    """Per block of continua (a row), the sums alpha-u is linear in: length L, annotator values
    m L, ordered pairs of values m (m - 1) L."""

    columns: np.ndarray  # blocks x 3


@dataclass(frozen=True)
class _BlockSections:
    """One label per block (a row): the sum of distances, then how many units of each distinct
    length, then per unit length the ways of placing such a unit in the block's gaps (sum over
    gaps g of max(l_g - l + 1, 0)). One matrix, so that a resample's sums are one product."""

    unit_lengths: np.ndarray  # distinct
    columns: np.ndarray  # blocks x (1 + 2 unit lengths)

    def split(self, sums: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(distances, units per length, placements per length) of per-resample column sums."""
        n_lengths = len(self.unit_lengths)
        return sums[:, 0], sums[:, 1 : 1 + n_lengths], sums[:, 1 + n_lengths :]


def _study(data: Unitizations) -> _Study:
    data = data.pairable()
    annotators = data.annotators()
    lengths = data.continuum_end - data.continuum_start
    sections = _sections(data, annotators, lengths)
    return _Study(
        lengths=lengths.astype(np.float64),
        annotators=annotators.astype(np.float64),
        labels={
            data.labels[label]: sections[label] for label in sorted(sections, key=lambda index: data.labels[index])
        },
    )


def _sections(data: Unitizations, annotators: np.ndarray, lengths: np.ndarray) -> dict[int, _Sections]:
    """Per label used: its distances, units and gaps."""
    continuum, label = data.span_continuum, data.span_label
    used = np.flatnonzero(np.bincount(label, minlength=len(data.labels)))
    n_continua, n_labels = data.n_continua, max(len(data.labels), 1)
    distances = _distance_sums(data, annotators, n_labels).reshape(n_labels, n_continua)
    gap_label, gap_continuum, gap_length, gap_count = _gaps(data, annotators, lengths, used)
    span_order, gap_order = np.argsort(label, kind="stable"), np.argsort(gap_label, kind="stable")
    span_bounds = (
        np.searchsorted(label[span_order], used, side="left"),
        np.searchsorted(label[span_order], used, "right"),
    )
    gap_bounds = (
        np.searchsorted(gap_label[gap_order], used, "left"),
        np.searchsorted(gap_label[gap_order], used, "right"),
    )
    sections = {}
    for position, index in enumerate(used.tolist()):
        spans = span_order[span_bounds[0][position] : span_bounds[1][position]]
        gaps = gap_order[gap_bounds[0][position] : gap_bounds[1][position]]
        sections[index] = _Sections(
            distance_sums=distances[index].astype(np.float64),
            unit_continuum=continuum[spans],
            unit_length=(data.span_end - data.span_start)[spans],
            gap_continuum=gap_continuum[gaps],
            gap_length=gap_length[gaps],
            gap_count=gap_count[gaps],
        )
    return sections


def _distance_sums(data: Unitizations, annotators: np.ndarray, n_labels: int) -> np.ndarray:
    """Per (label, continuum), flattened: the sum over ordered pairs of annotators of their
    sections' distances. Two overlapping units: (difference of starts)^2 + (difference of
    ends)^2; a unit that overlaps no unit of another annotator lies inside one of their gaps:
    its length^2 for each such annotator."""
    first, second = _overlapping_pairs(data)
    coder = data.span_coder
    apart = coder[first] != coder[second]
    first, second = first[apart], second[apart]
    group = data.span_label * data.n_continua + data.span_continuum
    size = n_labels * data.n_continua
    pair_distance = (data.span_start[first] - data.span_start[second]) ** 2 + (
        data.span_end[first] - data.span_end[second]
    ) ** 2
    length = data.span_end - data.span_start
    unmatched = annotators[data.span_continuum] - 1 - _partner_coders(first, second, coder, len(data.coders))
    return 2 * (
        np.bincount(group[first], pair_distance.astype(np.float64), minlength=size)
        + np.bincount(group, (unmatched * length**2).astype(np.float64), minlength=size)
    )


def _partner_coders(first: np.ndarray, second: np.ndarray, coder: np.ndarray, n_coders: int) -> np.ndarray:
    """Per span, how many other annotators marked a span overlapping it (pairs given once)."""
    spans = np.concatenate([first, second])
    partners = np.concatenate([coder[second], coder[first]])
    distinct = _distinct(spans * max(n_coders, 1) + partners, len(coder) * max(n_coders, 1))
    return np.bincount(distinct // max(n_coders, 1), minlength=len(coder))


def _overlapping_pairs(data: Unitizations) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of spans (each pair once) of the same continuum and label that share a
    character. Sorted by start within (label, continuum), the spans overlapping span i from the
    right are those after it that start before it ends: one binary search per span."""
    width = int((data.continuum_end - data.continuum_start).max(initial=0)) + 1
    group = data.span_label.astype(np.int64) * data.n_continua + data.span_continuum
    offset = data.continuum_start[data.span_continuum]
    key = group * width + (data.span_start - offset)
    order = np.argsort(key, kind="stable")
    ends = np.searchsorted(key[order], (group * width + (data.span_end - offset))[order], side="left")
    first, second = _pairs_before(ends)
    return order[first], order[second]


def _pairs_before(ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with i < j < ends[i], for sorted positions i."""
    after = np.arange(len(ends)) + 1
    counts = np.maximum(ends - after, 0)
    first = np.repeat(np.arange(len(ends)), counts)
    steps = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return first, first + 1 + steps


def _gaps(
    data: Unitizations, annotators: np.ndarray, lengths: np.ndarray, used: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(label, continuum, length, count) of every gap: the stretches between an annotator's
    units of a label, before and after them, and the whole continuum for each annotator with no
    unit of that label there."""
    offset = data.continuum_start[data.span_continuum]
    order = sort_order(
        (data.span_label, len(data.labels)),
        (data.span_segmentation, len(data.segmentation_coder)),
        (data.span_start - offset, int(lengths.max(initial=0)) + 1),
    )
    row, label, continuum = data.span_segmentation[order], data.span_label[order], data.span_continuum[order]
    start, end = (data.span_start - offset)[order], (data.span_end - offset)[order]
    opens = np.ones(len(order), dtype=bool)  # the first unit of an annotator and label on a continuum
    opens[1:] = (row[1:] != row[:-1]) | (label[1:] != label[:-1])
    closes = np.ones(len(order), dtype=bool)
    closes[:-1] = opens[1:]
    before = start - np.where(opens, 0, np.concatenate([[0], end[:-1]]))
    if (before < 0).any():
        _refuse_overlap(data, order[np.flatnonzero(before < 0)[0]])
    after = lengths[continuum] - end
    keep_before, keep_after = before > 0, closes & (after > 0)
    n_continua = data.n_continua
    covered = np.bincount(label[opens] * n_continua + continuum[opens], minlength=len(data.labels) * n_continua)
    uncovered = annotators - covered.reshape(len(data.labels), n_continua)[used]
    which, uncovered_continuum = np.nonzero(uncovered > 0)
    return (
        np.concatenate([label[keep_before], label[keep_after], used[which]]),
        np.concatenate([continuum[keep_before], continuum[keep_after], uncovered_continuum]),
        np.concatenate([before[keep_before], after[keep_after], lengths[uncovered_continuum]]),
        np.concatenate(
            [np.ones(keep_before.sum() + keep_after.sum(), dtype=np.int64), uncovered[which, uncovered_continuum]]
        ),
    )


def _refuse_overlap(data: Unitizations, span: int) -> None:
    """Alpha-u's own condition: no two spans of one annotator and label overlap."""
    raise ValueError(
        f"spans of {data.coders[data.span_coder[span]]!r} labelled {data.labels[data.span_label[span]]!r} "
        f"overlap at {data.span_start[span]}"
    )


def _blocked(study: _Study, block_of: np.ndarray, n_blocks: int) -> tuple[_Blocks, dict[str, _BlockSections]]:
    """The study summed per block of continua (`block_of[c]`: continuum c's block)."""

    def per_block(values):
        return np.bincount(block_of, values, minlength=n_blocks)

    blocks = _Blocks(
        np.stack(
            [
                per_block(study.lengths),
                per_block(study.annotators * study.lengths),
                per_block(study.annotators * (study.annotators - 1) * study.lengths),
            ],
            axis=1,
        )
    )
    labels = {}
    for label, sections in study.labels.items():
        unit_lengths, units = _histogram(block_of[sections.unit_continuum], sections.unit_length, None, n_blocks)
        gap_lengths, gaps = _histogram(
            block_of[sections.gap_continuum], sections.gap_length, sections.gap_count, n_blocks
        )
        # A unit of length l fits l_g - l + 1 ways into a gap of length l_g >= l, and none into a shorter one.
        ways = np.maximum(gap_lengths[np.newaxis, :] - unit_lengths[:, np.newaxis] + 1, 0)
        distances = per_block(sections.distance_sums)[:, np.newaxis]
        labels[label] = _BlockSections(unit_lengths, np.hstack([distances, units, gaps @ ways.T]))
    return blocks, labels


def _histogram(
    block: np.ndarray, length: np.ndarray, count: np.ndarray | None, n_blocks: int
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct lengths, and blocks x lengths: how many sections of each length per block."""
    lengths, position = _distinct_with_inverse(length, int(length.max(initial=0)) + 1)
    flat = np.bincount(
        block * len(lengths) + position,
        None if count is None else count.astype(np.float64),
        minlength=n_blocks * len(lengths),
    )
    return lengths.astype(np.float64), flat.astype(np.float64).reshape(n_blocks, len(lengths))


def _disagreement(blocks: _Blocks, sections: _BlockSections, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected disagreement of one label for each row of `weights`, how many times
    each block is drawn (one block drawn once: the data as they are)."""
    length, values, pairs = (weights @ blocks.columns).T
    distances, units, placements = sections.split(weights @ sections.columns)
    observed = _ratio(distances, length * pairs)
    return observed, _expected(sections.unit_lengths, units, placements, length, values)


def _expected(
    lengths: np.ndarray, units: np.ndarray, placements: np.ndarray, length: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Krippendorff's (2004) cuD_e: (2 / L) * sum over units u of [(N_c - 1) / 3 * (2 l_u^3 -
    3 l_u^2 + l_u) + l_u^2 * sum over gaps g at least as long of (l_g - l_u + 1)], divided by
    m L (m L - 1) - sum over units of l_u (l_u - 1). N_c counts the units of the label, gaps are
    every annotator's; m L is the number of (annotator, character) values. Per resample (a row):
    `units` and `placements` per distinct unit length, `length` L and `values` m L."""
    cubic = units @ ((2 * lengths**3 - 3 * lengths**2 + lengths) / 3)
    self_pairs = units @ (lengths * (lengths - 1))
    in_gaps = (units * lengths**2 * placements).sum(axis=1)
    numerator = 2 / length * ((units.sum(axis=1) - 1) * cubic + in_gaps)
    return _ratio(numerator, values * (values - 1) - self_pairs)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    ratio = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=ratio, where=denominator > 0)
    return ratio


def _bootstrap_disagreements(study: _Study, resamples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected disagreement, resamples x labels (in the study's order)."""
    n_continua = len(study.lengths)
    if n_continua == 0 or not study.labels:
        empty = np.zeros((resamples, max(len(study.labels), 1)))
        return empty, empty
    n_blocks = min(n_continua, BOOTSTRAP_BLOCKS)
    blocks, labels = _blocked(study, np.arange(n_continua) * n_blocks // n_continua, n_blocks)
    cells = n_blocks + sum(sections.columns.shape[1] for sections in labels.values())
    chunk = max(1, _BOOTSTRAP_CELLS_PER_CHUNK // cells)
    draws = _draws(n_blocks, resamples, seed)
    observed, expected = [], []
    for start in range(0, resamples, chunk):
        weights = draws[start : start + chunk]
        disagreements = [_disagreement(blocks, sections, weights) for sections in labels.values()]
        observed.append(np.stack([one for one, _ in disagreements], axis=1))
        expected.append(np.stack([other for _, other in disagreements], axis=1))
    return np.concatenate(observed), np.concatenate(expected)


@functools.lru_cache(maxsize=2)
def _draws(n_blocks: int, resamples: int, seed: int) -> np.ndarray:
    """How often each resample draws each block: a multinomial draw per resample. Kept for the
    next call, since a span field's figures bootstrap several labellings of the same passages
    with the same seed (read only: the array is shared)."""
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_blocks, np.full(n_blocks, 1 / n_blocks), size=resamples).astype(np.float64)
    draws.flags.writeable = False
    return draws


def _percentiles(alphas: np.ndarray, tail: float) -> tuple[float, float]:
    alphas = alphas[~np.isnan(alphas)]
    if alphas.size == 0:
        return float("nan"), float("nan")
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return float(low), float(high)


# --- span F1 -------------------------------------------------------------------------------


def _annotator_pairs(data: Unitizations) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of annotators on a continuum (first < second): its key (first * coders +
    second) and the two segmentation rows."""
    order = sort_order(
        (data.segmentation_continuum, data.n_continua), (data.segmentation_coder, max(len(data.coders), 1))
    )
    continuum = data.segmentation_continuum[order]
    first, second = _pairs_before(np.searchsorted(continuum, continuum, side="right"))
    first, second = order[first], order[second]
    coder = data.segmentation_coder
    return coder[first] * max(len(data.coders), 1) + coder[second], first, second


def _exact_matches(data: Unitizations) -> tuple[np.ndarray, np.ndarray]:
    """The coders of every pair of identical spans (same continuum, start, end and label)."""
    continuum = data.span_continuum
    offset = data.continuum_start[continuum]
    width = int((data.continuum_end - data.continuum_start).max(initial=0)) + 1
    columns = [continuum, data.span_label, data.span_start - offset, data.span_end - offset]
    bounds = [data.n_continua, len(data.labels), width, width]
    order = sort_order(*zip(columns, bounds, strict=True))
    columns = [column[order] for column in columns]
    differs = np.zeros(len(order), dtype=bool)  # starts a run of identical spans
    differs[:1] = True
    for column in columns:
        differs[1:] |= column[1:] != column[:-1]
    run_end = np.append(np.flatnonzero(differs)[1:], len(order))[np.cumsum(differs) - 1]
    first, second = _pairs_before(run_end)
    coder = data.span_coder[order]
    apart = coder[first] != coder[second]
    return coder[first][apart], coder[second][apart]


def _overlap_matches(data: Unitizations, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair of annotators: how many of the first's spans overlap a span of the second with
    the same label, and how many of the second's overlap one of the first's."""
    first, second = _overlapping_pairs(data)
    coder = data.span_coder
    apart = coder[first] != coder[second]
    first, second = first[apart], second[apart]
    n_coders = max(len(data.coders), 1)
    matched = _distinct(
        np.concatenate([first * n_coders + coder[second], second * n_coders + coder[first]]), len(coder) * n_coders
    )
    span_coder, other = coder[matched // n_coders], matched % n_coders
    is_first = span_coder < other
    return (
        _counted_by_pair(pairs, span_coder[is_first], other[is_first], n_coders),
        _counted_by_pair(pairs, other[~is_first], span_coder[~is_first], n_coders),
    )


def _counted_by_pair(pairs: np.ndarray, first: np.ndarray, second: np.ndarray, n_coders: int) -> np.ndarray:
    """How often each pair of `pairs` occurs as (first, second) or (second, first)."""
    keys = np.minimum(first, second) * max(n_coders, 1) + np.maximum(first, second)
    return np.bincount(np.searchsorted(pairs, keys), minlength=len(pairs))[: len(pairs)]


def _span_f1(
    first: int, second: int, exact: int, first_overlapping: int, second_overlapping: int, continua: int
) -> SpanF1:
    if first + second == 0:
        return SpanF1(float("nan"), float("nan"), 0, 0, continua)
    precision = first_overlapping / first if first else 0.0
    recall = second_overlapping / second if second else 0.0
    overlap = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanF1(2 * exact / (first + second), overlap, first, second, continua)
