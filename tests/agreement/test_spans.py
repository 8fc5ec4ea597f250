"""Agreement on span fields and evidence fields: hand-computed cases, alpha-u against the
per-passage reference implementation on the spans as the figures must read them (merged, or
labelled by a sub-field), sub-field alpha against the `krippendorff` package, relation alpha
against NLTK's AnnotationTask with the MASI distance."""

import math
import warnings

import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance

from annotator.agreement.fields import ANSWER, SET, MeasuredField
from annotator.agreement.spans import (
    Evidence,
    MeasuredSpans,
    PassageCitations,
    evidence_figures,
    span_answers,
    span_clusters,
    span_field_figures,
)
from tests.agreement import unitizing_reference as reference

STANCES = ("favor", "against", "none")
STANCE = MeasuredField("stance", "Stance", "nominal", STANCES, "stance", ANSWER)
KINDS = MeasuredField("kinds", "Kinds", "masi", (), "kinds", SET, condition=("number", "quote", "event"))
EVIDENCE = Evidence("evidence", "Evidence")


def span(start, end, **labels):
    return {"start": start, "end": end, "text": "ignored", "labels": labels}


def answers_of(passages, sub_fields=(STANCE,), evidence=()):
    """SpanAnswers from [(start, end, {annotator: spans or None})], annotators numbered by name."""
    coders = sorted({name for _, _, by_annotator in passages for name in by_annotator})
    rows = [
        (position, coders.index(name), value)
        for position, (_, _, by_annotator) in enumerate(passages)
        for name, value in by_annotator.items()
    ]
    return span_answers(
        [start for start, _, _ in passages],
        [end for _, end, _ in passages],
        [passage for passage, _, _ in rows],
        [coder for _, coder, _ in rows],
        [value for _, _, value in rows],
        coders,
        MeasuredSpans("claims", "Claims", tuple(sub_fields), tuple(evidence)),
    )


def figures_of(passages, sub_fields=(STANCE,), evidence=(), resamples=200):
    answers, field = answers_of(passages, sub_fields, evidence)
    return span_field_figures(answers, field, resamples=resamples, seed=3)


# --- alpha-u and F1 ----------------------------------------------------------------------------


def test_one_annotators_overlapping_spans_count_as_their_union_for_alpha_u():
    passages = [(0, 20, {"ada": [span(2, 8, stance="favor"), span(5, 10, stance="favor")], "bob": [span(2, 10)]})]
    figures = figures_of(passages)
    assert figures["alpha_u"]["alpha"] == pytest.approx(1.0)
    assert figures["alpha_u"]["observed"] == 0
    assert figures["spans"] == 3 and figures["annotated_passages"] == 1 and figures["label"] == "Claims"


def test_alpha_u_overall_and_per_stance_equal_the_reference_on_the_spans_as_read():
    passages = [
        (0, 40, {"ada": [span(2, 12, stance="favor"), span(20, 30, stance="against")], "bob": [span(3, 12)]}),
        (40, 90, {"ada": [span(50, 60, stance="favor")], "bob": [span(50, 62, stance="favor")], "cy": None}),
        (90, 100, {"ada": None}),  # one annotator: not comparable
    ]
    figures = figures_of(passages)
    extent = reference.unitizing_alpha(
        [
            reference.Continuum(0, 40, {"ada": [(2, 12, "s"), (20, 30, "s")], "bob": [(3, 12, "s")]}),
            reference.Continuum(40, 90, {"ada": [(50, 60, "s")], "bob": [(50, 62, "s")], "cy": []}),
        ]
    )
    assert figures["alpha_u"]["alpha"] == pytest.approx(extent.overall.alpha)
    assert figures["annotated_passages"] == 2
    by_stance = reference.unitizing_alpha(
        [
            reference.Continuum(0, 40, {"ada": [(2, 12, "favor"), (20, 30, "against")], "bob": []}),
            reference.Continuum(40, 90, {"ada": [(50, 60, "favor")], "bob": [(50, 62, "favor")], "cy": []}),
        ]
    )
    stance = figures["sub_fields"]["stance"]["alpha_u"]
    assert stance["alpha"] == pytest.approx(by_stance.overall.alpha)
    assert stance["labels"]["favor"]["alpha"] == pytest.approx(by_stance.labels["favor"].alpha)
    assert stance["labels"]["against"]["alpha"] == pytest.approx(by_stance.labels["against"].alpha)
    assert "none" not in stance["labels"]  # nobody used it
    low, high = stance["labels"]["favor"]["interval"]
    assert low <= high


