"""Every agreement figure of a project, from its LabelTable: per field (alpha with its bootstrap
interval, percent agreement, Fleiss' kappa where it applies, the distribution of values, gold
labels and their sources, the confusion of annotators' values against gold), per pair of
annotators (Cohen's kappa), per annotator (agreement with the others and with adjudications,
Dawid-Skene accuracy, pace), per week (alpha), per span field (agreement/spans.py: alpha-u,
span F1, its sub-fields over matched spans) and per evidence field at passage level (relation
alpha, shared sources). Pure; the result is plain JSON."""

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from annotator.agreement.dawid_skene import dawid_skene, estimable_coders
from annotator.agreement.estimates import estimate_from_parameters, uniform_confusion
from annotator.agreement.fields import MeasuredField
from annotator.agreement.gold import Gold, aggregate
from annotator.agreement.kappa import (
    agreement_with_reference,
    coder_agreement,
    confusion_matrix,
    confusion_with_reference,
    fleiss_kappa,
    paired_values,
    pairwise_kappas,
)
from annotator.agreement.reliability import (
    alpha_confidence_interval,
    krippendorff_alpha,
    pairable_units,
    pairable_values,
    percent_agreement,
)
from annotator.agreement.spans import evidence_figures, span_field_figures
from annotator.agreement.table import NONE, LabelTable

GOLD_SOURCES = ("adjudicated", "unanimous", "majority", "estimated", "single")
NOT_ESTIMABLE = "not estimable: shares no passage with another annotator"


def compute_figures(table: LabelTable, resamples: int = 1000, seed: int = 0) -> dict:
    """All figures, JSON-ready (NaN becomes None). A project with span or evidence fields has
    their figures computed in a second thread meanwhile: both halves are mostly NumPy's array
    work, which runs without the interpreter's lock, so on two cores they overlap (at 100,000
    passages with a span field, about a third less time); the results are the same either way."""
    with ThreadPoolExecutor(max_workers=1) as beside:
        records = beside.submit(_record_figures, table, resamples, seed) if table.spans or table.evidence else None
        estimates, golds = fit_gold(table)
        fields = {
            field.name: _field_figures(table, field, golds.get(field.name), resamples, seed) for field in table.fields
        }
        for name, estimate in estimates.items():
            fields[name]["dawid_skene"] = _parameters(table, estimate)
        figures = {
            "units": table.n_units,
            "label_sets": int(len(table.unit)),
            "fields": fields,
            "pairs": [pair for field in table.fields for pair in _pairs(table, field)],
            "annotators": _annotators(table, estimates),
            "weeks": _weekly_alpha(table),
        }
        spans, evidence = records.result() if records is not None else ({}, {})
    return _json_ready(figures | {"spans": spans, "evidence": evidence})


def _record_figures(table: LabelTable, resamples: int, seed: int) -> tuple[dict, dict]:
    """The figures of the span fields and of the passage-level evidence fields."""
    spans = {
        name: span_field_figures(answers, field, resamples, seed) for name, (field, answers) in table.spans.items()
    }
    evidence = {
        name: {"label": field.label}
        | evidence_figures(cited.unit, cited.coder, cited.cited, table.n_coders, resamples, seed)
        for name, (field, cited) in table.evidence.items()
    }
    return spans, evidence


def fitted_parameters(table: LabelTable) -> dict:
    """Per field, the Dawid-Skene parameters of a fit on the whole table (as in the figures),
    one field at a time and without gold labels: an export wants only the parameters."""
    parameters = {}
    for field in _with_gold(table):
        ratings = table.ratings(field)
        parameters[field.name] = _parameters(table, dawid_skene(ratings)) if len(ratings.unit) else None
    return parameters


def fit_gold(table: LabelTable, parameters: dict | None = None) -> tuple[dict, dict[str, Gold]]:
    """Per field: the Dawid-Skene estimate and the gold labels, a conditional field's gold
    kept only where the gold of the field it depends on asks it. With `parameters` (a
    figures' "dawid_skene" per field) the model is not fitted again: the units get the
    posteriors of the earlier whole-project fit (an export streaming a chunk at a time)."""
    estimates, golds = {}, {}
    for field in _with_gold(table):
        ratings = table.ratings(field)
        if parameters is not None:
            estimates[field.name] = _estimate(table, field, ratings, parameters.get(field.name))
        else:
            estimates[field.name] = dawid_skene(ratings) if len(ratings.unit) else None
        golds[field.name] = aggregate(ratings, table.adjudicated[field.name], estimates[field.name])
    by_name = {field.name: field for field in table.fields}
    for field in _with_gold(table):
        if field.asked_when is not None:
            golds[field.name] = _only_where_asked(golds[field.name], golds, by_name, field.asked_when)
    return estimates, golds


def _with_gold(table: LabelTable) -> list[MeasuredField]:
    """The fields gold is estimated on (a multi field's set gets its gold option by option)."""
    return [field for field in table.fields if field.has_gold]


def _estimate(table: LabelTable, field: MeasuredField, ratings, fitted: dict | None):
    """The fit's posteriors for these units; as in the fit, the values of annotators it has no
    confusion matrix for (not estimable) are not used."""
    if fitted is None or not len(ratings.unit):
        return None
    categories = len(field.categories)
    known = {int(coder): np.asarray(matrix) for coder, matrix in fitted["confusion"].items() if matrix is not None}
    confusion = (
        np.stack([known.get(coder, uniform_confusion(categories)) for coder in table.coder_ids])
        if table.coder_ids
        else np.zeros((0, categories, categories))
    )
    used = np.asarray([coder in known for coder in table.coder_ids], dtype=bool)
    return estimate_from_parameters(ratings.of_coders(used), np.asarray(fitted["priors"]), confusion)


