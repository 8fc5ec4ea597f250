"""Quality control in the audit export: every answer on gold (mixed in and onboarding, with its
scores) and every pause, resumption and exclusion, after the label events. Kept apart from the
labels: these lines are the only place onboarding answers leave the database."""

from collections.abc import Iterator

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import iso_utc
from annotator.projects.models import Project
from annotator.quality.models import GoldAnswer, GoldPassage, OnboardingAnswer, OnboardingAttempt, QualityEvent


def quality_audit_lines(session: so.Session, project: Project, names: dict[int, str]) -> Iterator[dict]:
    """Gold answers, onboarding answers, then quality events, each in the order they were made."""
    yield from _gold_answers(session, project, names)
    yield from _onboarding_answers(session, project, names)
    yield from _events(session, project, names)


def _gold_answers(session, project: Project, names) -> Iterator[dict]:
    rows = session.execute(
        sa.select(GoldAnswer, GoldPassage.passage_id)
        .join(GoldPassage, GoldPassage.id == GoldAnswer.gold_passage_id)
        .where(GoldAnswer.project_id == project.id)
        .order_by(GoldAnswer.answered_at, GoldAnswer.id)
    )
    for answer, passage_id in rows:
        yield _line("gold_answer", names.get(answer.user_id), answer.answered_at, passage_id, answer=answer)


def _onboarding_answers(session, project: Project, names) -> Iterator[dict]:
    rows = session.execute(
        sa.select(OnboardingAnswer, OnboardingAttempt, GoldPassage.passage_id)
        .join(OnboardingAttempt, OnboardingAttempt.id == OnboardingAnswer.attempt_id)
        .join(GoldPassage, GoldPassage.id == OnboardingAnswer.gold_passage_id)
        .where(OnboardingAttempt.project_id == project.id)
        .order_by(OnboardingAnswer.answered_at, OnboardingAnswer.id)
    )
    for answer, attempt, passage_id in rows:
        line = _line("onboarding_answer", names.get(attempt.user_id), answer.answered_at, passage_id, answer=answer)
        yield {**line, "attempt": attempt.number}


def _events(session, project: Project, names) -> Iterator[dict]:
    events = session.scalars(
        sa.select(QualityEvent).where(QualityEvent.project_id == project.id).order_by(QualityEvent.id)
    )
    for event in events:
        line = _line("quality_event", names.get(event.user_id), event.at)
        yield {**line, "kind": event.kind, "actor": names.get(event.actor_id), "detail": event.detail}


def _line(kind: str, annotator: str | None, at, passage_id: int | None = None, answer=None) -> dict:
    return {
        "type": kind,
        "annotator": annotator,
        "passage_id": passage_id,
        "attempt": None,
        "labels": answer.labels if answer is not None else None,
        "scores": answer.scores if answer is not None else None,
        "kind": None,
        "actor": None,
        "detail": None,
        "server_time": iso_utc(at),
    }
