"""A database that is unavailable or cannot write: restarting, its connections killed, its disk
full, its file read-only, a lock held past the wait. That is a passing state of the server, not a
fault of the request: a request gets 503 with Retry-After (annotator.web.errors), a command one
line and a non-zero exit status (annotator.cli), and the server's log one entry when an outage
begins and one when it is over, however many requests met it.

Any other database error (a broken constraint, a bad statement) stays what it is: a fault,
answered 500 and logged with its traceback."""

import threading
import time

import sqlalchemy as sa

# SQLite's primary result codes that mean "not now" rather than "wrong": busy, locked, out of
# memory, read-only, I/O error, full, cannot open the file, lock protocol.
SQLITE_OUTAGE_CODES = {
    5: "busy",
    6: "locked",
    7: "out of memory",
    8: "read-only",
    10: "disk I/O error",
    13: "full",
    14: "cannot open the database file",
    15: "locking protocol",
}
# PostgreSQL SQLSTATE classes: connection exception, insufficient resources (disk full, out of
# memory, too many connections), operator intervention (shutdown, restart, cancelled), system
# error (I/O); and single states: lock not available, read-only transaction.
POSTGRESQL_OUTAGE_CLASSES = ("08", "53", "57", "58")
POSTGRESQL_OUTAGE_STATES = ("55P03", "25006")
QUIET_SECONDS = 60  # an outage is over once no request has met it for this long
DATABASE_ERRORS = (sa.exc.DBAPIError, sa.exc.TimeoutError)  # a statement failed; no connection free in the pool


def outage_reason(error: BaseException | None) -> str | None:
    """The driver's reason in one line, when `error` means the database is unavailable or cannot
    write (worth trying again later), or was raised while handling such an error (SQLite rolls
    a transaction back itself when its disk is full, so the savepoint being released is gone);
    None for any other error."""
    for _ in range(8):  # the error, then the one it was raised while handling, and so on
        if error is None:
            return None
        reason = _own_reason(error)
        if reason is not None:
            return reason
        error = error.__context__
    return None


def _own_reason(error: BaseException) -> str | None:
    if isinstance(error, sa.exc.TimeoutError):
        return "every database connection is busy"
    if not isinstance(error, sa.exc.DBAPIError):
        return None
    if error.connection_invalidated or _driver_outage(error.orig):
        return _first_line(error.orig)
    return None


def _driver_outage(error: BaseException) -> bool:
    sqlite_code = getattr(error, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in SQLITE_OUTAGE_CODES
    if type(error).__module__.startswith("sqlite3"):
        return str(error).startswith("database is locked")  # annotator.write_lock's own wait ran out
    state = getattr(error, "sqlstate", None)
    if state is not None:
        return state.startswith(POSTGRESQL_OUTAGE_CLASSES) or state in POSTGRESQL_OUTAGE_STATES
    # psycopg's own failures without a state: no connection, the connection lost or closed.
    return type(error).__name__ in ("OperationalError", "InterfaceError")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


class OutageLog:
    """Logs an outage once when it begins (with its reason) and once when it is over (how many
    requests met it, for how long); requests in between are only counted. An outage is over
    when a request succeeds QUIET_SECONDS after the last one that met it."""

    def __init__(self, logger, clock=time.monotonic):
        self._logger, self._clock = logger, clock
        self._lock = threading.Lock()
        self._began: float | None = None
        self._last = 0.0
        self._requests = 0

    def failed(self, reason: str) -> None:
        with self._lock:
            now = self._clock()
            if self._began is None:
                self._began, self._requests = now, 0
                self._logger.error(
                    "the database is unavailable or cannot write (%s): requests are answered 503 "
                    "until it is back; this is logged once per outage",
                    reason,
                )
            self._requests += 1
            self._last = now

    def succeeded(self) -> None:
        if self._began is None:  # no outage: no lock taken on the way of every request
            return
        with self._lock:
            now = self._clock()
            if self._began is not None and now - self._last >= QUIET_SECONDS:
                self._logger.warning(
                    "the database is back: %d requests were answered 503 over %.0f s",
                    self._requests,
                    self._last - self._began,
                )
                self._began = None
