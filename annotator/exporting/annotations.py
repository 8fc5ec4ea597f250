"""The `annotations` export: one line per current label set, in reading order, with its
passage, annotator, labels (every schema field, null where it has none), note, unsure flag and
times."""

from collections.abc import Iterator

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation
from annotator.documents.models import Document, Passage
from annotator.exporting.consistent_read import read_consistently, stream
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.users.models import User


def annotation_records(session: so.Session, project: Project) -> Iterator[dict]:
    read_consistently(session)
    names = schema_of(session, project).names
    query = (
        sa.select(
            Annotation.passage_id,
            Document.external_id,
            Passage.index,
            Passage.start,
            Passage.end,
            User.username,
            Annotation.labels,
            Annotation.note,
            Annotation.unsure,
            Annotation.schema_version,
            Annotation.seconds,
            Annotation.created_at,
            Annotation.updated_at,
        )
        .join(Passage, Passage.id == Annotation.passage_id)
        .join(Document, Document.id == Passage.document_id)
        .join(User, User.id == Annotation.user_id)
        .where(Annotation.project_id == project.id)
        .order_by(Passage.document_id, Passage.index, User.username)
    )
    for row in stream(session, query):
        yield {
            "passage_id": row.passage_id,
            "document_id": row.external_id,
            "index": row.index,
            "start": row.start,
            "end": row.end,
            "annotator": row.username,
            "labels": {name: row.labels.get(name) for name in names},
            "note": row.note,
            "unsure": row.unsure,
            "schema_version": row.schema_version,
            "seconds": row.seconds,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
