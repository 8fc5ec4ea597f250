"""Krippendorff's alpha for unitizing (alpha-u), its bootstrap interval, and pairwise span F1.

The published values are those DKPro Statistics asserts for Krippendorff's worked examples, to the
tolerances it asserts them (dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/
agreement/unitizing/Krippendorff1995Test.java and Krippendorff2004Test.java); only the data and
the numbers are taken from there.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import unitizing
from annotator.agreement.unitizing import (
    Continuum,
    Unitizations,
    macro_span_f1,
    pairwise_span_f1,
    unitizing_alpha,
    unitizing_alpha_confidence_interval,
    unitizing_alpha_intervals,
    unitizing_alpha_with_intervals,
)
from tests.agreement import unitizing_reference as reference

EXAMPLES = settings(max_examples=150, deadline=None)

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: characters 150..450, two observers,
# categories c and k, units as (offset, length).
KRIPPENDORFF_2004 = {
    "i": [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")],
    "j": [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")],
}

# Krippendorff (1995), "On the reliability of unitizing continuous data", p. 57: four pairs of
# observers (A: Bertha and Bill, B: John and Jill, C: Gerret and Gill, D: Heather and Hill) on a
# continuum of 24; as in DKPro, each pair is one category of a two-observer study.
KRIPPENDORFF_1995 = {
    0: [
        *[(2, 8, "A"), (14, 6, "A")],
        (0, 18, "B"),
        *[(2, 6, "C"), (10, 2, "C"), (14, 4, "C"), (20, 2, "C")],
        *[(0, 2, "D"), (2, 8, "D"), (10, 4, "D"), (14, 6, "D"), (20, 4, "D")],
    ],
    1: [
        *[(4, 4, "A"), (15, 2, "A")],
        *[(0, 2, "B"), (2, 1, "B"), (3, 1, "B"), (4, 1, "B"), (5, 1, "B"), (6, 3, "B"), (9, 1, "B")],
        *[(0, 2, "C"), (4, 4, "C"), (10, 4, "C"), (16, 2, "C"), (20, 2, "C")],
        *[(0, 4, "D"), (4, 4, "D"), (8, 7, "D"), (15, 2, "D"), (17, 7, "D")],
    ],
}


def continuum_of_units(begin: int, length: int, units: dict, stretch: float = 1) -> Continuum:
    """A Continuum from (offset, length, label) units, every number stretched and truncated as
    DKPro's examples do."""

    def scaled(value):
        return int(value * stretch)

    spans = {
        annotator: [(scaled(offset), scaled(offset) + scaled(size), label) for offset, size, label in annotator_units]
        for annotator, annotator_units in units.items()
    }
    return Continuum(scaled(begin), scaled(begin) + scaled(length), spans)


# --- the published examples -----------------------------------------------------------------


def test_krippendorff_2004_example_per_category_and_overall():
    result = unitizing_alpha([continuum_of_units(150, 300, KRIPPENDORFF_2004)])
    c, k = result.labels["c"], result.labels["k"]
    assert c.observed == pytest.approx(0.0144, abs=0.0001)
    assert c.expected == pytest.approx(0.0532, abs=0.0001)
    assert c.alpha == pytest.approx(0.7286, abs=0.0001)
    assert k.observed == pytest.approx(0.0, abs=0.0001)
    assert k.expected == pytest.approx(0.0490, abs=0.0001)
    assert k.alpha == pytest.approx(1.0, abs=0.0001)
    assert result.overall.alpha == pytest.approx(0.8591, abs=0.0005)


def test_krippendorff_1995_example_observed_disagreement():
    labels = unitizing_alpha([continuum_of_units(0, 24, KRIPPENDORFF_1995)]).labels
    observed = {label: disagreement.observed for label, disagreement in labels.items()}
    assert observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=0.00001)


