"""Every model, imported in one place so that Alembic and the app see all tables."""

from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.documents.models import Document, Passage
from annotator.projects.models import Project, ProjectMember, ProjectSchema
from annotator.users.models import ApiToken, LoginAttempt, User

__all__ = ["Annotation", "AnnotationEvent", "ApiToken", "Document", "Skip", "LoginAttempt", "Passage", "Project", "ProjectMember", "ProjectSchema", "User"]
