"""The data manager in the JSON API, for scripts: a project's documents, a search over its
passages, a document with its passages. For the project's reviewers and admins, as the pages
(annotator.web.data); errors are JSON `{"error": ...}` as everywhere under /api."""

from dataclasses import asdict

from flask import Blueprint, jsonify
from flask_login import login_required

from annotator.clock import iso_utc
from annotator.data_manager.contents import DocumentContents, document_contents
from annotator.data_manager.listing import DocumentListing, DocumentSort, list_documents
from annotator.data_manager.search import FoundPassage, search_passages
from annotator.documents.context import document_heading
from annotator.documents.lookup import NoSuchDocument
from annotator.extensions import db
from annotator.projects.access import REVIEW
from annotator.web.query import limit_in_query, passage_filters, text_in_query
from annotator.web.security import project_or_refuse

bp = Blueprint("api_data", __name__, url_prefix="/api")
PAGE_SIZE, MOST_PER_PAGE = 50, 500


@bp.get("/projects/<int:project_id>/documents")
@login_required
def documents(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    sort = DocumentSort.parse(text_in_query("sort"))
    page = list_documents(db.session, project, sort, text_in_query("cursor"), _limit())
    return jsonify(items=[_document_json(document) for document in page.documents], next_cursor=page.next_cursor)


@bp.get("/projects/<int:project_id>/passages")
@login_required
def passages(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    page = search_passages(db.session, project, passage_filters(), text_in_query("cursor"), _limit())
    return jsonify(items=[_passage_json(passage) for passage in page.passages], next_cursor=page.next_cursor)


@bp.get("/documents/<int:document_id>")
@login_required
def document(document_id: int):
    heading = document_heading(db.session, document_id)
    if heading is None:
        raise NoSuchDocument(f"document {document_id} not found")
    project = project_or_refuse(heading.project_id, REVIEW)
    contents = document_contents(db.session, project, document_id, True, text_in_query("cursor"), _limit())
    return jsonify(_contents_json(contents))


def _limit() -> int:
    return limit_in_query(PAGE_SIZE, MOST_PER_PAGE)


def _document_json(document: DocumentListing) -> dict:
    tally = document.passages
    return {
        "id": document.id,
        "external_id": document.external_id,
        "title": document.title,
        "size": document.size,
        "passage_count": document.passage_count,
        "imported_at": iso_utc(document.imported_at),
        "imported_by": document.imported_by,
        "withdrawn_at": iso_utc(document.withdrawn_at),
        "passages": {
            "annotatable": tally.annotatable,
            "complete": tally.complete,
            "started": tally.started,
            "excluded": tally.excluded,
            "repeats": tally.repeats,
        },
    }


def _passage_json(passage: FoundPassage) -> dict:
    return {
        "id": passage.id,
        "document_id": passage.document_id,
        "document_external_id": passage.document.external_id,
        "document_title": passage.document.title,
        "index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "annotatable": passage.annotatable,
        "excluded_reason": passage.excluded_reason,
        "status": passage.status,
        "label_count": passage.label_count,
    }


def _contents_json(contents: DocumentContents) -> dict:
    document = asdict(contents.document)
    for name in ("imported_at", "withdrawn_at"):
        document[name] = iso_utc(document[name])
    return {
        "document": document,
        "passages": [{**_passage_json(passage), **_labels_json(contents, passage.id)} for passage in contents.passages],
        "next_cursor": contents.next_cursor,
    }


def _labels_json(contents: DocumentContents, passage_id: int) -> dict:
    found = contents.labels.get(passage_id)
    if found is None:
        return {"label_sets": [], "decision": None, "gold": {}}
    return {
        "label_sets": [
            {
                "annotator": one.username,
                "labels": one.labels,
                "note": one.note,
                "unsure": one.unsure,
                "updated_at": iso_utc(one.updated_at),
            }
            for one in found.label_sets
        ],
        "decision": found.decision
        and {
            "reviewer": found.decision.reviewer,
            "labels": found.decision.labels,
            "note": found.decision.note,
            "updated_at": iso_utc(found.decision.updated_at),
        },
        "gold": {name: {"value": gold.value, "source": gold.source} for name, gold in found.gold.items()},
    }
