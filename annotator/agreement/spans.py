"""Agreement on a span field (annotators mark claims inside a passage, each span with its own
sub-field answers) and on evidence fields (records citing a source, with their relation to the
claim). Pure NumPy over arrays; the figures are plain JSON.

A span field's figures:

- alpha-u over the passages' characters (unitizing.py), label-agnostic: did annotators mark the
  same stretches? Alpha-u needs each annotator's units of one label not to overlap, so one
  annotator's overlapping spans count as their union;
- alpha-u per value of each choice sub-field, a span's label being its answer there (spans
  without an answer leave that computation), overlapping spans of one annotator and value again
  merged; overall and per value, each with its bootstrap interval;
- span F1 between each pair of annotators, exact (same start and end) and overlap (a shared
  character), and their mean over pairs, which a reviewer reads more easily;
- per choice or multi sub-field, the usual Krippendorff alpha over spans matched by overlap:
  the overlapping spans of all annotators on a passage form a cluster (a unit), and each
  annotator's answer on their span in it is their value there. An annotator with several spans
  in one cluster is represented by their longest (the earliest of equally long ones): a coder
  gives a unit one value.

An evidence field's figures (at passage level the unit is the passage, inside a span field the
span cluster): Krippendorff's alpha on the relation, each annotator's value being the set of
relations their records cite, with the MASI distance as for multi fields; and, shown apart
because it is not agreement on a judgement, how often annotators cite the same source: the mean
over units and pairs of annotators who both cited something of the Jaccard index of their URL
sets.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import chain, repeat
from operator import itemgetter, methodcaller
from typing import NamedTuple

import numpy as np

from annotator.agreement.fields import ANSWER, SET, MeasuredField
from annotator.agreement.ratings import Ratings
from annotator.agreement.reliability import (
    MASI,
    alpha_confidence_interval,
    krippendorff_alpha,
    pairable_units,
    pairable_values,
)
from annotator.agreement.unitizing import (
    Intervals,
    Unitizations,
    UnitizingAlpha,
    macro_span_f1,
    pairwise_span_f1,
    sort_order,
    unitizing_alpha_with_intervals,
)

NONE = -1  # no answer
Citation = tuple[frozenset, frozenset]  # (relations cited, source URLs cited) of one answer


@dataclass(frozen=True)
class Evidence:
    """An evidence field agreement is measured on: its name and label."""

    name: str
    label: str


@dataclass(frozen=True)
class MeasuredSpans:
    """A span field agreement is measured on: its name, label, the measured fields of its
    choice and multi sub-fields (a multi sub-field as its SET) and its evidence sub-fields."""

    name: str
    label: str
    sub_fields: tuple[MeasuredField, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, eq=False)
class PassageCitations:
    """An evidence field at passage level: per label set with a record, its passage (`unit`),
    annotator (`coder`) and citation."""

    unit: np.ndarray
    coder: np.ndarray
    cited: list[Citation]

    @classmethod
    def of(cls, unit: np.ndarray, coder: np.ndarray, values: Sequence[object]) -> "PassageCitations":
        """From each label set's value of the field (label sets without a record left out)."""
        cited = [citation(value) for value in values]
        kept = np.array([one is not None for one in cited], dtype=bool)
        return cls(np.asarray(unit)[kept], np.asarray(coder)[kept], [one for one in cited if one is not None])


@dataclass(frozen=True, eq=False)
class SpanAnswers:
    """One span field's answers over a project. Per passage: `passage_start`, `passage_end`
    (raw-text offsets). Per label set the field was asked in (the annotator segmented the
    passage, perhaps marking nothing): `answer_passage`, `answer_coder` (indices into the
    passages and into `coders`). Per span: `span_answer` (its label set), `span_start`,
    `span_end`, and per measured sub-field the span's category (`sub_answers`, NONE without),
    per evidence sub-field its citation (`span_citations`, None without)."""

    passage_start: np.ndarray
    passage_end: np.ndarray
    answer_passage: np.ndarray
    answer_coder: np.ndarray
    span_answer: np.ndarray
    span_start: np.ndarray
    span_end: np.ndarray
    sub_answers: dict[str, np.ndarray]
    span_citations: dict[str, list[Citation | None]]
    coders: tuple[str, ...]

    @property
    def span_passage(self) -> np.ndarray:
        return self.answer_passage[self.span_answer]

    @property
    def span_coder(self) -> np.ndarray:
        return self.answer_coder[self.span_answer]


def citation(records: object) -> Citation | None:
    """The relations and URLs an evidence field's value cites (None for no record)."""
    if not isinstance(records, list) or not records:
        return None
    relations = frozenset(record.get("relation") for record in records if isinstance(record, dict))
    urls = frozenset(record.get("url") for record in records if isinstance(record, dict))
    return frozenset(relations - {None}), frozenset(urls - {None})


