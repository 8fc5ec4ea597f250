"""Recording labels: validated against the project's schema, appended to the event log, and
the current label set kept equal to the latest event. Services flush; the caller commits."""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.agreement_form import agreement_form
from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.clock import utcnow
from annotator.documents.words import words_of_passage
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.schema import LabelError

MAX_NOTE = 5000


@dataclass(frozen=True)
class Submission:
    labels: dict
    note: str = ""
    unsure: bool = False
    client_time: datetime | None = None
    seconds: float | None = None


def parse_submission(body: dict) -> Submission:
    """A submission from a request's JSON object (or a form turned into one); wrong types
    raise LabelError naming the field. The labels themselves are checked against the schema
    when recorded."""
    labels, note, unsure = body.get("labels"), body.get("note") or "", body.get("unsure", False)
    if not isinstance(labels, dict):
        raise LabelError("labels", "Labels must be an object of field names to values")
    if not isinstance(note, str):
        raise LabelError("note", "Note must be text")
    if not isinstance(unsure, bool):
        raise LabelError("unsure", "Unsure must be true or false", ["true", "false"])
    return Submission(labels, note, unsure, parse_client_time(body.get("client_time")))


def parse_client_time(value) -> datetime | None:
    """A time sent by a client or another tool, as ISO 8601, stored as naive UTC; absent or
    unreadable: None (the client's clock is evidence for the audit, never trusted for
    anything else)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def checked_labels(session: so.Session, project: Project, passage_id: int, labels: object) -> dict:
    """A label set checked against the project's schema, and against the passage's words when
    the schema marks spans (LabelError otherwise): one rule for annotators' and reviewers' labels."""
    schema = schema_of(session, project)
    passage = words_of_passage(session, passage_id) if schema.needs_passage else None
    return schema.check_labels(labels, passage)


@dataclass(frozen=True)
class Recorded:
    """The annotator's label set as stored, and what storing it did."""

    labels: dict
    note: str
    unsure: bool
    updated_at: datetime
    created: bool  # the annotator's first label set for the passage
    changed: bool  # False when the same labels were sent again


_annotation = Annotation.__table__
_CURRENT = sa.select(_annotation.c.labels, _annotation.c.note, _annotation.c.unsure, _annotation.c.updated_at).where(
    _annotation.c.passage_id == sa.bindparam("passage_id"), _annotation.c.user_id == sa.bindparam("user_id")
)
_INSERT_EVENT = AnnotationEvent.__table__.insert()
_INSERT_ANNOTATION = _annotation.insert()
_UPDATE_ANNOTATION = _annotation.update().where(
    _annotation.c.passage_id == sa.bindparam("where_passage_id"), _annotation.c.user_id == sa.bindparam("where_user_id")
)


def record_labels(
    session: so.Session,
    project: Project,
    passage_id: int,
    user_id: int,
    submission: Submission,
    actor_id: int | None = None,
) -> Recorded:
    """Store the user's labels for the passage, appending the change to the event log; the
    current label set follows the latest event. Sending the same labels again changes nothing
    (a double submit is one label). Raises LabelError for labels the schema refuses.

    Callers serialise one annotator's submits (assignment locks their state first); the unique
    (passage, annotator) constraint stands behind that."""
    labels = checked_labels(session, project, passage_id, submission.labels)
    state = {"labels": labels, "note": submission.note.strip()[:MAX_NOTE], "unsure": bool(submission.unsure)}
    connection = session.connection()
    current = connection.execute(_CURRENT, {"passage_id": passage_id, "user_id": user_id}).first()
    before = {"labels": current.labels, "note": current.note, "unsure": current.unsure} if current else None
    if before == state:
        return Recorded(**state, updated_at=current.updated_at, created=False, changed=False)
    now = utcnow()
    connection.execute(
        _INSERT_EVENT,
        {
            "project_id": project.id,
            "passage_id": passage_id,
            "user_id": user_id,
            "actor_id": actor_id or user_id,
            "kind": "labels",
            "before": before,
            "after": state,
            "schema_version": project.schema_version,
            "guidelines_version": project.guidelines_version,
            "client_time": submission.client_time,
            "server_time": now,
        },
    )
    written = {
        **state,
        **agreement_form(labels),
        "schema_version": project.schema_version,
        "updated_at": now,
    }
    if current is None:
        connection.execute(
            _INSERT_ANNOTATION,
            {
                **written,
                "project_id": project.id,
                "passage_id": passage_id,
                "user_id": user_id,
                "created_at": now,
                "seconds": submission.seconds,
            },
        )
    else:
        connection.execute(_UPDATE_ANNOTATION, {**written, "where_passage_id": passage_id, "where_user_id": user_id})
    return Recorded(**state, updated_at=now, created=current is None, changed=True)
