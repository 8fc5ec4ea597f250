"""The per-passage implementation of alpha-u, span F1 and the bootstrap interval that
annotator/agreement/unitizing.py replaced with a vectorised one: kept unchanged as a test oracle
(Python loops over passages and annotators, straight from the formulas), so that the fast version
can be checked against it on random data. Not used by the product."""

import itertools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# The values are the product's own; only the computation is the old one.
from annotator.agreement.unitizing import Continuum, Disagreement, Span, SpanF1, UnitizingAlpha

# Bootstrap draws are made this many (resample, section) cells at a time, to bound memory.
_BOOTSTRAP_CELLS_PER_CHUNK = 1 << 22


def unitizing_alpha(continua: Sequence[Continuum]) -> UnitizingAlpha:
    """Krippendorff's alpha-u over these continua pooled, overall and per label, with the
    observed and expected disagreement behind each."""
    study = _study(continua)
    weights = np.ones((1, len(study.lengths)))
    labels = {label: _disagreement(study, sections, weights) for label, sections in study.labels.items()}
    per_label = {
        label: Disagreement(float(observed[0]), float(expected[0])) for label, (observed, expected) in labels.items()
    }
    overall = Disagreement(
        sum(disagreement.observed for disagreement in per_label.values()),
        sum(disagreement.expected for disagreement in per_label.values()),
    )
    return UnitizingAlpha(overall, per_label, len(study.lengths))


