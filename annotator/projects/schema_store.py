"""A project's current schema, parsed once per schema version and kept: versions are added,
never edited, so a kept Schema stays right for as long as its row exists. A lookup is one
indexed read of the version row's id and creation time (together they name the row even where
a deleted row's id is used again); the definition is read and parsed only the first time. Within
one transaction the schema found is remembered on the connection, so that the label path, which
asks for it to check a label and again to measure a complete passage's agreement, reads the
version row once."""

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
_IN_THIS_TRANSACTION = "schema_of"  # connection.info key: (transaction, (project id, version), schema)
_DEFINITION = sa.select(ProjectSchema.definition).where(ProjectSchema.id == sa.bindparam("id"))


def schema_of(session: so.Session, project: Project) -> Schema:
    """The project's current schema (the only place a stored definition is read)."""
    connection = session.connection()
    # The innermost transaction: a savepoint rolled back forgets what was found inside it.
    transaction = connection.get_nested_transaction() or connection.get_transaction()
    key = (project.id, project.schema_version)
    remembered = connection.info.get(_IN_THIS_TRANSACTION)
    if remembered is not None and remembered[0] is transaction and remembered[1] == key:
        return remembered[2]
    schema = _kept_schema(connection, project)
    connection.info[_IN_THIS_TRANSACTION] = (transaction, key, schema)
    return schema


def _kept_schema(connection, project: Project) -> Schema:
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
