"""The review queue: complete passages whose annotators disagree and that no reviewer has
decided yet, lowest agreement first, optionally on one field; pages by keyset."""

import math
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.assignment.models import ANY_FIELD, PassageAgreement
from annotator.documents.models import Document, Passage
from annotator.projects.models import Project


@dataclass(frozen=True)
class QueueEntry:
    passage_id: int
    agreement: float
    values: int
    text: str
    document: str  # the document's title (its own id when it has none)
    index: int

    @property
    def cursor(self) -> str:
        return f"{self.agreement!r}:{self.passage_id}"


def review_queue(
    session: so.Session, project: Project, field: str = ANY_FIELD, after: str | None = None, size: int = 50
) -> tuple[list[QueueEntry], str | None]:
    """A page of the queue after the cursor `after` (from the start when None), and the cursor
    of the next page (None on the last)."""
    query = (
        sa.select(
            PassageAgreement.passage_id,
            PassageAgreement.agreement,
            PassageAgreement.values,
            Passage.text,
            sa.func.coalesce(sa.func.nullif(Document.title, ""), Document.external_id),
            Passage.index,
        )
        .join(Passage, Passage.id == PassageAgreement.passage_id)
        .join(Document, Document.id == Passage.document_id)
        .where(
            PassageAgreement.project_id == project.id,
            PassageAgreement.field == field,
            PassageAgreement.awaiting_review == 1,
        )
        .order_by(PassageAgreement.agreement, PassageAgreement.passage_id)
        .limit(size + 1)
    )
    position = parse_cursor(after)
    if position is not None:
        query = query.where(sa.tuple_(PassageAgreement.agreement, PassageAgreement.passage_id) > sa.tuple_(*position))
    entries = [QueueEntry(*row) for row in session.execute(query)]
    return entries[:size], entries[size - 1].cursor if len(entries) > size else None


def next_in_queue(
    session: so.Session, project: Project, field: str = ANY_FIELD, after: str | None = None
) -> int | None:
    """The passage a reviewer should look at next."""
    entries, _ = review_queue(session, project, field, after, size=1)
    return entries[0].passage_id if entries else None


COUNT_UP_TO = 1000


def queue_length(session: so.Session, project: Project, field: str = ANY_FIELD) -> int:
    """How many passages await review, counted up to COUNT_UP_TO (COUNT_UP_TO + 1 means
    more): the count costs the same in a queue of any length."""
    waiting = (
        sa.select(PassageAgreement.passage_id)
        .where(
            PassageAgreement.project_id == project.id,
            PassageAgreement.field == field,
            PassageAgreement.awaiting_review == 1,
        )
        .limit(COUNT_UP_TO + 1)
        .subquery()
    )
    return session.scalar(sa.select(sa.func.count()).select_from(waiting))


def parse_cursor(cursor: str | None) -> tuple[float, int] | None:
    """(agreement, passage id) from a cursor string; None when absent or malformed."""
    if not cursor:
        return None
    agreement, _, passage_id = cursor.partition(":")
    try:
        position = float(agreement), int(passage_id)
    except ValueError:
        return None
    return position if math.isfinite(position[0]) and 0 <= position[1] < 2**31 else None  # ids are 32-bit on PostgreSQL


def queue_position(session: so.Session, project: Project, field: str, passage_id: int) -> int | None:
    """The passage's place in the queue, from 1 (None when it is not waiting for review):
    counted along the queue's index, up to COUNT_UP_TO + 1."""
    here = session.execute(
        sa.select(PassageAgreement.agreement).where(
            PassageAgreement.passage_id == passage_id,
            PassageAgreement.field == field,
            PassageAgreement.awaiting_review == 1,
        )
    ).first()
    if here is None:
        return None
    ahead = (
        sa.select(PassageAgreement.passage_id)
        .where(
            PassageAgreement.project_id == project.id,
            PassageAgreement.field == field,
            PassageAgreement.awaiting_review == 1,
            sa.tuple_(PassageAgreement.agreement, PassageAgreement.passage_id) < sa.tuple_(here.agreement, passage_id),
        )
        .limit(COUNT_UP_TO)
        .subquery()
    )
    return session.scalar(sa.select(sa.func.count()).select_from(ahead)) + 1
