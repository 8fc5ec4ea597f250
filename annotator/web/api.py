"""The JSON API: the same services as the pages, for scripts, pre-annotation and load tests."""

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from annotator.db import db
from annotator.projects.services import projects_of

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/projects")
@login_required
def projects():
    return jsonify([
        {"id": project.id, "name": project.name, "target": project.target, "overlap_k": project.overlap_k,
         "schema_version": project.schema_version}
        for project in projects_of(db.session, current_user)
    ])
