"""The request's transaction boundary: one unit of work per request, as indico's request handler
keeps it. Views, and the services they call, change the session and flush; they never commit.
Here, once the view has answered and before the answer is sent, the request commits, or rolls
back when the view raised or refused (any status from 400 up: a refusal stores nothing). An
acknowledged label is thus stored before its acknowledgement leaves, and a commit that fails
(the database gone) turns the answer into the error page (503), never a "saved" that was not.

Two kinds of answer keep their own transactions, each said where it is used:
- a streamed answer (a download) reads in the export's own read transaction for as long as it
  streams; it changes nothing, and `read_while_streaming` ends that transaction when it ends;
- what must start only once the request's work is stored (a background import job, which reads
  the job the request wrote) is handed to `after_commit`, run once the commit has succeeded, with
  its undo run instead when the request is rolled back;
- what must hold whatever the request then answers (a counted sign-in attempt, which stays
  counted when the password is wrong) is written in `separate_unit_of_work`, a session of its
  own committed when its block ends.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import sqlalchemy.orm as so
from flask import Response, current_app, g

from annotator.database_outage import DATABASE_ERRORS
from annotator.extensions import db

REFUSED_FROM = 400  # an answer with this status or above stores nothing


def answer_in_one_transaction(view: Callable[[], object]) -> Response:
    """Run the view; commit what it did if it answered below 400, else roll it back."""
    try:
        response = current_app.make_response(view())
        if response.is_streamed:  # its own read transaction, ended by read_while_streaming
            return response
        if response.status_code < REFUSED_FROM:
            db.session.commit()  # a failure here is answered as an error (503 when the database is out)
            for action, _ in g.pop("after_commit", None) or ():
                action()
            return response
    except BaseException:
        _undo_pending()
        roll_back()
        raise
    _undo_pending()
    roll_back()
    return response


def after_commit(action: Callable[[], object], undo: Callable[[], object] | None = None) -> None:
    """Run `action` once the request's work is committed; run `undo` (if given) instead when
    the request is rolled back."""
    _pending().append((action, undo))


def _pending() -> list:
    if "after_commit" not in g:
        g.after_commit = []
    return g.after_commit


def _undo_pending() -> None:
    for _, undo in g.pop("after_commit", None) or ():
        if undo is not None:
            undo()


def roll_back() -> None:
    """Undo what the request changed (also the error pages' first step). A connection lost with
    the database has nothing left to undo: the session is closed instead."""
    try:
        db.session.rollback()
    except DATABASE_ERRORS:
        db.session.close()


def discard_changes() -> None:
    """Before a view draws a refusal (a form shown again with why): the page then shows the
    database as it was before the request, not what the refused change had half done. The
    answer's status (400 or above) keeps anything from being committed anyway."""
    roll_back()


def read_while_streaming(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a streamed answer, then the end of the read transaction they came from
    (also when the download is cut off)."""
    try:
        yield from lines
    finally:
        roll_back()


@contextmanager
def separate_unit_of_work() -> Iterator[so.Session]:
    """A session of its own, committed when the block ends (rolled back if it raises), whatever
    the request it serves then answers: for what must be stored even when the request is
    refused. Use it before the request's own session writes anything: on SQLite both would
    wait for the one write turn."""
    with so.Session(db.engine) as session, session.begin():
        yield session
