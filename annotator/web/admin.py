"""Admin pages: accounts and who works on which project."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from annotator.db import db
from annotator.projects.models import MEMBER_ROLES, Project
from annotator.projects.services import ProjectError, add_member, members_of, remove_member
from annotator.security import roles_required
from annotator.users.models import ROLES, User
from annotator.users.services import UserError, all_users, create_user, reset_password, set_active

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required("admin")
def _admins_only():
    """Every admin page is for admins only."""


@bp.get("/users")
def users():
    return render_template("admin/users.html", users=all_users(db.session), roles=ROLES)


@bp.post("/users")
def create_user_view():
    return _act(lambda: create_user(db.session, request.form.get("username", ""), request.form.get("password", ""),
                                    request.form.get("role", "")),
                "Account created.", url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
def reset_password_view(user_id: int):
    user = _user(user_id)
    return _act(lambda: reset_password(user, request.form.get("password", "")),
                f"New password set for {user.username}; their sessions have ended.", url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
def set_active_view(user_id: int):
    user = _user(user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user.id and not active:
        return _refuse("You cannot deactivate your own account.", url_for("admin.users"))
    return _act(lambda: set_active(user, active), f"{user.username} {'reactivated' if active else 'deactivated'}.", url_for("admin.users"))


@bp.get("/projects/<int:project_id>/members")
def members(project_id: int):
    project = _project(project_id)
    return render_template("admin/members.html", project=project, members=members_of(db.session, project),
                           roles=MEMBER_ROLES, users=[u for u in all_users(db.session) if u.active])


@bp.post("/projects/<int:project_id>/members")
def add_member_view(project_id: int):
    project = _project(project_id)
    return _act(lambda: add_member(db.session, project, request.form.get("username", ""), request.form.get("role", "")),
                "Member added.", url_for("admin.members", project_id=project.id))


@bp.post("/projects/<int:project_id>/members/<int:member_id>/remove")
def remove_member_view(project_id: int, member_id: int):
    project = _project(project_id)
    return _act(lambda: remove_member(db.session, project, member_id), "Member removed.",
                url_for("admin.members", project_id=project.id))


def _act(change, message: str, target: str):
    """Run a change; commit and say so, or roll back and show why (one boundary per request)."""
    try:
        change()
    except (UserError, ProjectError) as error:
        db.session.rollback()
        return _refuse(str(error), target)
    db.session.commit()
    flash(message, "success")
    return redirect(target, code=303)


def _refuse(message: str, target: str):
    flash(message, "error")
    return redirect(target, code=303)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _project(project_id: int) -> Project:
    return db.session.get(Project, project_id) or abort(404)
