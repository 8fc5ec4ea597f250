"""Recording labels: validated, appended to the history, never rewritten, never doubled."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.annotations.recording import Submission, record_labels
from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.schema import LabelError
from tests.conftest import FIXTURES

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}


@pytest.fixture
def passage(runner, make_project):
    project = make_project("Claims")
    runner.invoke(args=["import-docs", "Claims", str(FIXTURES / "splitting" / "pdf_newsletter.txt")])
    return project, db.session.scalars(sa.select(Passage).order_by(Passage.id)).first()


def events():
    return db.session.execute(
        sa.select(AnnotationEvent.kind, AnnotationEvent.before, AnnotationEvent.after).order_by(AnnotationEvent.id)
    ).all()


def stored():
    return db.session.scalar(sa.select(Annotation))


def test_first_labels_create_an_annotation_and_one_event(passage, make_user):
    project, first = passage
    ada = make_user("ada")
    recorded = record_labels(db.session, project, first.id, ada.id, Submission(CLAIM, note=" a note ", seconds=4.2))
    db.session.commit()
    annotation = stored()
    assert recorded.created and (recorded.labels, recorded.note) == (CLAIM, "a note")
    assert (annotation.labels, annotation.note, annotation.seconds, annotation.schema_version) == (
        CLAIM,
        "a note",
        4.2,
        1,
    )
    assert events() == [("labels", None, {"labels": CLAIM, "note": "a note", "unsure": False})]


def test_a_change_is_appended_and_the_current_label_follows_the_latest_event(passage, make_user):
    project, first = passage
    ada = make_user("ada")
    record_labels(db.session, project, first.id, ada.id, Submission(CLAIM))
    recorded = record_labels(db.session, project, first.id, ada.id, Submission({"claim_type": "no_claim"}, unsure=True))
    db.session.commit()
    annotation = stored()
    assert not recorded.created and recorded.changed
    history = events()
    assert [event.after["labels"] for event in history] == [CLAIM, {"claim_type": "no_claim"}]
    assert history[1].before == history[0].after
    assert {"labels": annotation.labels, "note": annotation.note, "unsure": annotation.unsure} == history[-1].after


def test_sending_the_same_labels_again_stores_nothing_more(passage, make_user):
    project, first = passage
    ada = make_user("ada")
    record_labels(db.session, project, first.id, ada.id, Submission(CLAIM))
    recorded = record_labels(db.session, project, first.id, ada.id, Submission(dict(CLAIM)))
    db.session.commit()
    assert not recorded.created and not recorded.changed
    assert len(events()) == 1
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 1


def test_invalid_labels_store_nothing(passage, make_user):
    project, first = passage
    ada = make_user("ada")
    with pytest.raises(LabelError) as raised:
        record_labels(db.session, project, first.id, ada.id, Submission({"claim_type": "opinion"}))
    assert raised.value.field == "stance"
    db.session.rollback()
    assert events() == [] and db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_the_database_refuses_to_rewrite_history(passage, make_user):
    project, first = passage
    ada = make_user("ada")
    record_labels(db.session, project, first.id, ada.id, Submission(CLAIM))
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.update(AnnotationEvent).values(after={"labels": {"claim_type": "no_claim"}}))
    db.session.rollback()
    assert events()[0].after["labels"] == CLAIM


def test_two_annotators_have_separate_labels_for_one_passage(passage, make_user):
    project, first = passage
    ada, bob = make_user("ada"), make_user("bob")
    record_labels(db.session, project, first.id, ada.id, Submission(CLAIM))
    record_labels(db.session, project, first.id, bob.id, Submission({"claim_type": "no_claim"}))
    db.session.commit()
    rows = db.session.execute(sa.select(Annotation.user_id, Annotation.labels).order_by(Annotation.user_id)).all()
    assert [tuple(row) for row in rows] == [(ada.id, CLAIM), (bob.id, {"claim_type": "no_claim"})]
