"""One SQLite writer at a time in this process, queued on a lock instead of SQLite's polling.

SQLite lets one transaction write at a time; a second writer sleeps and retries (1, 2, 5 ...
up to 100 ms between tries), which under load turns a 2 ms wait into a 100 ms one. Here a
connection takes a process-wide lock before its first write statement and gives it back when
it returns to the pool (after its commit or rollback), so waiting writers start the moment the
previous one is done. Readers are never held up (WAL). Writers in other processes (a CLI
import beside the server) still meet SQLite's own busy timeout. PostgreSQL is untouched.
"""

import re
import sqlite3
import threading
import time

import sqlalchemy as sa
import sqlalchemy.orm as so

WAIT_SECONDS = 30  # as SQLite's busy timeout
OTHERS_TURN_SECONDS = 0.1  # SQLite's busy handler sleeps at most 100 ms between tries
# A long writer gives the others a turn once it has held the lock this long without a gap of
# OTHERS_TURN_SECONDS (a pause after every batch cost 20 s of an import of 10,000 short claims).
TURN_AFTER_SECONDS = 0.2
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN|SAVEPOINT|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_HELD = "annotator_write_lock"


class _Writer:
    def __init__(self):
        self.lock = threading.Lock()
        self.thread: int | None = None
        self.taken_at = 0.0
        self.given_back_at = 0.0
        self.held = 0.0  # seconds the lock was held since it was last free for a whole turn


_writers: dict[str, _Writer] = {}
_writers_guard = threading.Lock()


def _writer_for(database: str) -> _Writer:
    with _writers_guard:
        return _writers.setdefault(database, _Writer())


def _take(info: dict, database: str) -> None:
    if _HELD in info:
        return
    writer = _writer_for(database)
    if writer.thread == threading.get_ident():
        return  # this thread writes through another connection already: SQLite reports that conflict
    if not writer.lock.acquire(timeout=WAIT_SECONDS):
        raise sqlite3.OperationalError(f"database is locked: no write turn within {WAIT_SECONDS} s")
    writer.thread = threading.get_ident()
    writer.taken_at = time.monotonic()
    if writer.taken_at - writer.given_back_at >= OTHERS_TURN_SECONDS:
        writer.held = 0.0  # free long enough for every sleeper to have had its try
    info[_HELD] = writer


def _give_back(info: dict) -> None:
    writer = info.pop(_HELD, None)
    if writer is not None:
        writer.thread = None
        writer.given_back_at = time.monotonic()
        writer.held += writer.given_back_at - writer.taken_at
        writer.lock.release()


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _before_write(connection, cursor, statement, parameters, context, executemany) -> None:
    if connection.dialect.name == "sqlite" and _WRITES.match(statement):
        _take(connection.info, connection.engine.url.database or ":memory:")


@sa.event.listens_for(sa.pool.Pool, "checkin")
def _after_transaction(dbapi_connection, connection_record) -> None:
    if connection_record is not None:
        _give_back(connection_record.info)


@sa.event.listens_for(sa.pool.Pool, "invalidate")
def _after_failure(dbapi_connection, connection_record, exception) -> None:
    _give_back(connection_record.info)


def begin_write(session: so.Session) -> None:
    """Make the session's transaction a write transaction now, so that everything it reads
    from here on is what it will write over: on SQLite, BEGIN IMMEDIATE (after taking this
    process's write turn); on PostgreSQL nothing (callers lock the rows they change)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def give_other_writers_a_turn(session: so.Session) -> None:
    """Between two transactions of a long writer (an import, batch after batch): on SQLite,
    once this process has held the write lock for TURN_AFTER_SECONDS without a break, pause
    long enough that writers asleep in SQLite's busy handler (another process: a server
    beside `import-docs`, or beside an upload's import process) wake and take their turn, and
    that this process's waiting threads get the lock, before the next batch takes it again. A
    writer that commits and at once writes again would otherwise keep the turn for as long as
    it has batches; one that pauses after every short batch spends more time pausing than
    writing. PostgreSQL writers do not share one lock: no pause."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    writer = _writer_for(bind.url.database or ":memory:")
    if writer.held >= TURN_AFTER_SECONDS:
        time.sleep(OTHERS_TURN_SECONDS)
        writer.held = 0.0
