"""Sessions, CSRF and the authorisation checks every view goes through."""

from functools import wraps

import sqlalchemy as sa
from flask import Flask, abort
from flask_login import LoginManager, current_user, login_required
from flask_wtf import CSRFProtect

from annotator.db import db
from annotator.users.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in."
login_manager.session_protection = "strong"
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    secure = bool(app.config.get("SECURE_COOKIES"))
    for cookie in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{cookie}_HTTPONLY"] = True
        app.config[f"{cookie}_SAMESITE"] = app.config.get(f"{cookie}_SAMESITE") or "Lax"
        app.config[f"{cookie}_SECURE"] = secure
    login_manager.init_app(app)
    csrf.init_app(app)


@login_manager.user_loader
def _load_user(session_token: str) -> User | None:
    """The user a session belongs to; none (so: signed out) once deactivated or the password
    was reset, as both replace the token."""
    user = db.session.scalar(sa.select(User).where(User.session_token == session_token))
    return user if user is not None and user.active else None


def roles_required(*roles: str):
    """Signed in, with one of these roles; otherwise 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def checked(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate
