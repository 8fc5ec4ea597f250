"""Every model, imported in one place so that Alembic and the app see all tables."""

from annotator.documents.models import Document, Passage
from annotator.projects.models import Project, ProjectMember, ProjectSchema
from annotator.users.models import ApiToken, LoginAttempt, User

__all__ = ["ApiToken", "Document", "LoginAttempt", "Passage", "Project", "ProjectMember", "ProjectSchema", "User"]
