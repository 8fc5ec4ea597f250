"""A passage among its neighbours: what an annotator reads around the passage they label.
(Never the document's raw text: it can be megabytes, and a page needs a few lines.)"""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage

AROUND = 2

_passage, _document = Passage.__table__, Document.__table__
_NEIGHBOURS = (
    sa.select(_passage.c.id, _passage.c.index, _passage.c.text)
    .where(_passage.c.document_id == sa.bindparam("document_id"),
           _passage.c.index.between(sa.bindparam("first"), sa.bindparam("last")), _passage.c.id != sa.bindparam("id"))
    .order_by(_passage.c.index)
)
_HEADING = sa.select(_document.c.id, _document.c.project_id, _document.c.external_id, _document.c.title).where(
    _document.c.id == sa.bindparam("id"))


def neighbours(session: so.Session, passage, around: int = AROUND) -> tuple[list[sa.Row], list[sa.Row]]:
    """The passages just before and just after this one in its document (one indexed range)."""
    rows = session.connection().execute(_NEIGHBOURS, {
        "document_id": passage.document_id, "first": passage.index - around, "last": passage.index + around,
        "id": passage.id,
    }).all()
    return [p for p in rows if p.index < passage.index], [p for p in rows if p.index > passage.index]


def document_heading(session: so.Session, document_id: int) -> sa.Row | None:
    """The document's id, project, own id and title."""
    return session.connection().execute(_HEADING, {"id": document_id}).first()


def document_passages(session: so.Session, document_id: int) -> list[Passage]:
    """Every passage of the document, in order."""
    return list(session.scalars(sa.select(Passage).where(Passage.document_id == document_id).order_by(Passage.index)))
