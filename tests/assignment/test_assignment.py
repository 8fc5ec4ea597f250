"""Assignment: k labels from k distinct annotators per passage, overlap units first, reading
order, holds that lapse, skips, and counters that always agree with the labels."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.annotations.recording import Submission
from annotator.assignment import service
from annotator.assignment.lifecycle import recount_progress
from annotator.assignment.models import AnnotatorState
from annotator.assignment.service import NotAssigned, next_passage, skip_passage, submit_labels
from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.projects.models import Project
from annotator.schema import LabelError
from annotator.users.models import User

NOW = datetime(2026, 11, 24, 9, 0, 0)
NO_CLAIM = {"claim_type": "no_claim"}
CLAIM = {"claim_type": "opinion", "stance": "favor", "verifiability": "unverifiable"}


def label_next(project, user, now=NOW, labels=NO_CLAIM):
    """Ask for the next passage and label it; returns the passage, or None when done."""
    passage = next_passage(db.session, project, user, now)
    if passage is not None:
        submit_labels(db.session, project, passage, user, Submission(labels), now)
    db.session.commit()
    return passage


def labels_per_passage(project):
    rows = db.session.execute(
        sa.select(Passage.id, sa.func.count(Annotation.id))
        .outerjoin(Annotation, Annotation.passage_id == Passage.id)
        .where(Passage.project_id == project.id, Passage.annotatable)
        .group_by(Passage.id)
    )
    return dict(rows.all())


def counters(project):
    """Every counter assignment keeps, to compare with a recount."""
    passages = db.session.execute(
        sa.select(Passage.id, Passage.label_count, Passage.assigned_count, Passage.queue)
        .where(Passage.project_id == project.id)
        .order_by(Passage.id)
    ).all()
    states = db.session.execute(
        sa.select(
            AnnotatorState.user_id,
            AnnotatorState.labels,
            AnnotatorState.skips,
            AnnotatorState.started,
            AnnotatorState.completed,
        )
        .where(AnnotatorState.project_id == project.id)
        .order_by(AnnotatorState.user_id)
    ).all()
    db.session.refresh(project)
    return [tuple(row) for row in passages], [tuple(row) for row in states], project.annotatable_passages


def assert_counters_agree_with_a_recount(project):
    kept = counters(project)
    recount_progress(db.session, project)
    db.session.flush()
    assert counters(project) == kept
    db.session.rollback()


@pytest.fixture
def team(make_user):
    return [make_user(name) for name in ("ada", "bob", "cy")]


def test_every_passage_gets_k_labels_from_k_distinct_annotators(make_project, make_documents, team):
    project = make_project("P", overlap_k=2)
    passages = make_documents(project, count=3, paragraphs=4)
    while any([label_next(project, user) for user in team]):
        pass
    assert labels_per_passage(project) == {passage.id: 2 for passage in passages}
    pairs = db.session.execute(sa.select(Annotation.passage_id, Annotation.user_id)).all()
    assert len(pairs) == len(set(pairs)) == 2 * len(passages)
    assert_counters_agree_with_a_recount(project)


def test_with_fewer_annotators_than_k_each_labels_every_passage(make_project, make_documents, team, monkeypatch):
    monkeypatch.setattr(service, "STARTED_WINDOW", 3)  # exercise the searches past the window
    project = make_project("P", overlap_k=3)
    passages = make_documents(project, count=2, paragraphs=6)
    ada, bob = team[:2]
    for _ in range(7):
        label_next(project, ada)
    while label_next(project, bob) or label_next(project, ada):
        pass
    assert labels_per_passage(project) == {passage.id: 2 for passage in passages}
    assert_counters_agree_with_a_recount(project)


def test_asking_again_returns_the_same_passage_until_it_is_labelled(make_project, make_documents, team):
    project = make_project("P", overlap_k=1)
    passages = make_documents(project)
    ada = team[0]
    first = next_passage(db.session, project, ada, NOW)
    again = next_passage(db.session, project, ada, NOW + timedelta(minutes=5))
    assert first.id == again.id == passages[0].id
    db.session.commit()
    assert db.session.get(Passage, first.id).assigned_count == 1


def test_passages_others_started_come_first_then_reading_order(make_project, make_documents, team):
    project = make_project("P", overlap_k=2)
    passages = make_documents(project, count=2, paragraphs=3)
    ada, bob, cy = team
    got = [next_passage(db.session, project, user, NOW).id for user in (ada, bob, cy)]
    db.session.commit()
    # bob joins the passage ada started; cy finds it full and gets the next in reading order
    assert got == [passages[0].id, passages[0].id, passages[1].id]
    submit_labels(db.session, project, passages[0], ada, Submission(NO_CLAIM), NOW)
    assert next_passage(db.session, project, ada, NOW).id == passages[1].id  # cy's started passage
    db.session.commit()


def test_excluded_passages_are_never_handed_out(make_project, runner, team):
    from tests.conftest import FIXTURES

    project = make_project("P", overlap_k=1)
    assert runner.invoke(args=["import-docs", "P", str(FIXTURES / "splitting" / "blog_listing.txt")]).exit_code == 0
    excluded = set(db.session.scalars(sa.select(Passage.id).where(Passage.annotatable.is_(False))))
    assert excluded, "the fixture has menus and share bars"
    handed = []
    while (passage := label_next(project, team[0])) is not None:
        handed.append(passage.id)
    assert not excluded & set(handed)
    assert len(handed) == len(set(handed)) == project.annotatable_passages


def test_a_lapsed_hold_returns_the_passage_to_the_pool(make_project, make_documents, team):
    project = make_project("P", overlap_k=1)
    passages = make_documents(project, count=1, paragraphs=2)
    ada, bob = team[:2]
    assert next_passage(db.session, project, ada, NOW).id == passages[0].id
    db.session.commit()
    assert next_passage(db.session, project, bob, NOW + timedelta(minutes=10)).id == passages[1].id
    db.session.commit()
    later = NOW + timedelta(minutes=31)
    assert next_passage(db.session, project, bob, later).id == passages[1].id  # bob still holds his
    db.session.commit()
    cy = team[2]
    assert next_passage(db.session, project, cy, later).id == passages[0].id  # ada's lapsed one
    db.session.commit()
    with pytest.raises(NotAssigned, match="lapsed"):
        submit_labels(db.session, project, db.session.get(Passage, passages[0].id), ada, Submission(NO_CLAIM), later)
    db.session.rollback()
    assert labels_per_passage(project)[passages[0].id] == 0


def test_a_late_submit_is_kept_when_the_passage_still_has_room(make_project, make_documents, team):
    project = make_project("P", overlap_k=2)
    passages = make_documents(project, count=1, paragraphs=1)
    ada = team[0]
    next_passage(db.session, project, ada, NOW)
    db.session.commit()
    late = NOW + timedelta(hours=3)
    outcome = submit_labels(db.session, project, passages[0], ada, Submission(CLAIM), late)
    db.session.commit()
    stored = db.session.scalar(sa.select(Annotation))
    assert outcome.created and outcome.labels == stored.labels == CLAIM
    assert stored.seconds == 3 * 3600
    assert_counters_agree_with_a_recount(project)


def test_a_passage_not_handed_to_the_annotator_is_refused(make_project, make_documents, team):
    project = make_project("P", overlap_k=2)
    passages = make_documents(project, count=1, paragraphs=3)
    with pytest.raises(NotAssigned):
        submit_labels(db.session, project, passages[2], team[0], Submission(NO_CLAIM), NOW)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_annotators_change_their_own_earlier_labels_without_counting_twice(make_project, make_documents, team):
    project = make_project("P", overlap_k=2)
    passages = make_documents(project, count=1, paragraphs=2)
    ada = team[0]
    first = label_next(project, ada)
    holding = next_passage(db.session, project, ada, NOW)
    outcome = submit_labels(db.session, project, first, ada, Submission(CLAIM, note="on reflection"), NOW)
    db.session.commit()
    assert not outcome.created and outcome.labels == CLAIM
    assert next_passage(db.session, project, ada, NOW).id == holding.id == passages[1].id
    db.session.commit()
    assert db.session.get(Passage, first.id).label_count == 1
    assert [e.after["labels"] for e in db.session.scalars(sa.select(AnnotationEvent).order_by(AnnotationEvent.id))] == [
        NO_CLAIM,
        CLAIM,
    ]
    assert_counters_agree_with_a_recount(project)


def test_a_skipped_passage_is_not_offered_again_and_its_place_is_freed(make_project, make_documents, team):
    project = make_project("P", overlap_k=1)
    passages = make_documents(project, count=1, paragraphs=2)
    ada, bob = team[:2]
    first = next_passage(db.session, project, ada, NOW)
    skip_passage(db.session, project, first, ada, "  not English  ", NOW)
    db.session.commit()
    assert db.session.scalar(sa.select(Skip.reason)) == "not English"
    assert next_passage(db.session, project, ada, NOW).id == passages[1].id
    assert next_passage(db.session, project, bob, NOW).id == first.id
    db.session.commit()
    with pytest.raises(NotAssigned):
        skip_passage(db.session, project, first, ada, "again", NOW)
    db.session.rollback()
    assert_counters_agree_with_a_recount(project)


def test_invalid_labels_change_no_counter(make_project, make_documents, team):
    project = make_project("P", overlap_k=1)
    make_documents(project, count=1, paragraphs=1)
    ada = team[0]
    passage = next_passage(db.session, project, ada, NOW)
    db.session.commit()
    with pytest.raises(LabelError):
        submit_labels(db.session, project, passage, ada, Submission({"claim_type": "opinion"}), NOW)
    db.session.rollback()
    assert db.session.get(Passage, passage.id).label_count == 0
    assert next_passage(db.session, project, ada, NOW).id == passage.id


def test_changing_k_reopens_or_closes_passages(make_project, make_documents, team):
    from annotator.administration.projects import ProjectChanges, update_project

    project = make_project("P", overlap_k=1)
    passages = make_documents(project, count=1, paragraphs=2)
    ada, bob = team[:2]
    while label_next(project, ada):
        pass
    assert label_next(project, bob) is None
    update_project(db.session, project, ProjectChanges(overlap_k=2))
    db.session.commit()
    assert label_next(project, bob).id == passages[0].id
    assert_counters_agree_with_a_recount(project)


def test_annotators_asking_at_the_same_instant_never_push_a_passage_past_k(
    app, make_project, make_documents, make_user
):
    import threading

    project = make_project("P", overlap_k=3)
    passages = make_documents(project, count=2, paragraphs=10)
    users = [make_user(f"annotator{n}") for n in range(8)]
    project_id, user_ids = project.id, [user.id for user in users]
    start, failures = threading.Barrier(len(users)), []

    def annotate(user_id):
        with app.app_context():
            try:
                project, user = db.session.get(Project, project_id), db.session.get(User, user_id)
                start.wait()
                while label_next(project, user) is not None:
                    pass
            except Exception as error:  # reported below: a thread's exception would vanish
                failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=annotate, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    # PostgreSQL hands out with SKIP LOCKED: an annotator who asked while every passage left was
    # locked by another's transaction heard "nothing for you now" and stopped. Asking again
    # afterwards, as the annotate screen does, finds what is left; nothing may go past k.
    for user_id in user_ids:
        while label_next(db.session.get(Project, project_id), db.session.get(User, user_id)) is not None:
            pass
    assert labels_per_passage(project) == {passage.id: 3 for passage in passages}
    pairs = db.session.execute(sa.select(Annotation.passage_id, Annotation.user_id)).all()
    assert len(pairs) == len(set(pairs))
    assert_counters_agree_with_a_recount(project)


def test_a_disputed_passage_gets_one_more_annotator_when_the_project_asks(make_project, make_documents, team):
    from annotator.assignment.models import ANY_FIELD, PassageAgreement

    project = make_project("P", overlap_k=2, extra_annotator_below=0.9)  # one more: k-max 3
    disputed, agreed = make_documents(project, count=1, paragraphs=2)
    ada, bob, cy = team
    label_next(project, ada, labels=NO_CLAIM)
    label_next(project, bob, labels=CLAIM)  # bob joins ada's passage and disagrees: one more opinion
    assert db.session.get(Passage, disputed.id).extra_labels == 1
    assert label_next(project, cy, labels=CLAIM).id == disputed.id
    for user in (ada, bob):
        assert label_next(project, user).id == agreed.id  # agreement: no third label wanted
    assert label_next(project, cy) is None
    assert labels_per_passage(project) == {disputed.id: 3, agreed.id: 2}
    rows = dict(
        db.session.execute(
            sa.select(PassageAgreement.passage_id, PassageAgreement.awaiting_review).where(
                PassageAgreement.field == ANY_FIELD
            )
        ).all()
    )
    assert rows == {disputed.id: 1, agreed.id: 0}  # complete, still disputed: for a reviewer
    assert_counters_agree_with_a_recount(project)
