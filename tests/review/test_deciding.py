"""A reviewer decides every disputed value: nothing is pre-chosen where the annotators disagree,
one action starts from one annotator's whole answer, the decision's history says whether it
equals an annotator's answer; the queue shows who said what, the decision screen its place in
the queue, and each decision is confirmed."""

import json
import re

import pytest
import sqlalchemy as sa

from annotator.annotations.adjudications import Adjudication, AdjudicationEvent
from annotator.exporting.kinds import ExportRequest, export_lines
from annotator.extensions import db
from annotator.users.models import User
from tests.conftest import csrf_token_in

ADA = {"claim_type": "event", "stance": "favor", "verifiability": "verifiable"}
BOB = {"claim_type": "opinion", "stance": "neutral", "verifiability": "unverifiable"}


@pytest.fixture
def tie(runner, make_project, make_documents, make_user, write_file, login, client):
    """Two annotators who disagree on every field of the first passage (the one-against-one tie
    of the report), and agree on the second and third apart from the stance of the third."""
    project = make_project("Tie", target="Cities should build bike lanes", overlap_k=2)
    passages = make_documents(project, count=1, paragraphs=3)
    third_bob = {**ADA, "stance": "against"}
    lines = [
        {"passage_id": passages[0].id, "annotator": "ada", "labels": ADA},
        {"passage_id": passages[0].id, "annotator": "bob", "labels": BOB},
        {"passage_id": passages[1].id, "annotator": "ada", "labels": ADA},
        {"passage_id": passages[1].id, "annotator": "bob", "labels": ADA},
        {"passage_id": passages[2].id, "annotator": "ada", "labels": ADA},
        {"passage_id": passages[2].id, "annotator": "bob", "labels": third_bob},
    ]
    path = write_file("tie.jsonl", "\n".join(json.dumps(line) for line in lines))
    assert runner.invoke(args=["import-annotations", "Tie", str(path), "--create-users"]).exit_code == 0
    make_user("rev", "reviewer")
    runner.invoke(args=["add-member", "Tie", "rev", "--role", "reviewer"])
    login("rev")
    project.passages = passages
    return project


def checked_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="label-(\w+)" value="(\w+)"\s+data-key="\w" checked', html))


def decide(client, project, passage_id, labels, page=None):
    page = page or client.get(f"/projects/{project.id}/review/{passage_id}").get_data(as_text=True)
    return client.post(
        f"/projects/{project.id}/review/{passage_id}",
        data={
            "csrf_token": csrf_token_in(page),
            **{f"label-{k}": v for k, v in labels.items()},
            "category": "annotator_error",  # every decision here differs from an annotator's answer
        },
    )


def test_on_a_tie_nothing_is_pre_chosen_and_enter_alone_stores_nothing(client, tie):
    first = tie.passages[0].id
    page = client.get(f"/projects/{tie.id}/review/{first}").get_data(as_text=True)
    assert checked_values(page) == {}
    estimate = re.search(
        r'<tr data-field="claim_type" class="disputed">.*?<td class="gold-now"[^>]*>(.*?)</td>', page, re.S
    )
    assert estimate and "(estimated)" in estimate.group(1)  # shown beside the answers, as information
    response = decide(client, tie, first, {}, page)
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Adjudication.id))) == 0


def test_values_every_annotator_gave_alike_start_chosen(client, tie):
    third = tie.passages[2].id
    page = client.get(f"/projects/{tie.id}/review/{third}").get_data(as_text=True)
    assert checked_values(page) == {"claim_type": "event", "verifiability": "verifiable"}  # not the stance


def test_each_annotators_whole_answer_is_one_key_away_and_keys_do_not_clash(client, tie):
    page = client.get(f"/projects/{tie.id}/review/{tie.passages[0].id}").get_data(as_text=True)
    takes = re.findall(r"data-take-answer='([^']*)' data-key=\"(\w)\"", page)
    assert [json.loads(labels) for labels, _ in takes] == [ADA, BOB]
    keys = [key for _, key in takes]
    option_keys = set(re.findall(r'type="radio" name="label-\w+" value="\w+"\s+data-key="(\w)"', page))
    assert len(set(keys)) == 2 and not set(keys) & (option_keys | {"s", "b", "d", "g"})


def test_the_history_records_whether_a_decision_equals_an_annotators_answer(client, tie):
    first, third = tie.passages[0].id, tie.passages[2].id
    assert decide(client, tie, first, BOB).status_code == 303
    assert decide(client, tie, third, {**ADA, "stance": "neutral"}).status_code == 303  # neither annotator's
    bob = db.session.scalar(sa.select(User.id).where(User.username == "bob"))
    events = dict(db.session.execute(sa.select(AdjudicationEvent.passage_id, AdjudicationEvent.equal_to)).all())
    assert events == {first: [bob], third: []}
    audit = [json.loads(line) for line in export_lines(db.session, tie, ExportRequest("audit"))]
    assert [line["equal_to"] for line in audit if line["type"] == "adjudication"] == [["bob"], []]
    assert all(line["equal_to"] is None for line in audit if line["type"] == "labels")


def test_the_queue_shows_who_gave_which_value_and_how_far_they_agree(client, tie):
    html = re.sub(r"\s+", " ", client.get(f"/projects/{tie.id}/review").get_data(as_text=True))
    first = re.search(rf'<tr data-passage-id="{tie.passages[0].id}">(.*?)</tr>', html).group(1)
    assert 'Claim type:</span> <span class="answer">Opinion (bob)</span> · <span class="answer">Event' in first
    assert "Favor (ada)" in first and "Neutral (bob)" in first and "0 of 1 pair agree" in first
    third = re.search(rf'<tr data-passage-id="{tie.passages[2].id}">(.*?)</tr>', html).group(1)
    assert "Against (bob)" in third and "Claim type" not in third  # only what they disagree on
    assert f'data-passage-id="{tie.passages[1].id}"' not in html  # they agree: nothing to review


def test_the_decision_screen_says_its_place_and_the_next_confirms_the_decision(client, tie):
    first, third = tie.passages[0].id, tie.passages[2].id
    page = client.get(f"/projects/{tie.id}/review/{third}").get_data(as_text=True)
    assert re.search(r"Passage 2 of 2 waiting for review", page)
    response = decide(client, tie, first, BOB)
    assert (
        response.headers["Location"].endswith(f"/review/{third}?field=*&decided={first}")
        or f"decided={first}" in response.headers["Location"]
    )
    following = re.sub(r"\s+", " ", client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Passage 1 of 1 waiting for review" in following
    confirmation = re.search(r'<p class="notice decision-saved"[^>]*>(.*?)</p>', following).group(1)
    assert "Decision saved for passage 1" in confirmation and "Claim type: <strong>Opinion</strong>" in confirmation
    assert "(the same as bob's answer)" in confirmation and f'/review/{first}">Change it</a>' in confirmation
    decided_again = client.get(f"/projects/{tie.id}/review/{first}").get_data(as_text=True)
    assert "Decided: no longer in the queue" in decided_again and checked_values(decided_again) == BOB


def test_the_last_decision_is_confirmed_on_the_queue(client, tie):
    first, third = tie.passages[0].id, tie.passages[2].id
    decide(client, tie, first, BOB)
    response = decide(client, tie, third, ADA)
    assert "/review?" in response.headers["Location"] and f"decided={third}" in response.headers["Location"]
    queue = re.sub(r"\s+", " ", client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Nothing waits for review." in queue and "(the same as ada's answer)" in queue
