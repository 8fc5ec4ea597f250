"""Project pages for the people who run a project (admins and its reviewers): the overview."""

from flask import Blueprint, render_template
from flask_login import login_required

from annotator.assignment.progress import annotator_progress, project_progress
from annotator.documents.progress import document_page
from annotator.extensions import db
from annotator.projects.access import REVIEW
from annotator.web.query import id_in_query
from annotator.web.security import project_or_refuse

bp = Blueprint("projects", __name__, url_prefix="/projects")

DOCUMENTS_PER_PAGE = 50


@bp.get("/<int:project_id>")
@login_required
def overview(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    after = id_in_query("after")
    documents, next_after = document_page(db.session, project, after, DOCUMENTS_PER_PAGE)
    return render_template(
        "projects/overview.html",
        project=project,
        progress=project_progress(db.session, project),
        annotators=annotator_progress(db.session, project),
        documents=documents,
        after=after,
        next_after=next_after,
    )
