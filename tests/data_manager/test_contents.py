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


def test_a_long_document_comes_a_page_at_a_time_and_a_passage_has_a_page_that_shows_it(make_project, make_documents):
    from annotator.data_manager.contents import cursor_at

    project = make_project("Long")
    passages = make_documents(project, count=1, paragraphs=7)
    document_id = passages[0].document_id
    first = document_contents(db.session, project, document_id, size=3)
    second = document_contents(db.session, project, document_id, cursor=first.next_cursor, size=3)
    last = document_contents(db.session, project, document_id, cursor=second.next_cursor, size=3)
    pages = [first, second, last]
    assert [[p.index for p in page.passages] for page in pages] == [[0, 1, 2], [3, 4, 5], [6]]
    assert last.next_cursor is None
    assert cursor_at(document_id, 2) is None  # the first page shows it
    from annotator.data_manager.contents import _after_index

    assert _after_index(document_id, cursor_at(document_id, 300)) == 296  # from 3 passages before it
    assert _after_index(document_id + 1, cursor_at(document_id, 300)) == -1  # another document's: from the start
    assert document_contents(db.session, project, document_id, cursor="garbage", size=3).passages == first.passages