def test_krippendorff_1995_example_on_a_long_continuum_gives_the_papers_expected_disagreement_and_alpha():
    """The 1995 paper treats the continuum as continuous; the discrete formula approaches it
    as the continuum is cut into more characters (here 1,200,000)."""
    labels = unitizing_alpha([continuum_of_units(0, 24, KRIPPENDORFF_1995, stretch=50_000)]).labels
    expected = {label: disagreement.expected for label, disagreement in labels.items()}
    alphas = {label: disagreement.alpha for label, disagreement in labels.items()}
    assert expected == pytest.approx({"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}, abs=0.005)
    assert alphas == pytest.approx({"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}, abs=0.02)


def test_krippendorff_1995_example_expected_disagreement_depends_on_the_continuums_resolution():
    # Halved, B's one-character units would vanish; C's units survive, and C is what DKPro checks.
    c_units = {observer: [unit for unit in units if unit[2] == "C"] for observer, units in KRIPPENDORFF_1995.items()}
    short = unitizing_alpha([continuum_of_units(0, 24, c_units, stretch=0.5)]).labels["C"]
    assert short.observed == pytest.approx(0.02777, abs=0.00001)
    assert short.expected == pytest.approx(0.05494, abs=0.00001)
    assert short.alpha == pytest.approx(0.494, abs=0.02)


# --- a brute-force implementation straight from the formula ---------------------------------


def sections(units, begin, end):
    """One annotator's sections of one label: (start, length, is_unit), gaps in between."""
    result, position = [], begin
    for start, stop in sorted(units):
        if start > position:
            result.append((position, start - position, False))
        result.append((start, stop - start, True))
        position = stop
    if position < end:
        result.append((position, end - position, False))
    return result


def distance(first, second):
    (first_start, first_length, first_unit), (second_start, second_length, second_unit) = first, second
    first_end, second_end = first_start + first_length, second_start + second_length
    if first_unit and second_unit and first_start < second_end and second_start < first_end:
        return (first_start - second_start) ** 2 + (first_end - second_end) ** 2
    if first_unit and not second_unit and second_start <= first_start and first_end <= second_end:
        return first_length**2
    if second_unit and not first_unit and first_start <= second_start and second_end <= first_end:
        return second_length**2
    return 0


def brute_force_disagreement(continua, label):
    """(D_o, D_e) of one label by looping over every pair of sections, passages pooled."""
    pairable = [continuum for continuum in continua if len(continuum.spans) >= 2]
    total_length = sum(continuum.length for continuum in pairable)
    all_units, all_gaps, distances, pairs, values = [], [], 0, 0, 0
    for continuum in pairable:
        unitizations = [
            sections([(s, e) for s, e, span_label in spans if span_label == label], continuum.start, continuum.end)
            for spans in continuum.spans.values()
        ]
        m = len(unitizations)
        for i, first in enumerate(unitizations):
            for j, second in enumerate(unitizations):
                if i != j:
                    distances += sum(distance(g, h) for g in first for h in second)
            all_units += [length for _, length, unit in first if unit]
            all_gaps += [length for _, length, unit in first if not unit]
        pairs += m * (m - 1) * continuum.length
        values += m * continuum.length
    observed = distances / (total_length * pairs)
    n_units = len(all_units)
    numerator = sum(
        (n_units - 1) / 3 * (2 * u**3 - 3 * u**2 + u) + u**2 * sum(g - u + 1 for g in all_gaps if g >= u)
        for u in all_units
    )
    denominator = values * (values - 1) - sum(u * (u - 1) for u in all_units)
    return observed, 2 / total_length * numerator / denominator


@st.composite
def unitizations(draw, length, labels="ab"):
    """One annotator's spans: per label, consecutive pairs of sorted cut points, adjacent
    spans included."""
    spans = []
    for label in labels:
        points = sorted(draw(st.lists(st.integers(0, length), max_size=6)))
        spans += [(start, end, label) for start, end in zip(points[::2], points[1::2], strict=False) if start < end]
    return spans


@st.composite
def continua(draw, max_continua=3):
    result = []
    for _ in range(draw(st.integers(1, max_continua))):
        start, length = draw(st.integers(0, 50)), draw(st.integers(1, 25))
        annotators = draw(st.integers(1, 4))
        spans = {annotator: draw(unitizations(length)) for annotator in range(annotators)}
        shifted = {annotator: [(s + start, e + start, label) for s, e, label in v] for annotator, v in spans.items()}
        result.append(Continuum(start, start + length, shifted))
    return result


@EXAMPLES
@given(continua())
def test_alpha_u_equals_the_formula_computed_pair_by_pair(data):
    result = unitizing_alpha(data)
    for label, disagreement in result.labels.items():
        observed, expected = brute_force_disagreement(data, label)
        assert disagreement.observed == pytest.approx(observed, rel=1e-9, abs=1e-12)
        assert disagreement.expected == pytest.approx(expected, rel=1e-9, abs=1e-12)


# --- properties -----------------------------------------------------------------------------


def shifted(continuum: Continuum, offset: int) -> Continuum:
    spans = {a: [(s + offset, e + offset, label) for s, e, label in v] for a, v in continuum.spans.items()}
    return Continuum(continuum.start + offset, continuum.end + offset, spans)


def figures(result) -> dict[str, float]:
    """Every disagreement of a result, by name: what two results must share to be the same."""
    named = {"overall": result.overall, **{f"label {label}": d for label, d in result.labels.items()}}
    return {f"{name} {kind}": getattr(d, kind) for name, d in named.items() for kind in ("observed", "expected")}


@EXAMPLES
@given(continua(), st.integers(0, 1000))
def test_shifting_every_span_changes_nothing(data, offset):
    moved = [shifted(continuum, offset) for continuum in data]
    assert figures(unitizing_alpha(moved)) == pytest.approx(figures(unitizing_alpha(data)), nan_ok=True)


@EXAMPLES
@given(continua())
def test_alpha_u_is_symmetric_in_annotators(data):
    renamed = [
        Continuum(c.start, c.end, {f"annotator {9 - a}": spans for a, spans in reversed(list(c.spans.items()))})
        for c in data
    ]
    assert figures(unitizing_alpha(renamed)) == pytest.approx(figures(unitizing_alpha(data)), nan_ok=True)


@EXAMPLES
@given(st.integers(1, 30).flatmap(lambda length: st.tuples(st.just(length), unitizations(length))), st.integers(2, 4))
def test_identical_spans_give_alpha_one_for_every_label(length_and_spans, annotators):
    length, spans = length_and_spans
    result = unitizing_alpha([Continuum(0, length, dict.fromkeys(range(annotators), spans))])
    # Expected disagreement is 0 (alpha undefined) only when nothing could be placed otherwise:
    # one-character units and no gaps.
    assert all(d.observed == 0 and (d.alpha == pytest.approx(1.0) or d.expected == 0) for d in result.labels.values())
    if result.overall.expected > 0:
        assert result.overall.alpha == pytest.approx(1.0)
    assert result.overall.expected > 0 or all(end - start == 1 for start, end, _ in spans)


# --- edge cases -----------------------------------------------------------------------------


def test_perfect_agreement_on_several_passages():
    passages = [
        Continuum(0, 40, {"ada": [(3, 12, "claim")], "bob": [(3, 12, "claim")]}),
        Continuum(
            40, 90, {"ada": [(50, 60, "claim"), (70, 80, "claim")], "bob": [(50, 60, "claim"), (70, 80, "claim")]}
        ),
    ]
    result = unitizing_alpha(passages)
    assert result.overall.alpha == 1.0
    assert result.labels["claim"].alpha == 1.0
    assert result.continua == 2


def test_annotators_who_mark_different_stretches_disagree_more_than_chance():
    halves = Continuum(0, 20, {"ada": [(0, 10, "claim")], "bob": [(10, 20, "claim")]})
    one_sees_a_claim = Continuum(0, 10, {"ada": [(0, 10, "claim")], "bob": []})
    assert unitizing_alpha([halves]).overall.alpha < 0
    assert unitizing_alpha([one_sees_a_claim]).overall.alpha < 0


def test_a_label_on_the_same_words_but_a_different_name_is_disagreement():
    swapped = Continuum(
        0, 30, {"ada": [(5, 15, "for"), (20, 25, "against")], "bob": [(5, 15, "against"), (20, 25, "for")]}
    )
    result = unitizing_alpha([swapped])
    assert result.overall.alpha < 0
    assert result.labels["for"].observed > 0


def test_alpha_u_is_undefined_without_spans_or_without_a_second_annotator():
    nobody_marked = unitizing_alpha([Continuum(0, 10, {"ada": [], "bob": []})])
    assert math.isnan(nobody_marked.overall.alpha) and nobody_marked.labels == {}
    alone = unitizing_alpha([Continuum(0, 10, {"ada": [(2, 5, "claim")]})])
    assert math.isnan(alone.overall.alpha) and alone.continua == 0
    assert math.isnan(unitizing_alpha([]).overall.alpha)


def test_a_label_only_one_passage_used_still_counts_the_others_gaps():
    used = Continuum(0, 10, {"ada": [(2, 5, "claim")], "bob": [(2, 6, "claim")]})
    empty = Continuum(10, 30, {"ada": [], "bob": []})
    alone, pooled = unitizing_alpha([used]).labels["claim"], unitizing_alpha([used, empty]).labels["claim"]
    assert pooled.observed < alone.observed
    assert pooled.alpha != pytest.approx(alone.alpha)


def test_passages_with_one_annotator_drop_out():
    pair = Continuum(0, 10, {"ada": [(2, 5, "claim")], "bob": [(2, 6, "claim")]})
    lone = Continuum(10, 30, {"ada": [(12, 20, "claim")]})
    assert figures(unitizing_alpha([pair, lone])) == figures(unitizing_alpha([pair]))


@pytest.mark.parametrize(
    ("start", "end", "spans", "message"),
    [
        (5, 5, {}, "start < end"),
        (0, 10, {"ada": [(8, 12, "claim")]}, "outside"),
        (0, 10, {"ada": [(4, 4, "claim")]}, "empty"),
        (0, 10, {"ada": [(1, 5, "claim"), (4, 8, "claim")]}, "overlap"),
    ],
)
def test_invalid_spans_are_refused(start, end, spans, message):
    with pytest.raises(ValueError, match=message):
        Continuum(start, end, spans)


def test_overlapping_spans_with_different_labels_are_allowed():
    Continuum(0, 10, {"ada": [(1, 5, "claim"), (4, 8, "evidence")]})


# --- the bootstrap interval -----------------------------------------------------------------


def noisy_passages(n_passages: int, seed: int, annotators: int = 3) -> list[Continuum]:
    """Annotators who find a passage's claim (and sometimes a second one) with jittered edges,
    now and then missing it or giving it the other label."""
    rng = np.random.default_rng(seed)
    passages, start = [], 0
    for _ in range(n_passages):
        length = int(rng.integers(40, 120))
        claim_start = start + int(rng.integers(0, length // 2))
        claim_end = claim_start + int(rng.integers(5, length // 2))
        label = str(rng.choice(["claim", "opinion"]))
        spans = {}
        for annotator in range(annotators):
            if rng.random() < 0.15:
                spans[annotator] = []
                continue
            begin = max(start, claim_start + int(rng.integers(-3, 4)))
            end = max(begin + 1, min(start + length, claim_end + int(rng.integers(-3, 4))))
            their_label = label if rng.random() < 0.85 else ("opinion" if label == "claim" else "claim")
            spans[annotator] = [(begin, end, their_label)]
        passages.append(Continuum(start, start + length, spans))
        start += length
    return passages


def naive_bootstrap_interval(passages, resamples, seed):
    """The textbook bootstrap: draw passages with replacement, one resample at a time."""
    rng = np.random.default_rng(seed)
    alphas = [
        unitizing_alpha([passages[i] for i in rng.integers(0, len(passages), len(passages))]).overall.alpha
        for _ in range(resamples)
    ]
    return tuple(np.quantile(alphas, [0.025, 0.975]))


def test_bootstrap_interval_is_reproducible_and_surrounds_the_estimate():
    passages = noisy_passages(60, seed=1)
    interval = unitizing_alpha_confidence_interval(passages, seed=11)
    assert unitizing_alpha_confidence_interval(passages, seed=11) == interval
    assert unitizing_alpha_confidence_interval(passages, seed=12) != interval
    low, high = interval
    assert low < unitizing_alpha(passages).overall.alpha < high
    low, high = unitizing_alpha_confidence_interval(passages, label="claim", seed=11)
    assert low < unitizing_alpha(passages).labels["claim"].alpha < high


def test_bootstrap_over_draw_counts_matches_resampling_passages():
    passages = noisy_passages(30, seed=2)
    fast = unitizing_alpha_confidence_interval(passages, resamples=1000, seed=3)
    naive = naive_bootstrap_interval(passages, resamples=1000, seed=4)
    assert fast == pytest.approx(naive, abs=0.03)


def test_bootstrap_interval_is_nan_when_alpha_u_is_undefined():
    nobody_marked = [Continuum(0, 10, {"ada": [], "bob": []})]
    assert all(math.isnan(end) for end in unitizing_alpha_confidence_interval(nobody_marked))
    assert all(math.isnan(end) for end in unitizing_alpha_confidence_interval(noisy_passages(5, 3), label="unused"))


def test_bootstrap_rejects_meaningless_settings():
    passages = noisy_passages(5, seed=4)
    with pytest.raises(ValueError, match="resamples"):
        unitizing_alpha_confidence_interval(passages, resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        unitizing_alpha_confidence_interval(passages, confidence=1.0)


# --- span F1 --------------------------------------------------------------------------------


def test_span_f1_exact_and_overlap_for_one_pair():
    passage = Continuum(
        0,
        30,
        {"ada": [(0, 5, "claim"), (10, 15, "claim")], "bob": [(0, 5, "claim"), (11, 14, "claim"), (20, 25, "claim")]},
    )
    f1 = pairwise_span_f1([passage])[("ada", "bob")]
    assert f1.exact == pytest.approx(2 * 1 / (2 + 3))
    precision, recall = 2 / 2, 2 / 3
    assert f1.overlap == pytest.approx(2 * precision * recall / (precision + recall))
    assert (f1.first_spans, f1.second_spans, f1.continua) == (2, 3, 1)


def test_span_f1_needs_the_same_label_and_sums_over_shared_passages():
    passages = [
        Continuum(0, 10, {"ada": [(0, 5, "for")], "bob": [(0, 5, "against")], "cy": [(1, 5, "for")]}),
        Continuum(10, 20, {"ada": [(12, 15, "for")], "bob": [(12, 15, "for")]}),
    ]
    pairs = pairwise_span_f1(passages)
    assert pairs[("ada", "bob")].exact == pytest.approx(0.5)
    assert pairs[("ada", "bob")].overlap == pytest.approx(0.5)
    assert pairs[("ada", "cy")].exact == 0 and pairs[("ada", "cy")].overlap == 1
    assert pairs[("bob", "cy")].overlap == 0
    assert pairs[("ada", "bob")].continua == 2 and pairs[("ada", "cy")].continua == 1
    assert macro_span_f1(pairs) == pytest.approx(((0.5 + 0 + 0) / 3, (0.5 + 1 + 0) / 3))


def test_span_f1_is_nan_when_neither_marked_a_span():
    pairs = pairwise_span_f1([Continuum(0, 10, {"ada": [], "bob": []})])
    assert math.isnan(pairs[("ada", "bob")].exact) and math.isnan(pairs[("ada", "bob")].overlap)
    assert all(math.isnan(value) for value in macro_span_f1(pairs))


@EXAMPLES
@given(continua(max_continua=2))
def test_span_f1_is_symmetric_and_one_for_identical_spans(data):
    for continuum in data:
        swapped = Continuum(continuum.start, continuum.end, {-a: v for a, v in continuum.spans.items()})
        for (first, second), f1 in pairwise_span_f1([continuum]).items():
            mirrored = pairwise_span_f1([swapped])[(-second, -first)]
            assert (f1.exact, f1.overlap) == pytest.approx((mirrored.exact, mirrored.overlap), nan_ok=True)
        some = next(iter(continuum.spans.values()))
        if some:
            same = pairwise_span_f1([Continuum(continuum.start, continuum.end, {0: some, 1: some})])[(0, 1)]
            assert (same.exact, same.overlap) == (1.0, 1.0)


def test_a_resample_is_the_passages_drawn_each_as_often_as_drawn():
    passages = noisy_passages(12, seed=5)
    draws = np.random.default_rng(7).multinomial(len(passages), np.full(len(passages), 1 / len(passages)))
    drawn = [passage for passage, count in zip(passages, draws, strict=True) for _ in range(count)]
    low, high = unitizing_alpha_confidence_interval(passages, resamples=1, seed=7)
    assert low == high == pytest.approx(unitizing_alpha(drawn).overall.alpha)


# --- the vectorised computation against the per-passage one it replaced --------------------


def as_reference(data: list[Continuum]) -> list[reference.Continuum]:
    return [reference.Continuum(continuum.start, continuum.end, continuum.spans) for continuum in data]


@EXAMPLES
@given(continua(max_continua=4))
def test_alpha_u_and_span_f1_equal_the_per_passage_implementation(data):
    ours, theirs = unitizing_alpha(data), reference.unitizing_alpha(as_reference(data))
    assert figures(ours) == pytest.approx(figures(theirs), rel=1e-9, abs=1e-12, nan_ok=True)
    assert ours.continua == theirs.continua
    f1, their_f1 = pairwise_span_f1(data), reference.pairwise_span_f1(as_reference(data))
    assert f1.keys() == their_f1.keys()
    for pair, value in f1.items():
        assert (value.exact, value.overlap) == pytest.approx(
            (their_f1[pair].exact, their_f1[pair].overlap), nan_ok=True
        )
        assert (value.first_spans, value.second_spans, value.continua) == (
            their_f1[pair].first_spans,
            their_f1[pair].second_spans,
            their_f1[pair].continua,
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_many_passages_give_the_per_passage_implementations_values(seed):
    passages = noisy_passages(400, seed=seed, annotators=2 + seed % 2)
    ours, theirs = unitizing_alpha(passages), reference.unitizing_alpha(as_reference(passages))
    assert figures(ours) == pytest.approx(figures(theirs), rel=1e-9)
    intervals = unitizing_alpha_intervals(passages, resamples=200, seed=seed)
    assert intervals.overall == pytest.approx(
        reference.unitizing_alpha_confidence_interval(as_reference(passages), resamples=200, seed=seed), rel=1e-9
    )
    assert intervals.labels["claim"] == pytest.approx(
        reference.unitizing_alpha_confidence_interval(as_reference(passages), "claim", resamples=200, seed=seed),
        rel=1e-9,
    )
    assert macro_span_f1(pairwise_span_f1(passages)) == pytest.approx(
        reference.macro_span_f1(reference.pairwise_span_f1(as_reference(passages)))
    )


def test_beyond_the_block_limit_resampling_blocks_of_passages_matches_resampling_passages(monkeypatch):
    passages = noisy_passages(600, seed=8)
    exact = reference.unitizing_alpha_confidence_interval(as_reference(passages), resamples=1000, seed=1)
    monkeypatch.setattr(unitizing, "BOOTSTRAP_BLOCKS", 200)  # blocks of three passages
    blocked = unitizing_alpha_confidence_interval(passages, resamples=1000, seed=1)
    assert blocked != pytest.approx(exact, rel=1e-9)  # a different resampling ...
    assert blocked == pytest.approx(exact, abs=0.01)  # ... of the same spread
    assert blocked[1] - blocked[0] == pytest.approx(exact[1] - exact[0], rel=0.1)


def test_arrays_give_what_continua_give():
    passages = noisy_passages(50, seed=9)
    arrays = Unitizations.of(passages)
    assert figures(unitizing_alpha(arrays)) == figures(unitizing_alpha(passages))
    alpha, intervals = unitizing_alpha_with_intervals(arrays, resamples=100, seed=2)
    assert figures(alpha) == figures(unitizing_alpha(passages))
    assert intervals.overall == unitizing_alpha_confidence_interval(passages, resamples=100, seed=2)


def test_arrays_with_overlapping_spans_of_one_label_are_refused_by_alpha_u_only():
    passage = Unitizations(
        continuum_start=np.array([0]),
        continuum_end=np.array([20]),
        segmentation_continuum=np.array([0, 0]),
        segmentation_coder=np.array([0, 1]),
        span_segmentation=np.array([0, 0, 1]),
        span_start=np.array([2, 4, 2]),
        span_end=np.array([8, 10, 8]),
        span_label=np.array([0, 0, 0]),
        labels=("claim",),
        coders=("ada", "bob"),
    )
    with pytest.raises(ValueError, match="'ada' labelled 'claim' overlap at 4"):
        unitizing_alpha(passage)
    f1 = pairwise_span_f1(passage)[("ada", "bob")]
    assert (f1.exact, f1.overlap) == (pytest.approx(2 / 3), 1.0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"continuum_end": np.array([0])}, "start < end"),
        ({"span_end": np.array([25, 10, 8])}, "'ada' is empty or outside 0..20"),
        ({"segmentation_coder": np.array([1, 1])}, "twice"),
    ],
)
def test_invalid_arrays_are_refused(change, message):
    columns = {
        "continuum_start": np.array([0]),
        "continuum_end": np.array([20]),
        "segmentation_continuum": np.array([0, 0]),
        "segmentation_coder": np.array([0, 1]),
        "span_segmentation": np.array([0, 0, 1]),
        "span_start": np.array([2, 9, 2]),
        "span_end": np.array([8, 10, 8]),
        "span_label": np.array([0, 0, 0]),
        "labels": ("claim",),
        "coders": ("ada", "bob"),
    }
    with pytest.raises(ValueError, match=message):
        Unitizations(**(columns | change))
