"""Beside each label set the database keeps the form agreement reads (its spans reduced to
their own answers, and their offsets as numbers). Every path that writes label sets keeps it
equal to the label set, so that agreement sees the spans the annotators marked: the API (first
labels and revisions), import-annotations, restore and the migration that filled it in."""

import copy
from pathlib import Path

import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.extensions import db
from annotator.project_agreement.label_table import load_label_table
from annotator.project_agreement.record_fields import record_fields
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.users.models import User
from tests.exporting.conftest import fever_project  # noqa: F401  (claim spans with evidence, imported)
from tests.exporting.test_backup_restore import empty_app, invoke  # noqa: F401  (a second, empty database)
from tests.schema.test_spans_end_to_end import first_words, handed_out, project_with_spans


def spans_in_labels() -> list[tuple]:
    """Every span of every current label set, read from the labels themselves: passage,
    annotator, start, end and verdict."""
    rows = db.session.execute(
        sa.select(Annotation.passage_id, User.username, Annotation.labels).join(User, User.id == Annotation.user_id)
    ).all()
    return sorted(
        (passage_id, name, span["start"], span["end"], (span.get("labels") or {}).get("verdict"))
        for passage_id, name, labels in rows
        for span in labels.get("claims") or []
    )


def spans_agreement_reads(project) -> list[tuple]:
    """The spans agreement measures, as the agreement loader reads them from the database."""
    db.session.expire_all()
    schema = schema_of(db.session, project)
    table = load_label_table(db.session, project, schema.measured_fields, record_fields(schema))
    measured, answers = table.spans["claims"]
    (verdict,) = measured.sub_fields
    codes = answers.sub_answers[verdict.name].tolist()
    return sorted(
        zip(
            table.unit_ids[answers.span_passage].tolist(),
            [answers.coders[coder] for coder in answers.span_coder.tolist()],
            answers.span_start.tolist(),
            answers.span_end.tolist(),
            [None if code < 0 else verdict.categories[code] for code in codes],
            strict=True,
        )
    )


def assert_agreement_reads_the_labels(project) -> int:
    """Agreement sees exactly the spans the label sets hold; returns how many."""
    read = spans_agreement_reads(project)
    assert read == spans_in_labels()
    return len(read)


def test_spans_sent_and_revised_through_the_api_are_the_spans_agreement_reads(
    runner, make_project, make_documents, api_client
):
    ada = api_client("ada")
    project, passages = project_with_spans(runner, make_project, make_documents)
    passage = handed_out(ada, project, passages)
    start, end = first_words(passage, 2)
    _, later_end = first_words(passage, 4)
    first = {"claims": [{"start": start, "end": end, "labels": {"verdict": "refutes"}}]}
    assert ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": first}).status_code == 201
    assert assert_agreement_reads_the_labels(project) == 1

    revised = {"claims": [{"start": start, "end": later_end, "labels": {"verdict": "supports"}}]}
    assert ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": revised}).status_code in (200, 201)
    assert assert_agreement_reads_the_labels(project) == 1
    assert spans_agreement_reads(project)[0][3:] == (later_end, "supports")

    assert ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": {}}).status_code in (200, 201)
    assert assert_agreement_reads_the_labels(project) == 0


def test_imported_spans_are_the_spans_agreement_reads(fever_project):  # noqa: F811
    assert assert_agreement_reads_the_labels(fever_project) == 8


def test_a_label_set_imported_and_changed_in_one_file_gives_agreement_the_later_spans(
    runner, make_project, make_documents, make_user, import_labels
):
    make_user("ada")
    project, passages = project_with_spans(runner, make_project, make_documents)
    passage = passages[0]
    start, end = first_words(passage, 2)
    _, later_end = first_words(passage, 3)
    lines = [
        {"passage_id": passage.id, "annotator": "ada", "labels": {"claims": [claim]}}
        for claim in (
            {"start": start, "end": end, "labels": {"verdict": "refutes"}},
            {"start": start, "end": later_end, "labels": {"verdict": "supports"}},
        )
    ]
    import_labels(project, copy.deepcopy(lines))
    assert assert_agreement_reads_the_labels(project) == 1
    assert spans_agreement_reads(project)[0][3:] == (later_end, "supports")


def test_a_restored_project_gives_agreement_the_same_spans(runner, fever_project, empty_app, tmp_path):  # noqa: F811
    original = spans_agreement_reads(fever_project)
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Fares", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    result = invoke(empty_app, "restore", str(backup))
    assert result.exit_code == 0, (result.stderr, result.exception)
    with empty_app.app_context():
        restored = db.session.scalar(sa.select(Project))
        assert assert_agreement_reads_the_labels(restored) == 8
        assert spans_agreement_reads(restored) == original
        db.session.remove()


def test_the_migration_fills_in_the_form_of_label_sets_stored_before(app, fever_project):  # noqa: F811
    from flask_migrate import downgrade, upgrade

    original = spans_agreement_reads(fever_project)
    migrations = str(Path(app.root_path) / "migrations")
    db.session.remove()
    downgrade(directory=migrations, revision="0017")
    upgrade(directory=migrations)
    assert assert_agreement_reads_the_labels(fever_project) == 8
    assert spans_agreement_reads(fever_project) == original
