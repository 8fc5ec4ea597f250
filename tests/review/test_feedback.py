"""Feedback from review: once a passage is complete and decided, an annotator whose answer
differs sees the decision and the reviewer's note (on a page reached from the annotate screen,
and in the API), never the other annotators' answers, and nothing before completion."""

import sqlalchemy as sa

from annotator.extensions import db
from annotator.review.adjudicating import adjudicate
from annotator.users.models import User
from tests.discussion.conftest import ADA, BOB, discussed  # noqa: F401  (the project: one passage complete, one not)

DECIDED = {"claim_type": "quantity", "stance": "favor", "verifiability": "verifiable"}


def decide(project, passage_id, labels, note="", category=None):
    reviewer = db.session.scalar(sa.select(User).where(User.username == "rev"))
    adjudicate(db.session, project, passage_id, reviewer, labels, note, category=category)
    db.session.commit()


def test_an_annotator_sees_the_decision_and_note_where_it_differs_from_their_answer(client, login, discussed):
    decide(discussed, discussed.complete, DECIDED, "It gives a figure: <i>quantity</i>", "guidelines_gap")
    login("ada")
    annotate = client.get(f"/projects/{discussed.id}/annotate").get_data(as_text=True)
    assert f'href="/projects/{discussed.id}/feedback">Decisions on your passages' in annotate
    page = client.get(f"/projects/{discussed.id}/feedback").get_data(as_text=True)
    assert "A reviewer decided 1 passage you labelled differently from your answer" in page
    assert 'Claim type: you said <strong dir="auto">Event (something' in page
    assert 'the decision is <strong dir="auto">Quantity (a number' in page
    assert "It gives a figure: &lt;i&gt;quantity&lt;/i&gt;" in page and "A gap in the guidelines" in page
    assert "Opinion" not in page and "Against" not in page  # bob's answer
    assert "Verifiability" not in page  # the same as the decision


def test_a_decision_equal_to_ones_answer_is_feedback_for_the_other_only(client, login, discussed):
    decide(discussed, discussed.complete, BOB)
    login("bob")
    assert "No decision on a passage you labelled differs" in client.get(f"/projects/{discussed.id}/feedback").get_data(
        as_text=True
    )
    client.post("/auth/logout", data={"csrf_token": _token(client)})
    login("ada")
    assert "decided 1 passage" in client.get(f"/projects/{discussed.id}/feedback").get_data(as_text=True)


def test_nothing_is_shown_before_the_passage_is_complete(client, login, discussed, api_client):
    decide(discussed, discussed.incomplete, DECIDED, "early")
    login("ada")
    page = client.get(f"/projects/{discussed.id}/feedback").get_data(as_text=True)
    assert "No decision on a passage you labelled differs" in page and "early" not in page
    assert api_client("ada")("GET", f"/api/projects/{discussed.id}/feedback").get_json() == {
        "count": 0,
        "decisions": [],
    }


def test_the_api_gives_scripts_the_same_feedback(discussed, api_client):
    decide(discussed, discussed.complete, DECIDED, "a figure", "annotator_error")
    answer = api_client("ada")("GET", f"/api/projects/{discussed.id}/feedback")
    body = answer.get_json()
    assert answer.status_code == 200 and body["count"] == 1
    (decision,) = body["decisions"]
    assert decision["passage_id"] == discussed.complete and decision["note"] == "a figure"
    assert decision["category"] == "annotator_error" and decision["decided_at"].endswith("Z")
    (field,) = decision["fields"]
    assert (
        field["name"] == "claim_type" and field["yours"].startswith("Event") and field["decided"].startswith("Quantity")
    )


def test_someone_outside_the_project_gets_no_feedback(discussed, api_client, make_project):
    other = make_project("Other")
    assert api_client("ada")("GET", f"/api/projects/{other.id}/feedback").status_code == 403
    assert api_client("ada")("GET", "/api/projects/999999/feedback").status_code == 404


def _token(client):
    from tests.conftest import csrf_token_in

    return csrf_token_in(client.get("/auth/login").get_data(as_text=True))
