"""Recording labels: validated against the project's schema, appended to the event log, and
the current label set kept equal to the latest event. Services flush; the caller commits."""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.exc import IntegrityError

from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.clock import utcnow
from annotator.documents.models import Passage
from annotator.projects.label_schema import LabelError, validate_labels
from annotator.projects.models import Project
from annotator.projects.services import current_schema
from annotator.users.models import User

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
        raise LabelError("labels", "must be an object of field names to values")
    if not isinstance(note, str):
        raise LabelError("note", "must be text")
    if not isinstance(unsure, bool):
        raise LabelError("unsure", "must be true or false", ["true", "false"])
    return Submission(labels, note, unsure, _client_time(body.get("client_time")))


def _client_time(value) -> datetime | None:
    """The annotator's clock, as ISO 8601, stored as naive UTC; absent or unreadable: None
    (the client's clock is evidence for the audit, never trusted for anything else)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def record_labels(session: so.Session, project: Project, passage: Passage, user: User, submission: Submission,
                  actor: User | None = None) -> tuple[Annotation, bool]:
    """Store the user's labels for the passage; returns the annotation and whether it is new.
    Sending the same labels again changes nothing (a double submit is one label)."""
    labels = validate_labels(current_schema(session, project), submission.labels)
    state = {"labels": labels, "note": submission.note.strip()[:MAX_NOTE], "unsure": bool(submission.unsure)}
    existing = _current(session, passage.id, user.id)
    if existing is not None and _state(existing) == state:
        return existing, False
    try:
        with session.begin_nested():
            annotation = _write(session, project, passage, user, existing, state, submission, actor or user)
    except IntegrityError:  # the same annotator submitted twice at the same instant
        existing = _current(session, passage.id, user.id)
        with session.begin_nested():
            annotation = _write(session, project, passage, user, existing, state, submission, actor or user)
    return annotation, existing is None


def _current(session, passage_id: int, user_id: int) -> Annotation | None:
    return session.scalar(sa.select(Annotation).where(Annotation.passage_id == passage_id, Annotation.user_id == user_id))


def _state(annotation: Annotation) -> dict:
    return {"labels": annotation.labels, "note": annotation.note, "unsure": annotation.unsure}


def _write(session, project, passage, user, existing, state, submission: Submission, actor: User) -> Annotation:
    now = utcnow()
    session.add(AnnotationEvent(
        project_id=project.id, passage_id=passage.id, user_id=user.id, actor_id=actor.id, kind="labels",
        before=_state(existing) if existing else None, after=state, schema_version=project.schema_version,
        guidelines_version=project.guidelines_version,
        client_time=submission.client_time, server_time=now,
    ))
    if existing is None:
        existing = Annotation(project_id=project.id, passage_id=passage.id, user_id=user.id, created_at=now,
                              seconds=submission.seconds)
        session.add(existing)
    existing.labels, existing.note, existing.unsure = state["labels"], state["note"], state["unsure"]
    existing.schema_version, existing.updated_at = project.schema_version, now
    session.flush()
    return existing
