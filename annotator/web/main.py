"""The landing page: the projects the signed-in user may work on."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from annotator.administration.projects import projects_of
from annotator.extensions import db
from annotator.projects.access import ANNOTATE, REVIEW, projects_for

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    return render_template(
        "main/index.html",
        projects=projects_of(db.session, current_user),
        annotated=projects_for(db.session, current_user, ANNOTATE),
        reviewed=projects_for(db.session, current_user, REVIEW),
    )
