"""Agreement on span and evidence fields, end to end: label sets with claim spans and evidence
records imported for three annotators, then the figures as the database gives them (against the
per-passage reference implementation of alpha-u and the `krippendorff` package), the agreement
page and `annotator agreement --json`."""

import json
import re

import krippendorff
import numpy as np
import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.extensions import db
from annotator.project_agreement.snapshot import agreement_figures
from annotator.users.models import User
from tests.agreement import unitizing_reference as reference

RELATIONS = [{"value": "supports", "label": "Supports"}, {"value": "refutes", "label": "Refutes"}]
SCHEMA = {
    "fields": [
        {
            "name": "claims",
            "type": "span",
            "label": "Claims",
            "required": False,
            "fields": [
                {
                    "name": "stance",
                    "label": "Stance",
                    "level": "nominal",
                    "options": [{"value": "favor", "label": "Favor"}, {"value": "against", "label": "Against"}],
                },
                {
                    "name": "evidence",
                    "type": "evidence",
                    "label": "Evidence",
                    "required": False,
                    "relations": RELATIONS,
                },
            ],
        },
        {"name": "sources", "type": "evidence", "label": "Sources", "required": False, "relations": RELATIONS},
    ]
}
ANNOTATORS = ("ada", "bob", "cy")


def words(passage) -> list[tuple[int, int]]:
    """Raw offsets of the passage's words."""
    raw = db.session.get(Document, passage.document_id).raw_text
    return [
        (passage.start + found.start(), passage.start + found.end())
        for found in re.finditer(r"\S+", raw[passage.start : passage.end])
    ]


def claim(passage, first: int, last: int, stance: str, *cited: tuple[str, str]) -> dict:
    offsets = words(passage)
    labels = {"stance": stance}
    if cited:
        labels["evidence"] = [{"url": url, "relation": relation} for url, relation in cited]
    return {"start": offsets[first][0], "end": offsets[last][1], "labels": labels}


def label_sets(passages) -> dict[str, list[dict]]:
    """Per annotator, their label set of each passage."""
    first, second, third = passages
    return {
        "ada": [
            {"claims": [claim(first, 0, 3, "favor", ("https://a.example/1", "supports"))]},
            {"claims": [claim(second, 5, 8, "against")]},
            {"sources": [{"url": "https://c.example/3", "relation": "supports"}]},
        ],
        "bob": [
            {
                "claims": [
                    claim(first, 0, 3, "favor", ("https://a.example/1", "supports"), ("https://b.example/2", "refutes"))
                ]
            },
            {"sources": [{"url": "https://c.example/3", "relation": "supports"}]},
            {"sources": [{"url": "https://c.example/3", "relation": "supports"}]},
        ],
        "cy": [
            {"claims": [claim(first, 1, 4, "against")]},
            {"claims": [claim(second, 5, 8, "against")]},
            {"sources": [{"url": "https://d.example/4", "relation": "refutes"}]},
        ],
    }


@pytest.fixture
def spans_project(make_project, make_documents, make_user, add_member, import_labels):
    project = make_project("Claims in passages", overlap_k=3, schema=SCHEMA)
    passages = make_documents(project, count=1, paragraphs=3)
    for name in ANNOTATORS:
        make_user(name)
        add_member(project, name)
    given = label_sets(passages)
    import_labels(
        project,
        [
            {"passage_id": passage.id, "annotator": name, "labels": given[name][index]}
            for name in ANNOTATORS
            for index, passage in enumerate(passages)
        ],
    )
    project.passages = passages
    return project


def stored_continua(project) -> list[reference.Continuum]:
    """The spans as stored (snapped to words), one continuum per passage, every annotator."""
    rows = db.session.execute(
        sa.select(Annotation.passage_id, User.username, Annotation.labels)
        .join(User, User.id == Annotation.user_id)
        .where(Annotation.project_id == project.id)
    ).all()
    return [
        reference.Continuum(
            passage.start,
            passage.end,
            {
                name: [(span["start"], span["end"], "claim") for span in labels.get("claims") or []]
                for passage_id, name, labels in rows
                if passage_id == passage.id
            },
        )
        for passage in project.passages
    ]


