"""Reviewers' pages: the queue of disputed passages, the decision screen, the agreement dashboard."""

import sqlalchemy as sa
from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from annotator.annotations.adjudications import DISAGREEMENT_CATEGORIES
from annotator.annotations.recording import parse_client_time
from annotator.assignment.models import ANY_FIELD, PassageAgreement
from annotator.documents.context import document_heading, neighbours
from annotator.documents.lookup import passage_in
from annotator.extensions import db, htmx
from annotator.project_agreement.snapshot import agreement_figures
from annotator.projects.access import REVIEW
from annotator.projects.schema_store import schema_of
from annotator.review.adjudicating import (
    CategoryNeeded,
    Decision,
    UnknownCategory,
    adjudicate,
    answer_keys,
    category_key,
    current_adjudication,
    decision_summary,
    opinions,
    passage_gold,
)
from annotator.review.categories import category_counts
from annotator.review.conflicts import conflicts_of, field_conflicts
from annotator.review.decision_start import starting_labels
from annotator.review.queue import COUNT_UP_TO, next_in_queue, queue_length, queue_position, review_queue
from annotator.schema import LabelError
from annotator.web import charts
from annotator.web.discussion import thread_context
from annotator.web.label_form import label_form
from annotator.web.marking import marking_context
from annotator.web.query import id_in_query, text_in_query
from annotator.web.security import project_or_refuse
from annotator.web.unit_of_work import discard_changes

bp = Blueprint("review", __name__, url_prefix="/projects")


@bp.get("/<int:project_id>/review")
@login_required
def queue(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    field = _field(project)
    schema = schema_of(db.session, project)
    entries, next_cursor = review_queue(db.session, project, field, text_in_query("after"))
    return render_template(
        "review/queue.html",
        project=project,
        field=field,
        entries=entries,
        next_cursor=next_cursor,
        waiting=queue_length(db.session, project, field),
        count_up_to=COUNT_UP_TO,
        fields=schema.measured_fields,
        any_field=ANY_FIELD,
        confirmation=_decided(project),
        conflicts=conflicts_of(db.session, schema, [entry.passage_id for entry in entries]),
    )


@bp.get("/<int:project_id>/review/<int:passage_id>")
@login_required
def passage(project_id: int, passage_id: int):
    project, found = _passage_in(project_id, passage_id)
    return _decision_page(project, found)


@bp.post("/<int:project_id>/review/<int:passage_id>")
@login_required
def decide(project_id: int, passage_id: int):
    project, found = _passage_in(project_id, passage_id)
    form = label_form(schema_of(db.session, project))
    labels, note, category = form.labels(), form.note.data or "", request.form.get("category") or None
    try:
        adjudicate(
            db.session,
            project,
            found.id,
            current_user,
            labels,
            note,
            parse_client_time(form.client_time.data),
            category,
            category_needed=True,
        )
    except (LabelError, UnknownCategory, CategoryNeeded) as error:
        discard_changes()
        chosen = {"labels": labels, "note": note, "category": category}
        return _decision_page(project, found, chosen=chosen, error=str(error)), 422
    return redirect(_after(project, found.id, decided=True), code=303)


@bp.get("/<int:project_id>/agreement")
@login_required
def agreement(project_id: int):
    return _figures_response(project_or_refuse(project_id, REVIEW), refresh=False)


@bp.post("/<int:project_id>/agreement")
@login_required
def refresh_agreement(project_id: int):
    """Compute the figures again now (they are recomputed anyway once labels change)."""
    return _figures_response(project_or_refuse(project_id, REVIEW), refresh=True)


def _figures_response(project, refresh: bool):
    result = agreement_figures(db.session, project, refresh)
    fragment = htmx and htmx.target == "figures"
    response = make_response(
        render_template(
            "review/_figures.html" if fragment else "review/agreement.html",
            project=project,
            result=result,
            charts=charts,
            categories=[] if fragment else category_counts(db.session, project),
        )
    )
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


def _decision_page(project, found, chosen: dict | None = None, error: str | None = None):
    schema = schema_of(db.session, project)
    decided = current_adjudication(db.session, found.id)
    given = opinions(db.session, found.id)
    before, after = neighbours(db.session, found)
    take_keys = answer_keys(schema, len(given))
    marking = marking_context(db.session, schema, found.id, frozenset(key for key in take_keys if key))
    gold = passage_gold(schema, given, decided, marking["words"])
    if chosen is None:  # the reviewer's own decision, or what every annotator said alike and the gold spans
        chosen = (
            {"labels": decided.labels, "note": decided.note, "category": decided.category}
            if decided
            else {"labels": starting_labels(schema, given, gold), "note": "", "category": None}
        )
    field = _field(project)
    return render_template(
        "review/passage.html",
        project=project,
        passage=found,
        schema=schema,
        opinions=given,
        take_keys=take_keys,
        disputed=_disputed(schema, given),
        gold=gold,
        **marking,
        decided=decided,
        chosen=chosen,
        error=error,
        before=before,
        after=after,
        document=document_heading(db.session, found.document_id),
        field=field,
        skip_to=_after(project, found.id),
        waiting=queue_length(db.session, project, field),
        position=queue_position(db.session, project, field, found.id),
        count_up_to=COUNT_UP_TO,
        confirmation=_decided(project),
        categories=DISAGREEMENT_CATEGORIES,
        category_key=category_key(schema, take_keys),
        **thread_context(project, found.id, back="review"),
    )


def _disputed(schema: dict, given) -> set[str]:
    """The names of the fields the annotators answered differently."""
    return {conflict.name for conflict in field_conflicts(schema, [(o.username, o.labels) for o in given])}


def _decided(project) -> Decision | None:
    """The decision just saved (`decided` in the query string), to confirm it on the next page."""
    passage_id = id_in_query("decided")
    return decision_summary(db.session, project, passage_id) if passage_id else None


def _after(project, passage_id: int, decided: bool = False) -> str:
    """The passage after this one in the queue (this one left it, or is passed over), else the
    queue itself; `decided` asks that page to confirm the decision just saved."""
    field = _field(project)
    position = db.session.scalar(
        sa.select(PassageAgreement.agreement).where(
            PassageAgreement.passage_id == passage_id, PassageAgreement.field == field
        )
    )
    following = next_in_queue(
        db.session, project, field, f"{position!r}:{passage_id}" if position is not None else None
    )
    confirm = {"decided": passage_id} if decided else {}
    if following is None:
        return url_for(".queue", project_id=project.id, field=field, **confirm)
    return url_for(".passage", project_id=project.id, passage_id=following, field=field, **confirm)


def _field(project) -> str:
    """The field the queue is filtered on (ANY_FIELD: the lowest agreement of all)."""
    field = text_in_query("field") or ANY_FIELD
    known = {measured.name for measured in schema_of(db.session, project).measured_fields}
    return field if field in known else ANY_FIELD


def _passage_in(project_id: int, passage_id: int):
    project = project_or_refuse(project_id, REVIEW)
    return project, passage_in(db.session, project.id, passage_id)
