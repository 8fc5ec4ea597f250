"""Finding a project's passages: by words (full text, annotator.documents.full_text), by status
(annotator.data_manager.status), by document, by the annotator who labelled them and by a label
value; in reading order (document, then position), a page at a time by keyset cursor.

The annotator and label-value filters read other people's labels: the data manager offers them
only to the project's reviewers and admins (its pages refuse annotators altogether)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql

from annotator.annotations.models import Annotation
from annotator.data_manager.cursors import decode_cursor, encode_cursor
from annotator.data_manager.status import passage_status, reviewed_marks, status_condition
from annotator.documents.full_text import Term, holding_every_term, search_terms
from annotator.documents.models import Document, Passage
from annotator.domain_errors import Invalid
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.users.models import User

PAGE_SIZE = 50
_CURSOR = "passages"
LABEL_FIELD_TYPES = ("choice", "multi")  # a label value is one of their options


@dataclass(frozen=True)
class PassageFilters:
    """What a search asks for; every part optional. `words` is what the user typed."""

    words: str = ""
    status: str | None = None
    document_id: int | None = None
    annotator: str | None = None  # a username
    field: str | None = None  # with `value`: passages some annotator labelled field = value
    value: str | None = None

    @property
    def terms(self) -> list[Term]:
        return search_terms(self.words)

    @property
    def reads_labels(self) -> bool:
        """Whether the search looks at who labelled what (reviewers' and admins' business)."""
        return bool(self.annotator or self.field or self.value)


@dataclass(frozen=True)
class DocumentRef:
    id: int
    external_id: str
    title: str
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class FoundPassage:
    """A passage as the data manager shows it (the attributes curation's actions read)."""

    id: int
    document_id: int
    index: int
    start: int
    end: int
    text: str
    annotatable: bool
    excluded_reason: str | None
    label_count: int
    assigned_count: int
    status: str
    document: DocumentRef


@dataclass(frozen=True)
class PassagePage:
    passages: list[FoundPassage]
    next_cursor: str | None  # None on the last page


class UnknownAnnotator(Invalid):
    """No account by the name the annotator filter gives."""


class UnknownLabel(Invalid):
    """A label filter whose field is not a choice field of the schema, or whose value none of its options."""


def search_passages(
    session: so.Session, project: Project, filters: PassageFilters, cursor: str | None = None, size: int = PAGE_SIZE
) -> PassagePage:
    """A page of the project's passages that pass every filter, in reading order after `cursor`."""
    query = (
        sa.select(*LISTED_COLUMNS)
        .join(Document, Document.id == Passage.document_id)
        .where(Passage.project_id == project.id, *_conditions(session, project, filters))
        .order_by(Passage.document_id, Passage.index)
        .limit(size + 1)
    )
    position = _position(cursor)
    if position is not None:
        query = query.where(sa.tuple_(Passage.document_id, Passage.index) > sa.tuple_(*position))
    rows = session.execute(query).all()
    page = rows[:size]
    last = page[-1] if len(rows) > size else None
    return PassagePage(found_passages(session, project, page), _cursor(last) if last else None)


LISTED_COLUMNS = (  # a passage as FoundPassage shows it, with what its status is read from
    Passage.id,
    Passage.document_id,
    Passage.index,
    Passage.start,
    Passage.end,
    Passage.text,
    Passage.annotatable,
    Passage.excluded_reason,
    Passage.label_count,
    Passage.assigned_count,
    Passage.extra_labels,
    Document.external_id,
    Document.title,
    Document.withdrawn_at,
)


def found_passages(session: so.Session, project: Project, rows: list) -> list[FoundPassage]:
    """Rows of LISTED_COLUMNS as FoundPassages, each with its status (one query for the page's review marks)."""
    disputed, adjudicated = reviewed_marks(session, [row.id for row in rows])
    return [
        FoundPassage(
            *row[:10],
            status=passage_status(row, project.overlap_k + row.extra_labels, row.id in disputed, row.id in adjudicated),
            document=DocumentRef(row.document_id, row.external_id, row.title, row.withdrawn_at),
        )
        for row in rows
    ]


def _conditions(session: so.Session, project: Project, filters: PassageFilters) -> list:
    conditions = []
    if terms := filters.terms:
        conditions.append(_holding(session, terms))
    if filters.status:
        conditions.append(status_condition(filters.status))
    if filters.document_id is not None:
        conditions.append(Passage.document_id == filters.document_id)
    if filters.reads_labels:
        conditions.append(_labelled(session, project, filters))
    return conditions


def _holding(session: so.Session, terms: list[Term]):
    return holding_every_term(session.get_bind().dialect.name, terms)


def _labelled(session: so.Session, project: Project, filters: PassageFilters):
    """Some label set of the passage is the annotator's (when one is named) and has the value
    (when a field is named): both in the same label set."""
    conditions = [Annotation.passage_id == Passage.id]
    if filters.annotator:
        conditions.append(Annotation.user_id == _user_id(session, filters.annotator))
    if filters.field or filters.value:
        conditions.append(_labelled_as(session, project, filters.field or "", filters.value or ""))
    return sa.exists().where(*conditions)


def _user_id(session: so.Session, username: str) -> int:
    user_id = session.scalar(sa.select(User.id).where(User.username == username))
    if user_id is None:
        raise UnknownAnnotator(f"no account is named {username!r}")
    return user_id


def _labelled_as(session: so.Session, project: Project, name: str, value: str):
    """The label set has `value` in the field `name` (among a multi field's values)."""
    field = schema_of(session, project).by_name.get(name)
    if field is None or field.TYPE not in LABEL_FIELD_TYPES:
        raise UnknownLabel(f"field must be a choice field of the project's schema; got {name!r}")
    if value not in field.option_values:
        raise UnknownLabel(f"value must be one of {', '.join(field.option_values)}; got {value!r}")
    return _has_value(session, field, value)


def _has_value(session: so.Session, field, value: str):
    if field.TYPE == "choice":
        return Annotation.labels[field.name].as_string() == value
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(Annotation.labels, postgresql.JSONB)[field.name].contains([value])
    chosen = sa.func.json_each(Annotation.labels, f'$."{field.name}"').table_valued("value")
    return sa.exists().where(chosen.c.value == value)


def _cursor(row) -> str:
    return encode_cursor(_CURSOR, [row.document_id, row.index])


def _position(cursor: str | None) -> tuple[int, int] | None:
    found = decode_cursor(_CURSOR, cursor)
    if found is None or len(found) != 2:
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**31 for n in found):
        return None
    return found[0], found[1]
