"""A project's current schema, parsed once per schema version and kept: versions are added,
never edited, so a kept Schema stays right for as long as its row exists. A lookup is one
indexed read of the version row's id and creation time (together they name the row even where
a deleted row's id is used again); the definition is read and parsed only the first time."""

from collections import OrderedDict
from threading import Lock

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.projects.models import Project, ProjectSchema
from annotator.schema.model import Schema

KEPT = 256  # schema versions kept in a process

_schemas: OrderedDict[tuple, Schema] = OrderedDict()
_lock = Lock()
_ROW = sa.select(ProjectSchema.id, ProjectSchema.created_at).where(
    ProjectSchema.project_id == sa.bindparam("project_id"), ProjectSchema.version == sa.bindparam("version")
)
_DEFINITION = sa.select(ProjectSchema.definition).where(ProjectSchema.id == sa.bindparam("id"))


def schema_of(session: so.Session, project: Project) -> Schema:
    """The project's current schema (the only place a stored definition is read)."""
    connection = session.connection()
    row = tuple(connection.execute(_ROW, {"project_id": project.id, "version": project.schema_version}).one())
    with _lock:
        kept = _schemas.get(row)
        if kept is not None:
            _schemas.move_to_end(row)
            return kept
    schema = Schema.parse(connection.execute(_DEFINITION, {"id": row[0]}).scalar_one())
    with _lock:
        _schemas[row] = schema
        while len(_schemas) > KEPT:
            _schemas.popitem(last=False)
    return schema
