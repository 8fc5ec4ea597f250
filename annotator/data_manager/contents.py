"""A document as the data manager shows it: its passages in reading order, each with its status
and offsets; for those who may see labels (the project's reviewers and admins), every label set
of every passage (who, what, when), the reviewer's decision, and the gold the export would give."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import Adjudication
from annotator.annotations.models import Annotation
from annotator.data_manager.cursors import decode_cursor, encode_cursor
from annotator.data_manager.search import LISTED_COLUMNS, FoundPassage, found_passages
from annotator.documents.lookup import NoSuchDocument
from annotator.documents.models import Document, Passage
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.review.adjudicating import FieldGold, Opinion, passage_gold
from annotator.users.models import User

PAGE_SIZE = 200  # passages of a document on one page
CONTEXT_BEFORE = 3  # passages shown before one a link leads to
_CURSOR = "document-passages"


@dataclass(frozen=True)
class LabelSet:
    """One annotator's current labels for a passage."""

    user_id: int
    username: str
    labels: dict
    note: str
    unsure: bool
    updated_at: datetime


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on a passage."""

    reviewer: str
    labels: dict
    note: str
    updated_at: datetime


@dataclass(frozen=True)
class PassageLabels:
    label_sets: list[LabelSet]
    decision: Decision | None
    gold: dict[str, FieldGold]  # per schema field (annotator.review.adjudicating.passage_gold)


@dataclass(frozen=True)
class DocumentDetails:
    id: int
    project_id: int
    external_id: str
    title: str
    source: str
    size: int
    passage_count: int
    imported_at: datetime
    imported_by: str | None
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class DocumentContents:
    document: DocumentDetails
    passages: list[FoundPassage]
    labels: dict[int, PassageLabels] = field(default_factory=dict)  # by passage id; only passages with labels
    next_cursor: str | None = None  # of the next page of passages; None on the last


def document_contents(
    session: so.Session,
    project: Project,
    document_id: int,
    with_labels: bool = False,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> DocumentContents:
    """The document of the project and a page of its passages in reading order (after
    `cursor`; a document can have tens of thousands); with every passage's label sets,
    decision and gold when `with_labels` (for reviewers and admins only)."""
    document = _details(session, project, document_id)
    rows = session.execute(
        sa.select(*LISTED_COLUMNS)
        .join(Document, Document.id == Passage.document_id)
        .where(Passage.document_id == document_id, Passage.index > _after_index(document_id, cursor))
        .order_by(Passage.index)
        .limit(size + 1)
    ).all()
    page = rows[:size]
    labels = _labels(session, project, [row.id for row in page]) if with_labels else {}
    next_cursor = encode_cursor(_CURSOR, [document_id, page[-1].index]) if len(rows) > size else None
    return DocumentContents(document, found_passages(session, project, page), labels, next_cursor)


def cursor_at(document_id: int, index: int) -> str | None:
    """The cursor of the page of a document that shows the passage at `index` with a few
    passages before it (None: the first page does)."""
    start = index - CONTEXT_BEFORE
    return encode_cursor(_CURSOR, [document_id, start - 1]) if start > PAGE_SIZE - CONTEXT_BEFORE else None


def _after_index(document_id: int, cursor: str | None) -> int:
    """The index after which the page starts (-1: from the first passage)."""
    found = decode_cursor(_CURSOR, cursor)
    if not found or len(found) != 2 or found[0] != document_id or not isinstance(found[1], int):
        return -1
    return found[1] if 0 <= found[1] < 2**31 else -1


def _details(session: so.Session, project: Project, document_id: int) -> DocumentDetails:
    row = session.execute(
        sa.select(
            Document.id,
            Document.project_id,
            Document.external_id,
            Document.title,
            Document.source,
            Document.size,
            Document.passage_count,
            Document.imported_at,
            User.username,
            Document.withdrawn_at,
        )
        .outerjoin(User, User.id == Document.imported_by_id)
        .where(Document.id == document_id)
    ).first()
    if row is None or row.project_id != project.id:
        raise NoSuchDocument(f"document {document_id} not found in this project")
    return DocumentDetails(*row)


def _labels(session: so.Session, project: Project, passage_ids: list[int]) -> dict[int, PassageLabels]:
    """Per labelled or decided passage of these: its label sets, decision and gold (two queries)."""
    label_sets: dict[int, list[LabelSet]] = {}
    for passage_id, *label_set in session.execute(
        sa.select(
            Annotation.passage_id,
            Annotation.user_id,
            User.username,
            Annotation.labels,
            Annotation.note,
            Annotation.unsure,
            Annotation.updated_at,
        )
        .join(User, User.id == Annotation.user_id)
        .where(Annotation.passage_id.in_(passage_ids))
        .order_by(Annotation.passage_id, Annotation.id)
    ):
        label_sets.setdefault(passage_id, []).append(LabelSet(*label_set))
    decisions = {
        adjudication.passage_id: (adjudication, reviewer)
        for adjudication, reviewer in session.execute(
            sa.select(Adjudication, User.username)
            .join(User, User.id == Adjudication.reviewer_id)
            .where(Adjudication.passage_id.in_(passage_ids))
        )
    }
    schema = schema_of(session, project)
    found = {}
    for passage_id in sorted(label_sets.keys() | decisions.keys()):
        sets = label_sets.get(passage_id, [])
        adjudication, reviewer = decisions.get(passage_id, (None, None))
        opinions = [Opinion(one.user_id, one.username, one.labels, one.note, one.unsure) for one in sets]
        decision = adjudication and Decision(reviewer, adjudication.labels, adjudication.note, adjudication.updated_at)
        found[passage_id] = PassageLabels(sets, decision, passage_gold(schema, opinions, adjudication))
    return found
