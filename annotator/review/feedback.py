"""Feedback from review: the decisions on an annotator's own passages that differ from their
answer, once each passage is complete. An annotator sees the decision and the reviewer's note,
never another annotator's labels, and nothing before the passage has all its labels."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import DISAGREEMENT_CATEGORIES, Adjudication
from annotator.annotations.models import Annotation
from annotator.assignment.lifecycle import NEEDED
from annotator.documents.models import Document, Passage
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.schema import Schema
from annotator.users.models import User

SHOWN_AT_MOST = 200  # the newest decisions on one page; the count covers them all


@dataclass(frozen=True)
class FieldDifference:
    name: str
    label: str
    yours: str  # in words; "" when the field was not asked of them
    decided: str


@dataclass(frozen=True)
class DecisionFeedback:
    passage_id: int
    document: str  # the document's title (or own id)
    index: int
    text: str
    differences: list[FieldDifference]
    note: str  # the reviewer's
    category: str | None  # why the annotators disagreed, of DISAGREEMENT_CATEGORIES
    decided_at: datetime

    @property
    def category_words(self) -> str | None:
        return DISAGREEMENT_CATEGORIES.get(self.category) if self.category else None


def decisions_differing(session: so.Session, project: Project, annotator: User) -> list[DecisionFeedback]:
    """The decided, complete passages the annotator labelled where the decision is not their
    answer, newest decision first."""
    schema = schema_of(session, project)
    rows = session.execute(
        sa.select(
            Passage.id,
            Document.title,
            Document.external_id,
            Passage.index,
            Passage.text,
            Annotation.labels,
            Adjudication.labels,
            Adjudication.note,
            Adjudication.category,
            Adjudication.updated_at,
        )
        .join(Adjudication, Adjudication.passage_id == Annotation.passage_id)
        .join(Passage, Passage.id == Annotation.passage_id)
        .join(Document, Document.id == Passage.document_id)
        .where(
            Annotation.project_id == project.id,
            Annotation.user_id == annotator.id,
            Adjudication.project_id == project.id,  # the project's decisions (few) drive the join
            Passage.annotatable,
            Passage.label_count >= NEEDED,
        )
        .order_by(Adjudication.updated_at.desc(), Passage.id)
    )
    found = []
    for passage_id, title, external_id, index, text, yours, decided, note, category, at in rows:
        if yours != decided:
            differences = field_differences(schema, yours, decided)
            found.append(
                DecisionFeedback(
                    passage_id,
                    title or external_id,
                    index,
                    text,
                    differences,
                    note,
                    category,
                    at,
                )
            )
    return found


def field_differences(schema: Schema, yours: dict, decided: dict) -> list[FieldDifference]:
    """The fields where the decision is not the annotator's answer, in the schema's order."""
    return [
        FieldDifference(
            field.name, field.label, field.words(yours.get(field.name)), field.words(decided.get(field.name))
        )
        for field in schema.fields
        if yours.get(field.name) != decided.get(field.name)
    ]