def test_span_f1_exact_and_overlap_ignore_the_sub_answers():
    passages = [
        (
            0,
            30,
            {
                "ada": [span(0, 5, stance="favor"), span(10, 15)],
                "bob": [span(0, 5, stance="against"), span(11, 14), span(20, 25)],
            },
        )
    ]
    f1 = figures_of(passages)["f1"]
    precision, recall = 2 / 2, 2 / 3
    assert f1["exact"] == pytest.approx(2 * 1 / (2 + 3))
    assert f1["overlap"] == pytest.approx(2 * precision * recall / (precision + recall))
    assert f1["pairs"] == [
        {"annotators": ["ada", "bob"], "exact": pytest.approx(0.4), "overlap": pytest.approx(0.8), "passages": 1}
    ]


def test_alpha_u_is_undefined_when_nobody_marked_a_span():
    figures = figures_of([(0, 10, {"ada": None, "bob": None})])
    assert math.isnan(figures["alpha_u"]["alpha"]) and figures["spans"] == 0
    assert all(math.isnan(value) for value in figures["alpha_u"]["interval"])
    assert math.isnan(figures["sub_fields"]["stance"]["alpha"])


# --- sub-fields over matched spans ---------------------------------------------------------------


def test_spans_matched_by_overlap_form_one_unit_and_an_annotators_longest_span_speaks_for_them():
    passages = [
        (
            0,
            50,
            {
                "ada": [span(0, 10, stance="favor"), span(12, 14, stance="none")],
                "bob": [span(2, 13, stance="favor")],
                "cy": [span(30, 40, stance="against")],
            },
        )
    ]
    answers, _ = answers_of(passages)
    clusters, representative = span_clusters(answers)
    assert clusters.tolist() == [0, 0, 0, 1]  # ada's two spans are bridged by bob's
    assert representative.tolist() == [True, False, True, True]
    stance = figures_of(passages)["sub_fields"]["stance"]
    assert (stance["units"], stance["pairable_values"]) == (1, 2)  # favor and favor; cy alone
    assert math.isnan(stance["alpha"])  # one value only: nothing to expect


