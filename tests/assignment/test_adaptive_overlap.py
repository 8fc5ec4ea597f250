"""Adaptive overlap: a passage starts with k-min annotators and gets one more at a time while
its annotators agree less than the project's threshold, never beyond k-max; then it goes to
review as any complete passage does. The counters stay those a recount gives."""

import threading

import pytest
import sqlalchemy as sa

from annotator.administration.projects import ProjectChanges, ProjectError, create_project, update_project
from annotator.agreement.fields import passage_agreements
from annotator.annotations.models import Annotation
from annotator.assignment.models import ANY_FIELD, PassageAgreement
from annotator.assignment.overlap import Overlap
from annotator.assignment.passage_agreement import lowest_agreement
from annotator.assignment.progress import project_progress
from annotator.documents.models import Passage
from annotator.documents.progress import passage_tallies
from annotator.extensions import db
from annotator.projects.models import Project
from annotator.schema import Schema
from annotator.schema.defaults import default_definition
from annotator.users.models import User
from tests.assignment.test_assignment import assert_counters_agree_with_a_recount, label_next, labels_per_passage


def claim(kind: str) -> dict:
    return {"claim_type": kind, "stance": "favor", "verifiability": "verifiable"}


OPINION, QUANTITY, EVENT = claim("opinion"), claim("quantity"), claim("event")


@pytest.fixture
def five(make_user):
    return [make_user(name) for name in ("ada", "bob", "cy", "dee", "eve")]


def awaiting_review(passage_id: int) -> int:
    return db.session.scalar(
        sa.select(PassageAgreement.awaiting_review).where(
            PassageAgreement.passage_id == passage_id, PassageAgreement.field == ANY_FIELD
        )
    )


# --- the rule ----------------------------------------------------------------------------------


def test_one_more_annotator_only_below_the_threshold_and_below_k_max():
    overlap = Overlap(2, 4, 0.5)
    assert overlap.one_more(2, 0.0) and overlap.one_more(3, 1 / 3)
    assert not overlap.one_more(2, 0.5)  # agreement reached the threshold
    assert not overlap.one_more(4, 0.0)  # k-max reached
    assert not Overlap(3, 3).one_more(3, 0.0)  # a fixed k


def test_a_fixed_project_has_k_max_equal_to_k_and_a_threshold_alone_means_one_more(app):
    fixed = create_project(db.session, "Fixed", overlap_k=3)
    one_more = create_project(db.session, "One more", overlap_k=2, extra_annotator_below=0.5)
    assert Overlap.of(fixed) == Overlap(3, 3, None)
    assert Overlap.of(one_more) == Overlap(2, 3, 0.5)
    db.session.rollback()


def test_a_project_stored_without_k_max_keeps_what_its_threshold_meant(app):
    """An older backup restored has no k-max: a threshold meant one more annotator, once."""
    db.session.execute(
        Project.__table__.insert(),
        [
            {"name": "Old fixed", "overlap_k": 3, "extra_annotator_below": None},
            {"name": "Old one more", "overlap_k": 2, "extra_annotator_below": 0.5},
        ],
    )
    stored = dict(db.session.execute(sa.select(Project.name, Project.overlap_k_max)).all())
    assert stored == {"Old fixed": 3, "Old one more": 3}
    db.session.rollback()


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"overlap_k": 2, "overlap_k_max": 1, "extra_annotator_below": 0.5}, "at least overlap k"),
        ({"overlap_k": 2, "overlap_k_max": 4}, "needs an agreement threshold"),
        ({"overlap_k": 2, "overlap_k_max": 2, "extra_annotator_below": 0.5}, "must be above overlap k"),
    ],
)
def test_overlap_settings_that_cannot_work_are_refused(app, settings, problem):
    with pytest.raises(ProjectError, match=problem):
        create_project(db.session, "P", **settings)
    db.session.rollback()


def test_changing_k_keeps_the_room_above_it_and_removing_the_threshold_fixes_k(make_project):
    project = make_project("P", overlap_k=2, overlap_k_max=4, extra_annotator_below=0.6)
    assert update_project(db.session, project, ProjectChanges(overlap_k=3)) == ["overlap k"]
    assert Overlap.of(project) == Overlap(3, 5, 0.6)
    update_project(db.session, project, ProjectChanges(overlap_k_max=4))
    assert Overlap.of(project) == Overlap(3, 4, 0.6)
    update_project(db.session, project, ProjectChanges(set_extra_annotator=True, extra_annotator_below=None))
    assert Overlap.of(project) == Overlap(3, 3, None)
    db.session.commit()


# --- a label at a time -------------------------------------------------------------------------


