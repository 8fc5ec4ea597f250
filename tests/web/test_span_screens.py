"""The annotate and review screens of a schema with a span field, as the browser receives them:
the passage drawn as its words, each carrying its raw offsets in the document (what the script
marks spans with), document text escaped, spans already given drawn again, and the reviewer's
decision form starting from the gold spans. (Marking itself is tested in Chromium:
tests/browser/test_span_journeys.py.)"""

import copy
import html
import json
import re

import pytest
import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.users.models import User
from tests.conftest import csrf_token_in
from tests.schema.test_span_and_evidence import FEVER_LIKE

HOSTILE = 'The mayor said <script>alert("x")</script> fares   rose 8% & "critics" doubt it.'
WORD_TAG = re.compile(r'<span class="word" data-start="(\d+)" data-end="(\d+)">([^<]*)</span>')


@pytest.fixture
def project(runner, make_project, make_user, import_texts, write_file):
    project = make_project("Fares", overlap_k=2, schema=copy.deepcopy(FEVER_LIKE))
    import_texts(project, [write_file("fares.txt", f"{HOSTILE}\n\nA second paragraph about the buses.\n")])
    for name, role in (("ada", "annotator"), ("bob", "annotator"), ("rev", "reviewer")):
        make_user(name, role)
        runner.invoke(args=["add-member", "Fares", name, "--role", role])
    project.passages = list(
        db.session.scalars(sa.select(Passage).where(Passage.project_id == project.id).order_by(Passage.index))
    )
    return project


def raw_text(project) -> str:
    return db.session.scalar(sa.select(Document.raw_text).where(Document.project_id == project.id))


def words_on(page: str) -> list[tuple[int, int, str]]:
    return [(int(start), int(end), html.unescape(text)) for start, end, text in WORD_TAG.findall(page)]


def test_the_annotate_screen_draws_the_passage_as_words_with_their_raw_offsets(client, login, project):
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    words = words_on(page)
    raw = raw_text(project)
    assert [text for _, _, text in words][:6] == ["The", "mayor", "said", "<", "script", ">"]
    assert all(raw[start:end] == text for start, end, text in words)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'data-key="m"' in page and "Mark a span <kbd>M</kbd>" in page  # the default key: M
    assert 'name="sub-verdict"' in page and "<template data-span-fields>" in page


def test_spans_given_before_come_back_in_the_hidden_input_when_going_back(client, login, project):
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    start, end, _ = next(word for word in words_on(page) if word[2] == "fares")
    rose_end = next(word[1] for word in words_on(page) if word[2] == "rose")
    claims = [{"start": start, "end": end + 2, "labels": {"verdict": "refutes"}}]  # into the spaces before "rose"

    first = project.passages[0].id
    response = client.post(
        f"/projects/{project.id}/passages/{first}/labels",
        data={"csrf_token": csrf_token_in(page), "label-claims": json.dumps(claims)},
    )
    assert response.status_code == 303
    stored = db.session.scalar(sa.select(Annotation.labels))
    assert stored["claims"][0]["text"] == "fares" and stored["claims"][0]["end"] == end
    assert rose_end > end

    again = client.get(f"/projects/{project.id}/passages/{first}/edit").get_data(as_text=True)
    hidden = re.search(r"name=\"label-claims\" value='([^']*)'", again).group(1)
    assert json.loads(html.unescape(hidden))[0]["labels"] == {"verdict": "refutes"}


def test_a_refused_span_keeps_the_spans_on_screen_and_names_the_sub_field(client, login, project):
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    start, end, _ = words_on(page)[0]
    claims = [{"start": start, "end": end, "labels": {}}]
    response = client.post(
        f"/projects/{project.id}/passages/{project.passages[0].id}/labels",
        data={"csrf_token": csrf_token_in(page), "label-claims": json.dumps(claims)},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Verdict: choose a value" in text
    assert f"&#34;start&#34;: {start}" in text or f'"start": {start}' in html.unescape(text)


def test_the_review_screen_shows_each_annotators_spans_and_starts_from_the_gold_spans(
    client, login, project, api_client
):
    raw = raw_text(project)
    first = project.passages[0]
    fares, rose = raw.index("fares"), raw.index("rose") + len("rose")
    mayor = raw.index("The mayor")
    for name, verdict, evidence_url in (("ada", "refutes", "https://example.org/a?b=1&c=2"), ("bob", "refutes", None)):
        labels = {"verdict": verdict}
        if evidence_url:
            labels["evidence"] = [{"url": evidence_url, "relation": "refutes", "quote": "<b>fares fell</b>"}]
        claims = [{"start": fares, "end": rose, "labels": labels}]
        if name == "ada":
            claims.append({"start": mayor, "end": mayor + 9, "labels": {"verdict": "supports"}})
        caller = api_client(name)
        assert caller("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"] == first.id
        response = caller("POST", f"/api/passages/{first.id}/annotations", json={"labels": {"claims": claims}})
        assert response.status_code in (200, 201), response.get_json()
    login("rev")
    page = client.get(f"/projects/{project.id}/review/{first.id}").get_data(as_text=True)
    views = re.findall(r"data-span-view data-spans='([^']*)'", page)
    assert len(views) == 2  # ada's and bob's passages, side by side
    assert [len(json.loads(html.unescape(view))) for view in views] == [2, 1]
    assert 'href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer"' in page
    assert 'referrerpolicy="no-referrer"' in page and "&lt;b&gt;fares fell&lt;/b&gt;" in page
    hidden = re.search(r"name=\"label-claims\" value='([^']*)'", page).group(1)
    gold = json.loads(html.unescape(hidden))
    assert [(span["start"], span["end"], span["labels"]["verdict"]) for span in gold] == [(fares, rose, "refutes")]
    assert "gold" not in gold[0] and all("gold" not in record for record in gold[0]["labels"].get("evidence", []))
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 3


def test_the_marking_key_is_the_fields_own_else_the_first_free_one():
    from annotator.schema import Schema
    from annotator.web.marking import mark_keys

    spans_only = copy.deepcopy(FEVER_LIKE)
    assert mark_keys(Schema.parse(spans_only)) == {"claims": "m"}
    spans_only["fields"][0]["fields"][0]["options"][0]["key"] = "m"  # a verdict takes M
    assert mark_keys(Schema.parse(spans_only)) == {"claims": "k"}
    assert mark_keys(Schema.parse(spans_only), frozenset("k")) == {"claims": "h"}  # the review screen's own keys
    spans_only["fields"][0]["key"] = "c"
    assert mark_keys(Schema.parse(spans_only)) == {"claims": "c"}
