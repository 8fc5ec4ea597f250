"""Who may do what in a project. Admins may do everything; everyone else needs a membership:
annotators label (and see only their own labels), reviewers see every label and settle
disagreements."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.domain_errors import Conflict, Forbidden, NotFound
from annotator.projects.models import Project, ProjectMember
from annotator.users.models import User

ANNOTATE, REVIEW, VIEW = "annotate", "review", "view"
_ROLE_FOR = {ANNOTATE: {"annotator"}, REVIEW: {"reviewer"}, VIEW: {"annotator", "reviewer"}}


_ROLES_IN_PROJECT = sa.select(ProjectMember.__table__.c.role).where(
    ProjectMember.__table__.c.project_id == sa.bindparam("project_id"),
    ProjectMember.__table__.c.user_id == sa.bindparam("user_id"),
)


class NoSuchProject(NotFound):
    """No project by that name or id."""


class NotAllowed(Forbidden):
    """The project exists; the user's role in it does not allow this."""


class ProjectArchived(Conflict):
    """The project is archived: read-only until an admin unarchives it."""


def project_for(session: so.Session, user: User, project_id: int, purpose: str) -> Project:
    """The project, if the user may use it for `purpose` (ANNOTATE, REVIEW, VIEW). An archived
    project is not there for those who only annotate it, and takes no labels from anyone."""
    project = session.get(Project, project_id)
    if project is None or (project.archived_at is not None and not may(session, user, project.id, REVIEW)):
        raise NoSuchProject(f"project {project_id} not found")
    if not may(session, user, project.id, purpose):
        raise NotAllowed(f"your account may not {purpose} in project {project.name}")
    if purpose == ANNOTATE:
        refuse_if_archived(project)
    return project


def refuse_if_archived(project: Project) -> None:
    """Refuse any change to an archived project's data (labels, skips, imports, its schema,
    corrections); only unarchiving it is allowed."""
    if project.archived_at is not None:
        raise ProjectArchived(
            f'project "{project.name}" is archived, so it is read-only: an admin can unarchive it on its settings page'
        )


def may(session: so.Session, user: User, project_id: int, purpose: str) -> bool:
    """Whether the user may annotate, review or (either) view the project."""
    if user.is_admin:
        return True
    roles = session.connection().execute(_ROLES_IN_PROJECT, {"project_id": project_id, "user_id": user.id}).scalars()
    return not _ROLE_FOR[purpose].isdisjoint(roles)


def projects_for(session: so.Session, user: User, purpose: str) -> set[int]:
    """The ids of the projects the user's memberships allow `purpose` in (an admin's
    permissions come from the role, not from memberships: check `may` or `is_admin`)."""
    return set(
        session.scalars(
            sa.select(ProjectMember.project_id).where(
                ProjectMember.user_id == user.id, ProjectMember.role.in_(_ROLE_FOR[purpose])
            )
        )
    )