class SpanArrays(NamedTuple):
    """Per span: its label set (an index into the label sets the field was asked in; spans of
    one label set together, in order of position, label sets in order), start and end."""

    answer: np.ndarray
    start: np.ndarray
    end: np.ndarray


def span_answers(
    passage_start: Sequence[int],
    passage_end: Sequence[int],
    answer_passage: Sequence[int],
    answer_coder: Sequence[int],
    values: Sequence[list | None],
    coders: Sequence[str],
    field: MeasuredSpans,
) -> tuple[SpanAnswers, MeasuredSpans]:
    """The arrays of a span field from its values: for each label set the field was asked in,
    its passage and coder (indices) and the field's value as stored (a list of {"start", "end",
    "labels"} as the schema checked it, or None for no span). See `span_answers_of_arrays`."""
    lists = [value if isinstance(value, list) else () for value in values]
    spans = list(chain.from_iterable(lists))
    arrays = SpanArrays(
        answer=np.repeat(np.arange(len(lists)), list(map(len, lists))).astype(np.int64),
        start=np.fromiter(map(itemgetter("start"), spans), dtype=np.int64, count=len(spans)),
        end=np.fromiter(map(itemgetter("end"), spans), dtype=np.int64, count=len(spans)),
    )
    labels = [span.get("labels") or {} for span in spans]
    return span_answers_of_arrays(
        passage_start,
        passage_end,
        answer_passage,
        answer_coder,
        arrays,
        (labels, np.arange(len(labels), dtype=np.int64)),
        coders,
        field,
    )


def span_answers_of_arrays(
    passage_start: Sequence[int],
    passage_end: Sequence[int],
    answer_passage: Sequence[int],
    answer_coder: Sequence[int],
    spans: SpanArrays,
    labels: tuple[list[dict], np.ndarray],
    coders: Sequence[str],
    field: MeasuredSpans,
) -> tuple[SpanAnswers, MeasuredSpans]:
    """The arrays of a span field: per label set the field was asked in its passage and coder
    (indices), per span its label set, start and end, and its own answers, given as distinct
    answers and per span the index of its own among them (spans with equal answers share one,
    whose categories are worked out once). Returns them with the field, each SET sub-field given
    the sets of options that occur as its categories."""
    distinct, label = labels
    sub_fields = tuple(_with_observed_sets(sub_field, distinct) for sub_field in field.sub_fields)
    return SpanAnswers(
        passage_start=np.asarray(passage_start, dtype=np.int64),
        passage_end=np.asarray(passage_end, dtype=np.int64),
        answer_passage=np.asarray(answer_passage, dtype=np.int64),
        answer_coder=np.asarray(answer_coder, dtype=np.int64),
        span_answer=np.asarray(spans.answer, dtype=np.int64),
        span_start=np.asarray(spans.start, dtype=np.int64),
        span_end=np.asarray(spans.end, dtype=np.int64),
        sub_answers={sub_field.name: _categories(sub_field, distinct)[label] for sub_field in sub_fields},
        span_citations={
            one.name: _taken([citation(answers.get(one.name)) for answers in distinct], label) for one in field.evidence
        },
        coders=tuple(coders),
    ), replace(field, sub_fields=sub_fields)


def _taken(values: list, index: np.ndarray) -> list:
    return [values[i] for i in index.tolist()]


def _with_observed_sets(field: MeasuredField, labels: list[dict]) -> MeasuredField:
    if field.kind != SET:
        return field
    observed = {value for one in labels if (value := field.value_of(one)) is not None}
    return field.with_categories(sorted(observed, key=lambda chosen: (len(chosen), chosen)))


def _categories(field: MeasuredField, labels: list[dict]) -> np.ndarray:
    """Each answer's category of the sub-field. A one-option answer is looked up directly (the
    same result as `field.category_of`, which costs a method call per answer)."""
    if field.kind == ANSWER:
        index = {value: code for code, value in enumerate(field.categories) if value not in field.ignored}
        answers = map(methodcaller("get", field.source), labels)
        try:
            return np.fromiter(map(index.get, answers, repeat(NONE)), dtype=np.int64, count=len(labels))
        except TypeError:  # an answer that is no option (a list): the careful way below
            pass
    codes = [field.category_of(one) for one in labels]
    return np.array([NONE if code is None else code for code in codes], dtype=np.int64)


# --- the figures -----------------------------------------------------------------------------


