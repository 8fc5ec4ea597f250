"""Each user's settings: API tokens created (shown once), used, revoked; the password changed."""

import re

import sqlalchemy as sa

from annotator.extensions import db
from annotator.users.models import ApiToken
from tests.conftest import PASSWORD, csrf_token_in


def post(client, url, **form):
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **form})


def test_a_token_made_on_the_settings_page_works_until_revoked(client, app, make_user, login):
    make_user("ada")
    login("ada")
    created = post(client, "/account/tokens", name="pre-annotation")
    html = created.get_data(as_text=True)
    assert created.status_code == 201 and "not shown again" in html
    plain = re.search(r'<code id="new-token">(ann_[^<]+)</code>', html).group(1)
    assert plain not in client.get("/account").get_data(as_text=True)  # shown once
    script = app.test_client()
    assert script.get("/api/projects", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    token_id = re.search(r"/account/tokens/(\d+)/revoke", client.get("/account").get_data(as_text=True)).group(1)
    page = client.get(post(client, f"/account/tokens/{token_id}/revoke").headers["Location"]).get_data(as_text=True)
    assert "Token pre-annotation revoked" in page and "revoked 20" in page
    assert script.get("/api/projects", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_nobody_revokes_another_users_token(client, make_user, login, runner):
    make_user("ada")
    make_user("bob")
    runner.invoke(args=["create-token", "ada"])
    adas = db.session.scalar(sa.select(ApiToken.id))
    login("bob")
    assert post(client, f"/account/tokens/{adas}/revoke").status_code == 404
    assert db.session.scalar(sa.select(ApiToken.revoked_at)) is None
    assert "No tokens yet." in client.get("/account").get_data(as_text=True)


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, app, make_user, login):
    make_user("ada")
    other = app.test_client()
    other.post(
        "/auth/login",
        data={
            "csrf_token": csrf_token_in(other.get("/auth/login").get_data(as_text=True)),
            "username": "ada",
            "password": PASSWORD,
        },
    )
    assert other.get("/").status_code == 200
    login("ada")
    wrong = post(client, "/account/password", current="not it", new="a new password")
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    assert post(client, "/account/password", current=PASSWORD, new="a new password").status_code == 303
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
