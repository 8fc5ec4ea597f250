"""Handing passages to annotators: each annotatable passage gets k labels from k distinct
annotators, and no passage is ever handed to more annotators than it still needs.

The counters on Passage (label_count, assigned_count, queue) change, on this path, only through
the guarded UPDATEs below (built from the lifecycle's rules: assignment.lifecycle), whose WHERE
clause re-checks the room left: the database settles races between
annotators (PostgreSQL re-evaluates the condition on the newest row version; SQLite runs one
writer at a time). A request first locks the annotator's own state row, so two requests of
one annotator (a double click, two tabs) run one after the other.

This is the path every label takes, so its statements are built once, here, and run as Core
statements: building an ORM query costs more than SQLite takes to answer it.

Services flush; the caller commits.
"""

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.annotations.recording import Recorded, Submission, record_labels
from annotator.assignment.lifecycle import HAS_ROOM, NEEDED, label_added, label_replaced, queue_after
from annotator.assignment.models import AnnotatorState
from annotator.db import insert_ignoring_conflicts
from annotator.documents.models import FRESH, STARTED, Passage
from annotator.domain_errors import Conflict
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project
from annotator.users.models import User
from annotator.write_lock import begin_write

DEFAULT_HOLD = timedelta(minutes=30)
# How many of the earliest started passages are looked at first; past the window, the
# annotator's cursor keeps the search short (see _find_open_passage).
STARTED_WINDOW = 200
# Expired holds given back per request, in passage order (ordered locks cannot deadlock).
RELEASE_PER_REQUEST = 8
MAX_SKIP_REASON = 500
ATTEMPTS = 5


class NotAssigned(Conflict):
    """The passage is not the caller's to label: not handed to them, or no room is left."""


class PassageExcluded(NotAssigned):
    """An admin took the passage out of annotation after it was handed to the annotator."""


EXCLUDED_WHILE_HELD = (
    "an admin took this passage out of annotation after it was handed to you, so your labels for it were "
    "not stored: ask for the next passage"
)


# --- statements ------------------------------------------------------------------------------

_passage, _state = Passage.__table__, AnnotatorState.__table__
_annotation, _skip = Annotation.__table__, Skip.__table__
_param = sa.bindparam


def _not_skipped():
    return ~sa.exists().where(_skip.c.passage_id == _passage.c.id, _skip.c.user_id == _param("user_id"))


def _not_labelled():
    return ~sa.exists().where(_annotation.c.passage_id == _passage.c.id, _annotation.c.user_id == _param("user_id"))


PASSAGE_COLUMNS = (
    _passage.c.id,
    _passage.c.project_id,
    _passage.c.document_id,
    _passage.c.index,
    _passage.c.start,
    _passage.c.end,
    _passage.c.text,
)

_STATE = (
    sa.select(_state)
    .where(_state.c.project_id == _param("project_id"), _state.c.user_id == _param("user_id"))
    .with_for_update()
)
_SAVE_STATE = _state.update().where(_state.c.id == _param("state_id"))
_HELD_PASSAGE = sa.select(*PASSAGE_COLUMNS).where(
    _passage.c.id == _param("passage_id"), _passage.c.annotatable, _not_skipped(), _not_labelled()
)
_ANNOTATABLE = sa.select(_passage.c.annotatable).where(_passage.c.id == _param("passage_id"))
_LABELLED = sa.select(
    sa.exists().where(_annotation.c.passage_id == _param("passage_id"), _annotation.c.user_id == _param("user_id"))
)
_TAKE_SLOT = (
    _passage.update()
    .where(_passage.c.id == _param("passage_id"), HAS_ROOM)
    .values(assigned_count=_passage.c.assigned_count + 1, queue=queue_after(0, 1))
)
_GIVE_BACK_SLOT = (
    _passage.update()
    .where(_passage.c.id == _param("passage_id"), _passage.c.assigned_count > 0)
    .values(assigned_count=_passage.c.assigned_count - 1, queue=queue_after(0, -1))
)
_LABEL_FROM_HOLD = (
    _passage.update()
    .where(_passage.c.id == _param("passage_id"), _passage.c.annotatable)
    .values(
        label_count=_passage.c.label_count + 1, assigned_count=_passage.c.assigned_count - 1, queue=queue_after(1, -1)
    )
    .returning(_passage.c.label_count, NEEDED)
)
_LABEL_FROM_ROOM = (
    _passage.update()
    .where(_passage.c.id == _param("passage_id"), HAS_ROOM)
    .values(label_count=_passage.c.label_count + 1, queue=queue_after(1, 0))
    .returning(_passage.c.label_count, NEEDED)
)
_COUNTS = sa.select(_passage.c.label_count, NEEDED).where(_passage.c.id == _param("passage_id"))
_EXPIRED = (
    sa.select(_state.c.id, _state.c.passage_id)
    .where(_state.c.holds_slot, _state.c.expires_at < _param("now"))
    .order_by(_state.c.expires_at)
    .limit(_param("limit"))
    .with_for_update(skip_locked=True)
)
_RELEASE = (
    _state.update()
    .where(_state.c.id == _param("state_id"), _state.c.holds_slot, _state.c.expires_at < _param("now"))
    .values(holds_slot=False)
)


