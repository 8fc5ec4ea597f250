"""The JSON API: the same services as the pages, for scripts, pre-annotation and load tests. Its
errors are JSON `{"error": ...}` (annotator.web.errors)."""

from flask import Blueprint, current_app, jsonify
from flask_login import current_user, login_required

from annotator.administration.projects import projects_of
from annotator.annotations.recording import parse_submission
from annotator.assignment.progress import project_progress
from annotator.assignment.service import NotAssigned
from annotator.clock import iso_utc, utcnow
from annotator.config import hold_time
from annotator.documents.context import document_heading, neighbours
from annotator.documents.words import words_of_passage
from annotator.extensions import db
from annotator.projects.access import ANNOTATE, VIEW
from annotator.projects.schema_store import schema_of
from annotator.quality.onboarding import OnboardingFailed
from annotator.quality.serving import next_for_annotator, own_progress_with_gold, skip_answer, submit_answer
from annotator.quality.standing import Paused
from annotator.schema import LabelError
from annotator.web.request_text import json_object_body
from annotator.web.security import passage_or_refuse, project_or_refuse

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/projects")
@login_required
def projects():
    return jsonify(
        [
            {
                "id": project.id,
                "name": project.name,
                "target": project.target,
                "overlap_k": project.overlap_k,
                "overlap_k_max": project.overlap_k_max,
                "extra_annotator_below": project.extra_annotator_below,
                "schema_version": project.schema_version,
            }
            for project in projects_of(db.session, current_user)
        ]
    )


@bp.get("/projects/<int:project_id>/next")
@login_required
def next_(project_id: int):
    project = project_or_refuse(project_id, ANNOTATE)
    try:
        passage = next_for_annotator(db.session, project, current_user, utcnow(), hold_time(current_app.config))
    except Paused as error:
        return jsonify(error=str(error), paused=True), 409
    except OnboardingFailed as error:
        return jsonify(error=str(error), onboarding_failed=True), 403
    answer = passage_json(passage, project) if passage is not None else None  # one transaction, one round trip less
    return (jsonify(answer), 200) if answer is not None else ("", 204)


@bp.post("/passages/<int:passage_id>/annotations")
@login_required
def submit(passage_id: int):
    passage, project = passage_or_refuse(passage_id, ANNOTATE)
    try:
        answered = submit_answer(
            db.session, project, passage, current_user, parse_submission(json_object_body()), utcnow()
        )
    except LabelError as error:
        return jsonify(error.as_dict()), 422
    except Paused as error:
        return jsonify(error=str(error), paused=True), 409
    except NotAssigned as error:
        return jsonify(error=str(error)), 409
    recorded = answered.recorded
    found = {
        "passage_id": passage.id,
        "labels": recorded.labels,
        "note": recorded.note,
        "unsure": recorded.unsure,
        "updated_at": iso_utc(recorded.updated_at),
    }
    if answered.feedback is not None:  # onboarding: the right answer and why, after each answer
        found["feedback"] = answered.feedback.as_dict()
    return jsonify(found), 201 if recorded.created else 200


@bp.post("/passages/<int:passage_id>/skip")
@login_required
def skip(passage_id: int):
    passage, project = passage_or_refuse(passage_id, ANNOTATE)
    reason = json_object_body().get("reason") or ""
    if not isinstance(reason, str):
        return jsonify(field="reason", error="Reason must be text", allowed=[]), 422
    try:
        skip_answer(db.session, project, passage, current_user, reason, utcnow())
    except Paused as error:
        return jsonify(error=str(error), paused=True), 409
    except NotAssigned as error:
        return jsonify(error=str(error)), 409
    return jsonify(passage_id=passage.id, skipped=True), 201


@bp.get("/projects/<int:project_id>/progress")
@login_required
def progress(project_id: int):
    project = project_or_refuse(project_id, VIEW)
    figures = project_progress(db.session, project)
    labels, skips = own_progress_with_gold(db.session, project, current_user)
    return jsonify(
        passages=figures.passages,
        labels=figures.labels,
        complete=figures.complete,
        in_progress=figures.in_progress,
        open=figures.open,
        skips=figures.skips,
        overlap_k=project.overlap_k,
        overlap_k_max=project.overlap_k_max,
        mine={"labels": labels, "skips": skips},
    )


def passage_json(passage, project) -> dict:
    document = document_heading(db.session, passage.document_id)
    before, after = neighbours(db.session, passage)
    schema = schema_of(db.session, project)
    found = {
        "passage_id": passage.id,
        "text": passage.text,
        "document_id": document.external_id,
        "document_title": document.title,
        "index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "context": {"before": [_neighbour(p) for p in before], "after": [_neighbour(p) for p in after]},
        "target": project.target,
        "schema": schema.definition,
        "schema_version": project.schema_version,
    }
    if schema.needs_passage:
        found["words"] = _words(passage.id)
    return found


def _words(passage_id: int) -> list[list]:
    """The passage's words as [start, end, text], start and end in the document's raw text:
    what a script marks spans with (the annotate screen draws the same words)."""
    passage = words_of_passage(db.session, passage_id)
    return [[word.raw_start, word.raw_end, passage.text[word.text_start : word.text_end]] for word in passage.words]


def _neighbour(passage) -> dict:
    return {"passage_id": passage.id, "index": passage.index, "text": passage.text}
