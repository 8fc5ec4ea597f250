"""The new field types end to end: labels imported, through the API, agreement (a multi field by
MASI, equal to NLTK; a "not sure" answer treated as missing, equal to the krippendorff package),
gold, the training export (JSON Lines and CSV), the audit export, and a backup restored."""

import copy
import csv
import io
import json
import random
from pathlib import Path

import jsonschema
import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance

from tests.exporting.test_backup_restore import empty_app, exported, invoke, without_export_time  # noqa: F401
from tests.schema.test_field_types import ALL_TYPES

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "export-schemas"
ANNOTATORS = ("ada", "bob", "cy")
CLAIMS = ["opinion", "quantity", "event"]
WORTH = ["no", "maybe", "yes", "not_sure"]


def answers(rng: random.Random) -> dict:
    """One annotator's answers: claim types, check-worthiness where asked (sometimes not sure),
    sometimes the claim rewritten."""
    chosen = sorted(rng.sample(CLAIMS, rng.choice([1, 1, 2])), key=CLAIMS.index)
    labels = {"claim_types": chosen}
    if chosen != ["opinion"]:
        labels["checkworthy"] = rng.choice(WORTH)
    if rng.random() < 0.4:
        labels["rewrite"] = rng.choice(["Fares rose 8%.", "The council voted 7-4."])
    return labels


@pytest.fixture
def typed(runner, make_project, make_documents, make_user, write_file):
    """30 passages, each answered by three annotators under the schema of every type."""
    project = make_project("Bike lanes", overlap_k=3, schema=copy.deepcopy(ALL_TYPES))
    project.passages = make_documents(project, count=3, paragraphs=10)
    rng = random.Random(11)
    project.given = {(passage.id, name): answers(rng) for passage in project.passages for name in ANNOTATORS}
    lines = [
        json.dumps({"passage_id": passage_id, "annotator": name, "labels": labels})
        for (passage_id, name), labels in project.given.items()
    ]
    result = runner.invoke(
        args=["import-annotations", "Bike lanes", str(write_file("typed.jsonl", "\n".join(lines))), "--create-users"]
    )
    assert result.exit_code == 0, result.stderr
    return project


def figures(runner) -> dict:
    result = runner.invoke(args=["agreement", "Bike lanes", "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_multi_field_is_measured_by_masi_as_nltk_has_it(runner, typed):
    data = [
        (name, str(passage_id), frozenset(labels["claim_types"])) for (passage_id, name), labels in typed.given.items()
    ]
    expected = AnnotationTask(data=data, distance=masi_distance).alpha()
    found = figures(runner)["fields"]
    assert found["claim_types"]["level"] == "masi"
    assert found["claim_types"]["alpha"] == pytest.approx(expected, abs=1e-9)
    assert found["claim_types[event]"]["level"] == "nominal" and found["claim_types[event]"]["gold"] is not None
    assert "rewrite" not in found  # no agreement figure for free texts


def test_not_sure_is_missing_for_agreement_as_the_krippendorff_package_has_it(runner, typed):
    order = ["no", "maybe", "yes"]
    matrix = [
        [
            order.index(typed.given[(passage.id, name)]["checkworthy"])
            if typed.given[(passage.id, name)].get("checkworthy") in order
            else np.nan
            for passage in typed.passages
        ]
        for name in ANNOTATORS
    ]
    expected = krippendorff.alpha(reliability_data=np.asarray(matrix, dtype=float), level_of_measurement="ordinal")
    assert figures(runner)["fields"]["checkworthy"]["alpha"] == pytest.approx(expected, abs=1e-9)


def test_training_lines_hold_each_types_gold_and_every_answer_as_given(runner, typed):
    lines = exported(runner, "training")
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "training.schema.json").read_text()))
    for line in lines:
        assert not list(validator.iter_errors(line)), line
    assert len(lines) == 30 and all(set(line["labels"]) == {"claim_types", "checkworthy", "rewrite"} for line in lines)
    for line in lines:
        given = [typed.given[(line["passage_id"], name)] for name in ANNOTATORS]
        gold = line["gold"]["claim_types"]
        for option in CLAIMS:  # an option is in the gold set when its own gold says chosen
            chosen = [option in labels["claim_types"] for labels in given]
            if len(set(chosen)) == 1:
                assert (
                    gold["options"][option]["chosen"] == chosen[0] and gold["options"][option]["source"] == "unanimous"
                )
                assert (option in line["labels"]["claim_types"]) == chosen[0]
        texts = [labels["rewrite"] for labels in given if "rewrite" in labels]
        if len(set(texts)) == 1:  # the one text given, by one annotator or by several alike
            assert line["labels"]["rewrite"] == texts[0]
            assert line["gold"]["rewrite"]["source"] == ("unanimous" if len(texts) > 1 else "single")
        else:  # none, or different texts: a reviewer decides
            assert line["labels"]["rewrite"] is None
        assert sorted(json.dumps(answer["labels"], sort_keys=True) for answer in line["annotations"]) == sorted(
            json.dumps({key: labels.get(key) for key in ("claim_types", "checkworthy", "rewrite")}, sort_keys=True)
            for labels in given
        )  # "not_sure" and the texts as given
    assert any(line["labels"]["checkworthy"] is None and line["annotations"] for line in lines)