def _only_where_asked(gold: Gold, golds: dict[str, Gold], by_name: dict[str, MeasuredField], asked_when) -> Gold:
    controlling, excluded = asked_when
    categories = np.asarray(by_name[controlling].categories, dtype=object)
    decided = golds[controlling].label
    asked = (decided != NONE) & ~np.isin(categories[np.maximum(decided, 0)], list(excluded))
    return Gold(
        np.where(asked, gold.label, NONE), np.where(asked, gold.source, ""), np.where(asked, gold.probability, np.nan)
    )


def _parameters(table: LabelTable, estimate) -> dict | None:
    """The fit, as JSON: what an export needs to give a passage its posterior without fitting
    again (confusion matrices by annotator id; null for an annotator the fit could not
    estimate, whose values it did not use)."""
    if estimate is None:
        return None
    estimated = ~np.isnan(estimate.accuracy)
    return {
        "iterations": estimate.iterations,
        "converged": estimate.converged,
        "priors": estimate.priors.tolist(),
        "confusion": {
            str(coder): estimate.confusion[index].tolist() if estimated[index] else None
            for index, coder in enumerate(table.coder_ids)
        },
    }


def _field_figures(table: LabelTable, field: MeasuredField, gold: Gold | None, resamples: int, seed: int) -> dict:
    ratings = table.ratings(field)
    fleiss = fleiss_kappa(ratings)
    low, high = alpha_confidence_interval(ratings, field.level, field.category_values, resamples=resamples, seed=seed)
    return {
        "label": field.label,
        "level": field.level,
        "categories": [_category_name(category) for category in field.categories],
        "decision": field.is_decision,
        "kind": field.kind,
        "alpha": krippendorff_alpha(ratings, field.level, field.category_values),
        "alpha_ci": [low, high],
        "units": pairable_units(ratings),
        "pairable_values": pairable_values(ratings),
        "values": int(len(ratings.value)),
        "percent_agreement": percent_agreement(ratings),
        "fleiss_kappa": fleiss.kappa,
        "fleiss_kappa_note": fleiss.reason,
        "distribution": np.bincount(ratings.value, minlength=len(field.categories)).tolist(),
        "gold": None
        if gold is None
        else {
            "sources": {source: int((gold.source == source).sum()) for source in GOLD_SOURCES},
            "distribution": np.bincount(gold.label[gold.label != NONE], minlength=len(field.categories)).tolist(),
            "confusion": confusion_with_reference(ratings, gold.label).tolist(),  # rows: gold, columns: annotators
        },
    }


def _category_name(category) -> str:
    """A category as the dashboard names it (a set of options: its options joined by +)."""
    return " + ".join(category) if isinstance(category, tuple) else category


def _pairs(table: LabelTable, field: MeasuredField) -> list[dict]:
    ratings = table.ratings(field)
    weighted = {None: pairwise_kappas(ratings)}
    if field.level == "ordinal":
        weighted.update({weights: pairwise_kappas(ratings, weights) for weights in ("linear", "quadratic")})
    pairs = []
    for (first, second), (kappa, shared) in weighted[None].items():
        pair = {
            "field": field.name,
            "annotators": [table.coder_names[first], table.coder_names[second]],
            "units": shared,
            "kappa": kappa,
            "confusion": confusion_matrix(*paired_values(ratings, first, second), len(field.categories)).tolist(),
        }
        for weights in ("linear", "quadratic"):
            if weights in weighted:
                pair[f"kappa_{weights}"] = weighted[weights][(first, second)][0]
        pairs.append(pair)
    return pairs


def _annotators(table: LabelTable, estimates: dict) -> list[dict]:
    per_field = {}
    for field in table.fields:
        ratings = table.ratings(field)
        estimate = estimates.get(field.name)
        accuracy = estimate.accuracy if estimate is not None else np.full(table.n_coders, np.nan)
        per_field[field.name] = (
            coder_agreement(ratings),
            agreement_with_reference(ratings, table.adjudicated[field.name]),
            accuracy,
            _accuracy_notes(ratings),
        )
    labels = np.bincount(table.coder, minlength=table.n_coders)
    rows = []
    for coder, name in enumerate(table.coder_names):
        spent = table.seconds[(table.coder == coder) & ~np.isnan(table.seconds)]
        rows.append(
            {
                "username": name,
                "label_sets": int(labels[coder]),
                "median_seconds": float(np.median(spent)) if len(spent) else None,
                "fields": {
                    field: {
                        "agreement": others[coder],
                        "agreement_with_adjudicated": adjudicated[coder],
                        "estimated_accuracy": accuracy[coder],
                        "estimated_accuracy_note": notes[coder],
                    }
                    for field, (others, adjudicated, accuracy, notes) in per_field.items()
                },
            }
        )
    return rows


def _accuracy_notes(ratings) -> list[str | None]:
    """Why an annotator who gave values has no estimated accuracy (None for the others)."""
    gave_values = np.bincount(ratings.coder, minlength=ratings.n_coders) > 0
    return [
        NOT_ESTIMABLE if gave and not estimable else None
        for gave, estimable in zip(gave_values, estimable_coders(ratings), strict=True)
    ]


def _weekly_alpha(table: LabelTable) -> list[dict]:
    """Alpha over the label sets last changed in each week (units need two values that week)."""
    weeks = []
    for index, week in enumerate(table.weeks):
        rows = table.week == index
        fields = {}
        for field in table.fields:
            ratings = table.ratings(field, rows)
            fields[field.name] = {
                "alpha": krippendorff_alpha(ratings, field.level, field.category_values),
                "units": pairable_units(ratings),
            }
        weeks.append({"week": week, "label_sets": int(rows.sum()), "fields": fields})
    return weeks


def _json_ready(value):
    """NaN and NumPy scalars as JSON has them."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value
