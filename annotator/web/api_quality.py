"""The JSON API of quality control, for scripts: gold passages (reviewers), each annotator's
accuracy on gold and standing (reviewers), resuming a paused annotator (admins), leaving a paused
annotator's labels out of gold (reviewers), and an annotator's own standing (paused, onboarding;
never their gold answers). Refusals are JSON `{"error": ...}` (annotator.web.errors)."""

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from annotator.clock import iso_utc, utcnow
from annotator.documents.lookup import passage_in
from annotator.domain_errors import Forbidden, Invalid
from annotator.extensions import db
from annotator.projects.access import ANNOTATE, REVIEW
from annotator.quality.accuracy import gold_figures
from annotator.quality.gold import add_imported_gold, gold_passages, promote_to_gold, remove_gold
from annotator.quality.onboarding import attempts_of, needs_onboarding
from annotator.quality.standing import find_standing, resume, set_labels_excluded
from annotator.web.request_text import json_object_body
from annotator.web.security import project_or_refuse

bp = Blueprint("api_quality", __name__, url_prefix="/api/projects")


@bp.get("/<int:project_id>/gold")
@login_required
def gold_list(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    return jsonify([_gold_json(gold) for gold in gold_passages(db.session, project.id)])


@bp.post("/<int:project_id>/gold")
@login_required
def gold_add(project_id: int):
    """Make a passage gold: its decision's labels, or the labels given (an answer known elsewhere)."""
    project = project_or_refuse(project_id, REVIEW)
    body = json_object_body()
    passage = passage_in(db.session, project.id, _whole_number(body.get("passage_id"), "passage_id"))
    explanation, onboarding, labels = body.get("explanation") or "", body.get("onboarding", False), body.get("labels")
    if not isinstance(explanation, str) or not isinstance(onboarding, bool):
        raise Invalid("explanation must be text and onboarding true or false")
    if labels is None:
        gold = promote_to_gold(db.session, project, passage.id, current_user, explanation, onboarding)
    else:
        gold = add_imported_gold(db.session, project, passage.id, labels, explanation, onboarding, current_user.id)
    return jsonify(_gold_json(gold)), 201


@bp.delete("/<int:project_id>/gold/<int:passage_id>")
@login_required
def gold_remove(project_id: int, passage_id: int):
    project = project_or_refuse(project_id, REVIEW)
    return ("", 204) if remove_gold(db.session, project, passage_id) else (jsonify(error="not a gold passage"), 404)


@bp.get("/<int:project_id>/quality")
@login_required
def quality(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    return jsonify(gold_figures(db.session, project.id))


@bp.get("/<int:project_id>/quality/me")
@login_required
def own_standing(project_id: int):
    project = project_or_refuse(project_id, ANNOTATE)
    standing = find_standing(db.session, project.id, current_user.id)
    attempts = attempts_of(db.session, project.id, current_user.id)
    return jsonify(
        paused=standing is not None and standing.paused_at is not None,
        onboarding_required=needs_onboarding(db.session, project, standing),
        onboarding_attempts=[
            {"attempt": a.number, "correct": a.fields_correct, "scored": a.fields_scored, "passed": a.passed}
            for a in attempts
        ],
        onboarding_attempts_allowed=project.onboarding_attempts,
    )


@bp.post("/<int:project_id>/annotators/<int:user_id>/resume")
@login_required
def resume_annotator(project_id: int, user_id: int):
    project = project_or_refuse(project_id, REVIEW)
    if not current_user.is_admin:
        raise Forbidden("only an admin can resume a paused annotator")
    resume(db.session, project, user_id, current_user, utcnow())
    return jsonify(user_id=user_id, paused=False)


@bp.post("/<int:project_id>/annotators/<int:user_id>/exclusion")
@login_required
def exclusion(project_id: int, user_id: int):
    project = project_or_refuse(project_id, REVIEW)
    excluded = json_object_body().get("excluded")
    if not isinstance(excluded, bool):
        raise Invalid("excluded must be true (leave their labels out of gold) or false")
    set_labels_excluded(db.session, project, user_id, excluded, current_user, utcnow())
    return jsonify(user_id=user_id, labels_excluded=excluded)


def _gold_json(gold) -> dict:
    return {
        "passage_id": gold.passage_id,
        "labels": gold.labels,
        "explanation": gold.explanation,
        "onboarding": gold.onboarding,
        "source": gold.source,
        "created_at": iso_utc(gold.created_at),
    }


def _whole_number(value, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid(f"{name} must be a whole number")
    return value
