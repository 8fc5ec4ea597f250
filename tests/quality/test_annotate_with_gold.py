"""Gold, pausing and onboarding as the annotate screen and the API show them."""

import re

from annotator.extensions import db
from annotator.quality.standing import find_standing
from tests.conftest import csrf_token_in
from tests.quality.conftest import CLAIM

HTMX = {"HX-Request": "true", "HX-Target": "workspace"}
WRONG_FORM = {"label-claim_type": "no_claim"}
RIGHT_FORM = {"label-claim_type": "opinion", "label-stance": "against", "label-verifiability": "unverifiable"}


def passage_on_screen(html: str) -> int:
    return int(re.search(r'data-passage-id="(\d+)"', html).group(1))


def answer_on_screen(client, project, form):
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    passage_id = passage_on_screen(page)
    data = {"csrf_token": csrf_token_in(page), **form}
    return passage_id, client.post(f"/projects/{project.id}/passages/{passage_id}/labels", data=data, headers=HTMX)


def test_onboarding_shows_the_right_answer_the_explanation_and_the_guidelines_after_each_answer(
    client, login, gold_project, make_user, add_member
):
    project, _, gold = gold_project(gold=2, onboarding=2, onboarding_required=True)
    make_user("ada")
    add_member(project, "ada")
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    assert "Onboarding, attempt 1 of 3" in page and passage_on_screen(page) == gold[0].id
    passage_id, response = answer_on_screen(client, project, WRONG_FORM)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Not quite" in html and "why 0" in html
    assert "<td>No claim</td><td>Opinion</td>" in html and "The passage opposes the target." in html
    _, response = answer_on_screen(client, project, RIGHT_FORM)
    text = " ".join(response.get_data(as_text=True).split())
    assert "Attempt 1: 3 of 6 answers right (50%; the pass mark is 80%)." in text
    assert "Not passed yet: you have 2 more attempts." in text
    assert "Start the next attempt" in text


def test_a_paused_annotator_is_told_so_on_the_screen_and_by_the_api(
    client, login, gold_project, make_user, add_member, api_client
):
    project, _, _ = gold_project(gold=2, pause_below=0.5)
    make_user("ada")
    add_member(project, "ada")
    standing_of_ada = _pause(project, "ada")
    login("ada")
    html = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    assert "You are paused in this project" in html and "data-passage-id" not in html
    response = api_client("ada")("GET", f"/api/projects/{project.id}/next")
    assert response.status_code == 409 and response.json["paused"] is True
    assert "An admin can resume you" in response.json["error"]
    assert standing_of_ada.paused_at is not None


def test_onboarding_feedback_comes_back_from_the_api(gold_project, make_user, add_member, api_client):
    project, _, gold = gold_project(gold=1, onboarding=1, onboarding_required=True)
    make_user("ada")
    add_member(project, "ada")
    call = api_client("ada")
    passage = call("GET", f"/api/projects/{project.id}/next").json
    response = call("POST", f"/api/passages/{passage['passage_id']}/annotations", json={"labels": CLAIM})
    assert response.status_code == 201 and passage["passage_id"] == gold[0].id
    feedback = response.json["feedback"]
    assert feedback["right_answer"] == CLAIM and feedback["explanation"] == "why 0"
    assert feedback["result"]["passed"] is True


def _pause(project, username):
    from datetime import datetime

    import sqlalchemy as sa

    from annotator.quality.standing import lock_standing
    from annotator.users.models import User

    user = db.session.scalar(sa.select(User).where(User.username == username))
    standing = lock_standing(db.session, project.id, user.id)
    standing.paused_at = datetime(2026, 12, 6, 9, 0)
    db.session.commit()
    return find_standing(db.session, project.id, user.id)


def test_a_gold_check_counts_on_the_annotators_own_tally_as_any_passage(
    gold_project, make_user, add_member, api_client
):
    project, _, gold = gold_project(gold=2, gold_every=2)
    make_user("ada")
    add_member(project, "ada")
    call = api_client("ada")
    handed = []
    for _ in range(2):
        passage = call("GET", f"/api/projects/{project.id}/next").json
        handed.append(passage["passage_id"])
        answered = call("POST", f"/api/passages/{passage['passage_id']}/annotations", json={"labels": CLAIM})
        assert answered.status_code == 201 and set(answered.json) == {
            "passage_id",
            "labels",
            "note",
            "unsure",
            "updated_at",
        }
    assert handed[1] in {g.id for g in gold} and handed[0] not in {g.id for g in gold}
    progress = call("GET", f"/api/projects/{project.id}/progress").json
    assert progress["mine"]["labels"] == 2 and progress["labels"] == 1
