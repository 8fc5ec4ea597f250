"""Corrections in the exports: events in the audit trail, withdrawn documents and excluded
passages out of the training export, and everything through a backup and a restore."""

import json

import pytest
import sqlalchemy as sa

from annotator.curation import service
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.projects.models import Project
from tests.exporting.conftest import decided, import_unlabelled  # noqa: F401  (the project with labels and a decision)
from tests.exporting.test_backup_restore import exported, invoke, without_export_time
from tests.exporting.test_exports import SCHEMAS, export
from tests.review.conftest import labelled  # noqa: F401  (six passages labelled by three annotators)


@pytest.fixture
def corrected(decided, import_texts, write_file, make_user):
    """The decided project ("Bike lanes", six labelled passages) after corrections: a labelled
    passage excluded, a second document withdrawn, a third retitled, then archived."""
    later = import_unlabelled(decided, import_texts, write_file, documents=2, paragraphs=2)
    admin = make_user("root", "admin")
    service.exclude_passage(db.session, decided, decided.passages[1].id, admin, "a quotation, not a claim")
    withdrawn, retitled = (db.session.get(Document, passage.document_id) for passage in (later[0], later[2]))
    service.withdraw_document(db.session, decided, withdrawn.id, admin, "wrong project")
    service.retitle_document(db.session, decided, retitled.id, "A better title", admin)
    service.archive_project(db.session, decided, admin, "done")
    db.session.commit()
    decided.withdrawn_document = withdrawn.external_id
    return decided


def test_the_audit_trail_holds_every_correction_with_who_when_what_and_why(runner, corrected):
    lines = export(runner, "--kind", "audit")
    found = [line for line in lines if line["type"] == "correction"]
    assert [line["action"] for line in found] == ["exclude", "withdraw", "retitle", "archive"]
    exclusion = found[0]
    assert exclusion["passage_id"] == corrected.passages[1].id and exclusion["actor"] == "root"
    assert exclusion["reason"] == "a quotation, not a claim" and exclusion["document_id"] == "doc0000"
    assert exclusion["details"]["after"] == {"annotatable": False, "excluded_reason": "manual"}
    assert found[1]["document_id"] == corrected.withdrawn_document
    assert found[2]["details"]["after"] == {"title": "A better title"}
    excluded_labels = [
        line for line in lines if line["type"] == "labels" and line["passage_id"] == corrected.passages[1].id
    ]
    assert len(excluded_labels) == 3  # the excluded passage's labels stay in the audit trail
    times = [line["server_time"] for line in lines[1:]]
    assert times == sorted(times)


def test_every_export_of_a_corrected_project_is_valid_against_its_schema(runner, corrected):
    import jsonschema

    for kind in ("audit", "backup", "training", "passages"):
        validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{kind}.schema.json").read_text()))
        for line in export(runner, "--kind", kind):
            validator.validate(line)


def test_the_training_export_leaves_out_withdrawn_documents_and_excluded_passages(runner, corrected):
    out = {corrected.passages[1].id} | set(
        db.session.scalars(
            sa.select(Passage.id).join(Document).where(Document.external_id == corrected.withdrawn_document)
        )
    )
    labelled = export(runner, "--kind", "training")
    everything = export(runner, "--kind", "training", "--all-passages")
    assert [line["passage_id"] for line in labelled] == [p.id for p in corrected.passages if p.id not in out]
    assert not out & {line["passage_id"] for line in everything}
    assert len(everything) == len(labelled) + 2  # the retitled document's two unlabelled passages


def test_a_backup_keeps_corrections_and_a_restore_brings_them_back(runner, corrected, empty_app, tmp_path):
    original = {kind: exported(runner, kind) for kind in ("training", "audit", "backup")}
    backup_lines = original["backup"]
    assert sum(line["type"] == "correction" for line in backup_lines) == 4
    (document,) = [line for line in backup_lines if line["type"] == "document" and line["withdrawn_at"]]
    assert document["size"] > 0 and document["passage_count"] == 2
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Bike lanes", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    result = invoke(empty_app, "restore", str(backup))
    assert result.exit_code == 0, (result.stderr, result.exception)
    for kind in ("training", "audit", "backup"):
        assert without_export_time(exported(None, kind, empty_app)) == without_export_time(original[kind]), kind
    annotatable = corrected.annotatable_passages  # read first: in the restored app, loading it takes that app's engine
    with empty_app.app_context():
        restored = db.session.scalar(sa.select(Project))
        reasons = db.session.scalars(sa.select(Passage.excluded_reason).where(Passage.excluded_reason.is_not(None)))
        assert restored.archived_at is not None and sorted(reasons) == ["manual", "withdrawn", "withdrawn"]
        assert restored.annotatable_passages == annotatable
        db.session.remove()


@pytest.fixture
def empty_app(database_url, tmp_path):
    from tests.exporting.test_backup_restore import empty_app as make

    yield from make.__wrapped__(database_url, tmp_path)
