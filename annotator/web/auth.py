"""Signing in and out."""

import math
import re
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from annotator import clock
from annotator.extensions import db
from annotator.users.authentication import Credentials, LoginRefused, authenticate
from annotator.users.throttling import claim_attempt, network_of, wait_in_words
from annotator.web.query import text_in_query
from annotator.web.security import sign_in, sign_out
from annotator.web.unit_of_work import separate_unit_of_work

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    # No control characters: no account has them, and PostgreSQL refuses NUL in text.
    username = StringField("Username", validators=[DataRequired(), Length(max=80), Regexp(r"^[^\x00-\x1f\x7f]*\Z")])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200
    credentials = Credentials(form.username.data.strip(), form.password.data, network_of(request.remote_addr or ""))
    # Counted before the password is checked, in a unit of work of its own committed at once:
    # simultaneous guesses cannot all pass the count while the first is being checked, and the
    # attempt stays counted when the answer is a refusal (which rolls the request back).
    with separate_unit_of_work() as counting:
        wait = claim_attempt(counting, credentials.username, credentials.address, clock.utcnow())
    if wait is not None:
        return _too_soon(form, wait)
    try:
        user = authenticate(db.session, credentials, clock.utcnow())
    except LoginRefused as refusal:
        return render_template("auth/login.html", form=form, error=str(refusal)), 401
    session.clear()  # no session fixation: a fresh session for the signed-in user
    sign_in(user)
    return redirect(_safe_next(text_in_query("next")), code=303)


def _too_soon(form: LoginForm, wait: timedelta):
    page = render_template(
        "auth/login.html", form=form, error=f"Too many failed attempts. Wait {wait_in_words(wait)}, then try again."
    )
    return page, 429, {"Retry-After": str(math.ceil(wait.total_seconds()))}


@bp.post("/logout")
def logout():
    sign_out()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@bp.get("/session")
def current_session():
    """Who this browser is signed in as, and the CSRF token of its session: an open page whose
    session ended (signed in again elsewhere, cookies cleared, password reset) asks here
    before it sends what the user chose again, so that it goes with a valid token and
    never under another user's name."""
    signed_in = current_user.is_authenticated
    response = jsonify(
        signed_in=signed_in,
        user_id=current_user.id if signed_in else None,
        username=current_user.username if signed_in else None,
        csrf_token=generate_csrf(),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target: str | None) -> str:
    return target if is_local_path(target) else url_for("main.index")


def is_local_path(target: str | None) -> bool:
    r"""Only a path on this site: never another host (`//host`, or `/\host`, which browsers read
    as `//host`), and nothing with a control character (a line break would split the redirect's
    header; browsers drop tabs and line breaks, so `/\t/host` would lead to `//host`)."""
    if target and target.startswith("/") and not _NOT_IN_A_PATH.search(target):
        parts = urlsplit(target)
        return not parts.scheme and not parts.netloc and not target.startswith("//")
    return False


_NOT_IN_A_PATH = re.compile(r"[\x00-\x1f\x7f\\]")
