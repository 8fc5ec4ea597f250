"""What every export shares: one consistent read of the database, JSON Lines written by
orjson (times as UTC with a Z), and the names a line uses for documents and people."""

from collections.abc import Iterable, Iterator

import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.users.models import User

BATCH = 5000  # rows fetched at a time: memory stays flat whatever the project's size
_JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


def jsonl_lines(records: Iterable[dict]) -> Iterator[bytes]:
    """One JSON object per line (stored times are naive UTC: written with a Z)."""
    dumps = orjson.dumps
    for record in records:
        yield dumps(record, option=_JSON_OPTIONS) + b"\n"


def read_consistently(session: so.Session) -> None:
    """Begin the export's own read transaction, so that everything it reads belongs to one
    moment of the database however long it streams (PostgreSQL: REPEATABLE READ, read only;
    SQLite: one read transaction over the WAL). Writers are not held up."""
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    else:
        connection = session.connection()
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")


def stream(session: so.Session, query) -> Iterator:
    """The query's rows, fetched BATCH at a time (a server-side cursor on PostgreSQL)."""
    return session.execute(query.execution_options(yield_per=BATCH))


def usernames(session: so.Session) -> dict[int, str]:
    return dict(session.execute(sa.select(User.id, User.username)).all())


def anonymous_names(user_ids: Iterable[int]) -> dict[int, str]:
    """Stable pseudonyms ("annotator-1", ...) in the order of the accounts' ids."""
    return {user_id: f"annotator-{number}" for number, user_id in enumerate(sorted(set(user_ids)), start=1)}
