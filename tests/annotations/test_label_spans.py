"""Beside each label set the database keeps what agreement reads of it: the label set without
its record answers (spans, evidence) and each span as a row of numbers. Every path that writes
label sets keeps them equal to the label set: the API (first labels and revisions),
import-annotations, restore and the migration that filled them in."""

import copy
from pathlib import Path

import sqlalchemy as sa

from annotator.annotations.models import Annotation, LabelSpan
from annotator.extensions import db
from tests.exporting.conftest import fever_project  # noqa: F401  (claim spans with evidence, imported)
from tests.exporting.test_backup_restore import empty_app, invoke  # noqa: F401  (a second, empty database)
from tests.schema.test_spans_end_to_end import first_words, handed_out, project_with_spans


def expected_form(labels: dict) -> tuple[dict, list[tuple]]:
    """What agreement should read of a label set, worked out here from its JSON: the answers
    that are not lists of records, and the spans in order (field, position, start, end, own answers)."""
    records = {
        name for name, value in labels.items() if isinstance(value, list) and value and isinstance(value[0], dict)
    }
    spans = [
        (name, position, span["start"], span["end"], span.get("labels") or {})
        for name in sorted(records)
        for position, span in enumerate(labels[name])
        if "start" in span
    ]
    return {name: value for name, value in labels.items() if name not in records}, spans


def stored_forms() -> dict:
    """Per label set (passage id, user id): its labels, then the form stored beside them."""
    spans = {}
    for row in db.session.execute(sa.select(LabelSpan).order_by(LabelSpan.field, LabelSpan.position)).scalars():
        spans.setdefault((row.passage_id, row.user_id), []).append(
            (row.field, row.position, row.start, row.end, row.labels)
        )
    return {
        (row.passage_id, row.user_id): (
            row.labels,
            (row.labels_without_records, spans.pop((row.passage_id, row.user_id), [])),
        )
        for row in db.session.scalars(sa.select(Annotation))
    } | {key: (None, ("no label set", rows)) for key, rows in spans.items()}


def assert_consistent() -> int:
    """Every label set's stored form is the one its labels give (no span row without its label
    set); returns the number of spans."""
    db.session.expire_all()
    forms = stored_forms()
    for key, (labels, stored) in forms.items():
        assert labels is not None and stored == expected_form(labels), key
    return sum(len(spans) for _, (_, spans) in forms.values())


def test_label_sets_sent_and_revised_through_the_api_keep_their_spans_beside_them(
    runner, make_project, make_documents, api_client
):
    ada = api_client("ada")
    project, passages = project_with_spans(runner, make_project, make_documents)
    passage = handed_out(ada, project, passages)
    start, end = first_words(passage, 2)
    _, later_end = first_words(passage, 4)
    first = {"claims": [{"start": start, "end": end, "labels": {"verdict": "refutes"}}]}
    assert ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": first}).status_code == 201
    assert assert_consistent() == 1

    revised = {"claims": [{"start": start, "end": later_end, "labels": {"verdict": "supports"}}]}
    assert ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": revised}).status_code in (200, 201)
    assert assert_consistent() == 1
    assert db.session.scalar(sa.select(LabelSpan.end)) == later_end

    assert ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": {}}).status_code in (200, 201)
    assert assert_consistent() == 0


def test_imported_label_sets_keep_their_spans_beside_them(fever_project):  # noqa: F811
    assert assert_consistent() == 8


def test_a_label_set_imported_and_changed_in_one_file_keeps_the_later_spans(
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
    assert assert_consistent() == 1
    assert db.session.scalar(sa.select(LabelSpan.labels)) == {"verdict": "supports"}


def test_a_restored_project_has_its_spans_beside_its_label_sets(runner, fever_project, empty_app, tmp_path):  # noqa: F811
    original = stored_forms()
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Fares", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    result = invoke(empty_app, "restore", str(backup))
    assert result.exit_code == 0, (result.stderr, result.exception)
    with empty_app.app_context():
        assert assert_consistent() == 8
        assert stored_forms() == original
        db.session.remove()


def test_the_migration_fills_in_the_stored_form_of_label_sets_stored_before(app, fever_project):  # noqa: F811
    from flask_migrate import downgrade, upgrade

    original = stored_forms()
    migrations = str(Path(app.root_path) / "migrations")
    db.session.remove()
    downgrade(directory=migrations, revision="0017")
    upgrade(directory=migrations)
    assert assert_consistent() == 8
    assert stored_forms() == original
