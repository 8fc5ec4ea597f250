"""The JSON API of corrections (annotator.curation), for admins' scripts: the same services as
the correction forms. Refusals come out as JSON `{"error": ...}` (annotator.web.errors): 400 for
unusable input, 404, 409 for what the data does not allow (a labelled passage merged, a document
with labels removed), 403 for anyone but an admin."""

from flask import Blueprint, jsonify
from flask_login import current_user

from annotator.clock import iso_utc
from annotator.curation import service
from annotator.documents.models import Document, Passage
from annotator.extensions import db
from annotator.projects.access import NoSuchProject
from annotator.projects.models import Project
from annotator.web.request_text import json_object_body
from annotator.web.security import document_with_project, passage_with_project, roles_required

bp = Blueprint("api_curation", __name__, url_prefix="/api")


@bp.before_request
@roles_required("admin")
def _admins_only():
    """Every correction is for admins only."""


@bp.patch("/passages/<int:passage_id>")
def change_passage(passage_id: int):
    project, passage = passage_with_project(passage_id)
    body = json_object_body()
    annotatable, reason = body.get("annotatable"), body.get("reason", "")
    if not isinstance(annotatable, bool):
        return _unusable("annotatable", "annotatable must be true (include the passage) or false (exclude it)")
    if not isinstance(reason, str):
        return _unusable("reason", "reason must be text")
    if annotatable:
        service.include_passage(db.session, project, passage.id, current_user, reason)
    else:
        service.exclude_passage(db.session, project, passage.id, current_user, reason)
    return jsonify(passage_json(db.session.get(Passage, passage.id)))


@bp.post("/passages/<int:passage_id>/merge-next")
def merge_next(passage_id: int):
    project, passage = passage_with_project(passage_id)
    merged = service.merge_with_next(db.session, project, passage.id, current_user, _reason())
    return jsonify(passage_json(merged))


@bp.post("/passages/<int:passage_id>/split")
def split(passage_id: int):
    project, passage = passage_with_project(passage_id)
    at = json_object_body().get("at")
    if not isinstance(at, int) or isinstance(at, bool):
        return _unusable("at", "at must be a whole number: an offset into the document's raw text")
    halves = service.split_passage(db.session, project, passage.id, at, current_user, _reason())
    return jsonify(passages=[passage_json(half) for half in halves])


@bp.patch("/documents/<int:document_id>")
def change_document(document_id: int):
    project, document = document_with_project(document_id)
    title = json_object_body().get("title")
    if not isinstance(title, str):
        return _unusable("title", "title must be text")
    service.retitle_document(db.session, project, document.id, title, current_user, _reason())
    return jsonify(document_json(document))


@bp.post("/documents/<int:document_id>/withdraw")
def withdraw(document_id: int):
    project, document = document_with_project(document_id)
    service.withdraw_document(db.session, project, document.id, current_user, _reason())
    return jsonify(document_json(document))


@bp.delete("/documents/<int:document_id>")
def remove(document_id: int):
    project, document = document_with_project(document_id)
    service.remove_document(db.session, project, document.id, current_user, _reason())
    return "", 204


@bp.post("/projects/<int:project_id>/archive")
def archive(project_id: int):
    project = _project(project_id)
    service.archive_project(db.session, project, current_user, _reason())
    return jsonify(project_json(project))


@bp.post("/projects/<int:project_id>/unarchive")
def unarchive(project_id: int):
    project = _project(project_id)
    service.unarchive_project(db.session, project, current_user, _reason())
    return jsonify(project_json(project))


def passage_json(passage: Passage) -> dict:
    return {
        "passage_id": passage.id,
        "document_id": passage.document_id,
        "index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "annotatable": passage.annotatable,
        "excluded_reason": passage.excluded_reason,
        "label_count": passage.label_count,
    }


def document_json(document: Document) -> dict:
    return {
        "document_id": document.id,
        "external_id": document.external_id,
        "title": document.title,
        "passage_count": document.passage_count,
        "withdrawn_at": iso_utc(document.withdrawn_at),
    }


def project_json(project: Project) -> dict:
    return {"id": project.id, "name": project.name, "archived_at": iso_utc(project.archived_at)}


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        raise NoSuchProject(f"project {project_id} not found")
    return project


def _reason() -> str:
    reason = json_object_body().get("reason", "")
    return reason if isinstance(reason, str) else ""


def _unusable(field: str, message: str):
    return jsonify(field=field, error=message), 422
