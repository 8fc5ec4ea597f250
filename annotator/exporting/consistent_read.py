"""One consistent read of the database for a whole export, however long it streams, and its
rows fetched a batch at a time."""

from collections.abc import Iterator

import sqlalchemy.orm as so

BATCH = 5000  # rows fetched at a time: memory stays flat whatever the project's size


def read_consistently(session: so.Session) -> None:
    """Begin the export's own read transaction, so that everything it reads belongs to one
    moment of the database however long it streams (PostgreSQL: REPEATABLE READ, read only;
    SQLite: one read transaction over the WAL). Writers are not held up.

    An export only reads, and never commits: what the session had read before is let go
    (rolled back). A session holding changes not yet flushed is refused, as they would be lost;
    the request or command commits its changes before it exports (the export commands and
    downloads change nothing)."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("an export reads in a transaction of its own: commit the session's changes first")
    session.rollback()
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
