"""Creating and finding projects. Services flush; the caller commits."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.projects.label_schema import default_schema, validate_schema
from annotator.projects.models import MEMBER_ROLES, Project, ProjectMember, ProjectSchema
from annotator.users.models import User


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


def add_member(session: so.Session, project: Project, username: str, role: str) -> tuple[ProjectMember, bool]:
    """Make the user an annotator or reviewer of the project; returns the membership and
    whether it is new (adding an existing membership changes nothing)."""
    if role not in MEMBER_ROLES:
        raise ProjectError(f"a member's role is one of {', '.join(MEMBER_ROLES)}")
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise ProjectError(f'no user named "{username}"')
    if not user.active:
        raise ProjectError(f'user "{username}" is deactivated')
    existing = session.scalar(
        sa.select(ProjectMember).where(ProjectMember.project_id == project.id, ProjectMember.user_id == user.id, ProjectMember.role == role)
    )
    if existing is not None:
        return existing, False
    member = ProjectMember(project_id=project.id, user_id=user.id, role=role)
    session.add(member)
    session.flush()
    return member, True


def projects_of(session: so.Session, user: User) -> list[Project]:
    """The projects a user may work on: all for an admin, else those they are a member of."""
    query = sa.select(Project).order_by(Project.name)
    if not user.is_admin:
        query = query.where(Project.id.in_(sa.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)))
    return list(session.scalars(query))


def members_of(session: so.Session, project: Project) -> list[tuple[ProjectMember, User]]:
    rows = session.execute(
        sa.select(ProjectMember, User).join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id == project.id).order_by(User.username, ProjectMember.role)
    )
    return [tuple(row) for row in rows]


def remove_member(session: so.Session, project: Project, member_id: int) -> None:
    member = session.get(ProjectMember, member_id)
    if member is None or member.project_id != project.id:
        raise ProjectError("no such member of this project")
    session.delete(member)
    session.flush()
