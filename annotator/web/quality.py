"""Quality-control pages for reviewers and admins: promoting a decided passage to gold (from the
decision screen), resuming a paused annotator (admins), leaving a paused annotator's labels out
of gold (reviewers). The overview and agreement pages show each annotator's gold accuracy
through the template global `gold_accuracy_of`."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from annotator.clock import utcnow
from annotator.documents.lookup import passage_in
from annotator.extensions import db
from annotator.projects.access import REVIEW, may
from annotator.quality.accuracy import gold_accuracy, gold_counts
from annotator.quality.gold import gold_of, promote_to_gold, remove_gold
from annotator.quality.standing import resume, set_labels_excluded
from annotator.web.security import project_or_refuse

bp = Blueprint("quality", __name__, url_prefix="/projects")


@bp.post("/<int:project_id>/review/<int:passage_id>/gold")
@login_required
def promote(project_id: int, passage_id: int):
    project = project_or_refuse(project_id, REVIEW)
    passage = passage_in(db.session, project.id, passage_id)
    explanation = request.form.get("explanation", "")
    promote_to_gold(db.session, project, passage.id, current_user, explanation, "onboarding" in request.form)
    flash("This passage is gold now: annotators get it as a check, and their answers are scored.", "success")
    return redirect(url_for("review.passage", project_id=project.id, passage_id=passage.id), code=303)


@bp.post("/<int:project_id>/review/<int:passage_id>/gold/remove")
@login_required
def unpromote(project_id: int, passage_id: int):
    project = project_or_refuse(project_id, REVIEW)
    passage = passage_in(db.session, project.id, passage_id)
    if remove_gold(db.session, project, passage.id):
        flash("This passage is no longer gold; the answers scored on it went with it.", "success")
    return redirect(url_for("review.passage", project_id=project.id, passage_id=passage.id), code=303)


@bp.post("/<int:project_id>/annotators/<int:user_id>/resume")
@login_required
def resume_annotator(project_id: int, user_id: int):
    project = project_or_refuse(project_id, REVIEW)
    if not current_user.is_admin:
        abort(403)
    resume(db.session, project, user_id, current_user, utcnow())
    flash("Resumed: the annotator gets passages again, and the pausing rule counts afresh.", "success")
    return redirect(url_for("projects.overview", project_id=project.id) + "#gold-checks", code=303)


@bp.post("/<int:project_id>/annotators/<int:user_id>/exclusion")
@login_required
def exclusion(project_id: int, user_id: int):
    project = project_or_refuse(project_id, REVIEW)
    excluded = request.form.get("excluded") == "yes"
    set_labels_excluded(db.session, project, user_id, excluded, current_user, utcnow())
    flash("Their labels are left out of gold." if excluded else "Their labels count for gold again.", "success")
    return redirect(url_for("projects.overview", project_id=project.id) + "#gold-checks", code=303)


@bp.app_template_global()
def gold_accuracy_of(project) -> list:
    """Every annotator's gold accuracy in the project, for reviewers' pages only."""
    if not may(db.session, current_user, project.id, REVIEW):
        return []
    return gold_accuracy(db.session, project.id)


@bp.app_template_global()
def gold_counts_of(project) -> dict:
    return gold_counts(db.session, project.id)


@bp.app_template_global()
def gold_of_passage(passage_id: int):
    """The passage's gold (for the decision screen, which only reviewers reach)."""
    return gold_of(db.session, passage_id)
