"""The landing page."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from annotator.db import db
from annotator.documents.models import Document, Passage
from annotator.projects.models import Project

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    totals = {
        "projects": db.session.scalar(sa.select(sa.func.count(Project.id))),
        "documents": db.session.scalar(sa.select(sa.func.count(Document.id))),
        "passages": db.session.scalar(sa.select(sa.func.count(Passage.id))),
    }
    return render_template("main/index.html", totals=totals)
