"""One transaction per request (annotator.web.unit_of_work): what a view did is stored before its
answer leaves, and nothing of it when the view refused or failed, however much it had flushed.
Every check reads from a connection of its own, as another server process would."""

import re

import pytest
import sqlalchemy as sa

from annotator.administration.projects import ProjectError
from annotator.annotations.models import Annotation
from annotator.extensions import db
from annotator.users.models import User
from annotator.users.services import create_user
from tests.conftest import PASSWORD, csrf_token_in

CLAIM = {"claim_type": "quantity", "stance": "against", "verifiability": "verifiable"}
FORM_CLAIM = {f"label-{name}": value for name, value in CLAIM.items()}
HTMX = {"HX-Request": "true", "HX-Target": "workspace"}


def setup_project(runner, make_project, make_documents, make_user=None):
    project = make_project("Bike lanes")
    make_documents(project, count=1, paragraphs=3)
    if make_user is not None:
        make_user("ada")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    return project


def current_passage_id(html: str) -> int:
    return int(re.search(r'data-passage-id="(\d+)"', html).group(1))


def stored_elsewhere(database_url: str, statement):
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(statement).scalar()
    finally:
        engine.dispose()


def accounts_named(database_url: str, username: str) -> int:
    return stored_elsewhere(database_url, sa.select(sa.func.count()).select_from(User).where(User.username == username))


@pytest.fixture
def probe(app):
    """A view that creates an account (the service flushes it), then answers as asked."""

    @app.get("/probe/<outcome>")
    def probe_view(outcome: str):
        create_user(db.session, "flushed", PASSWORD, "annotator")
        assert db.session.scalar(sa.select(User.id).where(User.username == "flushed")) is not None  # flushed
        if outcome == "refused":
            raise ProjectError("refused after flushing")
        if outcome == "failed":
            raise RuntimeError("a fault after flushing")
        if outcome == "answered-422":
            return "not like this", 422
        return "done"

    return app.test_client()


def test_a_view_that_answers_is_committed(probe, database_url):
    assert probe.get("/probe/done").status_code == 200
    assert accounts_named(database_url, "flushed") == 1


@pytest.mark.parametrize("outcome, status", [("refused", 400), ("answered-422", 422)])
def test_a_refusal_after_a_flush_leaves_nothing_in_the_database(probe, database_url, outcome, status):
    assert probe.get(f"/probe/{outcome}").status_code == status
    assert accounts_named(database_url, "flushed") == 0


def test_a_fault_after_a_flush_leaves_nothing_in_the_database(app, probe, database_url):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answered 500 as in production, not raised into the test
    assert probe.get("/probe/failed").status_code == 500
    assert accounts_named(database_url, "flushed") == 0


def test_a_label_acknowledged_by_the_api_is_stored_before_the_answer(
    runner, make_project, make_documents, api_client, database_url
):
    ada = api_client("ada")
    project = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    assert ada("POST", f"/api/passages/{passage_id}/annotations", json={"labels": CLAIM}).status_code == 201
    labels = stored_elsewhere(database_url, sa.select(Annotation.labels).where(Annotation.passage_id == passage_id))
    assert labels == CLAIM


def test_a_label_acknowledged_by_an_htmx_fragment_is_stored_before_the_answer(
    client, login, runner, make_project, make_documents, make_user, database_url
):
    project = setup_project(runner, make_project, make_documents, make_user)
    login("ada")
    page = client.get(f"/projects/{project.id}/annotate").get_data(as_text=True)
    passage_id = current_passage_id(page)
    response = client.post(
        f"/projects/{project.id}/passages/{passage_id}/labels",
        data={"csrf_token": csrf_token_in(page), **FORM_CLAIM},
        headers=HTMX,
    )
    assert response.status_code == 200 and current_passage_id(response.get_data(as_text=True)) != passage_id
    stored = stored_elsewhere(database_url, sa.select(Annotation.labels).where(Annotation.passage_id == passage_id))
    assert stored["stance"] == "against"


def test_a_refused_label_leaves_nothing(runner, make_project, make_documents, api_client, database_url):
    ada = api_client("ada")
    project = setup_project(runner, make_project, make_documents)
    passage_id = ada("GET", f"/api/projects/{project.id}/next").get_json()["passage_id"]
    refused = ada("POST", f"/api/passages/{passage_id}/annotations", json={"labels": {"claim_type": "no such type"}})
    assert refused.status_code == 422
    assert stored_elsewhere(database_url, sa.select(sa.func.count()).select_from(Annotation)) == 0


def test_a_commit_that_fails_answers_503_instead_of_the_views_answer(probe, monkeypatch, database_url):
    import sqlite3

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL

    def commit():
        raise sa.exc.OperationalError("COMMIT", {}, full)

    monkeypatch.setattr(db.session, "commit", commit)
    response = probe.get("/probe/done", headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "nothing of this request was saved" in response.get_json()["error"]
    monkeypatch.undo()
    assert accounts_named(database_url, "flushed") == 0


@pytest.mark.parametrize("status, ran", [(200, ["stored: 1", "started"]), (422, ["undone"])])
def test_work_handed_to_after_commit_starts_only_once_the_request_is_stored(app, client, database_url, status, ran):
    """An import job reads the row its upload request wrote: it may start only after the commit;
    a refused request runs the undo instead (the upload's saved files removed)."""
    from annotator.web.unit_of_work import after_commit

    happened = []

    @app.get("/after-commit/<int:status>")
    def after_commit_view(status: int):
        create_user(db.session, "queued", PASSWORD, "annotator")
        after_commit(
            lambda: happened.extend([f"stored: {accounts_named(database_url, 'queued')}", "started"]),
            undo=lambda: happened.append("undone"),
        )
        return "answered", status

    assert client.get(f"/after-commit/{status}").status_code == status
    assert happened == ran
