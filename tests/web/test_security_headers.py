"""The header rules hold on answers outside the route x role matrix too: error pages and
fragments, server errors, the API's JSON errors, and the static files (which a browser may keep,
but never read as anything but what they are)."""

import pytest

from tests.web.test_authorisation_matrix import assert_protected, csp_directives

HTMX = {"HX-Request": "true", "HX-Target": "workspace"}


@pytest.fixture
def ada(client, make_user, login):
    make_user("ada")
    login("ada")
    return client


def test_error_answers_carry_the_header_rules(app, ada, api_client, monkeypatch):
    answers = {
        "unknown page": ada.get("/projects/nowhere"),
        "unknown page, htmx": ada.get("/projects/nowhere", headers=HTMX),
        "wrong method": ada.get("/auth/logout"),
        "expired form": ada.post("/auth/logout", data={"csrf_token": "old"}),
        "API, unknown address": api_client("bob")("GET", "/api/nothing-here"),
        "signed out, JSON": app.test_client().get("/", headers={"Accept": "application/json"}),
    }
    monkeypatch.setattr("annotator.web.main.projects_of", lambda session, user: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    answers["server error"] = ada.get("/")
    for where, response in answers.items():
        assert response.status_code >= 400, where
        assert_protected(response, where)


def test_static_files_are_never_sniffed_or_framed_and_may_be_cached(client):
    response = client.get("/static/js/annotate.js")
    response.close()  # a file answer holds the file open until closed
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["X-Frame-Options"] == "DENY"
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_https_answers_tell_the_browser_to_keep_to_https(client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers  # plain HTTP: a browser ignores it
    secure = client.get("/auth/login", base_url="https://annotator.example")
    assert (
        secure.headers["Strict-Transport-Security"].startswith("max-age=")
        and int(secure.headers["Strict-Transport-Security"].removeprefix("max-age=")) >= 180 * 24 * 3600
    )