def span_field_figures(answers: SpanAnswers, field: MeasuredSpans, resamples: int = 1000, seed: int = 0) -> dict:
    """Every agreement figure of one span field (see the module's docstring), JSON-ready apart
    from NaN (the caller's `_json_ready` turns it into null)."""
    extent, extent_intervals = unitizing_alpha_with_intervals(unitizations_of(answers, None), resamples, seed)
    f1 = pairwise_span_f1(_as_unitizations(answers, np.zeros(len(answers.span_start), dtype=np.int64), ("span",)))
    exact, overlap = macro_span_f1(f1)
    clusters, representative = span_clusters(answers)
    return {
        "label": field.label,
        "annotated_passages": extent.continua,
        "spans": len(answers.span_start),
        "alpha_u": _unitizing_figures(extent, extent_intervals),
        "f1": {
            "exact": exact,
            "overlap": overlap,
            "pairs": [
                {"annotators": list(pair), "exact": one.exact, "overlap": one.overlap, "passages": one.continua}
                for pair, one in f1.items()
            ],
        },
        "sub_fields": {
            sub_field.name: _sub_field_figures(answers, sub_field, clusters, representative, resamples, seed)
            for sub_field in field.sub_fields
        },
        "evidence": {
            evidence.name: {"label": evidence.label}
            | evidence_figures(
                *_cited_in_clusters(answers, evidence.name, clusters, representative),
                n_coders=len(answers.coders),
                resamples=resamples,
                seed=seed,
            )
            for evidence in field.evidence
        },
    }


def _unitizing_figures(result: UnitizingAlpha, intervals: Intervals, names: Sequence[str] = ()) -> dict:
    figures = {
        "alpha": result.overall.alpha,
        "interval": list(intervals.overall),
        "observed": result.overall.observed,
        "expected": result.overall.expected,
    }
    if names:
        figures["labels"] = {
            name: {"alpha": result.labels[name].alpha, "interval": list(intervals.labels[name])}
            for name in names
            if name in result.labels
        }
    return figures


def _sub_field_figures(
    answers: SpanAnswers,
    field: MeasuredField,
    clusters: np.ndarray,
    representative: np.ndarray,
    resamples: int,
    seed: int,
) -> dict:
    """A sub-field's alpha over the groups of matched spans (each annotator's representative
    span giving their value) and, for a one-option answer, alpha-u with its values as labels."""
    codes = answers.sub_answers[field.name]
    given = representative & (codes != NONE)
    ratings = Ratings(
        clusters[given],
        answers.span_coder[given],
        codes[given],
        int(clusters.max(initial=-1)) + 1,
        len(answers.coders),
        len(field.categories),
    )
    low, high = alpha_confidence_interval(ratings, field.level, field.category_values, resamples, seed)
    figures = {
        "label": field.label,
        "level": field.level,
        "alpha": krippendorff_alpha(ratings, field.level, field.category_values),
        "alpha_ci": [low, high],
        "units": pairable_units(ratings),
        "pairable_values": pairable_values(ratings),
    }
    if field.kind == ANSWER:
        result, intervals = unitizing_alpha_with_intervals(unitizations_of(answers, field), resamples, seed)
        figures["alpha_u"] = _unitizing_figures(result, intervals, [str(value) for value in field.categories])
    return figures


def evidence_figures(
    unit: np.ndarray, coder: np.ndarray, cited: Sequence[Citation], n_coders: int, resamples: int = 1000, seed: int = 0
) -> dict:
    """Agreement on an evidence field from each (unit, coder)'s citation: alpha with the MASI
    distance on the sets of relations cited, and the mean Jaccard index of the URL sets of two
    annotators who both cited something on a unit (`same_source`, over `source_pairs` pairs)."""
    relation_sets = sorted({relations for relations, _ in cited}, key=lambda chosen: (len(chosen), sorted(chosen)))
    position = {relations: index for index, relations in enumerate(relation_sets)}
    ratings = Ratings(
        np.asarray(unit, dtype=np.int64),
        np.asarray(coder, dtype=np.int64),
        np.array([position[relations] for relations, _ in cited], dtype=np.int64),
        int(np.max(unit, initial=-1)) + 1,
        n_coders,
        len(relation_sets),
    )
    low, high = alpha_confidence_interval(ratings, MASI, relation_sets, resamples, seed)
    same_source, source_pairs = _same_source(unit, [urls for _, urls in cited])
    return {
        "alpha": krippendorff_alpha(ratings, MASI, relation_sets),
        "alpha_ci": [low, high],
        "units": pairable_units(ratings),
        "pairable_values": pairable_values(ratings),
        "same_source": same_source,
        "source_pairs": source_pairs,
    }


