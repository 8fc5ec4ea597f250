"""Every model, imported in one place so that Alembic and the app see all tables."""

from annotator.documents.models import Document, Passage
from annotator.projects.models import Project, ProjectSchema
from annotator.users.models import User

__all__ = ["Document", "Passage", "Project", "ProjectSchema", "User"]