def test_the_csv_export_puts_a_set_in_one_cell(runner, typed):
    result = runner.invoke(args=["export", "Bike lanes", "--kind", "training", "--csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    jsonl = {line["passage_id"]: line for line in exported(runner, "training")}
    for row in rows:
        line = jsonl[int(row["passage_id"])]
        assert row["claim_types"] == "|".join(line["labels"]["claim_types"] or [])
        assert row["rewrite"] == (line["labels"]["rewrite"] or "")


def test_the_api_takes_every_type_and_names_a_wrong_answer(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project = make_project("Typed", overlap_k=1, schema=copy.deepcopy(ALL_TYPES))
    make_documents(project, count=1, paragraphs=3)
    runner.invoke(args=["add-member", "Typed", "ada", "--role", "annotator"])
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    url = f"/api/passages/{passage_id}/annotations"
    wrong = ada("POST", url, json={"labels": {"claim_types": ["event", "rumour"]}})
    assert wrong.status_code == 422 and wrong.get_json()["field"] == "claim_types"
    assert wrong.get_json()["allowed"] == CLAIMS
    answer = {"claim_types": ["event", "opinion"], "checkworthy": "not_sure", "rewrite": " The council voted 7-4. "}
    stored = ada("POST", url, json={"labels": answer})
    assert stored.status_code == 201
    assert stored.get_json()["labels"] == {
        "claim_types": ["opinion", "event"],
        "checkworthy": "not_sure",
        "rewrite": "The council voted 7-4.",
    }


def test_a_reviewer_decides_every_type(typed, make_user, runner):
    from annotator.extensions import db
    from annotator.review.adjudicating import adjudicate

    reviewer = make_user("rev", "reviewer")
    decision = {"claim_types": ["event", "quantity"], "checkworthy": "yes", "rewrite": "Fares rose by 8% in April."}
    adjudicate(db.session, typed, typed.passages[0].id, reviewer, decision)
    db.session.commit()
    line = next(line for line in exported(runner, "training") if line["passage_id"] == typed.passages[0].id)
    assert line["labels"] == {
        "claim_types": ["quantity", "event"],
        "checkworthy": "yes",
        "rewrite": "Fares rose by 8% in April.",
    }
    assert {line["gold"][name]["source"] for name in line["gold"]} == {"adjudicated"}
    audit = [entry for entry in exported(runner, "audit") if entry.get("type") == "adjudication"]
    assert audit[0]["after"]["labels"]["claim_types"] == ["quantity", "event"]


def test_a_backup_of_every_type_restores_to_the_same_exports(runner, typed, empty_app, tmp_path):  # noqa: F811
    original = {kind: exported(runner, kind) for kind in ("training", "audit", "annotations")}
    backup = tmp_path / "backup.jsonl"
    assert runner.invoke(args=["export", "Bike lanes", "--kind", "backup", "-o", str(backup)]).exit_code == 0
    assert invoke(empty_app, "restore", str(backup)).exit_code == 0
    for kind, lines in original.items():
        assert without_export_time(exported(None, kind, empty_app)) == without_export_time(lines), kind
