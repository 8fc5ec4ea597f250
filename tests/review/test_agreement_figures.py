"""Agreement figures read from the database agree with the statistics computed by hand and
by the reference package on the same labels; conditional fields count where they were asked."""

import json
import re

import krippendorff
import numpy as np
import pytest

from annotator.extensions import db
from annotator.project_agreement.snapshot import agreement_figures
from tests.review.conftest import LABELS

CLAIM_TYPES = [
    "no_claim",
    "opinion",
    "quantity",
    "event",
    "causal",
    "rule",
    "prediction",
    "personal_experience",
    "other_claim",
]
STANCES = ["favor", "against", "neutral", "unrelated"]


def reliability(part: int, categories: list[str]) -> np.ndarray:
    """annotators x passages, NaN where the field has no value (no claim: no stance)."""

    def value(code):
        if code == "-":
            return categories.index("no_claim") if part == 0 else np.nan
        return categories.index(code.split("/")[part])

    return np.array([[value(code) for code in codes] for codes in LABELS.values()], dtype=float)


def test_alpha_per_field_matches_the_reference_package(labelled):
    figures = agreement_figures(db.session, labelled).figures
    claim = reliability(0, CLAIM_TYPES)
    stance = reliability(1, STANCES)
    decision = (claim != 0).astype(float)
    for name, data in (("claim_type", claim), ("stance", stance), ("claim_type:no_claim", decision)):
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert figures["fields"][name]["alpha"] == pytest.approx(expected, abs=1e-9), name
    assert figures["fields"]["stance"]["units"] == 4  # passages where at least two annotators gave a stance
    assert figures["fields"]["stance"]["pairable_values"] == 11
    assert figures["fields"]["claim_type"]["fleiss_kappa"] is not None
    assert figures["fields"]["stance"]["fleiss_kappa"] is None  # 2 or 3 stances per passage
    assert "same number of raters" in figures["fields"]["stance"]["fleiss_kappa_note"]
    low, high = figures["fields"]["claim_type"]["alpha_ci"]
    assert low <= figures["fields"]["claim_type"]["alpha"] <= high


def test_gold_sources_and_annotators(labelled):
    figures = agreement_figures(db.session, labelled).figures
    sources = figures["fields"]["claim_type"]["gold"]["sources"]
    assert sources["unanimous"] == 4 and sources["majority"] + sources["estimated"] == 2 and sources["adjudicated"] == 0
    assert [a["username"] for a in figures["annotators"]] == ["ada", "bob", "cy"]
    assert all(a["label_sets"] == 6 for a in figures["annotators"])
    pairs = {tuple(p["annotators"]): p for p in figures["pairs"] if p["field"] == "claim_type"}
    assert set(pairs) == {("ada", "bob"), ("ada", "cy"), ("bob", "cy")} and pairs[("ada", "bob")]["units"] == 6
    assert json.loads(json.dumps(figures)) == figures  # plain JSON


def test_figures_are_kept_until_a_label_or_a_decision_changes(labelled, make_user):
    first = agreement_figures(db.session, labelled)
    db.session.commit()
    again = agreement_figures(db.session, labelled)
    assert first.fresh and not again.fresh and again.figures == first.figures
    from annotator.review.adjudicating import adjudicate

    reviewer = make_user("rev", "reviewer")
    adjudicate(
        db.session,
        labelled,
        labelled.passages[2].id,
        reviewer,
        {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"},
    )
    db.session.commit()
    changed = agreement_figures(db.session, labelled)
    assert changed.fresh and changed.figures["fields"]["claim_type"]["gold"]["sources"]["adjudicated"] == 1


def test_the_agreement_command_prints_the_figures_and_their_json(runner, labelled):
    result = runner.invoke(args=["agreement", "Bike lanes", "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    for name in ("claim_type", "stance", "verifiability", "claim_type:no_claim"):
        field = figures["fields"][name]
        assert {"level", "alpha", "alpha_ci", "units", "pairable_values", "percent_agreement", "fleiss_kappa"} <= set(
            field
        )
    assert figures["fields"]["verifiability"]["level"] == "ordinal"
    assert [a["username"] for a in figures["annotators"]] == ["ada", "bob", "cy"]
    text = runner.invoke(args=["agreement", "Bike lanes"]).stdout
    alpha = f"{figures['fields']['claim_type']['alpha']:.3f}"
    assert any(line.startswith("claim_type ") and alpha in line for line in text.splitlines())


def test_each_pair_has_its_confusion_matrix(labelled):
    figures = agreement_figures(db.session, labelled).figures
    pair = next(p for p in figures["pairs"] if p["field"] == "claim_type" and p["annotators"] == ["ada", "bob"])
    matrix = np.array(pair["confusion"])
    assert matrix.sum() == 6 and matrix[CLAIM_TYPES.index("opinion"), CLAIM_TYPES.index("no_claim")] == 1  # passage 3
    assert np.trace(matrix) == 5


def test_an_annotator_who_shares_no_passage_has_no_estimated_accuracy(runner, labelled, loner):
    figures = json.loads(runner.invoke(args=["agreement", "Bike lanes", "--json"]).stdout)
    by_name = {annotator["username"]: annotator["fields"] for annotator in figures["annotators"]}
    for field in ("claim_type", "stance", "claim_type:no_claim"):
        assert by_name["dan"][field]["estimated_accuracy"] is None, field
        assert (
            by_name["dan"][field]["estimated_accuracy_note"]
            == "not estimable: shares no passage with another annotator"
        )
        assert (
            by_name["ada"][field]["estimated_accuracy"] is not None
            and by_name["ada"][field]["estimated_accuracy_note"] is None
        )
    assert figures["fields"]["claim_type"]["gold"]["sources"]["single"] == 3  # dan's labels still count, as single
    text = runner.invoke(args=["agreement", "Bike lanes"]).stdout
    assert re.search(r"^dan .*claim_type=not estimable", text, re.MULTILINE)
    assert re.search(r"^ada .*claim_type=0\.\d\d", text, re.MULTILINE)
