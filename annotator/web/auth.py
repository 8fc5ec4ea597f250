"""Signing in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from annotator.db import db
from annotator.security import sign_in, sign_out
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
    session.clear()  # no session fixation: a fresh session for the signed-in user
    sign_in(user)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.post("/logout")
def logout():
    sign_out()
    db.session.commit()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@bp.get("/session")
def current_session():
    """Who this browser is signed in as, and the CSRF token of its session: an open page whose
    session ended (signed in again elsewhere, cookies cleared, password reset) asks here
    before it sends what the user chose again, so that it goes with a valid token and
    never under another user's name."""
    signed_in = current_user.is_authenticated
    response = jsonify(signed_in=signed_in, user_id=current_user.id if signed_in else None,
                       username=current_user.username if signed_in else None, csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.index")