def _first_in_queue(queue: int, *conditions):
    """The first passage of a queue in reading order that the annotator has not touched,
    skipping rows other transactions hold locked (PostgreSQL; SQLite has one writer)."""
    untouched = (_not_skipped(),) if queue == FRESH else (_not_skipped(), _not_labelled())  # fresh: no labels at all
    return (
        sa.select(*PASSAGE_COLUMNS)
        .where(_passage.c.project_id == _param("project_id"), _passage.c.queue == queue, *conditions, *untouched)
        .order_by(_passage.c.document_id, _passage.c.index)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


_WINDOW = (
    sa.select(_passage.c.id)
    .where(_passage.c.project_id == _param("project_id"), _passage.c.queue == STARTED)
    .order_by(_passage.c.document_id, _passage.c.index)
    .limit(_param("window"))
)
_WINDOW_SIZE = sa.select(sa.func.count()).select_from(_WINDOW.subquery())
_FIRST_IN_WINDOW = _first_in_queue(STARTED, _passage.c.id.in_(_WINDOW.scalar_subquery()))
_FIRST_AFTER_CURSOR = _first_in_queue(
    STARTED,
    sa.tuple_(_passage.c.document_id, _passage.c.index)
    > sa.tuple_(_param("cursor_document_id"), _param("cursor_index")),
)
_FIRST_FRESH = _first_in_queue(FRESH)
_FIRST_STARTED = _first_in_queue(STARTED)


# --- the annotator's state -------------------------------------------------------------------


@dataclass
class _State:
    """The annotator's row of annotator_state, changed in Python and saved once."""

    id: int
    project_id: int
    user_id: int
    passage_id: int | None
    holds_slot: bool
    assigned_at: datetime | None
    expires_at: datetime | None
    cursor_document_id: int | None
    cursor_index: int | None
    labels: int
    skips: int
    started: int
    completed: int

    def let_go(self) -> None:
        self.passage_id, self.holds_slot, self.expires_at = None, False, None

    def save(self, connection) -> None:
        values = asdict(self)
        connection.execute(_SAVE_STATE, {"state_id": values.pop("id"), **values})


_STATE_FIELDS = [field.name for field in fields(_State)]


def lock_state(session: so.Session, project: Project, user: User) -> _State:
    """The annotator's state in the project, created when missing, locked for the rest of the
    transaction (SQLite: the write transaction starts here; PostgreSQL: a row lock), so that
    one annotator's requests run one after the other."""
    begin_write(session)
    connection = session.connection()
    key = {"project_id": project.id, "user_id": user.id}
    row = connection.execute(_STATE, key).first()
    if row is None:
        insert_ignoring_conflicts(
            session,
            _state,
            {**key, "holds_slot": False, "labels": 0, "skips": 0, "started": 0, "completed": 0},
            ["project_id", "user_id"],
        )
        row = connection.execute(_STATE, key).one()
    return _State(**{name: getattr(row, name) for name in _STATE_FIELDS})


# --- services --------------------------------------------------------------------------------


def next_passage(
    session: so.Session, project: Project, user: User, now: datetime, hold: timedelta = DEFAULT_HOLD
) -> sa.Row | None:
    """The passage the annotator should label now (a row of PASSAGE_COLUMNS), held for them
    until `now + hold`; None when nothing is left for them. Asking again returns the same
    passage until it is labelled or skipped."""
    refuse_if_archived(project)
    release_expired_holds(session, now)
    state = lock_state(session, project, user)
    connection = session.connection()
    passage = _keep_held_passage(connection, state)
    if passage is None:
        passage = _take_open_passage(connection, project, state)
    if passage is not None:
        _hold(state, passage, now, hold)
    state.save(connection)
    return passage


def submit_labels(
    session: so.Session, project: Project, passage: Passage, user: User, submission: Submission, now: datetime
) -> Recorded:
    """Store the annotator's labels for the passage: a new label when it was handed to them
    (a lapsed hold still counts while the passage has room), or a change of their own earlier
    label. Raises NotAssigned otherwise (PassageExcluded when an admin excluded the passage
    meanwhile: its hold was given back, and no label goes on a passage out of annotation),
    ProjectArchived in an archived project, LabelError for labels the schema refuses."""
    refuse_if_archived(project)
    state = lock_state(session, project, user)
    connection = session.connection()
    if connection.execute(_LABELLED, {"passage_id": passage.id, "user_id": user.id}).scalar():
        if not connection.execute(_ANNOTATABLE, {"passage_id": passage.id}).scalar():
            raise PassageExcluded("an admin took this passage out of annotation: its labels can no longer be changed")
        recorded = record_labels(session, project, passage.id, user.id, submission)
        if recorded.changed:
            label_replaced(session, project, passage.id, *connection.execute(_COUNTS, {"passage_id": passage.id}).one())
        return recorded
    if state.passage_id != passage.id:
        raise NotAssigned("this passage was not handed to you: ask for the next passage")
    counted = connection.execute(
        _LABEL_FROM_HOLD if state.holds_slot else _LABEL_FROM_ROOM, {"passage_id": passage.id}
    ).first()
    if counted is None:
        if not connection.execute(_ANNOTATABLE, {"passage_id": passage.id}).scalar():
            raise PassageExcluded(EXCLUDED_WHILE_HELD)
        raise NotAssigned("your hold on this passage lapsed and other annotators have labelled it since")
    seconds = round((now - state.assigned_at).total_seconds(), 3) if state.assigned_at else None
    recorded = record_labels(session, project, passage.id, user.id, _timed(submission, seconds))
    label_count, needed = counted
    complete = label_added(session, project, passage.id, label_count, needed)
    state.labels += 1
    state.started += label_count == 1
    state.completed += complete
    state.let_go()
    state.save(connection)
    return recorded


def skip_passage(
    session: so.Session, project: Project, passage: Passage, user: User, reason: str, now: datetime
) -> None:
    """Pass on the passage handed to the annotator; it is not offered to them again."""
    refuse_if_archived(project)
    state = lock_state(session, project, user)
    connection = session.connection()
    labelled = connection.execute(_LABELLED, {"passage_id": passage.id, "user_id": user.id}).scalar()
    if state.passage_id != passage.id or labelled:
        raise NotAssigned("only the passage handed to you can be skipped")
    reason = reason.strip()[:MAX_SKIP_REASON]
    connection.execute(
        _skip.insert(),
        {"project_id": project.id, "passage_id": passage.id, "user_id": user.id, "reason": reason, "at": now},
    )
    connection.execute(
        AnnotationEvent.__table__.insert(),
        {
            "project_id": project.id,
            "passage_id": passage.id,
            "user_id": user.id,
            "actor_id": user.id,
            "kind": "skip",
            "before": None,
            "after": {"reason": reason},
            "schema_version": project.schema_version,
            "guidelines_version": project.guidelines_version,
            "client_time": None,
            "server_time": now,
        },
    )
    if state.holds_slot:
        connection.execute(_GIVE_BACK_SLOT, {"passage_id": passage.id})
    state.let_go()
    state.skips += 1
    state.save(connection)


def release_expired_holds(session: so.Session, now: datetime, limit: int = RELEASE_PER_REQUEST) -> int:
    """Give the slots of lapsed holds back to the pool (a few per call, in passage order);
    returns how many. The annotator keeps the passage and may still submit it while it has
    room."""
    connection = session.connection()
    expired = connection.execute(_EXPIRED, {"now": now, "limit": limit}).all()
    released = 0
    for state_id, passage_id in sorted(expired, key=lambda row: row.passage_id or 0):
        if connection.execute(_RELEASE, {"state_id": state_id, "now": now}).rowcount and passage_id is not None:
            connection.execute(_GIVE_BACK_SLOT, {"passage_id": passage_id})
            released += 1
    return released


# --- finding and holding a passage -----------------------------------------------------------


def _keep_held_passage(connection, state: _State) -> sa.Row | None:
    """The passage already handed to the annotator, if it is still theirs to label: held, or
    lapsed but with room left (then held again). Otherwise it is let go."""
    if state.passage_id is None:
        return None
    passage = connection.execute(_HELD_PASSAGE, {"passage_id": state.passage_id, "user_id": state.user_id}).first()
    if passage is not None and (state.holds_slot or _take_slot(connection, passage.id)):
        state.holds_slot = True
        return passage
    if state.holds_slot:
        connection.execute(_GIVE_BACK_SLOT, {"passage_id": state.passage_id})
    state.let_go()
    return None


def _take_open_passage(connection, project: Project, state: _State) -> sa.Row | None:
    for _attempt in range(ATTEMPTS):
        candidate = _find_open_passage(connection, project, state)
        if candidate is None or _take_slot(connection, candidate.id):
            return candidate
    return None  # others took every candidate first, five times over: try again later


def _find_open_passage(connection, project: Project, state: _State) -> sa.Row | None:
    """The next passage for the annotator, not labelled or skipped by them, with room left:
    first one that others have started (finish overlap units first), else a fresh one, each
    in reading order. Every search here is bounded by the window or by the annotator's own
    work, never by the project's size."""
    key = {"project_id": project.id, "user_id": state.user_id, "window": STARTED_WINDOW}
    found = connection.execute(_FIRST_IN_WINDOW, key).first()
    if found is not None:
        return found
    window_is_whole = connection.execute(_WINDOW_SIZE, key).scalar() < STARTED_WINDOW
    if not window_is_whole and state.cursor_document_id is not None:
        cursor = {"cursor_document_id": state.cursor_document_id, "cursor_index": state.cursor_index}
        found = connection.execute(_FIRST_AFTER_CURSOR, {**key, **cursor}).first()
    if found is None:
        found = connection.execute(_FIRST_FRESH, key).first()
    if found is None and not window_is_whole:
        found = connection.execute(_FIRST_STARTED, key).first()
    return found


def _take_slot(connection, passage_id: int) -> bool:
    """Hold one of the passage's k places, if one is free; whether it was."""
    return connection.execute(_TAKE_SLOT, {"passage_id": passage_id}).rowcount == 1


def _hold(state: _State, passage: sa.Row, now: datetime, hold: timedelta) -> None:
    if state.passage_id != passage.id:
        state.passage_id, state.assigned_at = passage.id, now
    state.holds_slot, state.expires_at = True, now + hold
    if state.cursor_document_id is None or (passage.document_id, passage.index) > (
        state.cursor_document_id,
        state.cursor_index,
    ):
        state.cursor_document_id, state.cursor_index = passage.document_id, passage.index


def _timed(submission: Submission, seconds: float | None) -> Submission:
    if submission.seconds is not None or seconds is None:
        return submission
    return Submission(submission.labels, submission.note, submission.unsure, submission.client_time, seconds)
