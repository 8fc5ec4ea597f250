"""Importing documents into a project: read, split, store. Used by the CLI and the web upload.

Documents go in batches: one query finds which are already there, one finds earlier passages
with the same text, and one executemany writes the passages, all inside a savepoint. When a
batch fails, each of its documents is retried in a savepoint of its own, so a document that
fails leaves nothing behind while the others go in. The caller owns the transaction and
commits after each batch that import_batches yields (the CLI and the upload's import job).
"""

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError

from annotator.clock import utcnow
from annotator.db import insert_many
from annotator.documents.models import FRESH, Document, Passage
from annotator.importing.decoding import DecodingError
from annotator.importing.readers import (
    Notice,
    ReadOptions,
    Rejection,
    SourceDocument,
    format_of,
    read_documents,
    stored_size,
)
from annotator.importing.splitting_pool import SplitJob, split_batches
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project
from annotator.splitting import (
    SPLITTER_VERSION,
    WHOLE_PASSAGE_VERSION,
    NotOnePassage,
    SplitPassage,
    whole_passage,
)
from annotator.splitting.titles import shorten

# A batch is written in one transaction: small enough that the write lock (SQLite's one
# writer) is held for a fraction of a second, so a server's annotators write in between. Its
# cost goes with its bytes (passages) more than with its documents: 128 KB is about 50 news
# articles or 400 short claims. Each batch also costs its lookups and a commit (about 5 ms on
# SQLite), which for 50 claims of 300 characters was more than their writes.
BATCH_DOCUMENTS = 500
BATCH_BYTES = 128 * 1024
IN_CHUNK = 500

_documents = Document.__table__
_passages = Passage.__table__
_POINT_AT_REPEATED = (
    _passages.update()
    .where(_passages.c.document_id == sa.bindparam("doc"), _passages.c.index == sa.bindparam("repeat"))
    .values(
        duplicate_of_id=sa.select(_passages.c.id)
        .where(_passages.c.document_id == sa.bindparam("original_doc"), _passages.c.index == sa.bindparam("original"))
        .scalar_subquery()
    )
)


# Lookups built once, the batch's values bound at each use (building an IN list of 500 values
# anew for every batch cost more than the query). On PostgreSQL a value is one of an array
# (= ANY): psycopg parses a statement of 500 placeholders in Python at every execution.
def _lookups(in_values) -> dict[str, sa.Select]:
    in_project = _documents.c.project_id == sa.bindparam("project")
    return {
        "by_digest": sa.select(_documents.c.sha256, _documents.c.external_id).where(
            in_project, in_values(_documents.c.sha256, "digests")
        ),
        "by_id": sa.select(_documents.c.external_id).where(in_project, in_values(_documents.c.external_id, "ids")),
        "first_passage": sa.select(_passages.c.text_hash, sa.func.min(_passages.c.id))
        .where(_passages.c.project_id == sa.bindparam("project"), in_values(_passages.c.text_hash, "hashes"))
        .group_by(_passages.c.text_hash),
    }


_LOOKUPS = {
    # One JSON array bound (an expanding IN list made SQLAlchemy name each of its 500 values).
    "sqlite": _lookups(
        lambda column, name: column.in_(
            sa.select(sa.column("value")).select_from(sa.func.json_each(sa.bindparam(name, type_=sa.JSON)))
        )
    ),
    "postgresql": _lookups(
        lambda column, name: column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(column.type)))
    ),
}
_FIRST_BY_PROBE = sa.text(
    "SELECT wanted.text_hash, (SELECT min(passage.id) FROM passage"
    " WHERE passage.project_id = :project AND passage.text_hash = wanted.text_hash)"
    " FROM unnest(:hashes) AS wanted(text_hash)"
).bindparams(sa.bindparam("hashes", type_=postgresql.ARRAY(sa.BigInteger)))


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one document (or one rejected line or file)."""

    status: str  # "imported", "skipped", "rejected" or "notice"
    path: str
    line: int | None
    message: str
    external_id: str | None = None
    passages: int = 0
    size: int = 0

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class ImportSettings:
    fmt: str = "auto"
    read: ReadOptions = ReadOptions(max_document_bytes=20 * 1024 * 1024)
    max_passage_chars: int = 600
    workers: int = 1  # processes splitting documents; 1 splits in this process
    imported_by_id: int | None = None  # who imports (None: the command line)
    # Each document is one passage as given (one claim per line of a corpus): nothing is split,
    # flagged or left out, and no passage is marked a repeat of another (whole_passage).
    already_split: bool = False


@dataclass
class _Pending:
    """A document read and checked, waiting to be split and written."""

    source: SourceDocument
    label: str
    digest: str
    size: int
    passages: list[SplitPassage] = field(default_factory=list)
    derived_title: str = ""  # from the text, for a document the file gives no title

    @property
    def title(self) -> str:
        """The title the file gave, else the one the text gives, else the document's id."""
        return self.source.title or self.derived_title or self.source.external_id


