"""Importing label sets from JSON Lines (other tools, earlier projects, benchmarks).

One label set per line: `{"passage_id": 12}` or `{"document_id": "d7", "index": 3}`, plus
`"annotator"`, `"labels"`, and optionally `"note"`, `"unsure"`, `"created_at"`. Every line is
checked on its own: a bad line is reported as `FILE:LINE: message` and the others go in. A line
equal to what the annotator already has changes nothing, so running a file twice adds nothing.
Each label set goes through the same event log as labels given in annotator (origin
"import: FILE"), and the assignment counters and review rows follow in the same transaction.

Lines are read and written a chunk at a time; the caller commits after each chunk.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.agreement_form import agreement_form
from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.annotations.recording import MAX_NOTE, parse_client_time
from annotator.assignment.lifecycle import NewLabel, labels_imported
from annotator.clock import utcnow
from annotator.documents.models import Document, Passage
from annotator.documents.words import PassageWords, words_of_passages
from annotator.domain_errors import Invalid
from annotator.json_input import JsonRefused, megabytes, parse_json
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project, ProjectMember
from annotator.projects.schema_store import schema_of
from annotator.schema import LabelError
from annotator.untrusted_text import NUL_REFUSED, has_nul
from annotator.users.models import User
from annotator.users.services import UserError, create_user
from annotator.write_lock import begin_write

CHUNK_LINES = 5000
MAX_LINE_BYTES = 1 << 20  # a label set with its note: a few kilobytes
_annotation, _event = Annotation.__table__, AnnotationEvent.__table__
_UPDATE_ANNOTATION = _annotation.update().where(
    _annotation.c.passage_id == sa.bindparam("where_passage"), _annotation.c.user_id == sa.bindparam("where_user")
)


class LineRejected(Invalid):
    """One line of the file refused; the others go on."""


@dataclass
class ImportCounts:
    added: int = 0  # label sets new for their annotator and passage
    changed: int = 0  # an annotator's earlier label set replaced
    unchanged: int = 0  # already so
    rejected: int = 0
    users_created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Line:
    number: int
    passage_id: int
    user_id: int
    state: dict  # {"labels", "note", "unsure"}
    created_at: datetime | None


def import_annotations(
    session: so.Session, project: Project, path: Path, counts: ImportCounts, create_users: bool = False
) -> Iterator[str]:
    """Import the file's label sets into the project, one chunk of lines per yield; yields the
    `FILE:LINE: message` of every rejected line as it goes (the caller commits after each
    chunk: a `None` marks the end of one)."""
    refuse_if_archived(project)
    importer = _Importer(session, project, path.name, create_users, counts)
    with path.open("rb") as lines:
        chunk: list[tuple[int, bytes | None]] = []
        for number, raw in _bounded_lines(lines):
            if raw is None or raw.strip():
                chunk.append((number, raw))
            if len(chunk) >= CHUNK_LINES:
                yield from importer.chunk(chunk)
                yield None
                chunk = []
        if chunk:
            yield from importer.chunk(chunk)
            yield None


def _bounded_lines(lines: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for each line; a line over MAX_LINE_BYTES is skipped unread (None)."""
    for number in itertools.count(1):
        raw = lines.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := lines.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            raw = None
        yield number, raw


