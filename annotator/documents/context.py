"""A passage among its neighbours: what an annotator reads around the passage they label."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage

AROUND = 2


def neighbours(session: so.Session, passage: Passage, around: int = AROUND) -> tuple[list[Passage], list[Passage]]:
    """The passages just before and just after this one in its document (one indexed range)."""
    rows = session.scalars(
        sa.select(Passage)
        .where(Passage.document_id == passage.document_id,
               Passage.index.between(passage.index - around, passage.index + around), Passage.id != passage.id)
        .order_by(Passage.index)
    ).all()
    return [p for p in rows if p.index < passage.index], [p for p in rows if p.index > passage.index]


def document_passages(session: so.Session, document: Document) -> list[Passage]:
    """Every passage of the document, in order."""
    return list(session.scalars(sa.select(Passage).where(Passage.document_id == document.id).order_by(Passage.index)))
