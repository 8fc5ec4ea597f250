"""A passage's discussion thread: read it, comment, resolve and reopen it. Shown on the decision
screen and on a page of its own (for the annotators of a complete passage, and the data manager)."""

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from annotator.annotations.adjudications import DISAGREEMENT_CATEGORIES
from annotator.annotations.history import own_annotation
from annotator.discussion.models import MAX_COMMENT
from annotator.discussion.thread import (
    AlreadyInState,
    EmptyComment,
    add_comment,
    refuse_unless_discussing,
    set_resolved,
    thread_of,
)
from annotator.documents.context import document_heading
from annotator.documents.lookup import passage_in
from annotator.extensions import db, htmx
from annotator.projects.access import REVIEW, VIEW, may
from annotator.projects.schema_store import schema_of
from annotator.review.adjudicating import current_adjudication
from annotator.review.feedback import field_differences
from annotator.web.security import project_or_refuse

bp = Blueprint("discussion", __name__, url_prefix="/projects")


@bp.get("/<int:project_id>/passages/<int:passage_id>/discussion")
@login_required
def page(project_id: int, passage_id: int):
    project, found = _thread_in(project_id, passage_id)
    if htmx and htmx.target == "discussion":
        return _thread_fragment(project, found.id)
    response = make_response(render_template("discussion/page.html", **_page_context(project, found)))
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@bp.post("/<int:project_id>/passages/<int:passage_id>/discussion")
@login_required
def comment(project_id: int, passage_id: int):
    project, found = _thread_in(project_id, passage_id)
    try:
        add_comment(db.session, project, found.id, current_user, request.form.get("body", ""))
    except EmptyComment as error:
        return _thread_fragment(project, found.id, error=str(error)), 422
    return _after_change(project, found.id)


@bp.post("/<int:project_id>/passages/<int:passage_id>/discussion/resolve")
@login_required
def resolve(project_id: int, passage_id: int):
    return _set_resolved(project_id, passage_id, resolved=True)


@bp.post("/<int:project_id>/passages/<int:passage_id>/discussion/reopen")
@login_required
def reopen(project_id: int, passage_id: int):
    return _set_resolved(project_id, passage_id, resolved=False)


def _set_resolved(project_id: int, passage_id: int, resolved: bool):
    project, found = _thread_in(project_id, passage_id)
    try:
        set_resolved(db.session, project, found.id, current_user, resolved)
    except AlreadyInState as error:
        return _thread_fragment(project, found.id, error=str(error)), 409
    return _after_change(project, found.id)


def _after_change(project, passage_id: int):
    """htmx gets the thread back in place; a plain form goes back to the page it was sent from."""
    if htmx:
        return _thread_fragment(project, passage_id)
    if request.form.get("back") == "review" and may(db.session, current_user, project.id, REVIEW):
        return redirect(url_for("review.passage", project_id=project.id, passage_id=passage_id), code=303)
    return redirect(url_for(".page", project_id=project.id, passage_id=passage_id), code=303)


def _thread_fragment(project, passage_id: int, error: str | None = None):
    return render_template(
        "discussion/_thread.html", project=project, **thread_context(project, passage_id), error=error
    )


def thread_context(project, passage_id: int, back: str = "discussion") -> dict:
    """What discussion/_thread.html needs beside the project (the decision screen includes it
    too, with back="review")."""
    return {
        "thread": thread_of(db.session, passage_id),
        "may_resolve": may(db.session, current_user, project.id, REVIEW),
        "max_comment": MAX_COMMENT,
        "back": back,
    }


def _page_context(project, found) -> dict:
    """The thread, the passage, its decision, and for its annotator where their answer differs
    from it (never the other annotators' answers)."""
    decided = current_adjudication(db.session, found.id)
    yours = own_annotation(db.session, found.id, current_user.id)
    schema = schema_of(db.session, project)
    return {
        **thread_context(project, found.id),
        "project": project,
        "passage": found,
        "document": document_heading(db.session, found.document_id),
        "decided": decided,
        "decision_words": schema.in_words(decided.labels) if decided else [],
        "yours": yours,
        "differences": field_differences(schema, yours.labels, decided.labels) if decided and yours else [],
        "category": DISAGREEMENT_CATEGORIES.get(decided.category) if decided and decided.category else None,
    }


def _thread_in(project_id: int, passage_id: int):
    project = project_or_refuse(project_id, VIEW)
    found = passage_in(db.session, project.id, passage_id)
    refuse_unless_discussing(db.session, current_user, project, found.id)
    return project, found
