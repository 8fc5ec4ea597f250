"""The migrations build exactly the schema the models describe, on every database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from annotator.db import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    assert differences == []


def test_database_enforces_one_passage_per_index(app, make_project):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from annotator.documents.models import Document, Passage

    project = make_project("P")
    document = Document(project_id=project.id, external_id="d", raw_text="abc", sha256="0" * 64, meta={})
    db.session.add(document)
    db.session.flush()
    row = dict(project_id=project.id, document_id=document.id, index=0, start=0, end=3, text="abc",
               text_hash=1, annotatable=True, excluded_reason=None, splitter_version="1.0")
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
