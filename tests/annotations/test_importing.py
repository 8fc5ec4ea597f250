"""import-annotations: label sets from JSON Lines; bad lines named, good lines kept, a second
run changes nothing, and the counters and review rows follow."""

import json

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.assignment.models import ANY_FIELD, PassageAgreement
from annotator.documents.models import Passage
from annotator.extensions import db
from annotator.users.models import User
from tests.assignment.test_assignment import assert_counters_agree_with_a_recount

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
NO_CLAIM = {"claim_type": "no_claim"}


@pytest.fixture
def project(make_project, make_documents):
    project = make_project("Claims", overlap_k=2)
    project.passages = make_documents(project, count=2, paragraphs=3)
    return project


def lines_file(write_file, *records, name="labels.jsonl"):
    return write_file(
        name, "".join((record if isinstance(record, str) else json.dumps(record)) + "\n" for record in records)
    )


def stored():
    rows = db.session.execute(
        sa.select(User.username, Annotation.passage_id, Annotation.labels)
        .join(User, User.id == Annotation.user_id)
        .order_by(Annotation.id)
    )
    return [tuple(row) for row in rows]


def test_good_lines_go_in_and_bad_lines_are_named(runner, project, make_user, write_file):
    make_user("ada")
    first, second = project.passages[:2]
    path = lines_file(
        write_file,
        {"document_id": "doc0000", "index": 0, "annotator": "ada", "labels": CLAIM, "note": "p. 4"},
        {"passage_id": second.id, "annotator": "ada", "labels": NO_CLAIM, "created_at": "2026-11-01T09:00:00Z"},
        "{not json",
        {"passage_id": second.id, "annotator": "nobody", "labels": NO_CLAIM},
        {"document_id": "doc0000", "index": 99, "annotator": "ada", "labels": NO_CLAIM},
        {"document_id": "missing", "index": 0, "annotator": "ada", "labels": NO_CLAIM},
        {"passage_id": first.id, "annotator": "ada", "labels": {"claim_type": "opinion"}},
        {"passage_id": first.id, "annotator": "ada", "labels": {**CLAIM, "stance": "maybe"}},
        {"passage_id": 10**9, "annotator": "ada", "labels": NO_CLAIM},
        {"annotator": "ada", "labels": NO_CLAIM},
    )
    result = runner.invoke(args=["import-annotations", "Claims", str(path)])
    assert result.exit_code == 1
    report = result.stderr.splitlines()
    assert report[0].startswith("labels.jsonl:3: not valid JSON: unexpected character")
    assert report[1:] == [
        'labels.jsonl:4: no user named "nobody" (create it, or import with --create-users)',
        'labels.jsonl:5: no passage 99 in document "doc0000" of this project',
        'labels.jsonl:6: no passage 0 in document "missing" of this project',
        "labels.jsonl:7: Stance toward the target: choose a value (labels.stance; allowed: favor, against, "
        "neutral, unrelated)",
        'labels.jsonl:8: Stance toward the target: "maybe" is not one of Favor, Against, Neutral, Unrelated'
        " (labels.stance; allowed: favor, against, neutral, unrelated)",
        f"labels.jsonl:9: no passage {10**9} in this project",
        'labels.jsonl:10: give "passage_id", or "document_id" and "index" (an integer)',
        "2 label sets added, 0 changed, 0 unchanged, 8 rejected",
    ]
    assert stored() == [("ada", first.id, CLAIM), ("ada", second.id, NO_CLAIM)]
    event = db.session.scalar(sa.select(AnnotationEvent).order_by(AnnotationEvent.id.desc()))
    assert event.origin == "import: labels.jsonl" and event.client_time.isoformat() == "2026-11-01T09:00:00"


def test_running_the_same_file_again_changes_nothing(runner, project, make_user, write_file):
    make_user("ada")
    path = lines_file(
        write_file, *({"passage_id": p.id, "annotator": "ada", "labels": NO_CLAIM} for p in project.passages)
    )
    assert runner.invoke(args=["import-annotations", "Claims", str(path)]).exit_code == 0
    again = runner.invoke(args=["import-annotations", "Claims", str(path)])
    assert again.exit_code == 0 and again.stderr.strip() == "0 label sets added, 0 changed, 6 unchanged, 0 rejected"
    assert db.session.scalar(sa.select(sa.func.count(AnnotationEvent.id))) == 6


def test_a_changed_line_appends_to_the_history(runner, project, make_user, write_file):
    make_user("ada")
    passage = project.passages[0]
    runner.invoke(
        args=[
            "import-annotations",
            "Claims",
            str(lines_file(write_file, {"passage_id": passage.id, "annotator": "ada", "labels": NO_CLAIM})),
        ]
    )
    result = runner.invoke(
        args=[
            "import-annotations",
            "Claims",
            str(
                lines_file(
                    write_file, {"passage_id": passage.id, "annotator": "ada", "labels": CLAIM}, name="later.jsonl"
                )
            ),
        ]
    )
    assert result.stderr.strip() == "0 label sets added, 1 changed, 0 unchanged, 0 rejected"
    history = db.session.execute(
        sa.select(AnnotationEvent.before, AnnotationEvent.after).order_by(AnnotationEvent.id)
    ).all()
    assert [(b and b["labels"], a["labels"]) for b, a in history] == [(None, NO_CLAIM), (NO_CLAIM, CLAIM)]
    assert stored() == [("ada", passage.id, CLAIM)]


def test_unknown_annotators_are_created_on_request_as_members_who_cannot_sign_in_yet(
    runner, project, write_file, login
):
    path = lines_file(write_file, {"passage_id": project.passages[0].id, "annotator": "imported-1", "labels": NO_CLAIM})
    result = runner.invoke(args=["import-annotations", "Claims", str(path), "--create-users"])
    assert result.exit_code == 0 and "1 annotator accounts created" in result.stderr
    assert db.session.scalar(sa.select(User.role).where(User.username == "imported-1")) == "annotator"
    assert login("imported-1", "").status_code in (400, 401)


def test_counters_and_review_rows_follow_the_imported_labels(runner, project, make_user, write_file):
    for name in ("ada", "bob"):
        make_user(name)
    first, second = project.passages[:2]
    path = lines_file(
        write_file,
        {"passage_id": first.id, "annotator": "ada", "labels": CLAIM},
        {"passage_id": first.id, "annotator": "bob", "labels": NO_CLAIM},
        {"passage_id": second.id, "annotator": "ada", "labels": NO_CLAIM},
    )
    assert runner.invoke(args=["import-annotations", "Claims", str(path)]).exit_code == 0
    assert db.session.get(Passage, first.id).label_count == 2 and db.session.get(Passage, first.id).queue is None
    assert db.session.get(Passage, second.id).queue == 1  # started: one more label wanted
    awaiting = db.session.execute(
        sa.select(PassageAgreement.passage_id, PassageAgreement.agreement).where(
            PassageAgreement.field == ANY_FIELD, PassageAgreement.awaiting_review == 1
        )
    ).all()
    assert [tuple(row) for row in awaiting] == [(first.id, 0.0)]
    assert_counters_agree_with_a_recount(project)
