"""Signing in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from annotator.db import db
from annotator.users.authentication import Credentials, LoginRefused, authenticate

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200
    try:
        user = authenticate(db.session, Credentials(form.username.data, form.password.data, request.remote_addr or ""))
    except LoginRefused as refusal:
        db.session.commit()  # the failed attempt counts
        return render_template("auth/login.html", form=form, error=str(refusal)), 429 if refusal.throttled else 401
    db.session.commit()
    session.clear()  # no session fixation: a fresh session for the signed-in user
    login_user(user)
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.index")
