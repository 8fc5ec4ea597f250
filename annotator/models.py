"""Every model, imported in one place so that Alembic and the app see all tables."""

from annotator.annotations.adjudications import Adjudication, AdjudicationEvent
from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.assignment.models import AnnotatorState, PassageAgreement
from annotator.curation.models import Correction
from annotator.discussion.models import DiscussionEntry
from annotator.documents.models import Document, Passage
from annotator.importing.models import ImportJob, ImportJobFile, ImportJobOutcome
from annotator.project_agreement.models import AgreementSnapshot
from annotator.projects.models import Project, ProjectGuidelines, ProjectMember, ProjectSchema
from annotator.quality.models import (
    AnnotatorQuality,
    GoldAnswer,
    GoldPassage,
    OnboardingAnswer,
    OnboardingAttempt,
    QualityEvent,
)
from annotator.users.models import ApiToken, LoginThrottle, User, UserSession

__all__ = [
    "Adjudication",
    "AdjudicationEvent",
    "AgreementSnapshot",
    "PassageAgreement",
    "AnnotatorState",
    "Annotation",
    "AnnotationEvent",
    "Correction",
    "DiscussionEntry",
    "ApiToken",
    "Document",
    "ImportJob",
    "ImportJobFile",
    "ImportJobOutcome",
    "Skip",
    "AnnotatorQuality",
    "GoldAnswer",
    "GoldPassage",
    "OnboardingAnswer",
    "OnboardingAttempt",
    "QualityEvent",
    "LoginThrottle",
    "Passage",
    "Project",
    "ProjectGuidelines",
    "ProjectMember",
    "ProjectSchema",
    "User",
    "UserSession",
]
