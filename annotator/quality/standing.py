"""Each annotator's standing in a project (annotator_quality): read and locked once per request
on the annotate path, created when first needed; pausing, resuming, and leaving a paused
annotator's labels out of gold. Services flush; the caller commits.

The annotate path reads and changes the standing with Core statements built once here (as
assignment does its own state): one locked read per request, which also brings the annotator's
label count and held passage (so that whether a gold check is due costs nothing more); one
UPDATE when a check is handed over or answered."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.assignment.models import AnnotatorState
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


_quality, _state = AnnotatorQuality.__table__, AnnotatorState.__table__
_param = sa.bindparam
_THIS_ANNOTATOR = sa.and_(_quality.c.project_id == _param("project_id"), _quality.c.user_id == _param("user_id"))
_STANDING = (
    sa.select(
        _quality.c.id,
        _quality.c.project_id,
        _quality.c.user_id,
        _quality.c.paused_at,
        _quality.c.onboarded_at,
        _quality.c.gold_served,
        _quality.c.pending_gold_id,
        sa.func.coalesce(_state.c.labels, 0).label("labels"),
        _state.c.passage_id.label("held_passage_id"),
    )
    .select_from(
        _quality.outerjoin(
            _state, sa.and_(_state.c.project_id == _quality.c.project_id, _state.c.user_id == _quality.c.user_id)
        )
    )
    .where(_THIS_ANNOTATOR)
    .with_for_update(of=_quality)
)
# Whether an annotator of a project that checks nothing (any longer) is paused or has a check on
# screen, from the settings they had before: an unlocked read of one row by its unique index.
_LEFT_OVER = sa.select(
    sa.exists().where(
        _THIS_ANNOTATOR, sa.or_(_quality.c.paused_at.is_not(None), _quality.c.pending_gold_id.is_not(None))
    )
)
_SAVE = _quality.update().where(_quality.c.id == _param("standing_id"))
_COUNT_GOLD_ANSWER = (
    _quality.update()
    .where(_quality.c.id == _param("standing_id"))
    .values(
        pending_gold_id=None,
        gold_answers=_quality.c.gold_answers + 1,
        fields_scored=_quality.c.fields_scored + _param("scored_now"),
        fields_correct=_quality.c.fields_correct + _param("correct_now"),
    )
    .returning(_quality.c.gold_answers, _quality.c.fields_correct, _quality.c.fields_scored)
)


@dataclass(frozen=True)
class Standing:
    """An annotator's standing as the annotate path reads it (locked for the transaction), with
    their label count and the passage held for them from their assignment state. Those two are
    read in the same statement, which began before the lock was granted: on PostgreSQL they may
    miss a request of theirs that finished meanwhile (the standing's own columns do not)."""

    id: int
    project_id: int
    user_id: int
    paused_at: datetime | None
    onboarded_at: datetime | None
    gold_served: int
    pending_gold_id: int | None
    labels: int
    held_passage_id: int | None


def standing_on_the_path(session: so.Session, project_id: int, user_id: int) -> Standing:
    """The annotator's standing, created when missing and locked for the transaction, so that
    one annotator's requests run one after the other (as assignment's own state lock)."""
    begin_write(session)
    connection = session.connection()
    key = {"project_id": project_id, "user_id": user_id}
    row = connection.execute(_STANDING, key).first()
    if row is None:
        insert_ignoring_conflicts(session, _quality, _new_standing(project_id, user_id), ["project_id", "user_id"])
        row = connection.execute(_STANDING, key).one()
    return Standing(*row)


def has_left_over_standing(session: so.Session, project_id: int, user_id: int) -> bool:
    """Whether the annotator is paused or has a check on screen under the project's earlier
    settings (the only standing that matters in a project that checks nothing now)."""
    return session.connection().execute(_LEFT_OVER, {"project_id": project_id, "user_id": user_id}).scalar()


def gold_handed_over(session: so.Session, standing: Standing, gold_id: int, served: int) -> None:
    """The gold passage `gold_id` is on the annotator's screen; `served` mixed-in checks so far."""
    session.connection().execute(_SAVE, {"standing_id": standing.id, "pending_gold_id": gold_id, "gold_served": served})


def gold_let_go(session: so.Session, standing: Standing) -> None:
    """The check on the annotator's screen was skipped: none is pending any longer."""
    session.connection().execute(_SAVE, {"standing_id": standing.id, "pending_gold_id": None})


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
        insert_ignoring_conflicts(session, _quality, _new_standing(project_id, user_id), ["project_id", "user_id"])
        standing = find_standing(session, project_id, user_id, lock=True)
    return standing


def count_gold_answer(
    session: so.Session, project: Project, standing: Standing, scores: dict[str, bool], now: datetime
) -> None:
    """Count a scored gold answer toward the pausing rule (the check is no longer pending), and
    pause the annotator when the rule says so."""
    connection = session.connection()
    counts = {"standing_id": standing.id, "scored_now": len(scores), "correct_now": sum(scores.values())}
    answers, correct, scored = connection.execute(_COUNT_GOLD_ANSWER, counts).one()
    rule = (answers, correct, scored, project.pause_below, project.pause_after_gold)
    if standing.paused_at is None and should_pause(*rule):
        connection.execute(_SAVE, {"standing_id": standing.id, "paused_at": now})
        detail = f"{correct} of {scored} answers right on {answers} check passages, below {project.pause_below:.0%}"
        _record(session, project.id, standing.user_id, None, "paused", detail, now)


def resume(session: so.Session, project: Project, user_id: int, admin: User, now: datetime) -> None:
    """An admin resumes a paused annotator; the pausing rule counts afresh from here."""
    if not admin.is_admin:
        raise Forbidden("only an admin can resume a paused annotator")
    standing = find_standing(session, project.id, user_id, lock=True)
    if standing is None or standing.paused_at is None:
        raise Conflict("this annotator is not paused")
    standing.paused_at = None
    standing.gold_answers = standing.fields_scored = standing.fields_correct = 0
    _record(session, project.id, user_id, admin.id, "resumed", "", now)
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
    _record(session, project.id, user_id, actor.id, "excluded" if excluded else "included", "", now)
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


def _new_standing(project_id: int, user_id: int) -> dict:
    return {
        "project_id": project_id,
        "user_id": user_id,
        "gold_served": 0,
        "gold_answers": 0,
        "fields_scored": 0,
        "fields_correct": 0,
        "labels_excluded": False,
    }


def _record(session, project_id: int, user_id: int, actor_id: int | None, kind: str, detail: str, now) -> None:
    session.add(
        QualityEvent(
            project_id=project_id,
            user_id=user_id,
            actor_id=actor_id,
            kind=kind,
            detail=detail,
            at=now,
        )
    )
