"""Reviewers in the browser's requests: the queue, deciding a passage, the dashboard; and who
may see them."""

import re

import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication, AdjudicationEvent
from annotator.extensions import db
from tests.conftest import csrf_token_in


def queue_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r"/review/(\d+)\?field=", html)]


def test_the_queue_lists_disputed_passages_lowest_agreement_first(reviewer, labelled):
    p = [passage.id for passage in labelled.passages]
    html = reviewer.get(f"/projects/{labelled.id}/review").get_data(as_text=True)
    # passage 0: stance 2 of 3 agree; 2: stance 2 of 3; 3: bob said no claim; 4: cy said a claim
    assert queue_ids(html) == [p[0], p[2], p[3], p[4]]
    assert "4 waiting" in re.sub(r"\s+", " ", html)
    stance_only = reviewer.get(f"/projects/{labelled.id}/review?field=stance").get_data(as_text=True)
    assert queue_ids(stance_only) == [p[0], p[2]]


def test_deciding_a_passage_takes_it_out_of_the_queue_with_its_history(reviewer, labelled):
    first = labelled.passages[0].id
    page = reviewer.get(f"/projects/{labelled.id}/review/{first}").get_data(as_text=True)
    text = re.sub(r"\s+", " ", page)
    assert '<th scope="col">ada</th><th scope="col">bob</th><th scope="col">cy</th>' in text
    # what all three said alike starts chosen; the disputed stance (2 favor, 1 against) does not
    assert re.search(r'value="opinion"\s+data-key="1" checked', page)
    assert re.search(r'value="verifiable"\s+data-key="v" checked', page)
    assert not re.search(r'name="label-stance" value="\w+"\s+data-key="\w" checked', page)
    response = reviewer.post(
        f"/projects/{labelled.id}/review/{first}",
        data={
            "csrf_token": csrf_token_in(page),
            "label-claim_type": "opinion",
            "label-stance": "against",
            "label-verifiability": "unverifiable",
            "note": "sarcasm",
            "category": "ambiguous_text",
        },
    )
    assert response.status_code == 303 and f"/review/{labelled.passages[2].id}" in response.headers["Location"]
    assert f"decided={first}" in response.headers["Location"]
    decided = db.session.scalar(sa.select(Adjudication))
    assert decided.labels == {"claim_type": "opinion", "stance": "against", "verifiability": "unverifiable"}
    assert (
        queue_ids(reviewer.get(f"/projects/{labelled.id}/review").get_data(as_text=True))[0] == labelled.passages[2].id
    )
    again = re.sub(r"\s+", " ", reviewer.get(f"/projects/{labelled.id}/review/{first}").get_data(as_text=True))
    assert 'Against <span class="source">(adjudicated)</span>' in again
    assert db.session.scalar(sa.select(sa.func.count(AdjudicationEvent.id))) == 1


def test_an_incomplete_decision_is_refused_with_the_choices_kept(reviewer, labelled):
    first = labelled.passages[0].id
    page = reviewer.get(f"/projects/{labelled.id}/review/{first}").get_data(as_text=True)
    response = reviewer.post(
        f"/projects/{labelled.id}/review/{first}",
        data={"csrf_token": csrf_token_in(page), "label-claim_type": "opinion", "note": "half done"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "half done</textarea>" in html
    assert "Not saved: Stance toward the target: choose a value. Your choices are still here." in html
    assert db.session.scalar(sa.select(sa.func.count(Adjudication.id))) == 0


def test_a_decision_with_a_value_the_form_does_not_offer_is_refused_naming_the_choices(reviewer, labelled):
    first = labelled.passages[0].id
    page = reviewer.get(f"/projects/{labelled.id}/review/{first}").get_data(as_text=True)
    response = reviewer.post(
        f"/projects/{labelled.id}/review/{first}",
        data={
            "csrf_token": csrf_token_in(page),
            "label-claim_type": "opinion",
            "label-stance": "maybe",
            "label-verifiability": "verifiable",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Not saved: Stance toward the target: &#34;maybe&#34; is not one of Favor, Against, Neutral, Unrelated." in html
    )
    assert db.session.scalar(sa.select(sa.func.count(Adjudication.id))) == 0


def test_the_dashboard_shows_every_figure_and_refreshes_through_htmx(reviewer, labelled):
    html = reviewer.get(f"/projects/{labelled.id}/agreement").get_data(as_text=True)
    for heading in ("Per field", "Annotators", "α per week"):
        assert heading in html
    assert html.count('<svg class="chart heatmap"') == 4 and html.count('<svg class="chart bars"') == 4
    assert 'class="listing weeks"' in html and "gold \\ given" in html
    assert "does not apply" in html  # Fleiss on stance: unequal raters
    fragment = reviewer.post(
        f"/projects/{labelled.id}/agreement",
        headers={"HX-Request": "true", "HX-Target": "figures"},
        data={"csrf_token": csrf_token_in(html)},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert 'id="figures"' in fragment.get_data(as_text=True)


def annotator_row(html: str, username: str) -> str:
    return re.sub(r"\s+", " ", re.search(rf'<tr><th scope="row">{username}</th>.*?</tr>', html, re.DOTALL).group(0))


def test_the_dashboard_says_who_has_no_estimable_accuracy(reviewer, labelled, loner):
    html = reviewer.get(f"/projects/{labelled.id}/agreement").get_data(as_text=True)
    assert annotator_row(html, "dan").count(">not estimable</span>") == 3  # claim type, stance, verifiability
    assert "not estimable" not in annotator_row(html, "ada")


def test_the_dashboard_and_the_command_warn_when_dawid_skene_stopped_before_converging(
    reviewer, runner, labelled, monkeypatch
):
    from annotator.agreement import figures
    from annotator.agreement.dawid_skene import dawid_skene

    monkeypatch.setattr(figures, "dawid_skene", lambda ratings: dawid_skene(ratings, max_iterations=1))
    html = re.sub(r"\s+", " ", reviewer.get(f"/projects/{labelled.id}/agreement").get_data(as_text=True))
    assert "Dawid-Skene stopped at its cap of 1 iterations on Claim type before converging" in html
    text = runner.invoke(args=["agreement", "Bike lanes"]).stdout
    assert "warning: Dawid-Skene stopped at its cap of 1 iterations on claim_type before converging" in text


def test_annotators_cannot_see_review_pages(client, login, labelled):
    login("ada")
    for path in (
        f"/projects/{labelled.id}/review",
        f"/projects/{labelled.id}/review/{labelled.passages[0].id}",
        f"/projects/{labelled.id}/agreement",
    ):
        assert client.get(path).status_code == 403, path
