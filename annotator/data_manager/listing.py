"""A project's documents for the data manager: each with its size, its passages (annotatable,
excluded by reason, repeats), its progress and who imported it when; sorted by one key, a page
at a time by keyset cursor. A page costs one indexed range over the documents (each sort key
but the title has an index beginning with the project) and one grouped count over the passages
of just the documents on it, whatever the size of the project."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.data_manager.cursors import decode_cursor, encode_cursor
from annotator.documents.models import Document
from annotator.documents.progress import PassageTally, passage_tallies
from annotator.domain_errors import Invalid
from annotator.projects.models import Project
from annotator.users.models import User

SORT_COLUMNS = {
    "id": Document.id,
    "external_id": Document.external_id,
    "title": Document.title,
    "size": Document.size,
    "imported_at": Document.imported_at,
    "passage_count": Document.passage_count,
}
DEFAULT_SORT = "id"
PAGE_SIZE = 50


@dataclass(frozen=True)
class DocumentSort:
    """A sort key of SORT_COLUMNS, ascending or descending; written "size" or "-size"."""

    key: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def parse(cls, text: str | None) -> "DocumentSort":
        if not text:
            return cls()
        key = text.removeprefix("-")
        if key not in SORT_COLUMNS:
            raise Invalid(f"sort must be one of {', '.join(SORT_COLUMNS)}, with - before it for descending")
        return cls(key, text.startswith("-"))

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.key

    def reversed(self) -> "DocumentSort":
        return DocumentSort(self.key, not self.descending)


@dataclass(frozen=True)
class DocumentListing:
    """One document as the data manager lists it."""

    id: int
    external_id: str
    title: str
    size: int  # characters of its text
    passage_count: int  # all its passages, annotatable or not
    imported_at: datetime
    imported_by: str | None  # the importing user's name; None for the command line or a removed account
    withdrawn_at: datetime | None
    passages: PassageTally = field(default_factory=PassageTally)


@dataclass(frozen=True)
class DocumentPage:
    documents: list[DocumentListing]
    next_cursor: str | None  # None on the last page


def list_documents(
    session: so.Session,
    project: Project,
    sort: DocumentSort = DocumentSort(),
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> DocumentPage:
    """A page of the project's documents in `sort` order, after `cursor` (from the start when None)."""
    key = SORT_COLUMNS[sort.key]
    query = (
        sa.select(
            Document.id,
            Document.external_id,
            Document.title,
            Document.size,
            Document.passage_count,
            Document.imported_at,
            User.username,
            Document.withdrawn_at,
            key.label("sort_value"),
        )
        .outerjoin(User, User.id == Document.imported_by_id)
        .where(Document.project_id == project.id)
        .order_by(*_ordered(key, sort.descending))
        .limit(size + 1)
    )
    position = _position(sort, cursor)
    if position is not None:
        query = query.where(_after(key, sort.descending, position))
    rows = session.execute(query).all()
    page = rows[:size]
    tallies = passage_tallies(session, [row.id for row in page], project.overlap_k)
    documents = [DocumentListing(*row[:8], tallies.get(row.id, PassageTally())) for row in page]
    return DocumentPage(documents, _cursor(sort, page[-1]) if len(rows) > size else None)


def _ordered(key, descending: bool) -> list:
    if key is Document.id:
        return [key.desc() if descending else key]
    return [key.desc(), Document.id.desc()] if descending else [key, Document.id]


def _after(key, descending: bool, position: tuple):
    if key is Document.id:
        return key < position[1] if descending else key > position[1]
    mine, theirs = sa.tuple_(key, Document.id), sa.tuple_(*position)
    return mine < theirs if descending else mine > theirs


def _cursor(sort: DocumentSort, row) -> str:
    value = row.sort_value.isoformat() if isinstance(row.sort_value, datetime) else row.sort_value
    return encode_cursor(f"documents:{sort.key}", [value, row.id])


def _position(sort: DocumentSort, cursor: str | None) -> tuple | None:
    """(sort value, id) from a cursor of this sort key; None when it is not one."""
    found = decode_cursor(f"documents:{sort.key}", cursor)
    if found is None or len(found) != 2 or not isinstance(found[1], int) or isinstance(found[1], bool):
        return None
    value, document_id = found
    try:
        if sort.key == "imported_at":
            value = datetime.fromisoformat(value)
        elif sort.key in ("id", "size", "passage_count"):
            value = int(value)
        else:
            value = str(value)
    except (TypeError, ValueError):
        return None
    return (value, document_id) if all(-(2**31) <= n < 2**31 for n in _numbers(value, document_id)) else None


def _numbers(*values) -> list[int]:
    return [value for value in values if isinstance(value, int)]
