"""Fixtures. Every test that uses the database runs on SQLite and, when
ANNOTATOR_TEST_DATABASE_URL is set (CI sets it to PostgreSQL), on that database too."""

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from annotator import create_app
from annotator.extensions import db

FIXTURES = Path(__file__).parent / "fixtures"
EXTRA_DATABASE = os.environ.get("ANNOTATOR_TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if EXTRA_DATABASE else [])
# Scrypt at a low cost: hashing a password at the default cost takes a tenth of a second,
# and the suite creates thousands of accounts (tests/users/test_passwords.py checks the default).
CHEAP_PASSWORD_HASH = "scrypt:256:8:1"  # about a millisecond (OpenSSL refuses a lower N)


def _reset_database(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    """A migrated, empty database for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = EXTRA_DATABASE
        _reset_database(url)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test",
            "TESTING": True,
            "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(Path(app.root_path) / "migrations"))
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
            "TESTING": True,
            "MAX_DOCUMENT_BYTES": 20 * 1024 * 1024,
            "MAX_PASSAGE_CHARS": 600,
            "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    Path(app.instance_path).mkdir()
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


class FreshGlobalsClient(FlaskClient):
    """Each request with a fresh `g`, as in production. A request pushed while the `app`
    fixture's app context is open joins that context (Flask pushes a new one only for another
    application), and `g` lives in the app context: without this, the user Flask-Login caches
    in `g` and Flask-WTF's CSRF token would pass from one request to the next. The test's own
    `g` is put back afterwards."""

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        kept = {name: g.pop(name) for name in list(g)}
        try:
            return super().open(*args, **kwargs)
        finally:
            for name in list(g):
                g.pop(name)
            for name, value in kept.items():
                setattr(g, name, value)


def _empty_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f'DELETE FROM "{table}"'))


@pytest.fixture
def runner(app):
    return app.test_cli_runner(mix_stderr=False) if _runner_mixes_stderr() else app.test_cli_runner()


def _runner_mixes_stderr() -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


@pytest.fixture
def make_project(app):
    """Create a project through the service; returns it."""
    from annotator.administration.projects import create_project

    def make(name="Claims", **options):
        project = create_project(db.session, name, **options)
        db.session.commit()
        return project

    return make


@pytest.fixture
def write_file(tmp_path):
    """Write bytes or text into a file under a fresh folder; returns its path."""

    def write(name: str, content: bytes | str) -> Path:
        path = tmp_path / "input" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


PASSWORD = "correct horse battery"


class Clock:
    """A clock that moves only when the test moves it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """The time as sessions and sign-in throttling read it (`annotator.clock.utcnow`), moved on by
    the test: `clock.advance(minutes=5)`."""
    fake = Clock(datetime(2026, 12, 1, 9, 0))
    monkeypatch.setattr("annotator.clock.utcnow", fake)
    return fake


@pytest.fixture
def make_user(app):
    """Create an account through the service; returns it."""
    from annotator.users.services import create_user

    def make(username="ada", role="annotator", password=PASSWORD):
        user = create_user(db.session, username, password, role)
        db.session.commit()
        return user

    return make


def csrf_token_in(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


@pytest.fixture
def login(client):
    """Sign in through the login form, CSRF token and all; returns the response."""

    def sign_in(username="ada", password=PASSWORD, follow_redirects=False, address="127.0.0.1"):
        page = client.get("/auth/login")
        token = csrf_token_in(page.get_data(as_text=True))
        return client.post(
            "/auth/login",
            data={"csrf_token": token, "username": username, "password": password},
            follow_redirects=follow_redirects,
            environ_base={"REMOTE_ADDR": address},
        )

    return sign_in


def paragraph_text(document: int, paragraph: int) -> str:
    """A distinct, ordinary paragraph: the splitter keeps it as one annotatable passage."""
    return (
        f"In report {document}, section {paragraph}, the council says that it spent "
        f"{document * 100 + paragraph} thousand pounds on cycle lanes during the year."
    )


@pytest.fixture
def make_documents(app):
    """Import `count` documents of `paragraphs` passages each into the project, through the
    real importer; returns the project's annotatable passages in reading order."""
    from annotator.documents.models import Passage
    from annotator.importing.readers import ReadOptions
    from annotator.importing.service import ImportSettings, import_paths

    def make(project, count=2, paragraphs=5, folder=None):
        folder = Path(folder or app.instance_path) / f"documents-{project.id}"
        folder.mkdir(exist_ok=True)
        paths = []
        for document in range(count):
            path = folder / f"doc{document:04d}.txt"
            path.write_text("\n\n".join(paragraph_text(document, p) for p in range(paragraphs)) + "\n")
            paths.append(path)
        outcomes = list(import_paths(db.session, project, paths, ImportSettings(read=ReadOptions(20 * 1024 * 1024))))
        assert all(outcome.status == "imported" for outcome in outcomes), outcomes
        db.session.commit()
        return list(
            db.session.scalars(
                sa.select(Passage)
                .where(Passage.project_id == project.id, Passage.annotatable)
                .order_by(Passage.document_id, Passage.index)
            )
        )

    return make


@pytest.fixture
def add_member(app):
    """Make an existing account a member of the project, through the service."""
    from annotator.administration.projects import add_member as add

    def make_member(project, username, role="annotator"):
        member, _ = add(db.session, project, username, role)
        db.session.commit()
        return member

    return make_member


@pytest.fixture
def import_labels(app, write_file):
    """Import label sets (dicts, one JSON line each) into the project through the importer, as
    another tool hands them over; every line must be taken."""
    import json

    from annotator.importing.labels import ImportCounts, import_annotations

    def import_lines(project, records, file_name="labels.jsonl"):
        path = write_file(file_name, "\n".join(json.dumps(record) for record in records))
        rejected = [line for line in import_annotations(db.session, project, path, ImportCounts()) if line is not None]
        assert not rejected, rejected
        db.session.commit()

    return import_lines


@pytest.fixture
def import_texts(app):
    """Import text files into the project through the importer; every file must be taken."""
    from annotator.importing.readers import ReadOptions
    from annotator.importing.service import ImportSettings, import_paths

    def import_files(project, paths):
        outcomes = list(
            import_paths(
                db.session, project, [Path(path) for path in paths], ImportSettings(read=ReadOptions(20 * 1024 * 1024))
            )
        )
        assert all(outcome.status == "imported" for outcome in outcomes), outcomes
        db.session.commit()

    return import_files


@pytest.fixture
def api_client(client, make_user):
    """An API caller with a Bearer token of a new (or given) user: `call(method, url, json=...)`."""

    class Caller:
        def __init__(self, username, role="annotator"):
            from annotator.users.models import User

            if db.session.scalar(sa.select(User.id).where(User.username == username)) is None:
                make_user(username, role)
            from annotator.users.tokens import create_token

            user = db.session.scalar(sa.select(User).where(User.username == username))
            _, plain = create_token(db.session, user, "tests")
            db.session.commit()
            self.headers = {"Authorization": f"Bearer {plain}"}

        def __call__(self, method, url, **options):
            return client.open(url, method=method, headers=self.headers, **options)

    return Caller
