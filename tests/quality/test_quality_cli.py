"""The command line: quality settings on create-project and edit-project, gold imported from a
file, and gold accuracy in `annotator agreement`."""

import json

import sqlalchemy as sa

from annotator.extensions import db
from annotator.projects.models import Project
from annotator.quality.models import GoldPassage
from tests.exporting.test_backup_restore import empty_app  # noqa: F401  (a second, empty database)
from tests.quality.conftest import CLAIM, NO_CLAIM


def test_create_and_edit_project_set_the_gold_rate_pausing_and_onboarding(runner):
    created = runner.invoke(args=["create-project", "P", "--gold-every", "20", "--pause-below", "0.6", "--onboarding"])
    assert created.exit_code == 0, created.output
    project = db.session.scalar(sa.select(Project))
    assert (project.gold_every, project.pause_below, project.onboarding_required) == (20, 0.6, True)
    edited = runner.invoke(args=["edit-project", "P", "--gold-every", "0", "--onboarding-attempts", "5"])
    assert edited.exit_code == 0 and "quality control" in edited.output
    db.session.refresh(project)
    assert project.gold_every is None and project.onboarding_attempts == 5 and project.pause_below == 0.6
    refused = runner.invoke(args=["edit-project", "P", "--gold-every", "1"])
    assert refused.exit_code == 1 and "the gold rate is one in 2 or more passages" in refused.output


def test_gold_is_imported_line_by_line_and_bad_lines_are_named(runner, gold_project, write_file):
    project, passages, _ = gold_project(gold=0)
    lines = [
        {"passage_id": passages[0].id, "labels": CLAIM, "explanation": "opposes it", "onboarding": True},
        {"document_id": "doc0001", "index": 0, "labels": NO_CLAIM},
        {"passage_id": passages[2].id, "labels": {"claim_type": "nonsense"}},
        {"passage_id": 999999, "labels": NO_CLAIM},
    ]
    path = write_file("gold.jsonl", "\n".join(json.dumps(line) for line in lines))
    result = runner.invoke(args=["import-annotations", "Gold", str(path), "--gold"])
    assert result.exit_code == 1
    assert "2 gold passages imported, 2 rejected" in result.output
    assert "gold.jsonl:3:" in result.output and "gold.jsonl:4: no such passage in this project" in result.output
    gold = {g.passage_id: g for g in db.session.scalars(sa.select(GoldPassage))}
    assert gold[passages[0].id].onboarding and gold[passages[0].id].explanation == "opposes it"
    assert gold[passages[5].id].labels == NO_CLAIM and gold[passages[5].id].source == "import"


def test_agreement_reports_gold_accuracy_with_its_interval(runner, gold_project, make_user):
    from tests.quality.test_serving import answer_next

    project, _, _ = gold_project(gold=3, gold_every=2)
    ada = make_user("ada")
    for _ in range(4):
        answer_next(project, ada, gold_labels=CLAIM)
    result = runner.invoke(args=["agreement", "Gold", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["gold_accuracy"]
    (annotator,) = figures["annotators"]
    assert annotator["username"] == "ada" and annotator["gold_answers"] == 2
    assert annotator["overall"]["accuracy"] == 1.0 and 0.5 < annotator["overall"]["low"] < 1.0
    assert annotator["fields"]["stance"]["scored"] == 2
    text = runner.invoke(args=["agreement", "Gold"]).output
    assert "gold accuracy ada: 1.000 [" in text


def test_the_audit_export_keeps_gold_and_onboarding_answers_apart_from_labels(
    runner, gold_project, make_user, tmp_path
):
    import jsonschema

    from annotator.quality.standing import resume
    from tests.exporting.test_exports import SCHEMAS
    from tests.quality.test_serving import NOW, answer_next

    project, _, gold = gold_project(
        gold=3, onboarding=1, onboarding_required=True, gold_every=2, pause_below=0.9, pause_after_gold=1
    )
    ada, root = make_user("ada"), make_user("root", role="admin")
    answer_next(project, ada, labels=CLAIM)  # onboarding, passed
    answer_next(project, ada)  # a label
    answer_next(project, ada, gold_labels=NO_CLAIM)  # a wrong gold answer: paused
    resume(db.session, project, ada.id, root, NOW)
    db.session.commit()
    path = tmp_path / "audit.jsonl"
    assert runner.invoke(args=["export", "Gold", "--kind", "audit", "-o", str(path)]).exit_code == 0
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "audit.schema.json").read_text()))
    for line in lines:
        validator.validate(line)
    kinds = [(line["type"], line.get("kind")) for line in lines[1:]]
    assert kinds == [
        ("labels", None),
        ("gold_answer", None),
        ("onboarding_answer", None),
        ("quality_event", "paused"),
        ("quality_event", "resumed"),
    ]
    onboarding = lines[3]
    assert onboarding["passage_id"] == gold[0].id and onboarding["attempt"] == 1 and onboarding["labels"] == CLAIM
    assert lines[5]["actor"] == "root" and lines[4]["actor"] is None


def test_a_backup_brings_gold_answers_onboarding_and_pauses_back(runner, gold_project, make_user, empty_app, tmp_path):
    from tests.exporting.test_backup_restore import exported, invoke, without_export_time
    from tests.quality.test_serving import answer_next

    project, _, _ = gold_project(
        gold=3, onboarding=1, onboarding_required=True, gold_every=2, pause_below=0.9, pause_after_gold=1
    )
    ada = make_user("ada")
    answer_next(project, ada, labels=CLAIM)  # onboarding
    answer_next(project, ada)
    answer_next(project, ada, gold_labels=NO_CLAIM)  # paused
    original = exported(runner, "audit", project="Gold")
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Gold", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    restored = invoke(empty_app, "restore", str(backup))
    assert restored.exit_code == 0, (restored.stderr, restored.exception)
    again = exported(None, "audit", empty_app, project="Gold")
    assert without_export_time(again) == without_export_time(original)
    assert {line["type"] for line in again} >= {"gold_answer", "onboarding_answer", "quality_event"}
    with empty_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GoldPassage.id))) == 3
        db.session.remove()
