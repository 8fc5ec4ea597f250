"""Downloads: every export kind streamed from the same generator as the command line, so a
large export starts at once and never times out. Reviewers and admins; backups admins only.

The page says how many lines each download gives before it starts; the training form asks
for the count of its current choices as they change (htmx swaps #training-count). A choice the
export refuses shows the form again, with what was typed and why."""

from urllib.parse import quote

from flask import Blueprint, Response, make_response, render_template, request, stream_with_context
from flask_login import current_user, login_required

from annotator.exporting.counts import line_counts
from annotator.exporting.fever import fever_shape
from annotator.exporting.kinds import ADMIN_ONLY, KINDS, ExportRequest, check_kind, export_lines, file_name
from annotator.exporting.training_options import TrainingOptions
from annotator.exporting.training_selection import training_line_count
from annotator.extensions import db, htmx
from annotator.projects.access import REVIEW
from annotator.projects.schema_store import schema_of
from annotator.web.export_form import FORMATS, TrainingForm
from annotator.web.security import project_or_refuse
from annotator.web.unit_of_work import discard_changes, read_while_streaming

bp = Blueprint("exports", __name__, url_prefix="/projects")
TRAINING_COUNT = "training-count"  # the id htmx swaps


@bp.get("/<int:project_id>/exports")
@login_required
def exports(project_id: int):
    project = project_or_refuse(project_id, REVIEW)
    return _page(project, TrainingForm(request.args, _field_names(project)))


@bp.get("/<int:project_id>/exports/<kind>")
@login_required
def download(project_id: int, kind: str):
    project = project_or_refuse(project_id, REVIEW)
    check_kind(kind, current_user.is_admin)
    form = TrainingForm(request.args, _field_names(project))
    if form.invalid:
        return _page(project, form), 422
    try:
        wanted = ExportRequest(kind, form.csv, form.options())
        lines = export_lines(db.session, project, wanted)
    except ValueError as error:
        discard_changes()
        return _page(project, form.refused(error)), 422
    response = Response(
        stream_with_context(read_while_streaming(lines)), mimetype="text/csv" if wanted.csv else "application/x-ndjson"
    )
    response.headers["Content-Disposition"] = attachment(
        file_name(project, wanted), file_name(project, wanted, ascii_only=True)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def attachment(name: str, ascii_name: str) -> str:
    """Content-Disposition of a download (RFC 6266): the name in any script as UTF-8 in
    `filename*`, which browsers use, and an ASCII stand-in in `filename` for clients that
    predate it (a header is Latin-1: a name in Cyrillic or Chinese cannot go there)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _page(project, form: TrainingForm):
    """The whole page, or only the count of the training form's choices for htmx (one template
    includes the other)."""
    context = {"project": project, "form": form, "chosen_lines": _chosen_lines(project, form), "formats": FORMATS}
    if htmx and htmx.target == TRAINING_COUNT:
        response = make_response(render_template("exports/_training_count.html", **context))
    else:
        response = make_response(
            render_template(
                "exports/page.html",
                **context,
                kinds=KINDS,
                admin_only=ADMIN_ONLY,
                fields=_field_names(project),
                fever=fever_shape(schema_of(db.session, project)),
                lines=line_counts(db.session, project, backup=current_user.is_admin),
                labelled_lines=training_line_count(db.session, project, TrainingOptions()),
                all_lines=training_line_count(db.session, project, TrainingOptions(all_passages=True)),
            )
        )
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


def _chosen_lines(project, form: TrainingForm) -> int | None:
    """The lines the training download gives with the form's choices; None when they are
    refused (the form then says why)."""
    if form.invalid:
        return None
    try:
        return training_line_count(db.session, project, form.options())
    except ValueError as error:
        discard_changes()
        form.refused(error)
        return None


def _field_names(project) -> list[str]:
    return schema_of(db.session, project).names
