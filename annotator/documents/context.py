"""A passage among its neighbours: what an annotator reads around the passage they label.
(Never the document's raw text: it can be megabytes, and a page needs a few lines.)"""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.documents.models import Document, Passage

AROUND = 2
# How far above its window the heading of a passage's section is looked for (a bounded read).
HEADING_REACH = 20

_passage, _document = Passage.__table__, Document.__table__
_NEIGHBOURS = (
    sa.select(_passage.c.id, _passage.c.index, _passage.c.text, _passage.c.excluded_reason)
    .where(
        _passage.c.document_id == sa.bindparam("document_id"),
        _passage.c.index.between(sa.bindparam("first"), sa.bindparam("last")),
        _passage.c.id != sa.bindparam("id"),
    )
    .order_by(_passage.c.index)
)
_SECTION_HEADING = (
    sa.select(_passage.c.id, _passage.c.index, _passage.c.text, _passage.c.excluded_reason)
    .where(
        _passage.c.document_id == sa.bindparam("document_id"),
        _passage.c.index.between(sa.bindparam("first"), sa.bindparam("last")),
        _passage.c.excluded_reason == "heading",
    )
    .order_by(_passage.c.index.desc())
    .limit(1)
)
_HEADING = sa.select(_document.c.id, _document.c.project_id, _document.c.external_id, _document.c.title).where(
    _document.c.id == sa.bindparam("id")
)


def neighbours(session: so.Session, passage, around: int = AROUND) -> tuple[list[sa.Row], list[sa.Row]]:
    """The passages just before and just after this one in its document (one indexed range),
    the heading of its section first when that stands further up (a second bounded range)."""
    connection = session.connection()
    rows = connection.execute(
        _NEIGHBOURS,
        {
            "document_id": passage.document_id,
            "first": passage.index - around,
            "last": passage.index + around,
            "id": passage.id,
        },
    ).all()
    before = [p for p in rows if p.index < passage.index]
    return section_heading(connection, passage, before) + before, [p for p in rows if p.index > passage.index]


def section_heading(connection, passage, before: list[sa.Row]) -> list[sa.Row]:
    """The nearest heading above the passages shown before this one, when no heading is among
    them and one stands within HEADING_REACH passages: the splitter excludes headings from
    annotation, and the annotator reads them as context."""
    top = before[0].index if before else passage.index
    if top == 0 or any(p.excluded_reason == "heading" for p in before):
        return []
    found = connection.execute(
        _SECTION_HEADING,
        {"document_id": passage.document_id, "first": max(0, top - HEADING_REACH), "last": top - 1},
    ).first()
    return [found] if found else []


def document_heading(session: so.Session, document_id: int) -> sa.Row | None:
    """The document's id, project, own id and title."""
    return session.connection().execute(_HEADING, {"id": document_id}).first()


WINDOW = 40  # passages shown on each side of the marked one when the whole document opens
CHUNK = 100  # passages one "earlier" or "later" request adds

_WINDOW_COLUMNS = (_passage.c.id, _passage.c.index, _passage.c.text, _passage.c.annotatable, _passage.c.excluded_reason)
_INDEX_OF = sa.select(_passage.c.index).where(
    _passage.c.id == sa.bindparam("id"), _passage.c.document_id == sa.bindparam("document_id")
)
_LAST_INDEX = sa.select(sa.func.max(_passage.c.index)).where(_passage.c.document_id == sa.bindparam("document_id"))
_BEFORE = (
    sa.select(*_WINDOW_COLUMNS)
    .where(_passage.c.document_id == sa.bindparam("document_id"), _passage.c.index < sa.bindparam("index"))
    .order_by(_passage.c.index.desc())
    .limit(sa.bindparam("limit"))
)
_FROM = (
    sa.select(*_WINDOW_COLUMNS)
    .where(_passage.c.document_id == sa.bindparam("document_id"), _passage.c.index >= sa.bindparam("index"))
    .order_by(_passage.c.index)
    .limit(sa.bindparam("limit"))
)


@dataclass(frozen=True)
class DocumentWindow:
    """A stretch of a document's passages in reading order, and whether there are more before
    and after it: what one request of the whole-document view sends, whatever the document's size."""

    passages: list[sa.Row]
    more_before: bool
    more_after: bool
    last_index: int  # the document's last passage index (the size shown to the reader)

    @property
    def first(self) -> int | None:
        return self.passages[0].index if self.passages else None

    @property
    def last(self) -> int | None:
        return self.passages[-1].index if self.passages else None


def document_window(
    session: so.Session, document_id: int, around_passage: int | None, before: int = WINDOW, after: int = WINDOW
) -> DocumentWindow:
    """The passages around one passage of the document (the document's start when it is not
    given or not in it): two index range reads, each bounded."""
    connection = session.connection()
    index = (
        connection.execute(_INDEX_OF, {"id": around_passage, "document_id": document_id}).scalar()
        if around_passage is not None
        else None
    )
    if index is None:
        return passages_from(session, document_id, 0, before + after + 1)
    earlier = connection.execute(_BEFORE, {"document_id": document_id, "index": index, "limit": before + 1}).all()
    later = connection.execute(_FROM, {"document_id": document_id, "index": index, "limit": after + 2}).all()
    return DocumentWindow(
        list(reversed(earlier[:before])) + later[: after + 1],
        len(earlier) > before,
        len(later) > after + 1,
        _last_index(connection, document_id),
    )


def passages_before(session: so.Session, document_id: int, index: int, limit: int = CHUNK) -> DocumentWindow:
    """Up to `limit` passages just before the one at `index`."""
    connection = session.connection()
    earlier = connection.execute(_BEFORE, {"document_id": document_id, "index": index, "limit": limit + 1}).all()
    return DocumentWindow(
        list(reversed(earlier[:limit])), len(earlier) > limit, False, _last_index(connection, document_id)
    )


def passages_from(session: so.Session, document_id: int, index: int, limit: int = CHUNK) -> DocumentWindow:
    """Up to `limit` passages from the one at `index` on."""
    connection = session.connection()
    later = connection.execute(_FROM, {"document_id": document_id, "index": index, "limit": limit + 1}).all()
    return DocumentWindow(later[:limit], False, len(later) > limit, _last_index(connection, document_id))


def _last_index(connection, document_id: int) -> int:
    return connection.execute(_LAST_INDEX, {"document_id": document_id}).scalar() or 0