def _same_source(unit: np.ndarray, urls: list[frozenset]) -> tuple[float, int]:
    """Mean Jaccard index of the URL sets of every pair of values on the same unit."""
    by_unit: dict[int, list[frozenset]] = {}
    for one, cited in zip(np.asarray(unit).tolist(), urls, strict=True):
        by_unit.setdefault(one, []).append(cited)
    indices = [
        len(first & second) / len(first | second)
        for cited in by_unit.values()
        for index, first in enumerate(cited)
        for second in cited[index + 1 :]
        if first | second
    ]
    return (float(np.mean(indices)) if indices else float("nan")), len(indices)


# --- spans as units ----------------------------------------------------------------------------


def span_clusters(answers: SpanAnswers) -> tuple[np.ndarray, np.ndarray]:
    """Per span: its cluster (the overlapping spans of every annotator on its passage, numbered
    across the project), and whether it represents its annotator there (their longest span in
    the cluster, the earliest of equally long ones)."""
    clusters = _stretches(answers.span_passage, answers.span_start, answers.span_end).of_span
    length = answers.span_end - answers.span_start
    longest = int(length.max(initial=0))
    first_start = int(answers.span_start.min(initial=0))
    order = sort_order(
        (clusters, int(clusters.max(initial=-1)) + 1),
        (answers.span_coder, max(len(answers.coders), 1)),
        (longest - length, longest + 1),
        (answers.span_start - first_start, int(answers.span_start.max(initial=0)) - first_start + 1),
    )
    first = np.ones(len(order), dtype=bool)
    first[1:] = (clusters[order][1:] != clusters[order][:-1]) | (
        answers.span_coder[order][1:] != answers.span_coder[order][:-1]
    )
    representative = np.zeros(len(order), dtype=bool)
    representative[order[first]] = True
    return clusters, representative


def _cited_in_clusters(
    answers: SpanAnswers, name: str, clusters: np.ndarray, representative: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[Citation]]:
    cited = answers.span_citations[name]
    kept = np.flatnonzero(representative & np.array([one is not None for one in cited], dtype=bool))
    return clusters[kept], answers.span_coder[kept], [cited[index] for index in kept.tolist()]


@dataclass(frozen=True)
class _Stretches:
    """Overlapping spans of a group joined (transitively) into stretches, numbered from 0 in
    order of group and start: per span its stretch, per stretch its first span, start and end."""

    of_span: np.ndarray
    first_span: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _stretches(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> _Stretches:
    """One sort by (group, start); a span opens a stretch when it starts at or after the end
    of every span before it in its group (a running maximum of the ends, offset per group so
    that it never carries over from one group to the next)."""
    if not len(start):
        empty = np.zeros(0, dtype=np.int64)
        return _Stretches(empty, empty, empty, empty)
    base = int(start.min())
    width = int(end.max()) - base + 1
    start_key = group * width + (start - base)
    order = np.argsort(start_key, kind="stable")
    reach = np.maximum.accumulate((group * width + (end - base))[order])
    opens = np.ones(len(order), dtype=bool)
    opens[1:] = start_key[order][1:] >= reach[:-1]
    of_span = np.empty(len(order), dtype=np.int64)
    of_span[order] = np.cumsum(opens) - 1
    firsts = np.flatnonzero(opens)
    return _Stretches(of_span, order[firsts], start[order][firsts], np.maximum.reduceat(end[order], firsts))


def unitizations_of(answers: SpanAnswers, field: MeasuredField | None) -> Unitizations:
    """The spans as alpha-u reads them: labelled by the field's answer (one label for all when
    `field` is None; spans without an answer left out), one annotator's overlapping spans of a
    label merged into their union."""
    if field is None:
        label, names = np.zeros(len(answers.span_start), dtype=np.int64), ("span",)
    else:
        label, names = answers.sub_answers[field.name], tuple(str(value) for value in field.categories)
    kept = label != NONE
    row, label = answers.span_answer[kept], label[kept]
    stretches = _stretches(row * len(names) + label, answers.span_start[kept], answers.span_end[kept])
    merged = replace(answers, span_answer=row[stretches.first_span], span_start=stretches.start, span_end=stretches.end)
    return _as_unitizations(merged, label[stretches.first_span], names)


def _as_unitizations(answers: SpanAnswers, label: np.ndarray, names: tuple[str, ...]) -> Unitizations:
    return Unitizations(
        continuum_start=answers.passage_start,
        continuum_end=answers.passage_end,
        segmentation_continuum=answers.answer_passage,
        segmentation_coder=answers.answer_coder,
        span_segmentation=answers.span_answer,
        span_start=answers.span_start,
        span_end=answers.span_end,
        span_label=label,
        labels=names,
        coders=answers.coders,
    )
