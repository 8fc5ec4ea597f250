"""Sessions, CSRF and the authorisation checks every view goes through."""

from functools import wraps

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, jsonify, redirect, request, url_for
from flask_login import current_user, login_user, logout_user

from annotator import clock
from annotator.assignment.service import PASSAGE_COLUMNS
from annotator.documents.lookup import NoSuchDocument, NoSuchPassage
from annotator.documents.models import Document, Passage
from annotator.extensions import csrf, db, login_manager
from annotator.projects.access import project_for
from annotator.projects.models import Project
from annotator.users.models import User
from annotator.users.sessions import (
    SessionLimits,
    activity_due,
    end_session,
    find_session,
    note_activity,
    start_session,
)
from annotator.users.tokens import user_for_token
from annotator.web.errors import wants_json
from annotator.web.unit_of_work import separate_unit_of_work

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in."
login_manager.session_protection = "strong"


def init_app(app: Flask) -> None:
    secure = bool(app.config.get("SECURE_COOKIES"))
    for cookie in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{cookie}_HTTPONLY"] = True
        app.config[f"{cookie}_SAMESITE"] = app.config.get(f"{cookie}_SAMESITE") or "Lax"
        app.config[f"{cookie}_SECURE"] = secure
    # CSRF is checked below, for every state-changing request that rides on the session
    # cookie; a request carrying a valid API token has no ambient credentials to abuse.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.before_request(_note_session_activity)


def _check_csrf() -> None:
    if request.method not in SAFE_METHODS and _token_user() is None:
        csrf.protect()


def _token_user() -> User | None:
    """The user whose API token the request carries (looked up once per request)."""
    if "token_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        g.token_user = (
            user_for_token(db.session, token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        )
    return g.token_user


@login_manager.request_loader
def _load_user_from_token(_request) -> User | None:
    return _token_user()


@login_manager.unauthorized_handler
def _unauthorized():
    """The API (and whoever asks for JSON) gets 401 in JSON; pages send the browser to the sign-in form."""
    if wants_json():
        return jsonify(error="authentication required: sign in or send Authorization: Bearer TOKEN"), 401
    if request.headers.get("HX-Request"):  # a swap must not replace the annotator's work with the sign-in page
        return "You are signed out.", 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@login_manager.user_loader
def _load_user(session_key: str) -> User | None:
    """The user whose server-side session the cookie names; none (so: signed out) once it has
    ended (signed out, idle, too old, password changed or reset, account deactivated). A request
    that carries an API token is that token's user's, whatever browser session it also carries."""
    if request.headers.get("Authorization"):
        return None
    found = find_session(db.session, session_key, SessionLimits.of(current_app.config), clock.utcnow())
    if found is None:
        return None
    user, g.user_session = found
    return user


def _note_session_activity() -> None:
    """Keep the signed-in session's last-seen time (for the idle limit) up to date, at most once
    a minute per session, in a unit of work of its own before the view's: a page that only reads
    does not hold SQLite's one write turn for all its work, and a refused request still counts
    as activity."""
    if request.endpoint == "static" or not current_user.is_authenticated or "user_session" not in g:
        return
    now = clock.utcnow()
    if not activity_due(g.user_session, now):  # most requests: nothing to write, no session opened
        return
    try:
        with separate_unit_of_work() as noting:
            note_activity(noting, g.user_session, now)
    except sa.exc.OperationalError:  # a busy database: a later request brings it up to date
        pass


def sign_in(user: User) -> None:
    """Start a server-side session for the user in this browser (the request commits it)."""
    start_session(db.session, user, SessionLimits.of(current_app.config), clock.utcnow())
    login_user(user)


def sign_out() -> None:
    """End this browser's session on the server (a copy of its cookie opens nothing; the request
    commits it)."""
    if current_user.is_authenticated and current_user.session_key:
        end_session(db.session, current_user.session_key)
    logout_user()


def project_or_refuse(project_id: int, purpose: str) -> Project:
    """The project, if the signed-in user may use it for `purpose`; else a refusal (404, 403)."""
    return project_for(db.session, current_user, project_id, purpose)


_PASSAGE = sa.select(*PASSAGE_COLUMNS).where(Passage.__table__.c.id == sa.bindparam("id"))


def passage_or_refuse(passage_id: int, purpose: str) -> tuple[sa.Row, Project]:
    """The passage (a row of PASSAGE_COLUMNS) and its project, if the signed-in user may use
    the project for `purpose`; else a refusal (404, 403)."""
    passage = db.session.connection().execute(_PASSAGE, {"id": passage_id}).first()
    if passage is None:
        raise NoSuchPassage(f"passage {passage_id} not found")
    return passage, project_or_refuse(passage.project_id, purpose)


def passage_with_project(passage_id: int) -> tuple[Project, Passage]:
    """The passage and its project, for views that refuse everyone but admins beforehand (404 when
    there is no such passage)."""
    passage = db.session.get(Passage, passage_id)
    if passage is None:
        raise NoSuchPassage(f"passage {passage_id} not found")
    return db.session.get(Project, passage.project_id), passage


def document_with_project(document_id: int) -> tuple[Project, Document]:
    """The document and its project, as passage_with_project."""
    document = db.session.get(Document, document_id)
    if document is None:
        raise NoSuchDocument(f"document {document_id} not found")
    return db.session.get(Project, document.project_id), document


def roles_required(*roles: str):
    """Signed in, with one of these roles; otherwise 403."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.is_authenticated:  # whatever the method (login_required lets OPTIONS through)
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate
