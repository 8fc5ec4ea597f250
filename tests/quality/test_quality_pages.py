"""Reviewers promote gold from the decision screen; the overview shows gold accuracy and pauses;
admins resume; reviewers leave a paused annotator's labels out of the training export; the
quality API for scripts. Authorisation and CSRF on each."""

import sqlalchemy as sa

from annotator.extensions import db
from annotator.quality.models import GoldPassage, QualityEvent
from annotator.review.adjudicating import adjudicate
from annotator.users.models import User
from tests.conftest import csrf_token_in
from tests.quality.conftest import CLAIM


def user(name):
    return db.session.scalar(sa.select(User).where(User.username == name))


def decided_passage(project, passages, make_user, add_member):
    make_user("rita", role="reviewer")
    add_member(project, "rita", role="reviewer")
    adjudicate(db.session, project, passages[0].id, user("rita"), CLAIM)
    db.session.commit()
    return passages[0]


def test_a_reviewer_promotes_a_decided_passage_to_gold_with_an_explanation(
    client, login, gold_project, make_user, add_member
):
    project, passages, _ = gold_project(gold=0)
    passage = decided_passage(project, passages, make_user, add_member)
    login("rita")
    page = client.get(f"/projects/{project.id}/review/{passage.id}").get_data(as_text=True)
    assert "Promote to gold" in page
    response = client.post(
        f"/projects/{project.id}/review/{passage.id}/gold",
        data={"csrf_token": csrf_token_in(page), "explanation": "<b>opposes</b> it", "onboarding": "on"},
    )
    assert response.status_code == 303
    gold = db.session.scalar(sa.select(GoldPassage))
    assert gold.labels == CLAIM and gold.onboarding and gold.source == "review"
    page = client.get(f"/projects/{project.id}/review/{passage.id}").get_data(as_text=True)
    assert "This passage is gold, in the onboarding set" in page and "&lt;b&gt;opposes&lt;/b&gt; it" in page


def test_promoting_needs_a_csrf_token_a_reviewer_and_a_decision(client, login, gold_project, make_user, add_member):
    project, passages, _ = gold_project(gold=0)
    decided_passage(project, passages, make_user, add_member)
    make_user("ada")
    add_member(project, "ada")
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    token = csrf_token_in(page)
    assert client.post(f"/projects/{project.id}/review/{passages[0].id}/gold", data={}).status_code == 400
    forbidden = client.post(f"/projects/{project.id}/review/{passages[0].id}/gold", data={"csrf_token": token})
    assert forbidden.status_code == 403
    client.get("/auth/logout")
    login("rita")
    token = csrf_token_in(client.get(f"/projects/{project.id}").get_data(as_text=True))
    undecided = client.post(f"/projects/{project.id}/review/{passages[1].id}/gold", data={"csrf_token": token})
    assert undecided.status_code == 409 and db.session.scalar(sa.select(sa.func.count(GoldPassage.id))) == 0


def test_the_overview_flags_a_paused_annotator_and_an_admin_resumes_them(
    client, login, gold_project, make_user, add_member, api_client
):
    from tests.quality.test_serving import answer_next

    project, _, _ = gold_project(gold=3, gold_every=2, pause_below=0.7, pause_after_gold=2)
    spammer = make_user("spam")
    add_member(project, "spam")
    for _ in range(4):
        answer_next(project, spammer, gold_labels={"claim_type": "no_claim"})
    make_user("root", role="admin")
    login("root")
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert '<tr class="paused" data-username="spam">' in page and "0% (0–39%)" in page and "Resume spam" in page
    response = client.post(
        f"/projects/{project.id}/annotators/{spammer.id}/resume", data={"csrf_token": csrf_token_in(page)}
    )
    assert response.status_code == 303
    assert [event.kind for event in db.session.scalars(sa.select(QualityEvent).order_by(QualityEvent.id))] == [
        "paused",
        "resumed",
    ]
    agreement_page = client.get(f"/projects/{project.id}/agreement").get_data(as_text=True)
    assert 'data-username="spam"' in agreement_page and "Gold checks" in agreement_page
    figures = api_client("root")("GET", f"/api/projects/{project.id}/quality").json
    assert figures["annotators"][0]["paused"] is False and figures["annotators"][0]["gold_answers"] == 2


def test_a_reviewer_cannot_resume_but_can_leave_a_paused_annotators_labels_out_of_gold(
    gold_project, make_user, add_member, api_client
):
    from tests.quality.test_serving import answer_next

    project, _, _ = gold_project(gold=2, gold_every=2, pause_below=0.7, pause_after_gold=1)
    spammer = make_user("spam")
    add_member(project, "spam")
    answer_next(project, spammer)
    answer_next(project, spammer, gold_labels={"claim_type": "no_claim"})
    make_user("rita", role="reviewer")
    add_member(project, "rita", role="reviewer")
    rita = api_client("rita")
    assert rita("POST", f"/api/projects/{project.id}/annotators/{spammer.id}/resume").status_code == 403
    excluded = rita("POST", f"/api/projects/{project.id}/annotators/{spammer.id}/exclusion", json={"excluded": True})
    assert excluded.status_code == 200
    from annotator.exporting.training import training_records

    def labelled_by_spam():
        labelled = sum(record["annotators"] for record in training_records(db.session, project))
        db.session.rollback()  # the export's read-only transaction ends here
        return labelled

    assert labelled_by_spam() == 0
    rita("POST", f"/api/projects/{project.id}/annotators/{spammer.id}/exclusion", json={"excluded": False})
    assert labelled_by_spam() == 1


def test_annotators_see_their_own_standing_but_not_the_gold_nor_others_accuracy(gold_project, make_user, api_client):
    project, _, _ = gold_project(gold=2, onboarding=1, onboarding_required=True)
    from annotator.administration.projects import add_member

    make_user("ada")
    add_member(db.session, project, "ada", "annotator")
    db.session.commit()
    ada = api_client("ada")
    assert ada("GET", f"/api/projects/{project.id}/gold").status_code == 403
    assert ada("GET", f"/api/projects/{project.id}/quality").status_code == 403
    standing = ada("GET", f"/api/projects/{project.id}/quality/me").json
    assert standing == {
        "paused": False,
        "onboarding_required": True,
        "onboarding_attempts": [],
        "onboarding_attempts_allowed": 3,
    }


def test_the_settings_form_sets_the_gold_rate_pausing_and_onboarding_and_refuses_what_is_out_of_range(
    client, login, make_project, make_user
):
    project = make_project("Bike lanes", overlap_k=2)
    make_user("root", role="admin")
    login("root")
    page = client.get(f"/admin/projects/{project.id}/edit").get_data(as_text=True)
    assert 'name="gold_every"' in page and 'name="onboarding_required"' in page
    form = {"csrf_token": csrf_token_in(page), "name": "Bike lanes", "target": "", "guidelines": "", "overlap_k": "2"}
    quality = {"gold_every": "20", "pause_below": "0.6", "pause_after_gold": "8", "onboarding_required": "on"}
    refused = client.post(f"/admin/projects/{project.id}", data={**form, **quality, "gold_every": "1"})
    assert refused.status_code == 422 and "the gold rate is one in 2 or more passages" in refused.get_data(as_text=True)
    assert client.post(f"/admin/projects/{project.id}", data={**form, **quality}).status_code == 303
    db.session.refresh(project)
    assert (project.gold_every, project.pause_below, project.pause_after_gold) == (20, 0.6, 8)
    assert project.onboarding_required and project.onboarding_attempts == 3
