"""The annotation API: next, submit, skip, progress; answers and errors as docs/api.md says."""

import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.extensions import db

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}


def setup_project(runner, make_project, make_documents, k=2, members=("ada", "bob")):
    project = make_project("Bike lanes", target="Cities should build bike lanes", overlap_k=k)
    passages = make_documents(project, count=2, paragraphs=3)
    for name in members:
        runner.invoke(args=["add-member", "Bike lanes", name, "--role", "annotator"])
    return project, passages


def test_next_hands_out_a_passage_with_its_context_and_schema(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, passages = setup_project(runner, make_project, make_documents)
    response = ada("GET", f"/api/projects/{project.id}/next")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["passage_id"], body["text"], body["document_id"]) == (passages[0].id, passages[0].text, "doc0000")
    assert body["context"]["before"] == [] and [p["passage_id"] for p in body["context"]["after"]] == [
        passages[1].id,
        passages[2].id,
    ]
    assert body["target"] == "Cities should build bike lanes"
    assert [field["name"] for field in body["schema"]["fields"]] == ["claim_type", "stance", "verifiability"]
    assert ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"] == passages[0].id


def test_submit_answers_201_then_200_when_the_label_is_replaced(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, _ = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    first = ada(
        "POST", f"/api/passages/{passage_id}/annotations", json={"labels": CLAIM, "note": "a figure", "unsure": True}
    )
    assert first.status_code == 201
    assert first.get_json()["labels"] == CLAIM and first.get_json()["unsure"] is True
    second = ada("POST", f"/api/passages/{passage_id}/annotations", json={"labels": {"claim_type": "no_claim"}})
    assert second.status_code == 200
    stored = db.session.scalar(sa.select(Annotation))
    assert (stored.labels, stored.note, stored.unsure) == ({"claim_type": "no_claim"}, "", False)
    assert ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"] != passage_id


def test_invalid_labels_answer_422_naming_the_field_and_allowed_values(
    runner, make_project, make_documents, api_client
):
    ada = api_client("ada")
    project, _ = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    url = f"/api/passages/{passage_id}/annotations"
    wrong_value = ada("POST", url, json={"labels": {**CLAIM, "stance": "maybe"}})
    assert wrong_value.status_code == 422
    assert wrong_value.get_json() == {
        "field": "stance",
        "error": 'Stance toward the target: "maybe" is not one of Favor, Against, Neutral, Unrelated',
        "allowed": ["favor", "against", "neutral", "unrelated"],
    }
    missing = ada("POST", url, json={"labels": {"claim_type": "opinion"}}).get_json()
    assert (missing["field"], missing["error"]) == ("stance", "Stance toward the target: choose a value")
    assert ada("POST", url, json={"labels": CLAIM, "unsure": "yes"}).get_json()["field"] == "unsure"
    assert ada("POST", url, data="not json", content_type="application/json").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_a_422_speaks_the_schemas_labels_and_keeps_the_field_name_for_scripts(
    runner, make_project, make_documents, api_client
):
    ada = api_client("ada")
    project, _ = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    url = f"/api/passages/{passage_id}/annotations"
    not_asked = ada("POST", url, json={"labels": {"claim_type": "no_claim", "stance": "favor"}})
    assert not_asked.status_code == 422
    assert not_asked.get_json() == {
        "field": "stance",
        "error": "Stance toward the target: leave it empty when Claim type is No claim",
        "allowed": [],
    }
    unknown = ada("POST", url, json={"labels": {**CLAIM, "mood": "happy"}}).get_json()
    assert unknown == {
        "field": "mood",
        "allowed": ["claim_type", "stance", "verifiability"],
        "error": '"mood" is not a field of these labels '
        "(the fields are Claim type, Stance toward the target, Verifiability)",
    }


def test_a_passage_not_handed_to_the_caller_answers_409(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, passages = setup_project(runner, make_project, make_documents)
    response = ada("POST", f"/api/passages/{passages[4].id}/annotations", json={"labels": CLAIM})
    assert response.status_code == 409 and "next passage" in response.get_json()["error"]
    assert ada("POST", f"/api/passages/{passages[4].id}/skip", json={"reason": "x"}).status_code == 409


def test_204_when_nothing_is_left_for_the_caller(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, passages = setup_project(runner, make_project, make_documents, k=1)
    for _ in passages:
        passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
        assert (
            ada(
                "POST", f"/api/passages/{passage_id}/annotations", json={"labels": {"claim_type": "no_claim"}}
            ).status_code
            == 201
        )
    done = ada("GET", f"/api/projects/{project.id}/next")
    assert done.status_code == 204 and done.data == b""


def test_skip_and_progress(runner, make_project, make_documents, api_client):
    ada, bob = api_client("ada"), api_client("bob")
    project, passages = setup_project(runner, make_project, make_documents, k=2)
    first = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    assert ada("POST", f"/api/passages/{first}/skip", json={"reason": "not English"}).status_code == 201
    second = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    assert second != first
    ada("POST", f"/api/passages/{second}/annotations", json={"labels": CLAIM})
    assert bob("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"] == second
    bob("POST", f"/api/passages/{second}/annotations", json={"labels": CLAIM})
    progress = ada("GET", f"/api/projects/{project.id}/progress").get_json()
    assert {key: progress[key] for key in ("passages", "labels", "complete", "skips", "overlap_k")} == {
        "passages": len(passages),
        "labels": 2,
        "complete": 1,
        "skips": 1,
        "overlap_k": 2,
    }
    assert progress["mine"] == {"labels": 1, "skips": 1}
    assert progress["open"] + progress["in_progress"] + progress["complete"] == len(passages)


def test_non_members_are_refused_and_unknown_ids_are_404(runner, make_project, make_documents, api_client):
    project, passages = setup_project(runner, make_project, make_documents, members=("ada",))
    eve = api_client("eve")
    assert eve("GET", f"/api/projects/{project.id}/next").status_code == 403
    assert eve("POST", f"/api/passages/{passages[0].id}/annotations", json={"labels": CLAIM}).status_code == 403
    assert eve("GET", f"/api/projects/{project.id}/progress").status_code == 403
    assert eve("GET", "/api/projects/999999/next").status_code == 404
    missing = eve("POST", "/api/passages/999999/annotations", json={"labels": CLAIM})
    assert missing.status_code == 404 and "not found" in missing.get_json()["error"]


def test_a_projects_json_says_its_overlap_fixed_or_adaptive(make_project, api_client):
    make_project("Adaptive", overlap_k=2, overlap_k_max=4, extra_annotator_below=0.8)
    make_project("Fixed", overlap_k=3)
    admin = api_client("boss", role="admin")
    overlaps = {
        project["name"]: (project["overlap_k"], project["overlap_k_max"], project["extra_annotator_below"])
        for project in admin("GET", "/api/projects").get_json()
    }
    assert overlaps == {"Adaptive": (2, 4, 0.8), "Fixed": (3, 3, None)}
