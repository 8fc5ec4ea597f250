"""API tokens: created on the command line, sent as Bearer, revoked, bound to active users."""

import sqlalchemy as sa

from annotator.extensions import db
from annotator.users.authentication import deactivate
from annotator.users.models import ApiToken
from annotator.users.tokens import revoke_token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_create_token_prints_a_token_that_lists_the_users_projects(client, runner, make_user, make_project):
    make_project("Bike lanes", target="Cities should build bike lanes", overlap_k=3)
    make_project("Secret audit")
    make_user("ada")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    result = runner.invoke(args=["create-token", "ada"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("ann_") and len(token) > 40
    assert token not in {row.token_hash for row in db.session.scalars(sa.select(ApiToken))}
    response = client.get("/api/projects", headers=bearer(token))
    assert response.status_code == 200
    assert [(p["name"], p["target"], p["overlap_k"]) for p in response.get_json()] == [
        ("Bike lanes", "Cities should build bike lanes", 3)
    ]
    assert "Set-Cookie" not in response.headers


def test_api_without_credentials_answers_401_in_json(client):
    for headers in ({}, bearer("ann_not-a-real-token"), {"Authorization": "Basic YWRhOnB3"}):
        response = client.get("/api/projects", headers=headers)
        assert response.status_code == 401
        assert "Bearer" in response.get_json()["error"]


def test_revoked_tokens_and_deactivated_users_are_refused(client, runner, make_user):
    user = make_user("ada")
    first = runner.invoke(args=["create-token", "ada"]).output.strip()
    second = runner.invoke(args=["create-token", "ada"]).output.strip()
    revoke_token(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)).first())
    db.session.commit()
    assert client.get("/api/projects", headers=bearer(first)).status_code == 401
    assert client.get("/api/projects", headers=bearer(second)).status_code == 200
    deactivate(db.session, user)
    db.session.commit()
    assert client.get("/api/projects", headers=bearer(second)).status_code == 401


def test_create_token_for_an_unknown_user_fails(runner):
    result = runner.invoke(args=["create-token", "nobody"])
    assert result.exit_code == 1 and 'no active user named "nobody"' in result.stderr


def test_a_session_cookie_does_not_excuse_a_post_from_csrf_but_a_token_does(client, runner, make_user, login):
    make_user("ada")
    login("ada")
    assert client.post("/auth/logout").status_code == 400  # cookie, no CSRF token
    token = runner.invoke(args=["create-token", "ada"]).output.strip()
    assert client.post("/auth/logout", headers=bearer(token)).status_code == 303
    assert client.post("/auth/logout", headers=bearer("ann_forged")).status_code == 400


def test_a_request_with_a_token_acts_as_the_tokens_user_even_from_a_signed_in_browser(
    client, runner, make_user, make_project, login
):
    make_project("Bike lanes")
    make_project("Secret audit")
    make_user("root", "admin")
    make_user("ada")
    runner.invoke(args=["add-member", "Bike lanes", "ada", "--role", "annotator"])
    token = runner.invoke(args=["create-token", "ada"]).output.strip()
    login("root")
    assert len(client.get("/api/projects").get_json()) == 2  # the session: the admin sees both
    assert [p["name"] for p in client.get("/api/projects", headers=bearer(token)).get_json()] == ["Bike lanes"]
    assert client.get("/api/projects", headers=bearer("ann_forged")).status_code == 401
