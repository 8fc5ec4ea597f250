"""Gold on the annotate path: mixed in at the project's rate, scored and never counted as a label;
pausing after too many wrong answers; onboarding with feedback, retries and a pass mark."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.annotations.recording import Submission
from annotator.assignment.progress import project_progress
from annotator.assignment.service import NotAssigned
from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.quality.models import GoldAnswer, OnboardingAttempt, QualityEvent
from annotator.quality.onboarding import OnboardingFailed
from annotator.quality.serving import next_for_annotator, submit_answer
from annotator.quality.settings import QualitySettings, set_quality_settings
from annotator.quality.standing import Paused, resume
from tests.quality.conftest import CLAIM, NO_CLAIM

NOW = datetime(2026, 12, 6, 9, 0)
HOLD = timedelta(minutes=30)


def answer_next(project, user, labels=NO_CLAIM, gold_labels=None):
    """Ask for the next passage and answer it (`gold_labels` on a gold passage); returns
    (passage id, what the submit did)."""
    from annotator.quality.gold import gold_of

    row = next_for_annotator(db.session, project, user, NOW, HOLD)
    passage = db.session.get(Passage, row.id)
    chosen = gold_labels if gold_labels is not None and gold_of(db.session, row.id) else labels
    answered = submit_answer(db.session, project, passage, user, Submission(chosen), NOW)
    db.session.commit()
    return row.id, answered


def test_one_passage_in_n_is_gold_and_its_answer_is_scored_not_counted(gold_project, make_user):
    project, passages, gold = gold_project(gold=4, gold_every=3)
    ada = make_user("ada")
    gold_ids = {p.id for p in gold}
    shown = [answer_next(project, ada, gold_labels=CLAIM)[0] for _ in range(9)]
    assert [passage_id in gold_ids for passage_id in shown] == [False, False, True] * 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Annotation)) == 6
    assert project_progress(db.session, project).labels == 6
    answers = db.session.scalars(sa.select(GoldAnswer)).all()
    assert len(answers) == 3 and all(
        answer.scores == {"claim_type": True, "stance": True, "verifiability": True} for answer in answers
    )


def test_a_gold_passage_is_never_handed_twice_nor_to_one_who_labelled_it(gold_project, make_user):
    project, passages, gold = gold_project(gold=1, gold_every=2)
    ada = make_user("ada")
    shown = [answer_next(project, ada, gold_labels=CLAIM)[0] for _ in range(6)]
    assert shown.count(gold[0].id) == 1


class _StartAt:
    """A stand-in for the gold pick's random start: always the lowest or the highest gold id."""

    def __init__(self, end: str):
        self.end = end

    def randint(self, lowest: int, highest: int) -> int:
        return lowest if self.end == "lowest" else highest


@pytest.mark.parametrize("start", ["lowest", "highest"])
def test_every_gold_passage_comes_round_once_before_the_gold_runs_out(gold_project, make_user, monkeypatch, start):
    from annotator.quality import serving

    monkeypatch.setattr(serving, "_pick", _StartAt(start))
    project, passages, gold = gold_project(gold=4, gold_every=2)
    ada = make_user("ada")
    shown = [answer_next(project, ada, gold_labels=CLAIM)[0] for _ in range(10)]
    checks = [passage_id for passage_id in shown if passage_id in {p.id for p in gold}]
    assert sorted(checks) == sorted(p.id for p in gold)  # wherever the pick starts, it wraps round
    assert shown[-2:] == [passages[4].id, passages[5].id]  # then real passages only


def test_a_pause_outlasts_the_project_turning_its_quality_checks_off(gold_project, make_user):
    project, _, _ = gold_project(gold=4, gold_every=2, pause_below=0.7, pause_after_gold=2)
    spammer = make_user("spam")
    for _ in range(4):
        answer_next(project, spammer, gold_labels=NO_CLAIM)
    set_quality_settings(db.session, project, QualitySettings())
    db.session.commit()
    with pytest.raises(Paused):
        next_for_annotator(db.session, project, spammer, NOW, HOLD)


def test_an_annotator_who_answers_gold_wrongly_is_paused_and_resumed_by_an_admin(gold_project, make_user):
    project, _, _ = gold_project(gold=4, gold_every=2, pause_below=0.7, pause_after_gold=2)
    spammer, admin = make_user("spam"), make_user("root", role="admin")
    for _ in range(4):
        answer_next(project, spammer, gold_labels=NO_CLAIM)
    with pytest.raises(Paused):
        next_for_annotator(db.session, project, spammer, NOW, HOLD)
    db.session.rollback()
    resume(db.session, project, spammer.id, admin, NOW)
    db.session.commit()
    assert next_for_annotator(db.session, project, spammer, NOW, HOLD) is not None
    kinds = [(event.kind, event.actor_id) for event in db.session.scalars(sa.select(QualityEvent))]
    assert kinds == [("paused", None), ("resumed", admin.id)]


def test_onboarding_comes_first_with_feedback_and_a_retry_until_the_pass_mark(gold_project, make_user):
    project, passages, gold = gold_project(gold=2, onboarding=2, onboarding_required=True, onboarding_attempts=2)
    ada = make_user("ada")
    first_id, first = answer_next(project, ada, labels=NO_CLAIM)
    assert first_id == gold[0].id
    feedback = first.feedback
    assert feedback.right_answer == CLAIM and feedback.explanation == "why 0" and feedback.scores["claim_type"] is False
    assert any(section.startswith("## Against") for section in feedback.guideline_sections)
    _, second = answer_next(project, ada, labels=NO_CLAIM)
    assert second.feedback.attempt.finished and second.feedback.attempt.passed is False
    assert second.feedback.attempt.attempts_left == 1
    for _ in range(2):
        _, answered = answer_next(project, ada, labels=CLAIM)
    assert answered.feedback.attempt.passed is True
    real_id, real = answer_next(project, ada)
    assert real.feedback is None and real_id not in {gold[0].id, gold[1].id}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Annotation)) == 1
    assert [a.passed for a in db.session.scalars(sa.select(OnboardingAttempt).order_by("number"))] == [False, True]


def test_no_real_passage_before_onboarding_and_none_after_the_last_failed_attempt(gold_project, make_user):
    project, passages, gold = gold_project(gold=1, onboarding=1, onboarding_required=True, onboarding_attempts=1)
    ada = make_user("ada")
    row = next_for_annotator(db.session, project, ada, NOW, HOLD)
    with pytest.raises(NotAssigned):
        submit_answer(db.session, project, passages[0], ada, Submission(NO_CLAIM), NOW)
    db.session.rollback()
    assert row.id == gold[0].id
    answer_next(project, ada, labels=NO_CLAIM)
    with pytest.raises(OnboardingFailed):
        next_for_annotator(db.session, project, ada, NOW, HOLD)
