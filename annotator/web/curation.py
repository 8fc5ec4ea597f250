"""Admins' corrections of a project's data (annotator.curation): small POST forms that work with
and without htmx, each answered by a redirect (303) back to the page it came from (`next`, a
local path only) with a flashed message saying what was done or why it was refused."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from annotator.curation import service
from annotator.curation.spans import split_points
from annotator.documents.models import Document
from annotator.domain_errors import DomainError
from annotator.extensions import db
from annotator.projects.models import Project
from annotator.web.auth import is_local_path
from annotator.web.security import document_with_project, passage_with_project, roles_required
from annotator.web.unit_of_work import discard_changes

bp = Blueprint("curation", __name__, url_prefix="/curation")


@bp.before_request
@roles_required("admin")
def _admins_only():
    """Every correction is for admins only."""


@bp.post("/passages/<int:passage_id>/exclude")
def exclude(passage_id: int):
    project, passage = passage_with_project(passage_id)
    reason = request.form.get("reason", "")
    return _correct(
        lambda: service.exclude_passage(db.session, project, passage.id, current_user, reason),
        f"Passage {passage.index + 1} excluded: it is no longer handed out.",
        project,
    )


@bp.post("/passages/<int:passage_id>/include")
def include(passage_id: int):
    project, passage = passage_with_project(passage_id)
    reason = request.form.get("reason", "")
    return _correct(
        lambda: service.include_passage(db.session, project, passage.id, current_user, reason),
        f"Passage {passage.index + 1} included: it is handed out again.",
        project,
    )


@bp.post("/passages/<int:passage_id>/merge-next")
def merge_next(passage_id: int):
    project, passage = passage_with_project(passage_id)
    reason = request.form.get("reason", "")
    return _correct(
        lambda: service.merge_with_next(db.session, project, passage.id, current_user, reason),
        f"Passage {passage.index + 1} merged with the next one.",
        project,
    )


@bp.get("/passages/<int:passage_id>/split")
def choose_split(passage_id: int):
    project, passage = passage_with_project(passage_id)
    raw = db.session.get(Document, passage.document_id).raw_text
    points = split_points(raw, passage.start, passage.end)
    return render_template("curation/split.html", project=project, passage=passage, points=points, back=_back(project))


@bp.post("/passages/<int:passage_id>/split")
def split(passage_id: int):
    project, passage = passage_with_project(passage_id)
    at = request.form.get("at", "").strip()
    if not at.isdigit():
        return _refused(
            f"say where to split: an offset into the document's text, from {passage.start + 1} to {passage.end - 1}",
            project,
        )
    reason = request.form.get("reason", "")
    return _correct(
        lambda: service.split_passage(db.session, project, passage.id, int(at), current_user, reason),
        f"Passage {passage.index + 1} split in two at offset {at}.",
        project,
    )


@bp.post("/documents/<int:document_id>/retitle")
def retitle(document_id: int):
    project, document = document_with_project(document_id)
    title, reason = request.form.get("title", ""), request.form.get("reason", "")
    return _correct(
        lambda: service.retitle_document(db.session, project, document.id, title, current_user, reason),
        "Title changed.",
        project,
    )


@bp.post("/documents/<int:document_id>/withdraw")
def withdraw(document_id: int):
    project, document = document_with_project(document_id)
    reason = request.form.get("reason", "")
    return _correct(
        lambda: service.withdraw_document(db.session, project, document.id, current_user, reason),
        f'Document "{document.title}" withdrawn: its passages are no longer handed out or exported for training.',
        project,
    )


@bp.post("/documents/<int:document_id>/remove")
def remove(document_id: int):
    project, document = document_with_project(document_id)
    reason = request.form.get("reason", "")
    title = document.title
    return _correct(
        lambda: service.remove_document(db.session, project, document.id, current_user, reason),
        f'Document "{title}" removed.',
        project,
        done_target=_documents_page(project),
    )


@bp.post("/projects/<int:project_id>/archive")
def archive(project_id: int):
    project = _project(project_id)
    return _correct(
        lambda: service.archive_project(db.session, project, current_user, request.form.get("reason", "")),
        f"Project {project.name} archived: hidden from its annotators and read-only until unarchived.",
        project,
    )


@bp.post("/projects/<int:project_id>/unarchive")
def unarchive(project_id: int):
    project = _project(project_id)
    return _correct(
        lambda: service.unarchive_project(db.session, project, current_user, request.form.get("reason", "")),
        f"Project {project.name} unarchived.",
        project,
    )


@bp.get("/projects/<int:project_id>/delete")
def confirm_delete(project_id: int):
    return render_template("curation/delete.html", project=_project(project_id))


@bp.post("/projects/<int:project_id>/delete")
def delete(project_id: int):
    project = _project(project_id)
    name = project.name
    try:
        service.delete_project(db.session, project, request.form.get("name", ""))
    except DomainError as refusal:
        discard_changes()
        return render_template("curation/delete.html", project=_project(project_id), error=str(refusal)), 422
    flash(f"Project {name} deleted, with its documents, labels and history.", "success")
    return redirect(url_for("main.index"), code=303)


# --- the parts -------------------------------------------------------------------------------


def _correct(change, message: str, project: Project, done_target: str | None = None):
    """Run the correction and go back with what was done, or with why it was refused (nothing of
    it kept)."""
    try:
        change()
    except DomainError as refusal:
        return _refused(str(refusal), project)
    flash(message, "success")
    return redirect(done_target or _back(project), code=303)


def _refused(message: str, project: Project):
    discard_changes()
    flash(f"Not done: {message}.", "error")
    return redirect(_back(project), code=303)


def _back(project: Project) -> str:
    """The page to go back to: the form's `next` when it is a path on this site, else the
    project's settings."""
    target = request.values.get("next", "")
    return target if is_local_path(target) else url_for("admin.edit_project", project_id=project.id)


def _documents_page(project: Project) -> str:
    """Where to go once a document is gone (its own page with it): the project's documents."""
    return url_for("data.documents", project_id=project.id)


def _project(project_id: int) -> Project:
    return db.session.get(Project, project_id) or abort(404)
