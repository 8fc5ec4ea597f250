"""Feedback from review for annotators: the decisions on their complete passages that differ
from their answer, on a page reached from the annotate screen and in the JSON API."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required

from annotator.clock import iso_utc
from annotator.extensions import db
from annotator.projects.access import VIEW
from annotator.review.feedback import SHOWN_AT_MOST, decisions_differing
from annotator.web.security import project_or_refuse

bp = Blueprint("feedback", __name__, url_prefix="/projects")
api_bp = Blueprint("api_feedback", __name__, url_prefix="/api")


@bp.get("/<int:project_id>/feedback")
@login_required
def page(project_id: int):
    project = project_or_refuse(project_id, VIEW)
    found = decisions_differing(db.session, project, current_user)
    return render_template("feedback/page.html", project=project, found=found[:SHOWN_AT_MOST], count=len(found))


@api_bp.get("/projects/<int:project_id>/feedback")
@login_required
def api(project_id: int):
    project = project_or_refuse(project_id, VIEW)
    found = decisions_differing(db.session, project, current_user)
    return jsonify(count=len(found), decisions=[_decision_json(one) for one in found])


def _decision_json(one) -> dict:
    return {
        "passage_id": one.passage_id,
        "document": one.document,
        "index": one.index,
        "fields": [
            {"name": difference.name, "yours": difference.yours, "decided": difference.decided}
            for difference in one.differences
        ],
        "note": one.note,
        "category": one.category,
        "decided_at": iso_utc(one.decided_at),
    }
