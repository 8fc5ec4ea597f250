"""The corrections' JSON API, as an admin's script uses it: each correction, its refusals in
JSON, and that only admins may."""

import sqlalchemy as sa

from annotator.curation.models import Correction
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from tests.curation.conftest import SENTENCE_BREAK, STORY, passages_of, story  # noqa: F401


def test_excluding_and_including_a_passage(api_client, story):
    admin = api_client("root", "admin")
    first = passages_of(story)[0]
    excluded = admin("PATCH", f"/api/passages/{first.id}", json={"annotatable": False, "reason": "a menu"})
    assert excluded.status_code == 200
    assert excluded.get_json() | {"text": None} == {
        "passage_id": first.id,
        "document_id": first.document_id,
        "index": 0,
        "start": first.start,
        "end": first.end,
        "text": None,
        "annotatable": False,
        "excluded_reason": "manual",
        "label_count": 0,
    }
    again = admin("PATCH", f"/api/passages/{first.id}", json={"annotatable": False, "reason": "a menu"})
    assert again.status_code == 409 and "already excluded" in again.get_json()["error"]
    included = admin("PATCH", f"/api/passages/{first.id}", json={"annotatable": True})
    assert included.status_code == 200 and included.get_json()["annotatable"] is True
    no_reason = admin("PATCH", f"/api/passages/{first.id}", json={"annotatable": False})
    assert no_reason.status_code == 400 and "needs a reason" in no_reason.get_json()["error"]
    wrong = admin("PATCH", f"/api/passages/{first.id}", json={"annotatable": "no"})
    assert wrong.status_code == 422 and wrong.get_json()["field"] == "annotatable"
    assert [action for (action,) in db.session.execute(sa.select(Correction.action))] == ["exclude", "include"]


def test_splitting_and_merging_passages(api_client, story):
    admin = api_client("root", "admin")
    second = passages_of(story)[1]
    at = STORY.index(SENTENCE_BREAK) + len(SENTENCE_BREAK)
    split = admin("POST", f"/api/passages/{second.id}/split", json={"at": at, "reason": "two claims"})
    assert split.status_code == 200
    halves = split.get_json()["passages"]
    assert [half["index"] for half in halves] == [1, 2] and halves[1]["start"] == at
    assert halves[0]["text"].endswith("four million pounds.")
    inside = admin("POST", f"/api/passages/{second.id}/split", json={"at": STORY.index("million") + 2})
    assert inside.status_code == 400 and "falls inside a word" in inside.get_json()["error"]
    assert admin("POST", f"/api/passages/{second.id}/split", json={"at": "12"}).status_code == 422
    merged = admin("POST", f"/api/passages/{second.id}/merge-next")
    assert merged.status_code == 200 and merged.get_json()["end"] == halves[1]["end"]
    assert len(passages_of(story)) == 3


def test_a_labelled_passage_cannot_be_merged(api_client, story, import_labels):
    admin = api_client("root", "admin")
    api_client("ada")
    first = passages_of(story)[0]
    import_labels(story, [{"passage_id": first.id, "annotator": "ada", "labels": {"claim_type": "no_claim"}}])
    refused = admin("POST", f"/api/passages/{first.id}/merge-next")
    assert refused.status_code == 409 and "has labels" in refused.get_json()["error"]


def test_retitling_withdrawing_and_removing_documents(api_client, story, import_labels):
    admin = api_client("root", "admin")
    document = db.session.scalar(sa.select(Document))
    retitled = admin("PATCH", f"/api/documents/{document.id}", json={"title": "Cycle lanes"})
    assert retitled.status_code == 200 and retitled.get_json()["title"] == "Cycle lanes"
    api_client("ada")
    first = passages_of(story)[0]
    import_labels(story, [{"passage_id": first.id, "annotator": "ada", "labels": {"claim_type": "no_claim"}}])
    refused = admin("DELETE", f"/api/documents/{document.id}")
    assert refused.status_code == 409 and "withdraw it instead" in refused.get_json()["error"]
    withdrawn = admin("POST", f"/api/documents/{document.id}/withdraw", json={"reason": "wrong project"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["withdrawn_at"].endswith("Z")
    assert {p.excluded_reason for p in passages_of(story)} == {"withdrawn"}


def test_removing_a_document_nobody_labelled(api_client, story):
    admin = api_client("root", "admin")
    document = db.session.scalar(sa.select(Document))
    assert admin("DELETE", f"/api/documents/{document.id}").status_code == 204
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Passage)) == 0
    assert admin("DELETE", f"/api/documents/{document.id}").status_code == 404


def test_an_archived_project_is_gone_for_its_annotators_api(api_client, story, add_member):
    admin, ada = api_client("root", "admin"), api_client("ada")
    add_member(story, "ada")
    archived = admin("POST", f"/api/projects/{story.id}/archive", json={"reason": "done"})
    assert archived.status_code == 200 and archived.get_json()["archived_at"] is not None
    assert ada("GET", "/api/projects").get_json() == []
    hidden = ada("GET", f"/api/projects/{story.id}/next")
    assert hidden.status_code == 404 and "error" in hidden.get_json()
    admin_asks = admin("GET", f"/api/projects/{story.id}/next")
    assert admin_asks.status_code == 409 and "read-only" in admin_asks.get_json()["error"]
    assert admin("POST", f"/api/projects/{story.id}/unarchive").get_json()["archived_at"] is None
    assert ada("GET", f"/api/projects/{story.id}/next").status_code == 200


def test_reviewers_and_annotators_may_not_correct(api_client, story, add_member):
    first = passages_of(story)[0]
    for caller in (api_client("rev", "reviewer"), api_client("ada")):
        refused = caller("PATCH", f"/api/passages/{first.id}", json={"annotatable": False, "reason": "x"})
        assert refused.status_code == 403 and "error" in refused.get_json()
    assert passages_of(story)[0].annotatable
