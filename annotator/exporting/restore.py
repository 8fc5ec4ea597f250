"""`annotator restore FILE`: a project rebuilt from its backup, into an empty database, ids and
all, so that it exports the same training and audit files as the original. All or nothing:
a line that cannot be restored is named (`FILE:LINE: message`) and nothing is kept.

Accounts come back without passwords (a backup holds no password hashes): an admin sets them
(`annotator reset-password USERNAME`) before anyone signs in."""

from collections.abc import Iterable
from datetime import UTC, datetime

import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.agreement_form import agreement_form
from annotator.annotations.models import Annotation
from annotator.assignment.lifecycle import labels_changed
from annotator.domain_errors import Invalid
from annotator.exporting.backup import FORMAT, PROJECT_TABLES
from annotator.json_input import MAX_DEPTH, within_depth
from annotator.projects.models import Project
from annotator.untrusted_text import NUL_REFUSED, has_nul
from annotator.users.authentication import unusable_password_hash
from annotator.users.models import User
from annotator.write_lock import begin_write

BATCH = 2000
_annotation = Annotation.__table__
TABLES = {model.__table__.name: model.__table__ for model in (User, Project, *PROJECT_TABLES)}


class RestoreError(Invalid):
    """A backup that cannot be restored (here, or at all)."""


def restore_backup(session: so.Session, lines: Iterable[bytes], source: str) -> Project:
    """Insert every row of the backup, then recount what is derived from them. Flushes; the
    caller commits (or rolls back on RestoreError)."""
    begin_write(session)  # one transaction from here: a failed restore leaves nothing
    _require_empty(session)
    lines = enumerate(lines, start=1)
    _check_header(next(lines, (1, b"")), source)
    pending: list[dict] = []
    table = None
    unusable = unusable_password_hash()
    for number, raw in lines:
        if not raw.strip():
            continue
        kind, row = _row(raw, number, source, unusable)
        if table is not None and (kind is not table or len(pending) >= BATCH):
            _insert(session, table, pending, source)
            pending = []
        table = kind
        pending.append(row)
    if pending:
        _insert(session, table, pending, source)
    project = session.scalar(sa.select(Project))
    if project is None:
        raise RestoreError(f"{source}: the backup holds no project")
    _after_restore(session, project)
    return project


def _require_empty(session) -> None:
    for model in (Project, User):
        if session.scalar(sa.select(sa.func.count()).select_from(model)):
            raise RestoreError(
                "restore needs an empty database (annotator init-db on a new one): "
                f"this one already has {model.__tablename__} rows"
            )


def _check_header(first: tuple[int, bytes], source: str) -> None:
    number, raw = first
    try:
        header = orjson.loads(raw)
    except orjson.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("type") != "backup":
        raise RestoreError(f"{source}:{number}: not an annotator backup (its first line is not a backup header)")
    if header.get("format") != FORMAT:
        raise RestoreError(
            f"{source}:{number}: backup format {header.get('format')!r}; this version reads format {FORMAT}"
        )


def _row(raw: bytes, number: int, source: str, unusable_hash: str) -> tuple[sa.Table, dict]:
    record = _record(raw, number, source)
    try:
        table = TABLES[record.pop("type")]
        row = {key: _value(table.c[key], value) for key, value in record.items()}
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise RestoreError(f"{source}:{number}: not a row of a known table ({error})") from None
    if table.name == "user_account":
        row.update(password_hash=unusable_hash)
    if table is _annotation and isinstance(row.get("labels"), dict):
        row.update(agreement_form(row["labels"]))
    return table, row


def _record(raw: bytes, number: int, source: str) -> dict:
    """The line's JSON object, refused when it nests too deep to be stored or holds a NUL."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise RestoreError(f"{source}:{number}: not a row of a known table ({error})") from None
    if not isinstance(record, dict):
        raise RestoreError(f"{source}:{number}: not a row of a known table (not a JSON object)")
    if not within_depth(record):
        raise RestoreError(f"{source}:{number}: JSON nested more than {MAX_DEPTH} levels deep")
    if has_nul(record):
        raise RestoreError(f"{source}:{number}: the line {NUL_REFUSED}")
    return record


def _value(column: sa.Column, value):
    if value is not None and isinstance(column.type, sa.DateTime):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return value


def _insert(session, table: sa.Table, rows: list[dict], source: str) -> None:
    try:
        session.connection().execute(table.insert(), rows)
    except sa.exc.IntegrityError as error:
        raise RestoreError(f"{source}: {table.name} rows refused by the database: {error.orig}") from None


def _after_restore(session, project: Project) -> None:
    """What the backup leaves out is worked out again; PostgreSQL's id sequences continue
    after the restored ids."""
    session.flush()
    labels_changed(session, project)
    if session.get_bind().dialect.name == "postgresql":
        for table in TABLES.values():
            session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce(max(id), 1), "
                    "max(id) IS NOT NULL) "
                    f"FROM {table.name}"
                )
            )
    session.flush()
