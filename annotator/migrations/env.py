"""Alembic environment: runs against the application's own engine and metadata."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

from annotator.documents.full_text import is_search_index

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _database():
    return current_app.extensions["migrate"].db


def run_migrations_offline() -> None:
    context.configure(
        url=_database().engine.url.render_as_string(hide_password=False),
        target_metadata=_database().metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = current_app.extensions["migrate"].configure_args
    with _database().engine.connect() as connection, _sqlite_foreign_keys_off(connection):
        context.configure(
            connection=connection, target_metadata=_database().metadata, include_object=include_object, **options
        )
        with context.begin_transaction():
            context.run_migrations()


def include_object(object_, name, type_, reflected, compare_to) -> bool:
    """What autogenerate compares: everything but the full-text index, which the migrations
    build outside the models (an FTS5 table and its shadow tables, a GIN expression index)."""
    return not (reflected and compare_to is None and is_search_index(name))


@contextmanager
def _sqlite_foreign_keys_off(connection):
    """SQLite changes a table's columns or constraints by rebuilding it (batch mode: copy, drop,
    rename); with foreign keys on, dropping the old table would delete, through ON DELETE
    CASCADE, every row that refers to it. So they are off while migrating (SQLite ignores the
    switch inside a transaction: it is set before one begins), and checked afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
    if problems := connection.exec_driver_sql("PRAGMA foreign_key_check").all():
        raise RuntimeError(f"the migration left rows whose references are broken: {problems[:10]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
