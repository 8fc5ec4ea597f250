"""The `backup` export: everything needed to rebuild the project, table by table, row by row,
ids included: its accounts (without password hashes; sessions and API tokens are not exported), the project with every
version of its schema and guidelines, its members, documents with their raw text, passages,
the current labels with their whole event log, skips, reviewers' decisions with theirs, the
passages' discussions, admins' corrections (withdrawn documents, excluded passages and an archived
project stay so), and quality control's rows (gold passages, answers on them, annotators' standings
and pauses, onboarding attempts).

What can be worked out again is left out: the assignment counters and annotators' totals, the
passages' agreement rows and the agreement figures (annotator restore recomputes them), and
holds on passages (they lapse anyway)."""

from collections.abc import Iterator

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import Adjudication, AdjudicationEvent
from annotator.annotations.models import Annotation, AnnotationEvent, Skip
from annotator.clock import utcnow
from annotator.curation.models import Correction
from annotator.discussion.models import DiscussionEntry
from annotator.documents.models import Document, Passage
from annotator.exporting.consistent_read import read_consistently, stream
from annotator.projects.models import Project, ProjectGuidelines, ProjectMember, ProjectSchema
from annotator.quality.models import (
    AnnotatorQuality,
    GoldAnswer,
    GoldPassage,
    OnboardingAnswer,
    OnboardingAttempt,
    QualityEvent,
)
from annotator.users.models import User

FORMAT = 1
SECRET_COLUMNS = {"user_account": {"password_hash"}}
# In the order a restore inserts them: every row's references come before it.
PROJECT_TABLES = [
    ProjectSchema,
    ProjectGuidelines,
    ProjectMember,
    Document,
    Passage,
    Annotation,
    AnnotationEvent,
    Skip,
    Adjudication,
    AdjudicationEvent,
    Correction,
    # quality control (annotator.quality): gold, answers on it, standings, pauses, onboarding
    GoldPassage,
    OnboardingAttempt,
    OnboardingAnswer,
    GoldAnswer,
    AnnotatorQuality,
    QualityEvent,
    DiscussionEntry,
]
# Kept by assignment and review as labels arrive, or stored beside each label set for
# agreement (annotator/annotations/agreement_form.py); a restore works them out again.
DERIVED_COLUMNS = {
    "passage": {"label_count", "assigned_count", "queue"},
    "annotation": {"agreement_labels", "span_offsets"},
}


def backup_records(session: so.Session, project: Project) -> Iterator[dict]:
    """A header line, then one line per row ({"type": table name, column: value, ...})."""
    read_consistently(session)
    yield {"type": "backup", "format": FORMAT, "exported_at": utcnow(), "project": project.name}
    for row in session.execute(sa.select(User.__table__).where(User.id.in_(people_of(project))).order_by(User.id)):
        yield _line(User.__table__, row)
    yield _line(Project.__table__, session.execute(sa.select(Project.__table__).where(Project.id == project.id)).one())
    for model in PROJECT_TABLES:
        table = model.__table__
        query = sa.select(table).where(table.c.project_id == project.id).order_by(*table.primary_key.columns)
        for row in stream(session, query):
            yield _line(table, row)


def people_of(project: Project):
    """Everyone the project's rows name: members, annotators, reviewers."""
    columns = [
        ProjectMember.user_id,
        Annotation.user_id,
        AnnotationEvent.user_id,
        AnnotationEvent.actor_id,
        Skip.user_id,
        Adjudication.reviewer_id,
        AdjudicationEvent.reviewer_id,
        Document.imported_by_id,
        Correction.user_id,
        GoldPassage.created_by,
        GoldAnswer.user_id,
        AnnotatorQuality.user_id,
        QualityEvent.user_id,
        QualityEvent.actor_id,
        OnboardingAttempt.user_id,
        DiscussionEntry.author_id,
    ]
    return sa.union(*(sa.select(column).where(column.table.c.project_id == project.id) for column in columns))


def _line(table: sa.Table, row) -> dict:
    left_out = SECRET_COLUMNS.get(table.name, set()) | DERIVED_COLUMNS.get(table.name, set())
    return {"type": table.name, **{key: value for key, value in row._mapping.items() if key not in left_out}}
