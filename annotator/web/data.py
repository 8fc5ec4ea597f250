"""The data manager's pages, for a project's reviewers and admins: its documents, a search over
its passages, and a document with its passages, label sets and gold. Corrections (admins) are
curation's: these pages include its actions beside each passage and document.

A document's page is at /projects/<id>/documents/<id>/passages: the address without the last part
is the annotate screen's whole-document view (annotate.document), open to annotators."""

from flask import Blueprint, make_response, render_template, request
from flask_login import login_required

from annotator.data_manager.contents import cursor_at, document_contents
from annotator.data_manager.listing import SORT_COLUMNS, DocumentSort, list_documents
from annotator.data_manager.search import PassagePage, search_passages
from annotator.data_manager.status import STATUS_FILTERS
from annotator.documents.models import EXCLUDED_REASONS
from annotator.domain_errors import Invalid
from annotator.extensions import db, htmx
from annotator.projects.access import REVIEW
from annotator.projects.schema_store import schema_of
from annotator.web.query import passage_filters, text_in_query
from annotator.web.security import project_or_refuse
from annotator.web.unit_of_work import discard_changes

bp = Blueprint("data", __name__, url_prefix="/projects")
RESULTS = "passage-results"  # the id htmx swaps on the search page


@bp.get("/<int:project_id>/documents")
@login_required
def documents(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    sort = DocumentSort.parse(text_in_query("sort"))
    cursor = text_in_query("cursor")
    return render_template(
        "data/documents.html",
        project=project,
        page=list_documents(db.session, project, sort, cursor),
        sort=sort,
        sort_keys=SORT_COLUMNS,
        cursor=cursor,
        reasons=EXCLUDED_REASONS,
    )


@bp.get("/<int:project_id>/passages")
@login_required
def passages(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    filters = passage_filters()
    cursor = text_in_query("cursor")
    try:
        found, problem = search_passages(db.session, project, filters, cursor), None
    except Invalid as refusal:
        discard_changes()
        found, problem = PassagePage([], None), str(refusal)
    fragment = htmx and htmx.target == RESULTS
    response = make_response(
        render_template(
            "data/_passage_results.html" if fragment else "data/passages.html",
            project=project,
            filters=filters,
            found=found,
            cursor=cursor,
            problem=problem,
            statuses=STATUS_FILTERS,
            cursor_at=cursor_at,
            label_fields=[field for field in schema_of(db.session, project).fields if field.option_values],
            back=request.full_path.rstrip("?"),
        ),
        400 if problem else 200,
    )
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@bp.get("/<int:project_id>/documents/<int:document_id>/passages")
@login_required
def document(project_id: int, document_id: int):
    project = project_or_refuse(project_id, REVIEW)
    cursor = text_in_query("cursor")
    contents = document_contents(db.session, project, document_id, with_labels=True, cursor=cursor)
    return render_template(
        "data/document.html",
        project=project,
        contents=contents,
        document=contents.document,
        schema=schema_of(db.session, project),
        cursor=cursor,
        back=request.full_path.rstrip("?"),
    )