def test_a_disagreeing_passage_gets_annotators_until_they_agree_enough_an_agreeing_one_stays_at_k_min(
    make_project, make_documents, five
):
    # Threshold 0.3: two differing answers agree 0 (one more), three of which two agree 1/3 (done).
    project = make_project("P", overlap_k=2, overlap_k_max=4, extra_annotator_below=0.3)
    disputed, agreed = make_documents(project, count=1, paragraphs=2)
    ada, bob, cy, dee, eve = five
    label_next(project, ada, labels=OPINION)
    label_next(project, bob, labels=QUANTITY)  # bob joins ada's passage and disagrees
    assert db.session.get(Passage, disputed.id).extra_labels == 1
    tally = passage_tallies(db.session, [disputed.document_id], project.overlap_k)[disputed.document_id]
    assert (tally.complete, tally.started) == (0, 1)  # the documents list waits for the third label too
    assert label_next(project, cy, labels=OPINION).id == disputed.id  # a third annotator; 2 of 3 agree
    for user in (ada, bob):
        assert label_next(project, user, labels=EVENT).id == agreed.id  # they agree: no third
    for user in (dee, eve):
        assert label_next(project, user) is None  # nothing needs them
    assert labels_per_passage(project) == {disputed.id: 3, agreed.id: 2}
    assert (awaiting_review(disputed.id), awaiting_review(agreed.id)) == (1, 0)
    assert project_progress(db.session, project).complete == 2
    assert_counters_agree_with_a_recount(project)


def test_a_passage_never_gets_more_than_k_max_annotators(make_project, make_documents, five):
    project = make_project("P", overlap_k=2, overlap_k_max=4, extra_annotator_below=0.9)
    (passage,) = make_documents(project, count=1, paragraphs=1)
    answers = [OPINION, QUANTITY, EVENT, claim("causal"), claim("rule")]
    for user, labels in zip(five[:4], answers, strict=False):
        assert label_next(project, user, labels=labels).id == passage.id
        figures = project_progress(db.session, project)
        assert (figures.complete, figures.in_progress) == ((1, 0) if user is five[3] else (0, 1))
    assert label_next(project, five[4], labels=answers[4]) is None  # four disagree: k-max, to review
    assert labels_per_passage(project) == {passage.id: 4}
    assert db.session.get(Passage, passage.id).queue is None
    assert awaiting_review(passage.id) == 1
    assert_counters_agree_with_a_recount(project)


def test_a_fixed_k_project_never_asks_for_more(make_project, make_documents, five):
    project = make_project("P", overlap_k=2)
    (passage,) = make_documents(project, count=1, paragraphs=1)
    label_next(project, five[0], labels=OPINION)
    label_next(project, five[1], labels=QUANTITY)
    assert label_next(project, five[2]) is None
    assert awaiting_review(passage.id) == 1
    assert_counters_agree_with_a_recount(project)


# --- concurrency -------------------------------------------------------------------------------


def test_annotators_submitting_at_the_same_instant_never_overfill_an_adaptive_passage(
    app, make_project, make_documents, make_user
):
    """Eight annotators at once, two camps that disagree: every passage ends with the labels
    the rule asks for, replayed on its labels in the order they were counted, never past k-max."""
    project = make_project("P", overlap_k=2, overlap_k_max=4, extra_annotator_below=0.9)
    passages = make_documents(project, count=2, paragraphs=8)
    users = [make_user(f"annotator{n}") for n in range(8)]
    project_id, user_ids = project.id, [user.id for user in users]
    start, failures = threading.Barrier(len(users)), []

    def labels_of(user_id: int) -> dict:
        return OPINION if user_id % 2 else QUANTITY

    def annotate(user_id):
        with app.app_context():
            try:
                project, user = db.session.get(Project, project_id), db.session.get(User, user_id)
                start.wait()
                while label_next(project, user, labels=labels_of(user_id)) is not None:
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
    for user_id in user_ids:  # those told "nothing now" under SKIP LOCKED ask again, as the screen does
        while label_next(db.session.get(Project, project_id), db.session.get(User, user_id), labels=labels_of(user_id)):
            pass
    counts = labels_per_passage(project)
    assert counts == {passage.id: expected_labels(project, passage.id) for passage in passages}
    assert set(counts.values()) <= {2, 3, 4} and 4 in counts.values()
    pairs = db.session.execute(sa.select(Annotation.passage_id, Annotation.user_id)).all()
    assert len(pairs) == len(set(pairs))
    assert project_progress(db.session, project).complete == len(passages)
    assert_counters_agree_with_a_recount(project)


def expected_labels(project: Project, passage_id: int) -> int:
    """How many labels the rule gives the passage, replayed on its labels in stored order."""
    fields = Schema.parse(default_definition()).measured_fields
    label_sets = list(
        db.session.scalars(
            sa.select(Annotation.labels).where(Annotation.passage_id == passage_id).order_by(Annotation.id)
        )
    )
    overlap, labels = Overlap.of(project), project.overlap_k
    while labels <= len(label_sets) and overlap.one_more(
        labels, lowest_agreement(passage_agreements(fields, label_sets[:labels]))
    ):
        labels += 1  # past the labels it has: the rule wanted one more than it got
    return labels
