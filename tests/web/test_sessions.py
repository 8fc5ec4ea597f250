"""Signed-in sessions live on the server: signing out ends one wherever its cookie was copied
to; a session ends after the idle time and after its lifetime; a password change or reset and
deactivation end them all and revoke the user's API tokens for good."""

import sqlalchemy as sa

from annotator.extensions import db
from annotator.users.models import UserSession
from tests.conftest import PASSWORD, csrf_token_in


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def copy_of_the_cookies(app, client):
    """Another browser holding a copy of this one's cookies, as an attacker who copied them would."""
    other = app.test_client()
    for name in ("session",):
        cookie = client.get_cookie(name)
        other.set_cookie(name, cookie.value)
    return other


def sign_out(client):
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 303


def test_a_cookie_copied_before_signing_out_opens_nothing_afterwards(
    app, client, make_user, make_project, login, runner
):
    project = make_project("Bike lanes")
    make_user("rev", "reviewer")
    runner.invoke(args=["add-member", "Bike lanes", "rev", "--role", "reviewer"])
    login("rev")
    copied = copy_of_the_cookies(app, client)
    assert copied.get(f"/projects/{project.id}/review").status_code == 200
    sign_out(client)
    assert copied.get("/account").status_code == 302
    assert copied.get(f"/projects/{project.id}/review").status_code == 302
    assert copied.get("/auth/session").get_json()["signed_in"] is False
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0


def test_signing_out_ends_only_that_browsers_session(app, client, make_user, login):
    make_user("ada")
    login("ada")
    laptop = app.test_client()
    laptop.post(
        "/auth/login",
        data={
            "csrf_token": csrf_token_in(laptop.get("/auth/login").get_data(as_text=True)),
            "username": "ada",
            "password": PASSWORD,
        },
    )
    sign_out(client)
    assert not signed_in(client) and signed_in(laptop)


def test_a_session_unused_for_a_working_day_ends(app, client, make_user, login, clock):
    app.config["SESSION_LIFETIME_HOURS"] = 48  # only the idle time here
    make_user("ada")
    login("ada")
    for _ in range(3):  # more than a working day, with a request now and then
        clock.advance(minutes=470)
        assert signed_in(client)
    clock.advance(minutes=481)
    assert not signed_in(client)
    assert client.get("/auth/session").get_json()["signed_in"] is False


def test_the_idle_time_is_a_setting(app, client, make_user, login, clock):
    app.config["SESSION_IDLE_MINUTES"] = 15
    make_user("ada")
    login("ada")
    clock.advance(minutes=14)
    assert signed_in(client)
    clock.advance(minutes=16)
    assert not signed_in(client)


def test_every_session_ends_after_its_lifetime_however_busy(client, make_user, login, clock):
    make_user("ada")
    login("ada")
    for _ in range(11):
        clock.advance(hours=1)
        assert signed_in(client)
    clock.advance(minutes=61)
    assert not signed_in(client)
    assert login("ada").status_code == 303 and signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(client, make_user, login, clock):
    make_user("ada")
    login("ada")
    signed_in_at = clock.now

    def last_seen():
        return db.session.scalar(sa.select(UserSession.last_seen_at).execution_options(populate_existing=True))

    for seconds in (10, 20, 20):
        clock.advance(seconds=seconds)
        assert signed_in(client)
        assert last_seen() == signed_in_at
    clock.advance(seconds=11)
    assert signed_in(client)
    assert last_seen() == clock.now


def token_works(client, token) -> bool:
    return client.get("/api/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def new_token(runner, username="ada") -> str:
    return runner.invoke(args=["create-token", username]).output.strip()


def post_form(client, page, url, **form):
    return client.post(url, data={"csrf_token": csrf_token_in(client.get(page).get_data(as_text=True)), **form})


def test_changing_the_password_revokes_the_users_tokens_and_says_so(app, client, make_user, login, runner):
    make_user("ada")
    token = new_token(runner)
    login("ada")
    assert "revokes your API tokens" in client.get("/account").get_data(as_text=True)
    changed = post_form(client, "/account", "/account/password", current=PASSWORD, new="tangerine submarine lighthouse")
    assert "your API tokens are revoked" in client.get(changed.headers["Location"]).get_data(as_text=True)
    assert not token_works(app.test_client(), token)


def test_a_reset_password_or_a_deactivation_revokes_tokens_and_reactivating_brings_none_back(
    app, client, make_user, login, runner
):
    ada = make_user("ada")
    make_user("root", "admin")
    login("root")
    script = app.test_client()
    token = new_token(runner)
    post_form(client, "/admin/users", f"/admin/users/{ada.id}/password", password="tangerine submarine lighthouse")
    assert not token_works(script, token)
    token = new_token(runner)
    post_form(client, "/admin/users", f"/admin/users/{ada.id}/active", active="0")
    post_form(client, "/admin/users", f"/admin/users/{ada.id}/active", active="1")
    assert not token_works(script, token)
    reset = runner.invoke(args=["reset-password", "ada", "--password-stdin"], input="tangerine submarine lighthouse\n")
    token = new_token(runner)
    assert token_works(script, token)
    runner.invoke(args=["reset-password", "ada", "--password-stdin"], input="periwinkle saxophone harbour\n")
    assert reset.exit_code == 0 and not token_works(script, token)