class _Importer:
    """What is looked up once per import: the schema, the annotators met so far."""

    def __init__(self, session, project: Project, name: str, create_users: bool, counts: ImportCounts):
        self.session, self.project, self.name, self.create_users, self.counts = (
            session,
            project,
            name,
            create_users,
            counts,
        )
        self.schema = schema_of(session, project)
        self.users: dict[str, int] = {}
        self.unusable_names: dict[str, str] = {}  # names no account can have, with the reason

    def chunk(self, lines: list[tuple[int, bytes]]) -> Iterator[str]:
        begin_write(self.session)
        parsed, rejections = self._parse(lines)
        resolved = self._resolve(parsed, rejections)
        for number, message in sorted(rejections):
            self.counts.rejected += 1
            yield f"{self.name}:{number}: {message}"
        if resolved:
            self._store(resolved)

    def _parse(self, lines) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
        parsed, rejections = [], []
        for number, raw in lines:
            try:
                if raw is None:
                    raise LineRejected(f"the line is over the limit of {megabytes(MAX_LINE_BYTES)}")
                record = parse_json(raw, MAX_LINE_BYTES)
                _check_shape(record)
                if not self.schema.needs_passage:  # else checked once its passage is known
                    record["labels"] = self.schema.check_labels(record["labels"])
            except JsonRefused as error:
                rejections.append((number, str(error)))
            except LabelError as error:
                rejections.append((number, _label_problem(error)))
            except LineRejected as error:
                rejections.append((number, str(error)))
            else:
                parsed.append((number, record))
        return parsed, rejections

    def _resolve(self, parsed, rejections) -> list[_Line]:
        users = self._user_ids({record["annotator"] for _, record in parsed})
        passages = _passage_ids(self.session, self.project, [record for _, record in parsed])
        words = self._words(parsed, users, passages)
        resolved = []
        for number, record in parsed:
            problem = self.unusable_names.get(record["annotator"]) or _problem(record, users, passages)
            if not problem and words is not None:
                problem = self._checked_against_passage(record, words[passages[_reference(record)][0]])
            if problem:
                rejections.append((number, problem))
                continue
            state = {
                "labels": record["labels"],
                "note": (record.get("note") or "").strip()[:MAX_NOTE],
                "unsure": bool(record.get("unsure", False)),
            }
            resolved.append(
                _Line(
                    number,
                    passages[_reference(record)][0],
                    users[record["annotator"]],
                    state,
                    parse_client_time(record.get("created_at")),
                )
            )
        return resolved

    def _words(self, parsed, users, passages) -> dict[int, PassageWords] | None:
        """The words of the passages these lines label, when the schema marks spans."""
        if not self.schema.needs_passage:
            return None
        wanted = {passages[_reference(record)][0] for _, record in parsed if _problem(record, users, passages) is None}
        return words_of_passages(self.session, sorted(wanted))

    def _checked_against_passage(self, record: dict, words: PassageWords) -> str | None:
        """The line's labels checked with their passage's words (spans); the problem if any."""
        try:
            record["labels"] = self.schema.check_labels(record["labels"], words)
        except LabelError as error:
            return _label_problem(error)
        return None

    def _user_ids(self, names: set[str]) -> dict[str, int]:
        unknown = names - set(self.users)
        if unknown:
            self.users.update(
                self.session.execute(sa.select(User.username, User.id).where(User.username.in_(unknown))).all()
            )
        for name in sorted(names - set(self.users) - set(self.unusable_names)) if self.create_users else ():
            try:
                self.users[name] = self._new_annotator(name)
            except UserError as error:
                self.unusable_names[name] = f"no account can be made for this annotator: {error}"
        return {name: self.users[name] for name in names if name in self.users}

    def _new_annotator(self, name: str) -> int:
        """An annotator account for an imported name, with a random password nobody knows (an
        admin sets one before they can sign in), and a member of the project."""
        user = create_user(self.session, name, None, "annotator")
        self.session.add(ProjectMember(project_id=self.project.id, user_id=user.id, role="annotator"))
        self.session.flush()
        self.counts.users_created.append(name)
        return user.id

    def _store(self, lines: list[_Line]) -> None:
        connection = self.session.connection()
        current = _current_states(connection, lines)
        now, events, inserts, updates, added = utcnow(), [], [], [], []
        for line in lines:
            key = (line.passage_id, line.user_id)
            before = current.get(key)
            if before == line.state:
                self.counts.unchanged += 1
                continue
            events.append(self._event(line, before, now))
            written = {
                **line.state,
                **agreement_form(line.state["labels"]),
                "schema_version": self.project.schema_version,
                "updated_at": line.created_at or now,
            }
            if before is None:
                inserts.append(
                    {
                        **written,
                        "project_id": self.project.id,
                        "passage_id": line.passage_id,
                        "user_id": line.user_id,
                        "created_at": line.created_at or now,
                        "seconds": None,
                    }
                )
                added.append(line)
                self.counts.added += 1
            else:
                updates.append({**written, "where_passage": line.passage_id, "where_user": line.user_id})
                self.counts.changed += 1
            current[key] = line.state
        # (not insert_many: the JSON columns need SQLAlchemy's type processing)
        for table, rows in ((_event, events), (_annotation, inserts)):
            if rows:
                connection.execute(table.insert(), rows)
        if updates:
            connection.execute(_UPDATE_ANNOTATION, updates)
        labels_imported(
            self.session,
            self.project,
            [NewLabel(line.passage_id, line.user_id) for line in added],
            sorted({event["passage_id"] for event in events}),
        )

    def _event(self, line: _Line, before: dict | None, now: datetime) -> dict:
        return {
            "project_id": self.project.id,
            "passage_id": line.passage_id,
            "user_id": line.user_id,
            "actor_id": line.user_id,
            "kind": "labels",
            "before": before,
            "after": line.state,
            "schema_version": self.project.schema_version,
            "guidelines_version": self.project.guidelines_version,
            "client_time": line.created_at,
            "server_time": now,
            "origin": f"import: {self.name}"[:300],
        }


