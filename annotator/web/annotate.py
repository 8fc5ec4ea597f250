"""The annotate screen: one passage at a time, in its document, labelled from the keyboard.
htmx swaps the workspace after each submit; the full page includes the same fragment."""

from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from annotator.annotations.history import own_annotation, previous_labelled
from annotator.annotations.recording import parse_submission
from annotator.assignment.progress import own_progress, project_progress
from annotator.assignment.service import NotAssigned, next_passage, skip_passage, submit_labels
from annotator.clock import utcnow
from annotator.config import hold_time
from annotator.documents.context import document_heading, document_window, neighbours, passages_before, passages_from
from annotator.documents.lookup import document_heading_in, passage_in
from annotator.documents.models import Passage
from annotator.extensions import db, htmx
from annotator.projects.access import ANNOTATE, VIEW
from annotator.projects.schema_store import schema_of
from annotator.schema import LabelError
from annotator.web.label_form import LabelFormBase, PageForm, SkipForm, label_form
from annotator.web.marking import marking_context
from annotator.web.query import id_in_query
from annotator.web.security import project_or_refuse
from annotator.web.unit_of_work import discard_changes

bp = Blueprint("annotate", __name__, url_prefix="/projects")
WORKSPACE = "workspace"  # the id htmx swaps


@dataclass
class Choices:
    """What the annotator has chosen on screen: kept when a submit fails."""

    labels: dict = field(default_factory=dict)
    note: str = ""
    unsure: bool = False

    @classmethod
    def from_form(cls, form: LabelFormBase) -> "Choices":
        return cls(form.labels(), form.note.data or "", form.unsure.data)

    def as_body(self, client_time: str | None) -> dict:
        return {"labels": self.labels, "note": self.note, "unsure": self.unsure, "client_time": client_time}


@bp.get("/<int:project_id>/annotate")
@login_required
def annotate(project_id: int):
    project = project_or_refuse(project_id, ANNOTATE)
    passage = next_passage(db.session, project, current_user, utcnow(), hold_time(current_app.config))
    return _show(project, passage)


@bp.get("/<int:project_id>/passages/<int:passage_id>/edit")
@login_required
def edit(project_id: int, passage_id: int):
    """One of the annotator's earlier passages with their labels, to change them (key B)."""
    project, passage = _passage_in(project_id, passage_id, ANNOTATE)
    annotation = own_annotation(db.session, passage.id, current_user.id) or abort(404)
    choices = Choices(annotation.labels, annotation.note, annotation.unsure)
    return _show(project, passage, choices, editing=annotation)


@bp.post("/<int:project_id>/passages/<int:passage_id>/labels")
@login_required
def submit(project_id: int, passage_id: int):
    _check_page_owner(PageForm())
    project, passage = _passage_in(project_id, passage_id, ANNOTATE)
    form = label_form(schema_of(db.session, project))
    choices = Choices.from_form(form)
    try:
        submission = parse_submission(choices.as_body(form.client_time.data))
        submit_labels(db.session, project, passage, current_user, submission, utcnow())
    except (LabelError, NotAssigned) as error:
        discard_changes()
        status = 422 if isinstance(error, LabelError) else 409
        return _show(
            project, passage, choices, error=str(error), editing=own_annotation(db.session, passage.id, current_user.id)
        ), status
    return _continue(project)


@bp.post("/<int:project_id>/passages/<int:passage_id>/skip")
@login_required
def skip(project_id: int, passage_id: int):
    form = SkipForm()
    _check_page_owner(form)
    project, passage = _passage_in(project_id, passage_id, ANNOTATE)
    try:
        skip_passage(db.session, project, passage, current_user, form.reason.data or "", utcnow())
    except NotAssigned as error:
        discard_changes()
        return _show(project, passage, error=str(error)), 409
    return _continue(project)


@bp.get("/<int:project_id>/documents/<int:document_id>")
@login_required
def document(project_id: int, document_id: int):
    """The whole document (key D): a window around the passage being labelled, marked; the
    passages before or after a given index when the reader asks for more."""
    project = project_or_refuse(project_id, VIEW)
    heading = document_heading_in(db.session, project.id, document_id)
    marked, more = id_in_query("passage"), _more_asked()
    if more is None:
        return render_template(
            "annotate/_document.html",
            document=heading,
            marked=marked,
            project=project,
            window=document_window(db.session, document_id, marked),
        )
    direction, index = more
    window = (
        passages_before(db.session, document_id, index)
        if direction == "before"
        else passages_from(db.session, document_id, index + 1)
    )
    return render_template(
        "annotate/_document_passages.html", document=heading, marked=marked, project=project, window=window
    )


def _more_asked() -> tuple[str, int] | None:
    """("before" or "after", passage index) when the reader asked for more passages."""
    for direction in ("before", "after"):
        index = id_in_query(direction)
        if index is not None:
            return direction, max(index, 0)
    return None


def _continue(project):
    """After a submit or skip: the next passage, in the same transaction."""
    if not htmx or htmx.target != WORKSPACE:
        return redirect(url_for(".annotate", project_id=project.id), code=303)
    passage = next_passage(db.session, project, current_user, utcnow(), hold_time(current_app.config))
    return _show(project, passage)


def _show(project, passage: Passage | None, choices: Choices | None = None, error: str | None = None, editing=None):
    """The workspace fragment for htmx, the whole page otherwise (one template includes the other)."""
    context = _workspace(project, passage, choices or Choices(), error, editing)
    fragment = htmx and htmx.target == WORKSPACE
    response = make_response(
        render_template("annotate/_response.html" if fragment else "annotate/page.html", **context)
    )
    response.headers["Vary"] = "HX-Request, HX-Target"
    response.headers["Cache-Control"] = "no-store"
    return response


def _workspace(project, passage, choices: Choices, error, editing) -> dict:
    before, after = neighbours(db.session, passage) if passage else ([], [])
    labels, skips = own_progress(db.session, project, current_user)
    schema = schema_of(db.session, project)
    return {
        "project": project,
        "passage": passage,
        "before": before,
        "after": after,
        "choices": choices,
        "error": error,
        "editing": editing,
        "schema": schema,
        **marking_context(db.session, schema, passage.id if passage else None),
        "document": document_heading(db.session, passage.document_id) if passage else None,
        "previous_id": previous_labelled(db.session, project.id, current_user.id, editing),
        "mine": {"labels": labels, "skips": skips},
        "progress": project_progress(db.session, project),
    }


def _check_page_owner(form: PageForm) -> None:
    """A page opened by one user and sent after another signed in on the same browser is
    refused: the choices on it are not the new user's."""
    owner = form.page_user.data
    if owner is not None and owner != current_user.id:
        abort(
            make_response(
                f"This page was opened by another user; this browser is now signed in as {current_user.username}.", 403
            )
        )


def _passage_in(project_id: int, passage_id: int, purpose: str):
    project = project_or_refuse(project_id, purpose)
    return project, passage_in(db.session, project.id, passage_id)
