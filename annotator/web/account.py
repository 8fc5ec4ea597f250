"""The signed-in user's own settings: API tokens (created, shown once, revoked) and password."""

import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from annotator import clock
from annotator.extensions import db
from annotator.users.services import UserError, change_password
from annotator.users.throttling import claim_attempt, network_of, record_success, wait_in_words
from annotator.users.tokens import create_token, own_token, revoke_token, tokens_of
from annotator.web.forms import PasswordChangeForm, TokenForm, first_problem
from annotator.web.security import sign_in
from annotator.web.unit_of_work import discard_changes, separate_unit_of_work

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _signed_in_only():
    """Every settings page is the signed-in user's own."""


@bp.get("")
def settings():
    return _page()


@bp.post("/tokens")
def create_token_view():
    form = TokenForm()
    if not form.validate():
        return _page(token_error=first_problem(form)), 422
    _, plain = create_token(db.session, current_user, form.name.data or "unnamed")
    # Shown in this answer only: never flashed, as the session cookie is signed, not encrypted.
    return _page(new_token=plain), 201


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token_view(token_id: int):
    token = own_token(db.session, current_user, token_id)
    revoke_token(token)
    flash(f"Token {token.name} revoked; scripts using it are refused from now on.", "success")
    return redirect(url_for(".settings"), code=303)


@bp.post("/password")
def change_password_view():
    # The current password is guessed no faster here than at sign-in (whoever holds a session
    # must not learn the password from this form): the same throttle, counted first, in a unit
    # of work of its own that stays committed when the change is refused.
    form = PasswordChangeForm()
    if not form.validate():
        return _page(password_error=first_problem(form)), 422
    address, now = network_of(request.remote_addr or ""), clock.utcnow()
    with separate_unit_of_work() as counting:
        wait = claim_attempt(counting, current_user.username, address, now)
    if wait is not None:
        error = f"Too many attempts. Wait {wait_in_words(wait)}, then try again."
        return _page(password_error=error), 429, {"Retry-After": str(math.ceil(wait.total_seconds()))}
    try:
        change_password(db.session, current_user, form.current.data or "", form.new.data or "")
    except UserError as error:
        discard_changes()
        return _page(password_error=str(error)), 422
    record_success(db.session, current_user.username, address, now)
    sign_in(current_user._get_current_object())  # this browser goes on, in a new session
    flash("Password changed; your other sessions have ended and your API tokens are revoked.", "success")
    return redirect(url_for(".settings"), code=303)


def _page(**context):
    return render_template("account/settings.html", tokens=tokens_of(db.session, current_user), **context)