def import_paths(
    session: so.Session,
    project: Project,
    paths: Iterable[Path],
    settings: ImportSettings,
    names: Mapping[Path, str] | None = None,
) -> Iterator[ImportOutcome]:
    """Import every document in `paths`, yielding one outcome per document, rejection or notice.
    `names` says what to call a file in outcomes and in `Document.source` when its path is not
    what the user knows it by (an upload saved to a temporary folder); default: the path."""
    for outcomes in import_batches(session, project, paths, settings, names):
        yield from outcomes


def import_batches(
    session: so.Session,
    project: Project,
    paths: Iterable[Path],
    settings: ImportSettings,
    names: Mapping[Path, str] | None = None,
) -> Iterator[list[ImportOutcome]]:
    """As import_paths, one batch at a time: each list is the outcomes of one batch, read,
    decoded and split before its first write, then written (flushed) at once. A caller that
    commits after each list holds the database's write lock for one batch's writes only,
    never while the next batch is read or split."""
    refuse_if_archived(project)
    items = _read_all(paths, settings, names or {})
    jobs = _batches(items, settings)
    # Documents taken whole got their passage when read: there is nothing for workers to do.
    split_jobs = jobs if settings.already_split else split_batches(jobs, settings.workers)
    for job in split_jobs:
        yield job.outcomes_before + _store_batch(session, project, job.documents, settings)


def _read_all(
    paths: Iterable[Path], settings: ImportSettings, names: Mapping[Path, str]
) -> Iterator[_Pending | ImportOutcome]:
    for path in paths:
        path = Path(path)
        label = names.get(path, str(path))
        try:
            fmt = format_of(path, settings.fmt)
            if not path.is_file():
                raise DecodingError("no such file")
        except DecodingError as error:
            yield ImportOutcome("rejected", label, None, str(error))
            continue
        for item in read_documents(path, fmt, settings.read):
            yield _checked(item, label, settings)


def _checked(item, label: str, settings: ImportSettings) -> _Pending | ImportOutcome:
    if isinstance(item, Rejection):
        return ImportOutcome("rejected", label, item.line, item.message)
    if isinstance(item, Notice):
        return ImportOutcome("notice", label, item.line, item.message)
    size = stored_size(item)
    if size > settings.read.max_document_bytes:
        limit = settings.read.max_document_bytes / 1e6
        return ImportOutcome(
            "rejected", label, item.line, f"document is over the limit of {limit:.1f} MB", item.external_id
        )
    pending = _Pending(item, label, hashlib.sha256(item.text.encode("utf-8")).hexdigest(), size)
    return _taken_whole(pending, settings.max_passage_chars) if settings.already_split else pending


def _taken_whole(pending: _Pending, max_passage_chars: int) -> _Pending | ImportOutcome:
    """The document as its one passage, titled by it when the file gives no title; a text that
    cannot be one passage is a rejected line."""
    source = pending.source
    try:
        pending.passages = whole_passage(source.text, max_passage_chars)
    except NotOnePassage as refusal:
        message = str(refusal)
        return ImportOutcome("rejected", pending.label, source.line, message, source.external_id, size=pending.size)
    pending.derived_title = "" if source.title else shorten(pending.passages[0].text)
    return pending


