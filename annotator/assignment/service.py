"""Handing passages to annotators: each annotatable passage gets k labels from k distinct
annotators, and no passage is ever handed to more annotators than it still needs.

The counters on Passage (label_count, assigned_count, queue) change only through the guarded
UPDATEs below, whose WHERE clause re-checks the room left: the database settles races between
annotators (PostgreSQL re-evaluates the condition on the newest row version; SQLite runs one
writer at a time). A request first locks the annotator's own state row, so two requests of
one annotator (a double click, two tabs) run one after the other.

Services flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.annotations.recording import Submission, record_labels
from annotator.assignment.models import AnnotatorState
from annotator.db import insert_ignoring_conflicts
from annotator.write_lock import begin_write
from annotator.documents.models import FRESH, STARTED, Passage
from annotator.projects.models import Project
from annotator.users.models import User

DEFAULT_HOLD = timedelta(minutes=30)
# How many of the earliest started passages are looked at first; past the window, the
# annotator's cursor keeps the search short (see _find_open_passage).
STARTED_WINDOW = 200
# Expired holds given back per request, in passage order (ordered locks cannot deadlock).
RELEASE_PER_REQUEST = 8
MAX_SKIP_REASON = 500


class NotAssigned(Exception):
    """The passage is not the caller's to label: not handed to them, or no room is left."""


@dataclass(frozen=True)
class Outcome:
    """What a submit did: the annotation, whether it is new, whether anything changed."""

    annotation: Annotation
    created: bool


def next_passage(session: so.Session, project: Project, user: User, now: datetime,
                 hold: timedelta = DEFAULT_HOLD) -> Passage | None:
    """The passage the annotator should label now, held for them until `now + hold`; None
    when nothing is left for them. Asking again returns the same passage until it is
    labelled or skipped."""
    release_expired_holds(session, now)
    state = lock_state(session, project, user)
    held = _keep_held_passage(session, project, state)
    if held is not None:
        state.expires_at = now + hold
        session.flush()
        return held
    for _attempt in range(5):
        candidate = _find_open_passage(session, project, user, state)
        if candidate is None:
            break
        if _take_slot(session, project, candidate.id):
            _hold(state, candidate, now, hold)
            session.flush()
            session.expire(candidate, ["assigned_count", "queue"])  # changed by the UPDATE
            return candidate
    session.flush()
    return None


def submit_labels(session: so.Session, project: Project, passage: Passage, user: User,
                  submission: Submission, now: datetime) -> Outcome:
    """Store the annotator's labels for the passage: a new label when it was handed to them
    (a lapsed hold still counts while the passage has room), or a change of their own earlier
    label. Raises NotAssigned otherwise, LabelError for labels the schema refuses."""
    state = lock_state(session, project, user)
    if _labelled_by(session, passage.id, user.id):
        annotation, _ = record_labels(session, project, passage, user, submission)
        return Outcome(annotation, created=False)
    if state.passage_id != passage.id:
        raise NotAssigned("this passage was not handed to you: ask for the next passage")
    label_count = _count_label(session, project, passage.id, state.holds_slot)
    if label_count is None:
        raise NotAssigned("your hold on this passage lapsed and other annotators have labelled it since")
    seconds = (now - state.assigned_at).total_seconds() if state.assigned_at else None
    annotation, _ = record_labels(session, project, passage, user, _timed(submission, seconds))
    _credit(state, label_count, project.overlap_k)
    state.passage_id, state.holds_slot, state.expires_at = None, False, None
    session.flush()
    return Outcome(annotation, created=True)


def skip_passage(session: so.Session, project: Project, passage: Passage, user: User, reason: str,
                 now: datetime) -> None:
    """Pass on the passage handed to the annotator; it is not offered to them again."""
    state = lock_state(session, project, user)
    if state.passage_id != passage.id or _labelled_by(session, passage.id, user.id):
        raise NotAssigned("only the passage handed to you can be skipped")
    reason = reason.strip()[:MAX_SKIP_REASON]
    session.add(Skip(project_id=project.id, passage_id=passage.id, user_id=user.id, reason=reason, at=now))
    session.add(AnnotationEvent(
        project_id=project.id, passage_id=passage.id, user_id=user.id, actor_id=user.id, kind="skip",
        before=None, after={"reason": reason}, schema_version=project.schema_version,
        guidelines_version=project.guidelines_version, server_time=now,
    ))
    if state.holds_slot:
        _give_back_slot(session, project, passage.id)
    state.passage_id, state.holds_slot, state.expires_at = None, False, None
    state.skips += 1
    session.flush()


