"""What the benchmarks share: the `annotator` command beside this Python, running it quietly,
a fresh database of either kind for a run, and an empty project to import into in process."""

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ANNOTATOR = str(Path(sys.executable).parent / "annotator")
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def run(command: list[str], env: dict, show_errors: bool = False) -> None:
    """Run a command to completion (raising if it fails), its output discarded."""
    subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=None if show_errors else subprocess.DEVNULL
    )


def fresh_database(kind: str, scratch: Path, name: str) -> str:
    """The URL of an empty database: a SQLite file `name`.sqlite3 in `scratch`, or the
    PostgreSQL database `name`, dropped and created again."""
    if kind == "sqlite":
        return f"sqlite:///{scratch / f'{name}.sqlite3'}"
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@contextmanager
def empty_import_project(url: str) -> Iterator:
    """Inside an application context on `url` (PostgreSQL's schema emptied first), migrated, an
    empty project "bench" to import into, with the splitter's word list already loaded."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from annotator import create_app
    from annotator.administration.projects import create_project
    from annotator.extensions import db
    from annotator.splitting import split_document

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(Path(app.root_path) / "migrations"))
        project = create_project(db.session, "bench")
        db.session.commit()
        split_document("Warm the word list: bil-\nlions.")
        yield project
