"""Downloads: every export kind streamed from the same generator as the command line, so a
large export starts at once and never times out. Reviewers and admins; backups admins only."""

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import current_user, login_required

from annotator.db import db
from annotator.exporting.kinds import ADMIN_ONLY, KINDS, ExportRequest, export_lines, file_name
from annotator.exporting.splits import parse_split
from annotator.exporting.training_options import TrainingOptions
from annotator.projects.access import REVIEW
from annotator.projects.schemas import current_schema
from annotator.security import project_or_abort

bp = Blueprint("exports", __name__, url_prefix="/projects")


@bp.get("/<int:project_id>/exports")
@login_required
def exports(project_id: int):
    project = project_or_abort(project_id, REVIEW)
    return render_template("exports/page.html", project=project, kinds=KINDS, admin_only=ADMIN_ONLY,
                           fields=[field["name"] for field in current_schema(db.session, project)["fields"]])


@bp.get("/<int:project_id>/exports/<kind>")
@login_required
def download(project_id: int, kind: str):
    project = project_or_abort(project_id, REVIEW)
    if kind not in KINDS:
        abort(404)
    if kind in ADMIN_ONLY and not current_user.is_admin:
        abort(403)
    try:
        wanted = ExportRequest(kind, request.args.get("format") == "csv", _training_options())
        lines = export_lines(db.session, project, wanted)
    except ValueError as error:
        abort(400, str(error))
    response = Response(stream_with_context(_ending_the_read(lines)), mimetype="text/csv" if wanted.csv else "application/x-ndjson")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(project, wanted)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _ending_the_read(lines):
    """The lines, then the end of the export's read transaction (also when the download is cut)."""
    try:
        yield from lines
    finally:
        db.session.rollback()


def _training_options() -> TrainingOptions:
    arguments = request.args
    minimum = arguments.get("min_agreement", type=float)
    if minimum is not None and not 0 <= minimum <= 1:
        raise ValueError("min_agreement is between 0 and 1")
    fields = tuple(arguments.getlist("field")) or None
    return TrainingOptions(
        context=arguments.get("context") == "1", names=arguments.get("names") == "1", min_agreement=minimum,
        adjudicated_only=arguments.get("adjudicated_only") == "1", all_passages=arguments.get("all_passages") == "1",
        fields=fields,
        split=parse_split(arguments["split"]) if arguments.get("split") else None, seed=arguments.get("seed", 0, type=int),
    )