def _batches(items: Iterator[_Pending | ImportOutcome], settings: ImportSettings) -> Iterator[SplitJob]:
    """Group documents into bounded batches; outcomes met on the way travel with the next batch."""
    job = SplitJob(settings.max_passage_chars)
    size = 0
    for item in items:
        if isinstance(item, ImportOutcome):
            job.outcomes_before.append(item)
            continue
        job.documents.append(item)
        size += item.size
        if len(job.documents) >= BATCH_DOCUMENTS or size >= BATCH_BYTES:
            yield job
            job, size = SplitJob(settings.max_passage_chars), 0
    if job.documents or job.outcomes_before:
        yield job


def _store_batch(
    session: so.Session, project: Project, batch: list[_Pending], settings: ImportSettings
) -> list[ImportOutcome]:
    if not batch:
        return []
    fresh, outcomes = _without_existing(session.connection(), project.id, batch)
    if not fresh:
        return outcomes
    try:
        with session.begin_nested():
            _insert(session.connection(), project.id, fresh, settings)
        return outcomes + [_imported(pending) for pending in fresh]
    except IntegrityError:
        return outcomes + [_store_alone(session, project.id, pending, settings) for pending in fresh]


def _store_alone(session: so.Session, project_id: int, pending: _Pending, settings: ImportSettings) -> ImportOutcome:
    try:
        with session.begin_nested():
            _insert(session.connection(), project_id, [pending], settings)
    except IntegrityError as error:
        message = f"could not be stored: {error.orig}"
        return ImportOutcome("rejected", pending.label, pending.source.line, message, pending.source.external_id)
    return _imported(pending)


def _imported(pending: _Pending) -> ImportOutcome:
    total = len(pending.passages)
    annotatable = sum(passage.annotatable for passage in pending.passages)
    message = f"imported {pending.source.external_id}: {total} passages, {annotatable} to annotate"
    return ImportOutcome(
        "imported", pending.label, pending.source.line, message, pending.source.external_id, total, pending.size
    )


def _without_existing(connection, project_id: int, batch: list[_Pending]) -> tuple[list[_Pending], list[ImportOutcome]]:
    """Documents to write, and outcomes for those already there (identical: skipped; same
    id, other text: rejected), also within the batch itself."""
    known = _existing_documents(connection, project_id, batch)
    fresh: list[_Pending] = []
    outcomes: list[ImportOutcome] = []
    for pending in batch:
        source = pending.source
        holder = known["sha256"].get(pending.digest)
        if holder is not None:
            message = f"skipped {source.external_id}: identical to document {holder}, already imported"
            outcomes.append(
                ImportOutcome("skipped", pending.label, source.line, message, source.external_id, size=pending.size)
            )
        elif source.external_id in known["external_id"]:
            message = f'document id "{source.external_id}" already exists in this project with different text'
            outcomes.append(
                ImportOutcome("rejected", pending.label, source.line, message, source.external_id, size=pending.size)
            )
        else:
            fresh.append(pending)
            known["sha256"][pending.digest] = source.external_id
            known["external_id"].add(source.external_id)
    return fresh, outcomes


def _existing_documents(connection, project_id: int, batch: list[_Pending]) -> dict:
    """Documents of the project with the batch's digests or ids: two lookups, each answered
    by its own unique index (an OR of the two would scan the project's documents)."""
    digests = [pending.digest for pending in batch]
    external_ids = [pending.source.external_id for pending in batch]
    lookups = _LOOKUPS[connection.dialect.name]
    by_digest = connection.execute(lookups["by_digest"], {"project": project_id, "digests": digests}).all()
    by_id = connection.execute(lookups["by_id"], {"project": project_id, "ids": external_ids}).scalars()
    return {"sha256": dict(by_digest), "external_id": set(by_id)}


