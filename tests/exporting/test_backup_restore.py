"""annotator restore: a backup rebuilds the project in an empty database, and the rebuilt one
exports the same training and audit files as the original (the export time aside)."""

import json
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from annotator import create_app
from annotator.extensions import db
from annotator.review.adjudicating import adjudicate
from tests.conftest import EXTRA_DATABASE
from tests.exporting.conftest import fever_project  # noqa: F401  (claim spans, evidence, a decision)

RESTORED_SCHEMA = "restored"  # in the test database: several test runs may share one server


@pytest.fixture
def empty_app(database_url, tmp_path):
    """A second, migrated, empty database (PostgreSQL: a schema of its own in the test
    database) and an app on it."""
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
    """The test database seen through a fresh, empty schema of its own (its search path)."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {RESTORED_SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {RESTORED_SCHEMA}"))
    admin.dispose()
    return (
        sa.make_url(url)
        .update_query_dict({"options": f"-csearch_path={RESTORED_SCHEMA}"})
        .render_as_string(hide_password=False)
    )


def invoke(app, *args):
    """A command run against this app (the test's own app context would otherwise win)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def exported(runner, kind: str, app=None, project: str = "Bike lanes") -> list[dict]:
    arguments = ["export", project, "--kind", kind]
    result = invoke(app, *arguments) if app else runner.invoke(args=arguments)
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


STORED_JSON = {
    "annotation": ("labels",),
    "annotation_event": ("before", "after"),
    "adjudication": ("labels",),
    "adjudication_event": ("before", "after"),
}


def stored_json(app=None) -> dict[str, list]:
    """The label, decision and history columns as the database stores them (their text)."""
    from contextlib import nullcontext

    with app.app_context() if app else nullcontext():
        stored = {
            f"{table}.{column}": db.session.execute(
                sa.text(f"SELECT id, CAST({column} AS TEXT) FROM {table} ORDER BY id")
            ).all()
            for table, columns in STORED_JSON.items()
            for column in columns
        }
        if app:
            db.session.remove()
    return stored


def test_spans_and_evidence_survive_a_backup_and_restore_byte_for_byte(runner, fever_project, empty_app, tmp_path):
    original = {kind: exported(runner, kind, project="Fares") for kind in ("training", "fever", "audit", "backup")}
    original_json = stored_json()
    assert any("thousand pounds" in text for _, text in original_json["annotation.labels"])
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Fares", "--kind", "backup", "-o", str(backup)]).exit_code == 0

    result = invoke(empty_app, "restore", str(backup))
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert stored_json(empty_app) == original_json
    for kind in ("training", "fever", "audit", "backup"):
        again = without_export_time(exported(None, kind, empty_app, project="Fares"))
        assert again == without_export_time(original[kind]), kind
    restored_backup = tmp_path / "again.jsonl"
    assert invoke(empty_app, "export", "Fares", "--kind", "backup", "-o", str(restored_backup)).exit_code == 0
    # the same file but for the header's time
    assert restored_backup.read_bytes().splitlines()[1:] == backup.read_bytes().splitlines()[1:]


def test_the_audit_export_carries_spans_and_evidence_in_labels_and_decisions(runner, fever_project):
    from tests.exporting.conftest import AUDIT
    from tests.exporting.test_exports import SCHEMAS

    lines = exported(runner, "audit", project="Fares")
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "audit.schema.json").read_text()))
    for line in lines:
        validator.validate(line)
    (decision,) = [line for line in lines if line["type"] == "adjudication"]
    (claim,) = decision["after"]["labels"]["claims"]
    assert claim["text"] == "cycle lanes during the year" and claim["labels"]["verdict"] == "supports"
    assert [record["url"] for record in claim["labels"]["evidence"]][1] == AUDIT
    ada_first = next(line for line in lines if line["type"] == "labels" and line["annotator"] == "ada")
    spans = ada_first["after"]["labels"]["claims"]
    assert spans[0]["text"] == "the council says that it spent 0 thousand pounds"
    assert spans[0]["labels"]["evidence"][1] == {"url": AUDIT, "relation": "refutes", "set": 2}


def test_discussions_and_disagreement_categories_survive_a_backup_and_restore(
    runner, labelled, make_user, empty_app, tmp_path
):
    from annotator.discussion.models import DiscussionEntry
    from annotator.discussion.thread import add_comment, set_resolved
    from tests.exporting.test_exports import SCHEMAS

    reviewer = make_user("rev", "admin")
    first = labelled.passages[0].id
    adjudicate(db.session, labelled, first, reviewer, {"claim_type": "no_claim"}, "", category="ambiguous_text")
    add_comment(db.session, labelled, first, reviewer, "Is a slogan a claim?\nAsk the client.")
    set_resolved(db.session, labelled, first, reviewer, True)
    db.session.commit()
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Bike lanes", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "backup.schema.json").read_text()))
    lines = [json.loads(line) for line in backup.read_text().splitlines()]
    for line in lines:
        validator.validate(line)
    assert [line["kind"] for line in lines if line["type"] == "discussion_entry"] == ["comment", "resolve"]

    def kept(app=None):
        from contextlib import nullcontext

        with app.app_context() if app else nullcontext():
            rows = db.session.execute(
                sa.select(
                    DiscussionEntry.id,
                    DiscussionEntry.passage_id,
                    DiscussionEntry.author_id,
                    DiscussionEntry.kind,
                    DiscussionEntry.body,
                    DiscussionEntry.at,
                ).order_by(DiscussionEntry.id)
            ).all()
            categories = db.session.execute(sa.text("SELECT category FROM adjudication_event")).scalars().all()
            if app:
                db.session.remove()
            return rows, categories

    original = kept()
    audit = exported(runner, "audit")
    assert invoke(empty_app, "restore", str(backup)).exit_code == 0
    assert kept(empty_app) == original and original[1] == ["ambiguous_text"]
    assert without_export_time(exported(None, "audit", empty_app)) == without_export_time(audit)
