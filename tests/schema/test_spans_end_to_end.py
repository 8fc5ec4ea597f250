"""Spans through every path a label set comes by: the API, import-annotations (FILE:LINE for a
bad span, the good lines beside it stored), and a reviewer's decision; each checked against the
passage's words and stored in raw offsets."""

import copy
import json

import sqlalchemy as sa

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.extensions import db
from tests.schema.test_span_and_evidence import FEVER_LIKE


def project_with_spans(runner, make_project, make_documents, members=("ada", "bob")):
    project = make_project("Fares", overlap_k=2, schema=copy.deepcopy(FEVER_LIKE))
    passages = make_documents(project, count=1, paragraphs=3)
    for name in members:
        runner.invoke(args=["add-member", "Fares", name, "--role", "annotator"])
    return project, passages


def raw_text_of(passage) -> str:
    return db.session.get(Document, passage.document_id).raw_text


def handed_out(caller, project, passages):
    """The passage the API hands the caller next."""
    passage_id = caller("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    return next(passage for passage in passages if passage.id == passage_id)


def first_words(passage, count: int) -> tuple[int, int]:
    """Raw offsets of the passage's first `count` words."""
    words = passage.text.split()[:count]
    raw = raw_text_of(passage)
    end = raw.index(words[-1], passage.start) + len(words[-1])
    return passage.start, end


def test_a_span_sent_through_the_api_is_stored_with_its_raw_offsets_and_text(
    runner, make_project, make_documents, api_client
):
    ada = api_client("ada")
    project, passages = project_with_spans(runner, make_project, make_documents)
    passage = handed_out(ada, project, passages)
    start, end = first_words(passage, 2)
    sent = {"claims": [{"start": start + 1, "end": end - 1, "labels": {"verdict": "refutes"}}]}
    response = ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": sent})
    assert response.status_code == 201, response.get_json()
    (claim,) = db.session.scalar(sa.select(Annotation.labels)).get("claims")
    assert (claim["start"], claim["end"]) == (start, end)
    assert claim["text"] == " ".join(passage.text.split()[:2])
    assert raw_text_of(passage)[claim["start"] : claim["end"]].split() == claim["text"].split()


def test_a_span_outside_its_passage_answers_422_naming_the_field(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, passages = project_with_spans(runner, make_project, make_documents)
    passage = handed_out(ada, project, passages)
    outside = {"claims": [{"start": passage.end, "end": passage.end + 5, "labels": {"verdict": "refutes"}}]}
    response = ada("POST", f"/api/passages/{passage.id}/annotations", json={"labels": outside})
    assert response.status_code == 422
    assert response.get_json()["field"] == "claims"
    assert "not inside the passage" in response.get_json()["error"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Annotation)) == 0


def test_import_annotations_checks_spans_against_each_lines_passage(runner, make_project, make_documents, write_file):
    _, passages = project_with_spans(runner, make_project, make_documents)
    start, end = first_words(passages[0], 2)
    good = {"start": start, "end": end, "labels": {"verdict": "supports"}}
    # the first passage's offsets are outside the second passage
    lines = [
        {"passage_id": passages[0].id, "annotator": "ada", "labels": {"claims": [good]}},
        {"passage_id": passages[1].id, "annotator": "ada", "labels": {"claims": [good]}},
    ]
    path = write_file("spans.jsonl", "\n".join(json.dumps(line) for line in lines))
    result = runner.invoke(args=["import-annotations", "Fares", str(path), "--create-users"])
    assert "spans.jsonl:2: " in result.stderr and "not inside the passage" in result.stderr
    stored = db.session.execute(sa.select(Annotation.passage_id, Annotation.labels)).all()
    assert [passage_id for passage_id, _ in stored] == [passages[0].id]
    assert stored[0][1]["claims"][0]["text"] == " ".join(passages[0].text.split()[:2])


def test_next_gives_a_script_the_words_a_span_may_start_and_end_at(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project, passages = project_with_spans(runner, make_project, make_documents)
    body = ada("GET", f"/api/projects/{project.id}/next").get_json()
    raw = raw_text_of(passages[0])
    assert [text for _, _, text in body["words"]][:4] == ["In", "report", "0", ","]
    assert all(raw[start:end] == text for start, end, text in body["words"])
    assert body["words"][0][0] == body["start"] and body["words"][-1][1] == body["end"]


def test_a_project_without_spans_is_not_sent_words(runner, make_project, make_documents, api_client):
    ada = api_client("ada")
    project = make_project("Plain")
    make_documents(project, count=1, paragraphs=1)
    runner.invoke(args=["add-member", "Plain", "ada", "--role", "annotator"])
    assert "words" not in ada("GET", f"/api/projects/{project.id}/next").get_json()


def test_a_passage_whose_annotators_marked_different_spans_goes_to_review(
    runner, make_project, make_documents, write_file
):
    from annotator.review.queue import review_queue

    project, passages = project_with_spans(runner, make_project, make_documents)
    two, three = first_words(passages[0], 2), first_words(passages[0], 3)
    agreed = first_words(passages[1], 2)

    def claim(extent, verdict="supports"):
        return {"claims": [{"start": extent[0], "end": extent[1], "labels": {"verdict": verdict}}]}

    lines = [
        {"passage_id": passages[0].id, "annotator": "ada", "labels": claim(two)},
        {"passage_id": passages[0].id, "annotator": "bob", "labels": claim(three)},
        {"passage_id": passages[1].id, "annotator": "ada", "labels": claim(agreed)},
        {"passage_id": passages[1].id, "annotator": "bob", "labels": claim(agreed)},
        {"passage_id": passages[2].id, "annotator": "ada", "labels": claim(first_words(passages[2], 2))},
        {"passage_id": passages[2].id, "annotator": "bob", "labels": claim(first_words(passages[2], 2), "refutes")},
    ]
    path = write_file("spans.jsonl", "\n".join(json.dumps(line) for line in lines))
    assert runner.invoke(args=["import-annotations", "Fares", str(path), "--create-users"]).exit_code == 0
    entries, _ = review_queue(db.session, project)
    assert sorted(entry.passage_id for entry in entries) == [passages[0].id, passages[2].id]