def _check_shape(record) -> None:
    if not isinstance(record, dict):
        raise LineRejected("a line must be a JSON object")
    if has_nul(record):
        raise LineRejected(f"the line {NUL_REFUSED}")
    if not isinstance(record.get("annotator"), str) or not record["annotator"].strip():
        raise LineRejected('"annotator" (a username) is required')
    if not isinstance(record.get("labels"), dict):
        raise LineRejected('"labels" must be an object of field names to values')
    if "passage_id" in record:
        if not isinstance(record["passage_id"], int) or isinstance(record["passage_id"], bool):
            raise LineRejected('"passage_id" must be an integer')
    elif not isinstance(record.get("document_id"), (str, int)) or not isinstance(record.get("index"), int):
        raise LineRejected('give "passage_id", or "document_id" and "index" (an integer)')
    if not isinstance(record.get("note", ""), (str, type(None))) or not isinstance(record.get("unsure", False), bool):
        raise LineRejected('"note" must be text and "unsure" true or false')
    if record.get("created_at") is not None and parse_client_time(record["created_at"]) is None:
        raise LineRejected('"created_at" must be an ISO 8601 time, e.g. 2026-11-24T10:31:02Z')
    record["annotator"] = record["annotator"].strip()


def _label_problem(error: LabelError) -> str:
    """The schema's complaint in the annotator's terms, then the key and values the file must use."""
    allowed = f"; allowed: {', '.join(error.allowed)}" if error.allowed else ""
    return f"{error.message} (labels.{error.field}{allowed})"


def _reference(record: dict):
    if "passage_id" in record:
        return record["passage_id"]
    return (str(record["document_id"]), record["index"])


def _problem(record: dict, users: dict, passages: dict) -> str | None:
    if record["annotator"] not in users:
        return f'no user named "{record["annotator"]}" (create it, or import with --create-users)'
    found = passages.get(_reference(record))
    if found is None:
        if "passage_id" in record:
            return f"no passage {record['passage_id']} in this project"
        return f'no passage {record["index"]} in document "{record["document_id"]}" of this project'
    if found[1] is not None:
        return f"passage {found[0]} is not annotated ({found[1]})"
    return None


def _passage_ids(session, project: Project, records: list[dict]) -> dict:
    """Reference -> (passage id, excluded reason) for the passages of this project the records name."""
    found: dict = {}
    by_id = [record["passage_id"] for record in records if "passage_id" in record]
    if by_id:
        rows = session.execute(
            sa.select(Passage.id, Passage.excluded_reason).where(
                Passage.project_id == project.id, Passage.id.in_(set(by_id))
            )
        )
        found.update((passage_id, (passage_id, reason)) for passage_id, reason in rows)
    wanted = {(str(record["document_id"]), record["index"]) for record in records if "passage_id" not in record}
    if wanted:
        documents = dict(
            session.execute(
                sa.select(Document.external_id, Document.id).where(
                    Document.project_id == project.id, Document.external_id.in_({external for external, _ in wanted})
                )
            ).all()
        )
        rows = session.execute(
            sa.select(Passage.document_id, Passage.index, Passage.id, Passage.excluded_reason).where(
                Passage.document_id.in_(set(documents.values())), Passage.index.in_({index for _, index in wanted})
            )
        )
        external_of = {document_id: external for external, document_id in documents.items()}
        for document_id, index, passage_id, reason in rows:
            if (external_of[document_id], index) in wanted:
                found[(external_of[document_id], index)] = (passage_id, reason)
    return found


def _current_states(connection, lines: list[_Line]) -> dict[tuple[int, int], dict]:
    passages, users = {line.passage_id for line in lines}, {line.user_id for line in lines}
    rows = connection.execute(
        sa.select(
            _annotation.c.passage_id,
            _annotation.c.user_id,
            _annotation.c.labels,
            _annotation.c.note,
            _annotation.c.unsure,
        ).where(_annotation.c.passage_id.in_(passages), _annotation.c.user_id.in_(users))
    )
    return {(p, u): {"labels": labels, "note": note, "unsure": unsure} for p, u, labels, note, unsure in rows}