def _insert(connection, project_id: int, batch: list[_Pending], settings: ImportSettings) -> None:
    """Write documents and passages with Core statements (the ORM would cost more than the
    splitting); passages repeating earlier text point at its first occurrence, unless the
    input is already split (each of its passages is to be annotated, as given)."""
    now = utcnow()
    inserted = insert_many(
        connection,
        _documents,
        [
            {
                "project_id": project_id,
                "external_id": p.source.external_id,
                "title": p.title,
                "source": p.label,
                "raw_text": p.source.text,
                "sha256": p.digest,
                "meta": p.source.meta,
                "imported_at": now,
                "imported_by_id": settings.imported_by_id,
                "size": len(p.source.text),
                "passage_count": len(p.passages),
            }
            for p in batch
        ],
        returning=("id", "external_id"),
    )
    id_of = {external_id: document_id for document_id, external_id in inserted}
    document_ids = [id_of[p.source.external_id] for p in batch]
    earlier = {} if settings.already_split else _first_occurrences(connection, project_id, batch)
    version = WHOLE_PASSAGE_VERSION if settings.already_split else SPLITTER_VERSION
    rows: list[dict] = []
    repeats: list[dict] = []
    for document_id, pending in zip(document_ids, batch, strict=True):
        for passage in pending.passages:
            rows.append(_passage_row(project_id, document_id, passage, version, earlier, repeats))
        if not settings.already_split:
            first_here = {p.text_hash: (document_id, p.index) for p in pending.passages if p.text_hash not in earlier}
            earlier.update(first_here)
    insert_many(connection, _passages, rows)
    if repeats:
        connection.execute(_POINT_AT_REPEATED, repeats)
    annotatable = sum(row["annotatable"] for row in rows)
    connection.execute(
        sa.update(Project)
        .where(Project.id == project_id)
        .values(annotatable_passages=Project.annotatable_passages + annotatable)
    )


def _first_occurrences(connection, project_id: int, batch: list[_Pending]) -> dict[str, int | tuple[int, int]]:
    """For texts of this batch already in the project, the id of their first passage."""
    hashes = sorted({p.text_hash for pending in batch for p in pending.passages})
    ask = _first_by_probe if connection.dialect.name == "postgresql" else _first_by_in
    found: dict = {}
    for start in range(0, len(hashes), IN_CHUNK):
        found.update(
            (text_hash, first)
            for text_hash, first in ask(connection, project_id, hashes[start : start + IN_CHUNK])
            if first is not None
        )
    return found


def _first_by_in(connection, project_id: int, hashes: list[int]):
    return connection.execute(_LOOKUPS["sqlite"]["first_passage"], {"project": project_id, "hashes": hashes})


def _first_by_probe(connection, project_id: int, hashes: list[int]):
    """One index probe per text, whatever the planner believes: asked with IN, PostgreSQL
    without fresh statistics read every passage of the project for each batch, which made a
    200,000-passage import 30 times slower than on SQLite. (SQLite has no arrays to unnest,
    and its planner takes the index for IN anyway.)"""
    return connection.execute(_FIRST_BY_PROBE, {"project": project_id, "hashes": hashes})


def _passage_row(
    project_id: int, document_id: int, passage: SplitPassage, version: str, earlier: dict, repeats: list[dict]
) -> dict:
    """The row for one passage. A repeat inside the document, or of a passage written in this
    batch, gets its pointer afterwards (its target's id is not known yet)."""
    reason = passage.excluded_reason
    target = None
    if passage.duplicate_of is not None:
        repeats.append(
            {"doc": document_id, "repeat": passage.index, "original_doc": document_id, "original": passage.duplicate_of}
        )
    elif passage.text_hash in earlier:
        first = earlier[passage.text_hash]
        reason = reason or "duplicate"
        if isinstance(first, tuple):
            repeats.append(
                {"doc": document_id, "repeat": passage.index, "original_doc": first[0], "original": first[1]}
            )
        else:
            target = first
    return {
        "project_id": project_id,
        "document_id": document_id,
        "index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "text_hash": passage.text_hash,
        "annotatable": reason is None,
        "excluded_reason": reason,
        "duplicate_of_id": target,
        "splitter_version": version,
        "queue": FRESH if reason is None else None,
        "label_count": 0,
        "assigned_count": 0,
        "extra_labels": 0,
    }