def unitizing_alpha_confidence_interval(
    continua: Sequence[Continuum],
    label: str | None = None,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval for alpha-u over all labels (or for `label`), resampling
    the pairable continua with replacement, as `reliability.alpha_confidence_interval` resamples
    units. A resample is the count of draws of each continuum (a multinomial draw); every
    statistic of alpha-u is a sum over continua, or a product of two such sums, so a resample
    costs one pass over the units and gaps. Deterministic for a given `seed`. Resamples where
    alpha is undefined are left out; the interval is (NaN, NaN) if all of them are."""
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    study = _study(continua)
    alphas = _bootstrap_alphas(study, label, resamples, seed)
    alphas = alphas[~np.isnan(alphas)]
    if alphas.size == 0:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return float(low), float(high)


def pairwise_span_f1(continua: Sequence[Continuum]) -> dict[tuple[Hashable, Hashable], SpanF1]:
    """Span F1 for every pair of annotators (first < second) who share a continuum, summed over
    the continua they share: exact = 2 |same spans| / (|first's| + |second's|); overlap =
    2 P R / (P + R), P the share of first's spans that overlap one of second's with the same
    label, R the same share of second's spans. Symmetric in the two annotators."""
    counts: dict[tuple[Hashable, Hashable], np.ndarray] = {}
    for continuum in continua:
        for first, second in itertools.combinations(sorted(continuum.spans), 2):
            pair_counts = _span_match_counts(continuum.spans[first], continuum.spans[second])
            counts[(first, second)] = counts.get((first, second), 0) + pair_counts
    return {pair: _span_f1(*(int(count) for count in pair_counts)) for pair, pair_counts in counts.items()}


def macro_span_f1(pairs: Mapping[tuple[Hashable, Hashable], SpanF1]) -> tuple[float, float]:
    """(exact, overlap) F1 averaged over pairs of annotators, each pair weighing the same; pairs
    where neither marked a span are left out. NaN when no pair is left."""
    exact = [pair.exact for pair in pairs.values() if not np.isnan(pair.exact)]
    overlap = [pair.overlap for pair in pairs.values() if not np.isnan(pair.overlap)]
    return (float(np.mean(exact)) if exact else float("nan"), float(np.mean(overlap)) if overlap else float("nan"))


# --- the statistics, as sums over continua -------------------------------------------------


@dataclass(frozen=True)
class _Sections:
    """One label's units and gaps over the pairable continua as (continuum, length, how many
    annotators have a section of that length there): annotators who agree on a unit, or who
    marked nothing, share one entry, which shortens every resample's pass."""

    distance_sums: np.ndarray  # per continuum: sum of distances over ordered pairs of annotators
    unit_continuum: np.ndarray
    unit_length: np.ndarray
    unit_count: np.ndarray
    gap_continuum: np.ndarray  # gaps sorted longest first
    gap_length: np.ndarray
    gap_count: np.ndarray


@dataclass(frozen=True)
class _Study:
    lengths: np.ndarray  # per pairable continuum
    annotators: np.ndarray
    labels: dict[str, _Sections]


def _study(continua: Sequence[Continuum]) -> _Study:
    pairable = [continuum for continuum in continua if len(continuum.spans) >= 2]
    labels = sorted({span[2] for continuum in pairable for spans in continuum.spans.values() for span in spans})
    return _Study(
        lengths=np.array([continuum.length for continuum in pairable], dtype=np.float64),
        annotators=np.array([len(continuum.spans) for continuum in pairable], dtype=np.float64),
        labels={label: _sections(pairable, label) for label in labels},
    )


def _sections(continua: Sequence[Continuum], label: str) -> _Sections:
    distance_sums, units, gaps = [], [], []
    for index, continuum in enumerate(continua):
        unitizations = [continuum.units(annotator, label) for annotator in continuum.spans]
        distance_sums.append(2 * sum(_pair_distance(*pair) for pair in itertools.combinations(unitizations, 2)))
        for unitization in unitizations:
            units += [(index, end - start) for start, end in unitization]
            gaps += [(index, length) for length in _gap_lengths(unitization, continuum.start, continuum.end)]
    unit_continuum, unit_length, unit_count = _counted(units)
    gap_continuum, gap_length, gap_count = _counted(gaps)
    longest_first = np.argsort(-gap_length, kind="stable")
    return _Sections(
        distance_sums=np.array(distance_sums, dtype=np.float64),
        unit_continuum=unit_continuum,
        unit_length=unit_length,
        unit_count=unit_count,
        gap_continuum=gap_continuum[longest_first],
        gap_length=gap_length[longest_first],
        gap_count=gap_count[longest_first],
    )


def _counted(sections: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (continuum, length) pairs and how often each occurs."""
    pairs = np.array(sections, dtype=np.int64).reshape(-1, 2)
    distinct, count = np.unique(pairs, axis=0, return_counts=True)
    return distinct[:, 0], distinct[:, 1].astype(np.float64), count.astype(np.float64)


def _pair_distance(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> int:
    """Sum of squared distances between two annotators' overlapping sections of one label. A
    unit that overlaps none of the other's units lies inside one of their gaps."""
    total = 0
    for start, end in first:
        overlapping = [
            (other_start, other_end) for other_start, other_end in second if other_start < end and start < other_end
        ]
        total += sum((start - other_start) ** 2 + (end - other_end) ** 2 for other_start, other_end in overlapping)
        total += 0 if overlapping else (end - start) ** 2
    for start, end in second:
        if not any(other_start < end and start < other_end for other_start, other_end in first):
            total += (end - start) ** 2
    return total


def _gap_lengths(units: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Lengths of the stretches between an annotator's sorted units, and before and after them."""
    bounds = [start, *itertools.chain.from_iterable(units), end]
    return [stop - begin for begin, stop in zip(bounds[::2], bounds[1::2], strict=True) if stop > begin]


def _disagreement(study: _Study, sections: _Sections, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected disagreement of one label for each row of `weights`, how many times
    each pairable continuum is drawn (a row of ones: the data as they are)."""
    length = weights @ study.lengths
    pairs = weights @ (study.annotators * (study.annotators - 1) * study.lengths)
    observed = _ratio(weights @ sections.distance_sums, length * pairs)
    return observed, _expected(study, sections, weights, length)


def _expected(study: _Study, sections: _Sections, weights: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Krippendorff's (2004) cuD_e: (2 / L) * sum over units u of [(N_c - 1) / 3 * (2 l_u^3 -
    3 l_u^2 + l_u) + l_u^2 * sum over gaps g at least as long of (l_g - l_u + 1)], divided by
    m L (m L - 1) - sum over units of l_u (l_u - 1). N_c counts the units of the label, gaps are
    every annotator's; m L is the number of (annotator, character) values."""
    values = weights @ (study.annotators * study.lengths)
    unit_weights = weights[:, sections.unit_continuum] * sections.unit_count
    lengths = sections.unit_length
    units = unit_weights.sum(axis=1)
    cubic = unit_weights @ ((2 * lengths**3 - 3 * lengths**2 + lengths) / 3)
    self_pairs = unit_weights @ (lengths * (lengths - 1))
    numerator = 2 / length * ((units - 1) * cubic + _placements_in_gaps(sections, weights, unit_weights))
    return _ratio(numerator, values * (values - 1) - self_pairs)


def _placements_in_gaps(sections: _Sections, weights: np.ndarray, unit_weights: np.ndarray) -> np.ndarray:
    """sum over units u, gaps g with l_g >= l_u of l_u^2 (l_g - l_u + 1): from running sums over
    the gaps sorted longest first, one lookup per unit."""
    gap_weights = weights[:, sections.gap_continuum] * sections.gap_count
    zero = np.zeros((len(weights), 1))
    gaps_so_far = np.hstack([zero, np.cumsum(gap_weights, axis=1)])
    lengths_so_far = np.hstack([zero, np.cumsum(gap_weights * (sections.gap_length + 1), axis=1)])
    longer_gaps = np.searchsorted(-sections.gap_length, -sections.unit_length, side="right")
    unit_length = sections.unit_length
    in_gaps = lengths_so_far[:, longer_gaps] - unit_length * gaps_so_far[:, longer_gaps]
    return (unit_weights * unit_length**2 * in_gaps).sum(axis=1)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    ratio = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=ratio, where=denominator > 0)
    return ratio


def _bootstrap_alphas(study: _Study, label: str | None, resamples: int, seed: int) -> np.ndarray:
    n_continua = len(study.lengths)
    labels = list(study.labels) if label is None else [label] if label in study.labels else []
    if n_continua == 0 or not labels:
        return np.full(resamples, np.nan)
    sections = max(len(study.labels[name].unit_length) + len(study.labels[name].gap_length) for name in labels)
    chunk = max(1, _BOOTSTRAP_CELLS_PER_CHUNK // (sections + n_continua))
    rng = np.random.default_rng(seed)
    alphas = []
    for start in range(0, resamples, chunk):
        weights = rng.multinomial(n_continua, np.full(n_continua, 1 / n_continua), size=min(chunk, resamples - start))
        weights = weights.astype(np.float64)
        disagreements = [_disagreement(study, study.labels[name], weights) for name in labels]
        observed = sum(observed for observed, _ in disagreements)
        expected = sum(expected for _, expected in disagreements)
        alphas.append(1 - _ratio(observed, expected))
    return np.concatenate(alphas)


# --- span F1 -------------------------------------------------------------------------------


def _span_match_counts(first: Sequence[Span], second: Sequence[Span]) -> np.ndarray:
    """[first's spans, second's spans, spans in both, first's overlapping, second's overlapping,
    continua (1)]: summed over continua, the arguments of `_span_f1`."""
    first_set, second_set = set(first), set(second)
    return np.array(
        [
            len(first_set),
            len(second_set),
            len(first_set & second_set),
            sum(_overlaps_any(span, second_set) for span in first_set),
            sum(_overlaps_any(span, first_set) for span in second_set),
            1,
        ]
    )


def _overlaps_any(span: Span, others: set[Span]) -> bool:
    start, end, label = span
    return any(
        other_label == label and other_start < end and start < other_end
        for other_start, other_end, other_label in others
    )


def _span_f1(
    first: int, second: int, exact: int, first_overlapping: int, second_overlapping: int, continua: int
) -> SpanF1:
    if first + second == 0:
        return SpanF1(float("nan"), float("nan"), 0, 0, continua)
    precision = first_overlapping / first if first else 0.0
    recall = second_overlapping / second if second else 0.0
    overlap = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanF1(2 * exact / (first + second), overlap, first, second, continua)
