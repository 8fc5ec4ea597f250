"""What people see when something is refused or fails: a page in the layout that says what
happened and offers a way back; a short fragment for htmx; JSON for the API."""

import io

import pytest
import sqlalchemy as sa

from annotator.extensions import db
from annotator.users.models import User
from annotator.users.services import create_user
from tests.conftest import csrf_token_in

HTMX = {"HX-Request": "true", "HX-Target": "workspace"}


def in_the_layout(html: str) -> bool:
    return '<header class="site-header">' in html and "/static/css/annotator.css" in html


@pytest.fixture
def ada(client, make_user, login):
    make_user("ada")
    login("ada")
    return client


def test_an_unknown_address_is_a_page_in_the_layout_with_a_way_back(ada):
    response = ada.get("/projects/nowhere", headers={"Referer": "http://localhost/"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and in_the_layout(html)
    assert "<h1>Nothing here</h1>" in html and "the link may be old or mistyped" in html
    assert (
        '<a href="/">Your projects</a>' in html
        and '<a href="http://localhost/">Back to the page you came from</a>' in html
    )


def test_a_page_the_account_may_not_open_says_whom_to_ask(ada, make_project):
    project = make_project("Bike lanes")
    response = ada.get(f"/projects/{project.id}/exports")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and in_the_layout(html)
    assert "Your account may not use this page" in html and "ask an admin" in html


def test_a_wrong_method_and_an_expired_form_are_explained(ada):
    wrong = ada.get("/auth/logout")
    assert wrong.status_code == 405 and in_the_layout(wrong.get_data(as_text=True))
    assert "does not take that kind of request" in wrong.get_data(as_text=True)
    expired = ada.post("/auth/logout", data={"csrf_token": "from an old page"})
    html = expired.get_data(as_text=True)
    assert expired.status_code == 400 and in_the_layout(html)
    assert "The form was open too long, or you signed in again elsewhere: reload the page and try again." in html
    assert "CSRF token" not in html  # not jargon


def test_an_upload_over_the_limit_says_how_large_one_may_be(app, client, make_user, login, make_project):
    make_user("root", "admin")
    login("root")
    project = make_project("Bike lanes")
    upload = f"/admin/projects/{project.id}/documents"
    token = csrf_token_in(client.get(upload).get_data(as_text=True))
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    response = client.post(
        upload,
        data={"csrf_token": token, "files": [(io.BytesIO(b"x" * 200 * 1024), "big.txt")]},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and in_the_layout(html)
    assert "larger than the 100 KB one request may carry" in html and "annotator import-docs" in html


def test_a_server_error_is_a_page_without_its_cause_and_nothing_is_kept(app, ada, monkeypatch):
    def failing(session, user):
        create_user(session, "half-made", "a long enough password", "annotator")
        session.flush()
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr("annotator.web.main.projects_of", failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = ada.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and in_the_layout(html)
    assert "Something went wrong on the server" in html and "Nothing of this request was saved" in html
    assert "secret detail" not in html and "Traceback" not in html
    assert db.session.scalar(sa.select(User.id).where(User.username == "half-made")) is None


def test_htmx_requests_get_a_short_fragment_not_a_page(ada, make_project):
    project = make_project("Bike lanes")
    response = ada.get(f"/projects/{project.id}/passages/999/edit", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code in (403, 404)
    assert "<html" not in html and "site-header" not in html and 'role="alert"' in html


def test_the_api_and_requests_for_json_keep_getting_json(ada, api_client):
    caller = api_client("bob")
    for response, status in (
        (caller("GET", "/api/nothing-here"), 404),
        (caller("DELETE", "/api/projects"), 405),
        (caller("GET", "/api/projects/999/progress"), 404),
        (ada.get("/projects/nowhere", headers={"Accept": "application/json"}), 404),
    ):
        assert response.status_code == status and response.is_json and response.get_json()["error"]


def test_a_server_error_in_the_api_is_json(app, api_client, monkeypatch):
    def failing(session, user):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr("annotator.web.api.projects_of", failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = api_client("bob")("GET", "/api/projects")
    assert response.status_code == 500 and "secret detail" not in response.get_json()["error"]


def test_a_signed_out_request_for_json_gets_401_in_json(client):
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 401 and "sign in" in response.get_json()["error"]
