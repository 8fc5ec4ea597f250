"""Alembic through Flask-Migrate; the migration scripts ship inside the package."""

from flask_migrate import Migrate

migrate = Migrate(compare_type=True, render_as_batch=True)
