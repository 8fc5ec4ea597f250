"""The declarative base, connection settings per database and statements for bulk reads and
writes (the SQLAlchemy handle itself is in annotator.extensions)."""

from itertools import chain, count
from operator import itemgetter

import sqlalchemy as sa
import sqlalchemy.orm as so

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


_cursor_numbers = count(1)  # names of PostgreSQL server-side cursors


POSTGRESQL_CONNECT_TIMEOUT_SECONDS = 10


def engine_options(database_url: str) -> dict:
    """Engine options: SQLite waits for locks instead of failing at once. PostgreSQL's pooled
    connections are tried before use, so that a restarted server or killed connections cost
    only the requests that were using them; a server that does not answer is given up after
    a few seconds (the request is then answered 503) instead of holding the request."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_SECONDS}}


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL for concurrent readers, foreign keys enforced, a busy timeout for writers."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # SQLite's default page cache (2 MB) is outgrown by the indexes of one large project;
    # with a bounded 32 MB cache, inserts do not slow down as the project grows.
    cursor.execute("PRAGMA cache_size=-32768")
    # FULL: a commit survives power loss, not only a crash of the process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def insert_many(
    connection: sa.Connection, table: sa.Table, rows: list[dict], returning: tuple[str, ...] = ()
) -> list[tuple]:
    """INSERT many rows of plain values, straight to the driver, ROWS_PER_INSERT rows to a
    statement; with `returning`, the named columns of the rows written (in no promised order).

    For tens of thousands of rows SQLAlchemy's per-row parameter processing costs more than
    the database's own work: values go through their column type's conversion (JSON, dates)
    only where it has one. One statement per row (executemany) is slow on both databases:
    on SQLite a table with a trigger into an FTS5 index (the passage table:
    annotator.documents.full_text) flushes that index's pending terms at every statement (one
    statement per row made an import of 31,000 passages a second slower); on PostgreSQL each
    row was a statement of its own, 10,000 short passages took 4 s."""
    if not rows:
        return []
    names = list(rows[0])
    preparer = connection.dialect.identifier_preparer
    head = f"INSERT INTO {preparer.format_table(table)} ({', '.join(preparer.quote(name) for name in names)}) "
    tail = f" RETURNING {', '.join(preparer.quote(name) for name in returning)}" if returning else ""
    parameters = _converted(connection.dialect, table, names, list(map(itemgetter(*names), rows)))
    if connection.dialect.name == "postgresql":
        return _insert_as_arrays(connection, table, names, parameters, head, tail)
    one_row = f"({', '.join(['?'] * len(names))})"
    head += "VALUES "
    per_statement = max(1, min(ROWS_PER_INSERT, MAX_PARAMETERS // len(names)))
    written: list[tuple] = []
    for start in range(0, len(parameters), per_statement):
        chunk = parameters[start : start + per_statement]
        flat = tuple(chain.from_iterable(chunk)) if len(names) > 1 else tuple(chunk)
        result = connection.exec_driver_sql(f"{head}{', '.join([one_row] * len(chunk))}{tail}", flat)
        if returning:
            written += result.cursor.fetchall()
    return written


def _insert_as_arrays(connection, table: sa.Table, names: list[str], parameters: list, head: str, tail: str):
    """PostgreSQL: all rows in one statement, each column's values as one array, unnested.
    The statement has one parameter per column whatever the number of rows (psycopg parses
    a statement of thousands of placeholders in Python on every execution: 4 of the 5
    seconds an import of 10,000 short passages took)."""
    columns = [list(values) for values in zip(*parameters, strict=True)] if len(names) > 1 else [parameters]
    arrays = ", ".join(f"%s::{_array_type(connection.dialect, table.c[name])}" for name in names)
    result = connection.exec_driver_sql(f"{head}SELECT * FROM unnest({arrays}){tail}", tuple(columns))
    return result.cursor.fetchall() if tail else []


def _array_type(dialect, column: sa.Column) -> str:
    """The SQL type of an array of the column's values (a foreign key's, its target's)."""
    column_type = column.type
    if isinstance(column_type, sa.types.NullType) and column.foreign_keys:
        column_type = next(iter(column.foreign_keys)).column.type
    return f"{column_type.compile(dialect=dialect)}[]"


def _processor(dialect, column: sa.Column):
    """The conversion of a column's values for the driver, if they need one: JSON, and dates
    on SQLite (a Python bool is an int to every driver: no conversion)."""
    if isinstance(column.type, sa.Boolean):
        return None
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _converted(dialect, table: sa.Table, order: list[str], parameters: list) -> list:
    """The rows' values as the driver takes them: each through its column type's conversion,
    for the columns whose type has one for this database (JSON, dates on SQLite)."""
    processors = [_processor(dialect, table.c[name]) for name in order]
    if not any(processors):
        return parameters
    if len(order) == 1:
        return list(map(processors[0], parameters))
    steps = [(place, process) for place, process in enumerate(processors) if process is not None]
    converted = []
    for row in parameters:
        row = list(row)
        for place, process in steps:
            row[place] = process(row[place])
        converted.append(row)
    return converted


ROWS_PER_INSERT = 500
MAX_PARAMETERS = 32766  # SQLite's limit on a statement's parameters (since 3.32; PostgreSQL's: 65,535)


def insert_ignoring_conflicts(session: so.Session, table: sa.Table, values: dict, conflict_columns: list[str]) -> None:
    """INSERT one row unless a row with the same `conflict_columns` exists (no error, no change)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict_columns))


from annotator import write_lock  # noqa: E402,F401  (registers SQLite's one-writer-at-a-time lock)


def raw_rows(session: so.Session, query, stream: bool = False, batch: int = 5000):
    """The query's rows as the driver gives them (plain tuples), for reads so large that
    SQLAlchemy's per-row processing would cost more than the database's work. Only for
    queries whose columns need no conversion (numbers, text); literal values are written into
    the statement, so they must be ones the application made (ids, field names). With
    `stream`, rows come `batch` at a time from a server-side cursor on PostgreSQL."""
    if not stream:  # through SQLAlchemy, whose psycopg paramstyle reads % as a placeholder
        connection = session.connection()
        sql = _literal_sql(connection, query)
        postgresql = connection.dialect.name == "postgresql"
        return connection.exec_driver_sql(sql.replace("%", "%%") if postgresql else sql).cursor.fetchall()
    return chain.from_iterable(raw_batches(session, query, batch))


def raw_batches(session: so.Session, query, batch: int = 5000):
    """The query's rows as `raw_rows(stream=True)` reads them, a list of up to `batch` rows at a
    time, for readers that take each batch apart column by column."""
    connection = session.connection()
    sql = _literal_sql(connection, query)
    # The driver's own cursor, in the session's transaction: SQLAlchemy's result would buffer
    # rows of its own ahead of the cursor.
    dbapi_connection = connection.connection.dbapi_connection
    postgresql = connection.dialect.name == "postgresql"
    cursor = (
        dbapi_connection.cursor(name=f"annotator_{next(_cursor_numbers)}") if postgresql else dbapi_connection.cursor()
    )
    cursor.execute(sql)
    return _batches(cursor, batch)


def _literal_sql(connection: sa.Connection, query) -> str:
    return str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))


def _batches(cursor, batch: int):
    try:
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()  # a server-side cursor lives until closed
