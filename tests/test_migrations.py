"""The migrations build exactly the schema the models describe, on every database, and bring earlier data up to date."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from annotator.documents.full_text import is_search_index
from annotator.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        options = {"compare_type": True, "include_object": _outside_the_search_index}
        differences = compare_metadata(MigrationContext.configure(connection, opts=options), db.metadata)
    assert differences == []


def _outside_the_search_index(object_, name, type_, reflected, compare_to) -> bool:
    """The full-text index is built by migration 0014 alone (annotator.documents.full_text)."""
    return not (reflected and compare_to is None and is_search_index(name))


def test_database_enforces_one_passage_per_index(app, make_project):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from annotator.documents.models import Document, Passage

    project = make_project("P")
    document = Document(project_id=project.id, external_id="d", raw_text="abc", sha256="0" * 64, meta={})
    db.session.add(document)
    db.session.flush()
    row = dict(
        project_id=project.id,
        document_id=document.id,
        index=0,
        start=0,
        end=3,
        text="abc",
        text_hash=1,
        annotatable=True,
        excluded_reason=None,
        splitter_version="1.0",
    )
    db.session.add(Passage(**row))
    db.session.flush()
    db.session.add(Passage(**row))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Passage(**{**row, "index": 1, "annotatable": True, "excluded_reason": "duplicate"}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_first_line_titles_of_earlier_imports_are_derived_again_and_given_titles_kept(app, make_project):
    from pathlib import Path

    from flask_migrate import downgrade, upgrade

    from annotator.documents.models import Document
    from tests.conftest import FIXTURES

    project = make_project("P")
    web_page = (FIXTURES / "titles" / "web_dump_menus_first.txt").read_text(encoding="utf-8")
    letter = (FIXTURES / "titles" / "letter_with_subject.txt").read_text(encoding="utf-8")
    imported_before = {  # external id: (source, title as the old importer stored it, text, meta)
        "fares": ("dumps/fares.txt", "Skip to content", web_page, {}),
        "17": ("letters.CSV", "Northfield Road Residents' Association", letter, {"lang": "en"}),
        "notes": ("notes.txt", "Fares, March", web_page, {}),  # not the first line: kept
        "feed-1": ("feed.jsonl", "Skip to content", web_page, {}),  # may be the file's own title: kept
        "page": ("page.txt", "Skip to content", web_page, {"format": "html"}),  # read as HTML: kept
    }
    for number, (external_id, (source, title, text, meta)) in enumerate(imported_before.items()):
        db.session.add(
            Document(
                project_id=project.id,
                external_id=external_id,
                source=source,
                title=title,
                raw_text=text,
                sha256=f"{number:064d}",
                meta=meta,
            )
        )
    db.session.commit()
    migrations = str(Path(app.root_path) / "migrations")
    downgrade(directory=migrations, revision="0007")
    upgrade(directory=migrations)
    db.session.expire_all()
    titles = dict(db.session.execute(sa.select(Document.external_id, Document.title)).all())
    assert titles == {
        "fares": "Bus fares in Harbourton to rise by 8 percent in April",
        "17": "Protected bike lane on Northfield Road",
        "notes": "Fares, March",
        "feed-1": "Skip to content",
        "page": "Skip to content",
    }


def test_every_migration_goes_down_to_base_and_up_again(app):
    """upgrade, downgrade to an empty database and upgrade again: every downgrade works on
    this database, and the schema comes back as the models describe it."""
    from pathlib import Path

    from flask_migrate import downgrade, upgrade

    migrations = str(Path(app.root_path) / "migrations")
    db.session.remove()
    downgrade(directory=migrations, revision="base")
    with db.engine.connect() as connection:
        assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
    upgrade(directory=migrations)
    test_migrations_match_the_models(app)


def test_moving_sessions_off_the_account_table_keeps_every_row_that_refers_to_accounts(
    app, make_user, make_project, runner
):
    """SQLite rebuilds the account table to drop its session token column: rows that refer to
    accounts (members, tokens, on ON DELETE CASCADE) stay; deactivated users' tokens are revoked."""
    from pathlib import Path

    from flask_migrate import downgrade, upgrade

    from annotator.projects.models import ProjectMember
    from annotator.users.models import ApiToken, User

    make_project("P")
    make_user("ada")
    bob_id = make_user("bob").id
    for name in ("ada", "bob"):
        runner.invoke(args=["add-member", "P", name, "--role", "annotator"])
        runner.invoke(args=["create-token", name])
    migrations = str(Path(app.root_path) / "migrations")
    db.session.close()
    downgrade(directory=migrations, revision="0010")
    with db.engine.begin() as connection:  # deactivated before tokens were revoked with the account
        connection.execute(sa.update(User).where(User.id == bob_id).values(active=False))
    upgrade(directory=migrations)
    assert db.session.scalar(sa.select(sa.func.count(ProjectMember.id))) == 2
    revoked = dict(db.session.execute(sa.select(User.username, ApiToken.revoked_at.is_not(None)).join(ApiToken)).all())
    assert revoked == {"ada": False, "bob": True}
