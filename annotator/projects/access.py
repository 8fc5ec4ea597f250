"""Who may do what in a project. Admins may do everything; everyone else needs a membership:
annotators label (and see only their own labels), reviewers see every label and settle
disagreements."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.projects.models import ProjectMember
from annotator.users.models import User

ANNOTATE, REVIEW, VIEW = "annotate", "review", "view"
_ROLE_FOR = {ANNOTATE: {"annotator"}, REVIEW: {"reviewer"}, VIEW: {"annotator", "reviewer"}}


def may(session: so.Session, user: User, project_id: int, purpose: str) -> bool:
    """Whether the user may annotate, review or (either) view the project."""
    if user.is_admin:
        return True
    roles = set(session.scalars(
        sa.select(ProjectMember.role).where(ProjectMember.project_id == project_id, ProjectMember.user_id == user.id)
    ))
    return bool(roles & _ROLE_FOR[purpose])


def projects_for(session: so.Session, user: User, purpose: str) -> set[int]:
    """The ids of the projects the user's memberships allow `purpose` in (an admin's
    permissions come from the role, not from memberships: check `may` or `is_admin`)."""
    return set(session.scalars(
        sa.select(ProjectMember.project_id)
        .where(ProjectMember.user_id == user.id, ProjectMember.role.in_(_ROLE_FOR[purpose]))
    ))