def release_expired_holds(session: so.Session, now: datetime, limit: int = RELEASE_PER_REQUEST) -> int:
    """Give the slots of lapsed holds back to the pool (a few per call, oldest passages
    first); returns how many. The annotator keeps the passage and may still submit it."""
    expired = session.execute(
        sa.select(AnnotatorState.id, AnnotatorState.passage_id)
        .where(AnnotatorState.holds_slot, AnnotatorState.expires_at < now)
        .order_by(AnnotatorState.expires_at).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    released = 0
    for state_id, passage_id in sorted(expired, key=lambda row: row.passage_id or 0):
        changed = session.execute(
            sa.update(AnnotatorState)
            .where(AnnotatorState.id == state_id, AnnotatorState.holds_slot, AnnotatorState.expires_at < now)
            .values(holds_slot=False)
        ).rowcount
        if changed and passage_id is not None:
            project = session.get(Project, session.scalar(sa.select(Passage.project_id).where(Passage.id == passage_id)))
            _give_back_slot(session, project, passage_id)
            released += 1
    return released


def lock_state(session: so.Session, project: Project, user: User) -> AnnotatorState:
    """The annotator's state in the project, created when missing, locked for the rest of the
    transaction (SQLite: the write transaction starts here; PostgreSQL: a row lock), so that
    one annotator's requests run one after the other."""
    begin_write(session)
    mine = (
        sa.select(AnnotatorState)
        .where(AnnotatorState.project_id == project.id, AnnotatorState.user_id == user.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    state = session.scalars(mine).first()
    if state is None:
        insert_ignoring_conflicts(session, AnnotatorState.__table__, {
            "project_id": project.id, "user_id": user.id, "holds_slot": False,
            "labels": 0, "skips": 0, "started": 0, "completed": 0,
        }, ["project_id", "user_id"])
        state = session.scalars(mine).one()
    return state


def _keep_held_passage(session, project: Project, state: AnnotatorState) -> Passage | None:
    """The passage already handed to the annotator, if it is still theirs to label: held, or
    lapsed but with room left (then held again). Otherwise it is let go."""
    if state.passage_id is None:
        return None
    passage = session.scalars(
        sa.select(Passage).where(Passage.id == state.passage_id, *_untouched_by(state.user_id))
    ).first()
    if passage is not None and (state.holds_slot or _take_slot(session, project, passage.id)):
        state.holds_slot = True
        return passage
    if state.holds_slot:
        _give_back_slot(session, project, state.passage_id)
    state.passage_id, state.holds_slot, state.expires_at = None, False, None
    return None


def _find_open_passage(session, project: Project, user: User, state: AnnotatorState) -> Passage | None:
    """The next passage for the annotator, not labelled or skipped by them, with room left:
    first one that others have started (finish overlap units first), else a fresh one, each
    in reading order. Every search here is bounded by the window or by the annotator's own
    work, never by the project's size."""
    window = (
        sa.select(Passage.id).where(Passage.project_id == project.id, Passage.queue == STARTED)
        .order_by(Passage.document_id, Passage.index).limit(STARTED_WINDOW)
    )
    found = _first(session, project, user, STARTED, Passage.id.in_(window.scalar_subquery()))
    if found is not None:
        return found
    window_is_whole = session.scalar(sa.select(sa.func.count()).select_from(window.subquery())) < STARTED_WINDOW
    if not window_is_whole and state.cursor_document_id is not None:
        cursor = sa.tuple_(Passage.document_id, Passage.index) > sa.tuple_(state.cursor_document_id, state.cursor_index)
        found = _first(session, project, user, STARTED, cursor)
    if found is None:
        found = _first(session, project, user, FRESH)
    if found is None and not window_is_whole:
        found = _first(session, project, user, STARTED)
    return found


def _first(session, project: Project, user: User, queue: int, *conditions) -> Passage | None:
    # a fresh passage has no labels at all: only the annotator's skips can rule it out
    untouched = _untouched_by(user.id, labels=queue != FRESH)
    return session.scalars(
        sa.select(Passage)
        .where(Passage.project_id == project.id, Passage.queue == queue, *conditions, *untouched)
        .order_by(Passage.document_id, Passage.index).limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def _untouched_by(user_id: int, labels: bool = True) -> list:
    """Conditions: the passage is neither skipped nor (when `labels`) labelled by the user."""
    conditions = [~sa.exists().where(Skip.passage_id == Passage.id, Skip.user_id == user_id)]
    if labels:
        conditions.append(~sa.exists().where(Annotation.passage_id == Passage.id, Annotation.user_id == user_id))
    return conditions


def _queue_after(label_delta, assigned_delta, overlap_k: int):
    """The queue a passage belongs in once its counts change by these amounts (SQL CASE,
    evaluated on the row's values before the UPDATE)."""
    taken = Passage.label_count + label_delta + Passage.assigned_count + assigned_delta
    return sa.case(
        (sa.not_(Passage.annotatable), sa.null()),
        (taken >= overlap_k, sa.null()),
        (taken == 0, FRESH),
        else_=STARTED,
    )


def _take_slot(session, project: Project, passage_id: int) -> bool:
    """Hold one of the passage's k places, if one is free; whether it was."""
    taken = Passage.label_count + Passage.assigned_count
    return session.execute(
        sa.update(Passage)
        .where(Passage.id == passage_id, Passage.queue.is_not(None), taken < project.overlap_k)
        .values(assigned_count=Passage.assigned_count + 1, queue=_queue_after(0, 1, project.overlap_k))
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def _give_back_slot(session, project: Project, passage_id: int) -> None:
    session.execute(
        sa.update(Passage).where(Passage.id == passage_id, Passage.assigned_count > 0)
        .values(assigned_count=Passage.assigned_count - 1, queue=_queue_after(0, -1, project.overlap_k))
        .execution_options(synchronize_session=False)
    )


def _count_label(session, project: Project, passage_id: int, holds_slot: bool) -> int | None:
    """Count a new label on the passage: the annotator's held place turns into a label, or,
    when their hold lapsed, a free place is taken. Returns the new label count, or None when
    no place is left."""
    statement = sa.update(Passage).where(Passage.id == passage_id)
    if holds_slot:
        statement = statement.values(
            label_count=Passage.label_count + 1, assigned_count=Passage.assigned_count - 1,
            queue=_queue_after(1, -1, project.overlap_k),
        )
    else:
        statement = statement.where(
            Passage.queue.is_not(None), Passage.label_count + Passage.assigned_count < project.overlap_k
        ).values(label_count=Passage.label_count + 1, queue=_queue_after(1, 0, project.overlap_k))
    return session.execute(
        statement.returning(Passage.label_count).execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def _credit(state: AnnotatorState, label_count: int, overlap_k: int) -> None:
    state.labels += 1
    state.started += label_count == 1
    state.completed += label_count == overlap_k


def _hold(state: AnnotatorState, passage: Passage, now: datetime, hold: timedelta) -> None:
    state.passage_id, state.holds_slot = passage.id, True
    state.assigned_at, state.expires_at = now, now + hold
    if state.cursor_document_id is None or (passage.document_id, passage.index) > (state.cursor_document_id, state.cursor_index):
        state.cursor_document_id, state.cursor_index = passage.document_id, passage.index


def _labelled_by(session, passage_id: int, user_id: int) -> bool:
    return session.scalar(
        sa.select(sa.exists().where(Annotation.passage_id == passage_id, Annotation.user_id == user_id))
    )


def _timed(submission: Submission, seconds: float | None) -> Submission:
    if submission.seconds is not None or seconds is None:
        return submission
    return Submission(submission.labels, submission.note, submission.unsure, submission.client_time, round(seconds, 3))
