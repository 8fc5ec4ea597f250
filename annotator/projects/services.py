"""Creating and finding projects. Services flush; the caller commits."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.projects.label_schema import default_schema, validate_schema
from annotator.projects.models import Project, ProjectSchema


class ProjectError(ValueError):
    pass


def create_project(session: so.Session, name: str, target: str = "", guidelines: str = "",
                   overlap_k: int = 2, schema: dict | None = None) -> Project:
    """A new project with version 1 of its label schema (the default claim schema unless given)."""
    name = name.strip()
    if not name:
        raise ProjectError("a project needs a name")
    if overlap_k < 1:
        raise ProjectError("overlap k must be at least 1")
    if session.scalar(sa.select(Project.id).where(Project.name == name)) is not None:
        raise ProjectError(f'a project named "{name}" already exists')
    definition = default_schema() if schema is None else schema
    validate_schema(definition)
    project = Project(name=name, target=target, guidelines=guidelines, overlap_k=overlap_k, schema_version=1)
    session.add(project)
    session.flush()
    session.add(ProjectSchema(project_id=project.id, version=1, definition=definition))
    session.flush()
    return project


def find_project(session: so.Session, name_or_id: str) -> Project:
    """The project with this name, or with this numeric id."""
    project = session.scalar(sa.select(Project).where(Project.name == name_or_id))
    if project is None and name_or_id.isdigit():
        project = session.get(Project, int(name_or_id))
    if project is None:
        raise ProjectError(f'no project named "{name_or_id}"')
    return project


def current_schema(session: so.Session, project: Project) -> dict:
    return session.scalar(
        sa.select(ProjectSchema.definition).where(
            ProjectSchema.project_id == project.id, ProjectSchema.version == project.schema_version
        )
    )