def simulated_passages(seed: int, n_passages: int = 80):
    """Two well separated claims per passage; three annotators mark each with jittered edges
    (or miss it) and give a stance, right with their skill. Returns the passages and, per claim,
    each annotator's stance (None where they missed it): the matrix the package reads."""
    rng = np.random.default_rng(seed)
    passages, matrix = [], []
    for index in range(n_passages):
        start = 100 * index
        by_annotator = {name: [] for name in ("ada", "bob", "cy")}
        for claim_start in (start + 10, start + 55):
            truth = int(rng.integers(0, 3))
            row = []
            for name, skill in (("ada", 0.9), ("bob", 0.75), ("cy", 0.6)):
                if rng.random() < 0.15:
                    row.append(np.nan)
                    continue
                value = truth if rng.random() < skill else int(rng.integers(0, 3))
                begin = claim_start + int(rng.integers(-4, 5))
                by_annotator[name].append(span(begin, begin + 20 + int(rng.integers(0, 8)), stance=STANCES[value]))
                row.append(value)
            matrix.append(row)
        passages.append((start, start + 100, by_annotator))
    return passages, np.array(matrix).T


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sub_field_alpha_over_matched_spans_equals_the_krippendorff_package(seed):
    passages, matrix = simulated_passages(seed)
    stance = figures_of(passages)["sub_fields"]["stance"]
    assert stance["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    low, high = stance["alpha_ci"]
    assert low < stance["alpha"] < high


def test_a_multi_sub_field_is_compared_with_masi_over_the_sets_that_occur():
    passages = [
        (0, 30, {"ada": [span(0, 10, kinds=["number", "quote"])], "bob": [span(1, 10, kinds=["number"])]}),
        (30, 60, {"ada": [span(30, 40, kinds=["event"])], "bob": [span(31, 39, kinds=["event"])]}),
        (60, 90, {"ada": [span(60, 70, kinds=["quote"])], "bob": [span(61, 70, kinds=["number"])]}),
    ]
    kinds = figures_of(passages, sub_fields=(KINDS,))["sub_fields"]["kinds"]
    data = [
        (coder, f"u{unit}", frozenset(value))
        for unit, values in enumerate(
            [(["number", "quote"], ["number"]), (["event"], ["event"]), (["quote"], ["number"])]
        )
        for coder, value in zip(("ada", "bob"), values, strict=True)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = AnnotationTask(data=data, distance=masi_distance).alpha()
    assert kinds["alpha"] == pytest.approx(expected)
    assert kinds["level"] == "masi" and "alpha_u" not in kinds


# --- evidence ----------------------------------------------------------------------------------


def record(url, relation):
    return {"url": url, "relation": relation}


def test_evidence_inside_spans_relation_alpha_and_shared_sources():
    passages = [
        (
            0,
            40,
            {
                "ada": [span(0, 10, evidence=[record("https://a.org/1", "supports")])],
                "bob": [
                    span(2, 10, evidence=[record("https://a.org/1", "supports"), record("https://b.org", "refutes")])
                ],
            },
        ),
        (
            40,
            80,
            {
                "ada": [span(40, 50, evidence=[record("https://c.org", "refutes")])],
                "bob": [span(41, 50, evidence=[record("https://d.org", "refutes")])],
            },
        ),
        (80, 99, {"ada": [span(80, 90)], "bob": [span(80, 90, evidence=[record("https://e.org", "supports")])]}),
    ]
    evidence = figures_of(passages, sub_fields=(), evidence=(EVIDENCE,))["evidence"]["evidence"]
    # Jaccard of the URL sets where both cited: {1} vs {1, b}: 1/2; {c} vs {d}: 0.
    assert evidence["same_source"] == pytest.approx(0.25)
    assert evidence["source_pairs"] == 2
    data = [
        ("ada", "u0", frozenset({"supports"})),
        ("bob", "u0", frozenset({"supports", "refutes"})),
        ("ada", "u1", frozenset({"refutes"})),
        ("bob", "u1", frozenset({"refutes"})),
        ("bob", "u2", frozenset({"supports"})),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = AnnotationTask(data=data, distance=masi_distance).alpha()
    assert evidence["alpha"] == pytest.approx(expected)
    assert (evidence["units"], evidence["pairable_values"], evidence["label"]) == (2, 4, "Evidence")


def test_passage_level_evidence_leaves_out_label_sets_without_a_record():
    values = [
        [record("https://a.org", "supports")],
        [record("https://a.org", "supports"), record("https://b.org", "supports")],
        None,
        [record("https://c.org", "refutes")],
        [record("https://c.org", "refutes")],
    ]
    cited = PassageCitations.of(np.array([0, 0, 0, 1, 1]), np.array([0, 1, 2, 0, 1]), values)
    figures = evidence_figures(cited.unit, cited.coder, cited.cited, n_coders=3)
    assert figures["alpha"] == pytest.approx(1.0)
    assert figures["same_source"] == pytest.approx((0.5 + 1.0) / 2)
    assert (figures["units"], figures["pairable_values"], figures["source_pairs"]) == (2, 4, 2)


def test_an_answer_that_is_no_option_counts_as_no_answer():
    passages = [(0, 20, {"ada": [span(0, 5, stance=["favor"]), span(8, 12, stance="cannot tell")], "bob": None})]
    answers, _ = answers_of(passages)
    assert answers.sub_answers["stance"].tolist() == [-1, -1]
