"""Reading a project's label schema (versions are added, never edited)."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.projects.models import Project, ProjectSchema

_CURRENT_SCHEMA = sa.select(ProjectSchema.definition).where(
    ProjectSchema.project_id == sa.bindparam("project_id"), ProjectSchema.version == sa.bindparam("version"))


def current_schema(session: so.Session, project: Project) -> dict:
    """The definition of the project's current schema version."""
    return session.connection().execute(_CURRENT_SCHEMA, {"project_id": project.id, "version": project.schema_version}).scalar_one()
