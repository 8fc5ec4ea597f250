"""Error answers, the same for every blueprint: a page in the layout for people (what happened,
in plain words, and a way back), a short fragment for htmx (never a whole page swapped into the
workspace), JSON `{"error": ...}` for the API and for requests that ask for JSON.

Every error answer rolls the session back first: no half-made change outlives a refusal, and a
failed transaction (PostgreSQL refuses every statement after an error) does not break the page.

A service's refusal (annotator.domain_errors) that its view does not answer itself (a form shown
again) is answered here, by its meaning only: 404, 403, 409 or 400, with its message.

A database that is unavailable or cannot write (annotator.database_outage) is answered 503 with
Retry-After, saying so, and logged once per outage rather than once per request."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, Conflict, Forbidden, HTTPException, NotFound, ServiceUnavailable

from annotator.database_outage import DATABASE_ERRORS, OutageLog, outage_reason
from annotator.domain_errors import DomainError, Meaning
from annotator.extensions import htmx
from annotator.web.unit_of_work import roll_back

bp = Blueprint("errors", __name__)
OUTAGES = "annotator.outages"  # the app's OutageLog, in app.extensions

API_BLUEPRINT = "api"

# Per status: a heading and what it means for the person who sees it.
EXPLANATIONS = {
    400: ("The request could not be used", "Something the page sent was missing or not understood."),
    401: ("Please sign in", "This page is for signed-in users."),
    403: (
        "Not open to your account",
        "Your account may not use this page. If you need it, ask an admin: admins give "
        "accounts their role and make them members of projects.",
    ),
    404: (
        "Nothing here",
        "There is no page at this address: the link may be old or mistyped, or what it showed was removed.",
    ),
    405: (
        "Not a way to use this address",
        "This address does not take that kind of request; the links and forms on the pages use it the right way.",
    ),
    413: (
        "Too large",
        "What was sent is larger than the {limit} one request may carry here. Send fewer files at a "
        "time, or import large collections on the command line (annotator import-docs).",
    ),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    500: (
        "Something went wrong on the server",
        "Nothing of this request was saved. Try again; if it happens again, "
        "tell an admin, who finds the details in the server's log.",
    ),
    503: (
        "The server cannot store anything right now",
        "Its database is unavailable or cannot write (it may be "
        "restarting, or its disk full). Nothing of this request was saved. Try again in a minute; the annotate "
        "screen tries again by itself and keeps your choices.",
    ),
}
CSRF_EXPLANATION = (
    "The form has expired",
    "The form was open too long, or you signed in again elsewhere: reload the "
    "page and try again. What you typed in it was not saved.",
)


# A refusal of the domain, answered by its meaning alone (annotator.domain_errors).
STATUS_OF = {
    Meaning.NOT_FOUND: NotFound,
    Meaning.FORBIDDEN: Forbidden,
    Meaning.CONFLICT: Conflict,
    Meaning.INVALID: BadRequest,
}


class DatabaseUnavailable(ServiceUnavailable):
    description = (
        "The database is unavailable or cannot write (restarting, or its disk full): nothing of this "
        "request was saved. Try again after the time in Retry-After."
    )


@bp.record_once
def _keep_an_outage_log(state) -> None:
    state.app.extensions[OUTAGES] = OutageLog(state.app.logger)


@bp.app_errorhandler(HTTPException)
def error_answer(error: HTTPException):
    roll_back()
    if wants_json():
        response = jsonify(error=error.description)
        response.status_code = error.code
    else:
        response = _for_people(error)
    for name, value in error.get_headers():  # Allow on a 405, Retry-After on a 503
        if name != "Content-Type":
            response.headers[name] = value
    return response


def _for_people(error: HTTPException):
    heading, explanation = _explained(error)
    context = {"code": error.code, "heading": heading, "explanation": explanation, "detail": _detail(error)}
    if htmx and not htmx.boosted:
        response = current_app.make_response((render_template("errors/_message.html", **context), error.code))
    else:
        response = current_app.make_response((_page(context), error.code))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.app_errorhandler(DomainError)
def refusal_answer(refusal: DomainError):
    """A service's refusal that its view left to this answer: its status by its meaning, its
    message as the page's detail or the JSON's error."""
    return error_answer(STATUS_OF[refusal.meaning](description=str(refusal)))


@bp.app_errorhandler(sa.exc.DBAPIError)
@bp.app_errorhandler(sa.exc.TimeoutError)
def database_failure(error: Exception):
    """503 when the database is unavailable or cannot write; any other database error is a
    fault of the server (500, logged with its traceback)."""
    reason = outage_reason(error)
    if reason is None:
        raise error
    current_app.extensions[OUTAGES].failed(reason)
    _without_the_user()
    return error_answer(DatabaseUnavailable(retry_after=current_app.config["DATABASE_RETRY_AFTER_SECONDS"]))


@bp.after_app_request
def _outage_over(response):
    if response.status_code != DatabaseUnavailable.code:
        current_app.extensions[OUTAGES].succeeded()
    return response


def wants_json() -> bool:
    """A request to the JSON API, or one that prefers JSON to HTML."""
    if request.blueprint == API_BLUEPRINT or _under(current_app.blueprints[API_BLUEPRINT].url_prefix):
        return True
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json"


def _under(prefix: str) -> bool:
    return request.path == prefix or request.path.startswith(prefix + "/")


def _explained(error: HTTPException) -> tuple[str, str]:
    if isinstance(error, CSRFError):
        return CSRF_EXPLANATION
    heading, explanation = EXPLANATIONS.get(error.code, (error.name, "The request could not be answered."))
    return heading, explanation.format(limit=_size(current_app.config.get("MAX_CONTENT_LENGTH")))


def _size(limit: int | None) -> str:
    if limit is None:
        return "limit"
    return f"{round(limit / 1048576, 1):g} MB" if limit >= 1048576 else f"{round(limit / 1024, 1):g} KB"


def _detail(error: HTTPException) -> str | None:
    """The reason the application gave, when it gave one (Werkzeug's stock wording adds nothing
    to the explanation, and a 500 never shows its cause)."""
    if error.code >= 500 or isinstance(error, CSRFError) or error.description == type(error).description:
        return None
    return error.description


def _page(context: dict) -> str:
    way_back = {"back": _page_before(), "home": url_for("main.index")}
    try:
        return render_template("errors/page.html", **context, **way_back)
    except DATABASE_ERRORS as error:  # the layout asks the database who is signed in
        if outage_reason(error) is None:
            raise
        roll_back()
        _without_the_user()
        return render_template("errors/page.html", **context, **way_back)
    except Exception:  # the layout reads the database (the signed-in user), which may be what failed
        if context["code"] < 500:
            raise
        current_app.logger.exception("the error page could not be drawn")
        return f"{context['heading']}. {context['explanation']}"


def _without_the_user() -> None:
    """While the database is out, a page is drawn as for nobody signed in: its header shows who
    is, which only the database can tell."""
    g._login_user = current_app.login_manager.anonymous_user()


def _page_before() -> str | None:
    """The page the user came from, when it is on this site and not this very page."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.scheme not in ("http", "https") or parts.netloc != request.host or referrer == request.url:
        return None
    return referrer
