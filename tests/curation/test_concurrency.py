"""Corrections while annotators work: an admin excludes passages and withdraws a document while
eight annotators label as fast as they can. Nothing fails but the refusals the rules promise, an
excluded passage takes no label after its exclusion, and every counter equals a recount."""

import threading
from datetime import datetime

import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.annotations.recording import Submission
from annotator.assignment.service import PassageExcluded, next_passage, submit_labels
from annotator.curation import service
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.projects.models import Project
from annotator.users.models import User
from tests.assignment.test_assignment import assert_counters_agree_with_a_recount

NOW = datetime(2026, 12, 1, 9, 0)


def label_next(project, user) -> bool:
    """Ask for a passage and label it; False when nothing is left for the annotator."""
    passage = next_passage(db.session, project, user, NOW)
    db.session.commit()
    if passage is None:
        return False
    try:
        submit_labels(db.session, project, passage, user, Submission({"claim_type": "no_claim"}), NOW)
        db.session.commit()
    except PassageExcluded:
        db.session.rollback()
    return True


def labels_on(passage_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(Annotation.passage_id == passage_id))


def test_corrections_while_annotators_label_keep_every_counter_right(app, make_project, make_documents, make_user):
    project = make_project("P", overlap_k=3)
    passages = make_documents(project, count=3, paragraphs=12)
    admin = make_user("root", "admin")
    users = [make_user(f"annotator{n}") for n in range(8)]
    project_id, admin_id, user_ids = project.id, admin.id, [user.id for user in users]
    to_exclude = [passage.id for passage in passages[2:36:3]]
    withdrawn_document = passages[-1].document_id
    start, failures, labels_when_excluded = threading.Barrier(len(users) + 1), [], {}

    def annotate(user_id):
        with app.app_context():
            try:
                project, user = db.session.get(Project, project_id), db.session.get(User, user_id)
                start.wait()
                while label_next(project, user):
                    pass
            except Exception as error:  # reported below: a thread's exception would vanish
                failures.append(repr(error))
            finally:
                db.session.remove()

    def correct():
        with app.app_context():
            try:
                project, admin = db.session.get(Project, project_id), db.session.get(User, admin_id)
                start.wait()
                for passage_id in to_exclude:
                    service.exclude_passage(db.session, project, passage_id, admin, "not article text")
                    db.session.commit()
                    labels_when_excluded[passage_id] = labels_on(passage_id)
                    db.session.commit()
                service.withdraw_document(db.session, project, withdrawn_document, admin, "wrong project")
                db.session.commit()
            except Exception as error:
                failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=annotate, args=(user_id,)) for user_id in user_ids]
    threads.append(threading.Thread(target=correct))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for user_id in user_ids:  # SKIP LOCKED may have told some "nothing now": ask again, as the screen does
        while label_next(db.session.get(Project, project_id), db.session.get(User, user_id)):
            pass
    assert {passage_id: labels_on(passage_id) for passage_id in to_exclude} == labels_when_excluded
    withdrawn = db.session.scalars(sa.select(Passage).where(Passage.document_id == withdrawn_document)).all()
    assert {passage.excluded_reason for passage in withdrawn} <= {"withdrawn", "manual"}
    assert db.session.get(Document, withdrawn_document).withdrawn_at is not None
    open_passages = db.session.scalars(
        sa.select(Passage.id).where(Passage.project_id == project_id, Passage.annotatable)
    ).all()
    assert {passage_id: labels_on(passage_id) for passage_id in open_passages} == dict.fromkeys(open_passages, 3)
    assert db.session.scalar(sa.select(sa.func.max(Passage.assigned_count))) == 0
    assert_counters_agree_with_a_recount(db.session.get(Project, project_id))
