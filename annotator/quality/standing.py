"""Each annotator's standing in a project (annotator_quality): read and locked once per request
on the annotate path, created when first needed; pausing, resuming, and leaving a paused
annotator's labels out of gold. Services flush; the caller commits."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.db import insert_ignoring_conflicts
from annotator.domain_errors import Conflict, Forbidden
from annotator.projects.models import Project
from annotator.quality.models import AnnotatorQuality, QualityEvent
from annotator.quality.scoring import should_pause
from annotator.users.models import User
from annotator.write_lock import begin_write

PAUSED_MESSAGE = (
    "You are paused in this project: your answers on check passages (passages whose right answer is "
    "known) fell below the project's accuracy threshold. Your labels so far are kept. An admin can resume you."
)


class Paused(Conflict):
    """The annotator is paused: no passages until an admin resumes them."""

    def __init__(self, message: str = PAUSED_MESSAGE):
        super().__init__(message)


def find_standing(session: so.Session, project_id: int, user_id: int, lock: bool = False) -> AnnotatorQuality | None:
    """The annotator's standing, if they have one (locked for the transaction when `lock`)."""
    query = sa.select(AnnotatorQuality).where(
        AnnotatorQuality.project_id == project_id, AnnotatorQuality.user_id == user_id
    )
    return session.scalar(query.with_for_update() if lock else query)


def lock_standing(session: so.Session, project_id: int, user_id: int) -> AnnotatorQuality:
    """The annotator's standing, created when missing and locked for the transaction, so that
    one annotator's requests run one after the other (as assignment's own state lock)."""
    begin_write(session)
    standing = find_standing(session, project_id, user_id, lock=True)
    if standing is None:
        insert_ignoring_conflicts(
            session,
            AnnotatorQuality.__table__,
            {
                "project_id": project_id,
                "user_id": user_id,
                "gold_served": 0,
                "gold_answers": 0,
                "fields_scored": 0,
                "fields_correct": 0,
                "labels_excluded": False,
            },
            ["project_id", "user_id"],
        )
        standing = find_standing(session, project_id, user_id, lock=True)
    return standing


def count_gold_answer(
    session: so.Session, project: Project, standing: AnnotatorQuality, scores: dict[str, bool], now: datetime
) -> None:
    """Count a scored gold answer toward the pausing rule, and pause the annotator when the rule says so."""
    standing.gold_answers += 1
    standing.fields_scored += len(scores)
    standing.fields_correct += sum(scores.values())
    rule = (standing.gold_answers, standing.fields_correct, standing.fields_scored)
    if standing.paused_at is None and should_pause(*rule, project.pause_below, project.pause_after_gold):
        standing.paused_at = now
        detail = (
            f"{standing.fields_correct} of {standing.fields_scored} answers right on {standing.gold_answers} "
            f"check passages, below {project.pause_below:.0%}"
        )
        _record(session, standing, None, "paused", detail, now)
    session.flush()


def resume(session: so.Session, project: Project, user_id: int, admin: User, now: datetime) -> None:
    """An admin resumes a paused annotator; the pausing rule counts afresh from here."""
    if not admin.is_admin:
        raise Forbidden("only an admin can resume a paused annotator")
    standing = find_standing(session, project.id, user_id, lock=True)
    if standing is None or standing.paused_at is None:
        raise Conflict("this annotator is not paused")
    standing.paused_at = None
    standing.gold_answers = standing.fields_scored = standing.fields_correct = 0
    _record(session, standing, admin.id, "resumed", "", now)
    session.flush()


def set_labels_excluded(
    session: so.Session, project: Project, user_id: int, excluded: bool, actor: User, now: datetime
) -> None:
    """Leave a paused annotator's labels out of gold (training export, passage gold), or take
    them back in. Only a paused annotator's labels can be left out."""
    standing = find_standing(session, project.id, user_id, lock=True)
    if excluded and (standing is None or standing.paused_at is None):
        raise Conflict("only a paused annotator's labels can be left out of gold")
    if standing is None or standing.labels_excluded == excluded:
        return
    standing.labels_excluded = excluded
    _record(session, standing, actor.id, "excluded" if excluded else "included", "", now)
    session.flush()


def excluded_annotators(session: so.Session, project_id: int) -> set[int]:
    """The annotators whose labels a reviewer left out of the project's gold."""
    return set(
        session.scalars(
            sa.select(AnnotatorQuality.user_id).where(
                AnnotatorQuality.project_id == project_id, AnnotatorQuality.labels_excluded
            )
        )
    )


def labels_left_out(project_id: int) -> sa.Select:
    """The ids of the annotators whose labels a reviewer left out of gold, as a subquery (the
    training export joins labels on `user_id NOT IN` it)."""
    return sa.select(AnnotatorQuality.user_id).where(
        AnnotatorQuality.project_id == project_id, AnnotatorQuality.labels_excluded
    )


def quality_events(session: so.Session, project_id: int, user_id: int) -> list[QualityEvent]:
    return list(
        session.scalars(
            sa.select(QualityEvent)
            .where(QualityEvent.project_id == project_id, QualityEvent.user_id == user_id)
            .order_by(QualityEvent.id)
        )
    )


def _record(session, standing: AnnotatorQuality, actor_id: int | None, kind: str, detail: str, now) -> None:
    session.add(
        QualityEvent(
            project_id=standing.project_id,
            user_id=standing.user_id,
            actor_id=actor_id,
            kind=kind,
            detail=detail,
            at=now,
        )
    )