def test_span_figures_from_the_database_equal_the_reference_computations(spans_project):
    figures = agreement_figures(db.session, spans_project).figures
    claims = figures["spans"]["claims"]
    expected = reference.unitizing_alpha(stored_continua(spans_project)).overall.alpha
    assert claims["alpha_u"]["alpha"] == pytest.approx(expected)
    assert 0 < claims["alpha_u"]["alpha"] < 1
    assert (claims["annotated_passages"], claims["spans"]) == (3, 5)
    # ada and bob marked the same words on the first passage; cy one word later.
    pairs = {tuple(pair["annotators"]): pair for pair in claims["f1"]["pairs"]}
    assert pairs[("ada", "bob")]["exact"] == pytest.approx(2 / 3)
    assert pairs[("ada", "cy")]["exact"] == pytest.approx(0.5) and pairs[("ada", "cy")]["overlap"] == 1
    # Matched spans: the first passage's three (favor, favor, against), the second's two (against, against).
    stance = np.array([[0, 1], [0, np.nan], [1, 1]])
    assert claims["sub_fields"]["stance"]["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=stance, level_of_measurement="nominal")
    )
    inside = claims["evidence"]["evidence"]
    assert (inside["same_source"], inside["source_pairs"]) == (pytest.approx(0.5), 1)
    sources = figures["evidence"]["sources"]
    # Only the third passage has two citers (bob alone cited on the second): ada and bob cite the
    # same page, cy another.
    assert sources["same_source"] == pytest.approx((1 + 0 + 0) / 3)
    assert sources["source_pairs"] == 3
    assert json.loads(json.dumps(figures)) == figures


def test_the_agreement_page_and_the_command_line_show_alpha_u(
    spans_project, make_user, add_member, login, client, runner
):
    make_user("rev", "reviewer")
    add_member(spans_project, "rev", "reviewer")
    login("rev")
    figures = agreement_figures(db.session, spans_project).figures
    db.session.commit()
    alpha_u = figures["spans"]["claims"]["alpha_u"]["alpha"]
    html = re.sub(r"\s+", " ", client.get(f"/projects/{spans_project.id}/agreement").get_data(as_text=True))
    assert "Claims: spans" in html
    assert f"unitizing α<sub>u</sub> <strong>{alpha_u:.3f}</strong>" in html
    assert "Sources: evidence" in html and "<strong>33%</strong>" in html
    result = runner.invoke(args=["agreement", "Claims in passages", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["spans"]["claims"]["alpha_u"]["alpha"] == pytest.approx(alpha_u)
    text = runner.invoke(args=["agreement", "Claims in passages"]).stdout
    assert f"claims (spans): alpha-u {alpha_u:.3f}" in text
    assert "sources (evidence): relation alpha" in text


CONDITIONAL = {
    "fields": [
        {
            "name": "has_claim",
            "label": "Makes a claim",
            "level": "nominal",
            "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
        },
        {
            "name": "claims",
            "type": "span",
            "label": "Claims",
            "required": False,
            "show_if": {"field": "has_claim", "not_in": ["no"]},
        },
    ]
}


def test_a_span_field_counts_the_annotators_it_was_asked_of_even_those_who_marked_nothing(
    make_project, make_documents, make_user, add_member, import_labels
):
    project = make_project("Conditional spans", overlap_k=3, schema=CONDITIONAL)
    first, second = make_documents(project, count=1, paragraphs=2)
    for name in ANNOTATORS:
        make_user(name)
        add_member(project, name)
    start, end = words(first)[0][0], words(first)[3][1]
    marked = {"has_claim": "yes", "claims": [{"start": start, "end": end}]}
    given = {
        # First passage: ada marks a claim, bob was asked and marked nothing, cy was not asked.
        first.id: {"ada": marked, "bob": {"has_claim": "yes"}, "cy": {"has_claim": "no"}},
        # Second passage: only ada was asked.
        second.id: {"ada": {"has_claim": "yes"}, "bob": {"has_claim": "no"}, "cy": {"has_claim": "no"}},
    }
    import_labels(
        project,
        [
            {"passage_id": passage_id, "annotator": name, "labels": labels}
            for passage_id, by_name in given.items()
            for name, labels in by_name.items()
        ],
    )
    claims = agreement_figures(db.session, project).figures["spans"]["claims"]
    assert claims["annotated_passages"] == 1  # the first: two annotators were asked
    assert claims["alpha_u"]["alpha"] < 0  # one saw a claim where the other saw none
    assert [pair["annotators"] for pair in claims["f1"]["pairs"]] == [["ada", "bob"]]
