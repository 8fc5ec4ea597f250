"""annotator restore: a backup rebuilds the project in an empty database, and the rebuilt one
exports the same training and audit files as the original (the export time aside)."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from annotator import create_app
from annotator.extensions import db
from annotator.review.adjudicating import adjudicate
from tests.conftest import EXTRA_DATABASE

RESTORED_DATABASE = "test_restore"


@pytest.fixture
def empty_app(database_url, tmp_path):
    """A second, migrated, empty database and an app on it."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        url = _fresh_postgresql(EXTRA_DATABASE)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(Path(app.root_path) / "migrations"))
        db.session.remove()
        db.engine.dispose()
    yield app
    with app.app_context():
        db.engine.dispose()


def _fresh_postgresql(url: str) -> str:
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {RESTORED_DATABASE} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {RESTORED_DATABASE}"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{RESTORED_DATABASE}"


def invoke(app, *args):
    """A command run against this app (the test's own app context would otherwise win)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def exported(runner, kind: str, app=None) -> list[dict]:
    result = (
        invoke(app, "export", "Bike lanes", "--kind", kind)
        if app
        else runner.invoke(args=["export", "Bike lanes", "--kind", kind])
    )
    assert result.exit_code == 0, (result.stderr, result.exception)
    return [json.loads(line) for line in result.stdout.splitlines()]


def without_export_time(lines: list[dict]) -> list[dict]:
    return [{key: value for key, value in line.items() if key != "exported_at"} for line in lines]


def test_a_restored_project_exports_the_same_training_and_audit_files(runner, labelled, make_user, empty_app, tmp_path):
    reviewer = make_user("rev", "reviewer")
    adjudicate(
        db.session,
        labelled,
        labelled.passages[0].id,
        reviewer,
        {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"},
        "irony",
    )
    db.session.commit()
    original = {kind: exported(runner, kind) for kind in ("training", "audit")}
    backup = tmp_path / "backup.jsonl.gz"
    assert runner.invoke(args=["export", "Bike lanes", "--kind", "backup", "-o", str(backup)]).exit_code == 0

    result = invoke(empty_app, "restore", str(backup))
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert 'restored project "Bike lanes"' in result.stderr
    for kind in ("training", "audit"):
        assert without_export_time(exported(None, kind, empty_app)) == without_export_time(original[kind]), kind
    with empty_app.app_context():
        from annotator.documents.models import Document
        from annotator.users.models import User

        assert db.session.scalar(sa.select(Document.raw_text)).startswith("In report 0, section 0")
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 4  # ada, bob, cy and the reviewer
        db.session.remove()
    again = invoke(empty_app, "restore", str(backup))
    assert again.exit_code == 1 and "needs an empty database" in again.stderr


def test_a_broken_backup_is_named_by_line_and_leaves_nothing(runner, labelled, empty_app, tmp_path):
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Bike lanes", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    lines = backup.read_text().splitlines()
    lines[5] = '{"type": "no_such_table", "id": 1}'
    backup.write_text("\n".join(lines) + "\n")
    result = invoke(empty_app, "restore", str(backup))
    assert result.exit_code == 1 and "backup.jsonl:6: not a row of a known table" in result.stderr
    with empty_app.app_context():
        from annotator.projects.models import Project
        from annotator.users.models import User

        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 0
        db.session.remove()
