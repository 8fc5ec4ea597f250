"""Alembic environment: runs against the application's own engine and metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

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
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = current_app.extensions["migrate"].configure_args
    with _database().engine.connect() as connection:
        context.configure(connection=connection, target_metadata=_database().metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
