"""A document with its passages in reading order, and for reviewers every label set and the gold."""

import pytest
import sqlalchemy as sa

from annotator.data_manager.contents import document_contents
from annotator.documents.lookup import NoSuchDocument
from annotator.documents.models import Document
from annotator.extensions import db
from tests.data_manager.conftest import BRIDGES


def bridges_id() -> int:
    return db.session.scalar(sa.select(Document.id).where(Document.external_id == "bridges"))


def test_passages_come_in_reading_order_with_offsets_into_the_text(corpus):
    contents = document_contents(db.session, corpus, bridges_id())
    raw = db.session.get(Document, bridges_id()).raw_text
    assert [passage.text for passage in contents.passages] == BRIDGES
    assert [raw[passage.start : passage.end] for passage in contents.passages] == BRIDGES
    assert [passage.index for passage in contents.passages] == [0, 1, 2, 3]
    assert contents.labels == {}  # not asked for


def test_every_label_set_with_who_and_when_and_the_gold(corpus):
    contents = document_contents(db.session, corpus, bridges_id(), with_labels=True)
    first, _, disputed, decided = (contents.labels[i] for i in corpus.ids["bridges"])
    assert [(one.username, one.labels["claim_type"]) for one in first.label_sets] == [
        ("ada", "opinion"),
        ("bob", "opinion"),
    ]
    assert first.gold["claim_type"].value == "opinion" and first.gold["claim_type"].source == "unanimous"
    assert {one.labels["claim_type"] for one in disputed.label_sets} == {"opinion", "quantity"}
    assert decided.decision.reviewer == "rev" and decided.decision.labels["stance"] == "against"
    assert decided.gold["stance"].value == "against" and decided.gold["stance"].source == "adjudicated"
    assert all(one.updated_at is not None for one in first.label_sets)


def test_a_document_of_another_project_is_not_there(corpus, make_project):
    other = make_project("Other")
    with pytest.raises(NoSuchDocument):
        document_contents(db.session, other, bridges_id())
