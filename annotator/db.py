"""The SQLAlchemy handle, the declarative base and connection settings per database."""

from operator import itemgetter

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_sqlalchemy import SQLAlchemy

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def engine_options(database_url: str) -> dict:
    """Engine options: SQLite waits for locks instead of failing at once."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


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


def insert_many(connection: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """INSERT many rows of plain values, straight to the driver's executemany.

    For tens of thousands of rows SQLAlchemy's per-row parameter processing costs more than
    the database's own work; the statement is still compiled by SQLAlchemy for the dialect."""
    if not rows:
        return
    compiled = table.insert().compile(dialect=connection.dialect, column_keys=list(rows[0]))
    order = compiled.positiontup
    parameters = list(map(itemgetter(*order), rows)) if order else rows
    connection.exec_driver_sql(compiled.string, parameters)


def insert_ignoring_conflicts(session: so.Session, table: sa.Table, values: dict, conflict_columns: list[str]) -> None:
    """INSERT one row unless a row with the same `conflict_columns` exists (no error, no change)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict_columns))


from annotator import write_lock  # noqa: E402,F401  (registers SQLite's one-writer-at-a-time lock)
