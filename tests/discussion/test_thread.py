"""A passage's discussion: reviewers and admins discuss any passage and resolve or reopen its
thread; an annotator joins once a passage they labelled is complete, never before; every entry
is kept, attributed and dated, as plain text."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from annotator.discussion.models import MAX_COMMENT, DiscussionEntry
from annotator.discussion.thread import thread_of
from annotator.extensions import db
from tests.conftest import csrf_token_in
from tests.discussion.conftest import thread_url


def post(client, url, page_url, **data):
    token = csrf_token_in(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def entries() -> list[tuple[str, str, str]]:
    from annotator.users.models import User

    return db.session.execute(
        sa.select(DiscussionEntry.kind, User.username, DiscussionEntry.body)
        .join(User, User.id == DiscussionEntry.author_id)
        .order_by(DiscussionEntry.id)
    ).all()


def test_a_reviewer_comments_resolves_and_reopens_on_the_decision_screen(client, login, discussed):
    login("rev")
    screen = f"/projects/{discussed.id}/review/{discussed.complete}"
    url = thread_url(discussed, discussed.complete)
    answer = post(client, url, screen, body="Is a plan an event?\n<b>not bold</b>", back="review")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(screen)
    assert post(client, url + "/resolve", screen, back="review").status_code == 303
    page = client.get(screen).get_data(as_text=True)
    assert "Is a plan an event?\n&lt;b&gt;not bold&lt;/b&gt;" in page and "<b>not bold" not in page
    assert 'data-testid="resolved-by">Resolved by rev' in page and "Reopen the discussion" in page
    assert post(client, url + "/reopen", screen, back="review").status_code == 303
    assert entries() == [
        ("comment", "rev", "Is a plan an event?\n<b>not bold</b>"),
        ("resolve", "rev", ""),
        ("reopen", "rev", ""),
    ]
    assert thread_of(db.session, discussed.complete).resolved is None


def test_htmx_gets_the_thread_back_in_place_and_a_second_resolve_is_refused(client, login, discussed):
    login("rev")
    screen = f"/projects/{discussed.id}/review/{discussed.complete}"
    url = thread_url(discussed, discussed.complete)
    token = csrf_token_in(client.get(screen).get_data(as_text=True))
    headers = {"HX-Request": "true", "HX-Target": "discussion", "X-CSRFToken": token}
    answer = client.post(url, data={"body": "Guidelines say nothing on plans"}, headers=headers)
    fragment = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert '<section id="discussion"' in fragment and "<html" not in fragment and "Guidelines say nothing" in fragment
    assert client.post(url + "/resolve", headers=headers).status_code == 200
    again = client.post(url + "/resolve", headers=headers)
    assert again.status_code == 409 and "already resolved" in again.get_data(as_text=True)
    assert [kind for kind, _, _ in entries()] == ["comment", "resolve"]


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (MAX_COMMENT + 1)])
def test_an_empty_or_overlong_comment_is_refused_and_nothing_is_kept(client, login, discussed, body):
    login("rev")
    url = thread_url(discussed, discussed.complete)
    answer = post(client, url, url, body=body)
    assert answer.status_code == 422 and "Not saved: a comment needs some text" in answer.get_data(as_text=True)
    assert entries() == []


def test_a_comment_without_the_csrf_token_is_refused(client, login, discussed):
    login("rev")
    answer = client.post(thread_url(discussed, discussed.complete), data={"body": "hello"})
    assert answer.status_code == 400 and entries() == []


def test_an_annotator_joins_the_thread_of_a_complete_passage_they_labelled_but_cannot_resolve(client, login, discussed):
    login("ada")
    url = thread_url(discussed, discussed.complete)
    page = client.get(url)
    assert page.status_code == 200 and "Resolve the discussion" not in page.get_data(as_text=True)
    assert post(client, url, url, body="I read it as an event").status_code == 303
    assert post(client, url + "/resolve", url).status_code == 403
    assert entries() == [("comment", "ada", "I read it as an event")]


@pytest.mark.parametrize(
    "who, passage",
    [("ada", "incomplete"), ("cy", "complete"), ("cy", "incomplete")],
    ids=["own-passage-not-complete", "not-theirs", "neither"],
)
def test_no_annotator_sees_a_thread_before_completion_or_of_a_passage_not_theirs(
    client, login, discussed, who, passage
):
    login(who)
    url = thread_url(discussed, getattr(discussed, passage))
    assert client.get(url).status_code == 403
    token = csrf_token_in(client.get(f"/projects/{discussed.id}/annotate").get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "body": "peek"}).status_code == 403
    assert entries() == []


def test_a_passage_of_another_project_is_not_there(client, login, discussed, make_project, make_documents):
    other = make_documents(make_project("Other"), count=1, paragraphs=1)[0]
    login("rev")
    assert client.get(thread_url(discussed, other.id)).status_code == 404


def test_an_archived_projects_threads_are_read_only(client, login, discussed):
    from annotator.clock import utcnow

    login("rev")
    url = thread_url(discussed, discussed.complete)
    token = csrf_token_in(client.get(url).get_data(as_text=True))
    discussed.archived_at = utcnow()
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "read-only" in page and "Add comment" not in page
    assert client.post(url, data={"csrf_token": token, "body": "late"}).status_code == 409
    assert client.post(url + "/resolve", data={"csrf_token": token}).status_code == 409
    assert entries() == []


def test_the_database_keeps_entries_as_written_and_comments_bounded(discussed, make_user):
    rev_id = db.session.scalar(sa.text("SELECT id FROM user_account WHERE username = 'rev'"))
    row = dict(project_id=discussed.id, passage_id=discussed.complete, author_id=rev_id)
    db.session.add(DiscussionEntry(**row, kind="comment", body="first"))
    db.session.commit()
    with pytest.raises(DBAPIError):
        db.session.execute(sa.update(DiscussionEntry).values(body="rewritten"))
    db.session.rollback()
    for bad in (
        dict(kind="comment", body=""),
        dict(kind="comment", body="x" * (MAX_COMMENT + 1)),
        dict(kind="resolve", body="why"),
        dict(kind="delete", body=""),
    ):
        db.session.add(DiscussionEntry(**row, **bad))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert db.session.scalar(sa.select(DiscussionEntry.body)) == "first"


def test_a_deleted_authors_entries_stay(discussed):
    from annotator.users.models import User

    rev = db.session.scalar(sa.select(User).where(User.username == "rev"))
    db.session.add(
        DiscussionEntry(
            project_id=discussed.id, passage_id=discussed.complete, author_id=rev.id, kind="comment", body="kept"
        )
    )
    db.session.commit()
    db.session.execute(sa.delete(User).where(User.id == rev.id))
    db.session.commit()
    assert [(entry.author, entry.body) for entry in thread_of(db.session, discussed.complete).entries] == [
        ("a former account", "kept")
    ]
